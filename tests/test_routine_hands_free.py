"""The hands-free routine (issue 16): one tap starts it, the clock runs the rest.

These tests run the product's default (hands-free for new users) through the real
Application and the fake Bot API, moving the injectable clock only: the countdowns, holds,
paced sets, rests and the next exercise all come from timer jobs.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from apscheduler.triggers.date import DateTrigger

from bot.domain.pace import Pace, rep_seconds
from bot.domain.routine import Plan
from bot.domain.statuses import HoldOutcome, SessionStatus
from bot.entry.fake_records import ApiCall
from tests.hands_free_helpers import Line, cost, is_loud, transcript
from tests.harness import BotHarness, catalog, make_settings
from tests.routine_helpers import ALICE, SKIP_PAIN, holds, sessions, timer_jobs

_t = catalog().t
START_NOW = _t("routine.button_start_now")
PAUSE = _t("routine.button_pause")
GO_ON = _t("routine.button_go_on")
FINISH = _t("routine.button_finish")
TRANSCRIPT = "HANDS_FREE_TRANSCRIPT"
"""Set to a path to write the console transcript there (docs/transcripts/hands-free.txt)."""


@pytest.fixture
async def hf(database_url: str) -> AsyncIterator[BotHarness]:
    """The bot with the product's default: hands-free for users who have not chosen."""
    harness = await BotHarness.start(make_settings(database_url, hands_free_default=True))
    try:
        yield harness
    finally:
        await harness.stop()
    if harness.errors:
        raise AssertionError(f"unhandled errors in handlers or jobs: {harness.errors!r}")


def next_timer(bot: BotHarness) -> datetime | None:
    assert bot.app.job_queue is not None
    due = [
        job.job.trigger.run_date
        for job in bot.app.job_queue.jobs()
        if job.name == f"hold:{ALICE}" and isinstance(job.job.trigger, DateTrigger)
    ]
    return min(due, default=None)


async def run_by_clock(bot: BotHarness, lines: list[Line], until: str) -> list[ApiCall]:
    """Move the clock from one timer to the next until a message with ``until`` is sent."""
    calls: list[ApiCall] = []
    for _ in range(2000):
        at = next_timer(bot)
        assert at is not None, "the routine stopped:\n" + transcript(lines, lines[0].at)[-3000:]
        batch = await bot.advance_to(max(at, bot.clock.now()))
        lines.extend(Line(bot.clock.now(), "bot", call, "") for call in batch)
        calls.extend(batch)
        if any(call.method == "sendMessage" and until in (call.text or "") for call in batch):
            return calls
    raise AssertionError("the routine did not reach its end")


async def plan_of(bot: BotHarness) -> Plan:
    [routine] = await sessions(bot)
    return Plan.from_json(routine.plan)


async def test_a_whole_routine_runs_to_the_end_by_the_clock_alone(hf: BotHarness) -> None:
    bot = hf
    start = bot.clock.now()
    lines = [Line(start, "you", None, "/routine")]
    opening = await bot.send(ALICE, "/routine")
    lines.extend(Line(start, "bot", call, "") for call in opening)
    lines.append(Line(bot.clock.now(), "you", None, f"[tap] {SKIP_PAIN}"))
    first = await bot.tap(ALICE, SKIP_PAIN)  # the one tap: the routine is off
    lines.extend(Line(bot.clock.now(), "bot", call, "") for call in first)
    taps = 1

    running = await run_by_clock(bot, lines, until=_t("routine.pain_after"))

    plan = await plan_of(bot)
    assert plan.pace is not None
    pace = plan.pace
    rows = await holds(bot)
    assert len(rows) == sum(item.steps for item in plan.items)
    assert {row.outcome for row in rows} == {HoldOutcome.COMPLETED}
    for row in rows:
        [item] = [item for item in plan.items if item.exercise_id == row.exercise_id]
        paced = item.dose.reps * rep_seconds(pace, item)
        assert row.actual_seconds == (paced if item.mode == "reps" else item.dose.hold_seconds)
    # Sound only where one must notice without looking: each hold's start, each release or
    # switch, each next exercise and the end; the countdown itself is silent edits.
    steps = sum(item.steps for item in plan.items)
    loud = [call for call in first + running if is_loud(call)]
    assert len(loud) == steps + (steps - len(plan.items)) + (len(plan.items) - 1) + 1
    assert all(call.method == "sendMessage" for call in loud)
    # One live message per exercise, each collapsed to one line at its end; no cue left over.
    messages = bot.fake.messages[ALICE]
    collapsed = [m.text for m in messages.values() if not m.deleted and m.text in _collapsed(plan)]
    assert collapsed == _collapsed(plan)
    cues = [m for m in messages.values() if not m.deleted and (m.text or "").startswith("🔔")]
    assert cues == []

    lines.append(Line(bot.clock.now(), "you", None, "[tap] 2"))
    end = await bot.tap(ALICE, "2")
    taps += 1
    lines.extend(Line(bot.clock.now(), "bot", call, "") for call in end)
    [routine] = await sessions(bot)
    assert routine.status == SessionStatus.COMPLETED
    assert timer_jobs(bot) == []

    figures = cost(opening + first + running)
    summary = (
        f"hands-free routine of {len(plan.items)} exercises, {steps} holds or sets, "
        f"{int((bot.clock.now() - start).total_seconds())} s; "
        f"{figures.line(taps)} (taps: 1 to start, 1 pain rating at the end)"
    )
    print(summary)  # the figures the issue asks for (pytest -s)
    assert figures.messages == len(plan.items) + figures.loud - (len(plan.items) - 1) + 1
    path = os.environ.get(TRANSCRIPT)
    if path:
        text = transcript(lines, start)
        Path(path).write_text(f"{text}\n{summary}\n", encoding="utf-8")


def _collapsed(plan: Plan) -> list[str]:
    out: list[str] = []
    content = catalog()
    for item in plan.items:
        exercise = content.exercise(item.exercise_id)
        assert exercise is not None
        key = "routine.collapsed_reps" if item.mode == "reps" else "routine.collapsed_hold"
        if item.mode == "hold" and item.per_side:
            key = "routine.collapsed_hold_sides"
        out.append(
            _t(
                key,
                name=exercise.name,
                reps=item.dose.reps,
                seconds=item.dose.hold_seconds,
                sets=item.dose.sets,
                mark=_t("routine.collapsed_done"),
            )
        )
    return out
