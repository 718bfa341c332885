"""Hands-free (issue 16): one tap starts the routine wherever it starts (the daily prompt's
rating row or its Start now, or /routine's pain question), the routine completes on its own,
the rating after is optional and a late answer records once; the restart note and the
picture at the switch to the other side. All through the real Application, by the clock."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.domain.statuses import SessionStatus
from bot.entry.fake_records import ApiCall
from bot.plumbing import pictures
from storage.models import ExercisePreference, PainRating
from tests.hands_free_helpers import Line, is_loud
from tests.harness import BotHarness, catalog, make_settings
from tests.reminder_flow import advance_to_next_due, prompts, subscribe
from tests.routine_helpers import (
    ALICE,
    START_HOLD,
    START_SET,
    holds,
    keep_only,
    leave_out_warm_up,
    preference,
    sessions,
    timer_jobs,
)
from tests.test_picture_sending import drawn_dir, picture_of
from tests.test_routine_hands_free import hf, plan_of, run_by_clock

__all__ = ["drawn_dir", "hf"]  # fixtures shared with the other routine tests

_t = catalog().t
START_NOW = _t("remind.btn_start")
ASK_AFTER = _t("routine.pain_after_optional")


async def ratings(bot: BotHarness) -> list[tuple[str, int, int | None]]:
    async with bot.session() as db:
        rows = await db.scalars(select(PainRating).order_by(PainRating.id))
        return [(row.context, row.score, row.session_id) for row in rows]


async def _prompted(bot: BotHarness, *only: str) -> tuple[ApiCall, int]:
    """Arrange: Alice has subscribed (only ``only`` in her routine) and her prompt is here;
    the prompt and its message id."""
    await subscribe(bot, ALICE)
    if only:
        await keep_only(bot, *only)
    [prompt] = prompts(await advance_to_next_due(bot, ALICE), ALICE)
    return prompt, bot.message_with_button(ALICE, START_NOW).message_id


async def test_one_rating_tap_on_the_daily_prompt_starts_the_routine_and_records_it(
    hf: BotHarness,
) -> None:
    bot = hf
    prompt, message_id = await _prompted(bot, "glute_bridge")
    assert prompt.buttons[:2] == [[str(n) for n in range(6)], [str(n) for n in range(6, 11)]]
    assert prompt.buttons[2] == [START_NOW]

    calls = await bot.tap(ALICE, "5", message_id=message_id)  # the only tap

    [routine] = await sessions(bot)
    assert (routine.pain_before, routine.delivery_id is not None) == (5, True)
    assert await ratings(bot) == [("before", 5, routine.id)]
    assert [call.method for call in calls] == ["answerCallbackQuery", "sendMessage"]
    assert _t("routine.live_wait_position", seconds=routine.plan["pace"]["position"]) in (
        calls[1].text or ""
    )
    assert timer_jobs(bot) == [f"hold:{ALICE}"]  # its countdown runs
    again = await bot.tap(ALICE, "5", message_id=message_id)  # a doubled tap
    assert [call.method for call in again] == ["answerCallbackQuery"]
    assert len(await ratings(bot)) == 1

    lines = [Line(bot.clock.now(), "you", None, "[tap] 5")]
    await run_by_clock(bot, lines, until=ASK_AFTER)
    [routine] = await sessions(bot)
    assert routine.status == SessionStatus.COMPLETED  # no tap at the end either


async def test_start_now_on_the_prompt_starts_at_once_without_a_rating(hf: BotHarness) -> None:
    bot = hf
    _prompt, message_id = await _prompted(bot)

    calls = await bot.tap(ALICE, START_NOW, message_id=message_id)

    [routine] = await sessions(bot)
    assert routine.pain_before is None
    assert await ratings(bot) == []
    assert routine.cursor["phase"] == "ready"
    assert _t("routine.pain_before") not in [call.text for call in calls]
    assert timer_jobs(bot) == [f"hold:{ALICE}"]


async def test_tap_per_hold_a_prompt_rating_opens_the_first_exercise(bot: BotHarness) -> None:
    _prompt, message_id = await _prompted(bot)

    await bot.tap(ALICE, "3", message_id=message_id)

    [routine] = await sessions(bot)
    assert (routine.hands_free, routine.pain_before) == (False, 3)
    bot.message_with_button(ALICE, START_SET)  # the warm-up's set, at the user's tap
    assert timer_jobs(bot) == []


async def test_the_rating_after_is_optional_and_a_late_answer_records_once(
    hf: BotHarness,
) -> None:
    bot = hf
    await keep_only(bot, "glute_bridge")
    await bot.send(ALICE, "/routine")
    await bot.tap(ALICE, "2")
    lines = [Line(bot.clock.now(), "you", None, "[tap] 2")]
    await run_by_clock(bot, lines, until=ASK_AFTER)
    [routine] = await sessions(bot)
    assert (routine.status, routine.pain_after) == (SessionStatus.COMPLETED, None)
    question = bot.message_with_button(ALICE, "7")
    assert (question.text or "").strip() == ASK_AFTER.strip()
    data = {
        str(button["text"]): str(button["callback_data"])
        for row in (question.reply_markup or {}).get("inline_keyboard", [])
        for button in row
    }

    await bot.advance(hours=2)
    calls = await bot.tap(ALICE, "7", message_id=question.message_id)  # late: a rise

    [routine] = await sessions(bot)
    assert routine.pain_after == 7
    assert await ratings(bot) == [("before", 2, routine.id), ("after", 7, routine.id)]
    edited = [call for call in calls if call.method == "editMessageText"]
    assert [call.text for call in edited] == [_t("routine.pain_noted_after", score=7)]
    said = [call.text or "" for call in calls if call.method == "sendMessage"]
    assert any(_t("pain.ease_off").strip() in text for text in said), said
    assert not any(is_loud(call) for call in calls)
    again = await bot.tap_data(ALICE, question.message_id, data["3"])  # an old button
    assert [call.method for call in again] == ["answerCallbackQuery"]
    assert len(await ratings(bot)) == 2


async def test_a_hold_that_ended_while_the_bot_was_down_says_so_hands_free(
    hf: BotHarness,
) -> None:
    bot = hf
    await leave_out_warm_up(bot)
    await bot.send(ALICE, "/routine")
    await bot.tap(ALICE, _t("routine.pain_skip"))
    plan = await plan_of(bot)
    assert plan.pace is not None
    await bot.advance(seconds=plan.pace.position + 5)  # 5 seconds into the first hold
    seconds = plan.items[0].dose.hold_seconds
    bot.runtime.clock.advance(timedelta(seconds=seconds))  # the bot is down: no job runs
    before = len(bot.fake.calls)

    await bot.restart()

    calls = [call for call in bot.fake.calls[before:] if call.chat_id == ALICE]
    note = _t("routine.lead_recovered", seconds=seconds)
    [cue] = [call for call in calls if is_loud(call)]
    assert (cue.text or "").startswith(note)
    assert _t("routine.cue_switch") in (cue.text or "")
    [first] = await holds(bot)
    assert (first.outcome, first.actual_seconds) == ("completed", seconds)


@pytest.fixture
async def hf_pictures(database_url: str, drawn_dir: Path) -> AsyncIterator[BotHarness]:
    settings = make_settings(
        database_url, pictures_enabled=True, pictures_dir=drawn_dir, hands_free_default=True
    )
    harness = await BotHarness.start(settings)
    await pictures.pictures_drawn(harness.runtime)
    try:
        yield harness
    finally:
        await harness.stop()
    assert harness.errors == []


async def test_the_picture_shows_at_the_switch_to_the_second_side(
    hf_pictures: BotHarness,
) -> None:
    bot = hf_pictures
    await keep_only(bot, "knees_to_chest")
    await bot.send(ALICE, "/routine")
    opening = await bot.tap(ALICE, _t("routine.pain_skip"))
    plan = await plan_of(bot)
    assert plan.pace is not None
    left = picture_of(bot, "knees_to_chest", "left").path.name
    right = picture_of(bot, "knees_to_chest", "right").path.name
    assert [c.file_names.get("animation") for c in opening if c.method == "sendAnimation"] == [left]

    calls = await bot.advance(seconds=plan.pace.position + plan.items[0].dose.hold_seconds)

    sent = [call for call in calls if call.method == "sendAnimation"]
    assert [call.file_names.get("animation") for call in sent] == [right]
    assert sent[0].params.get("disable_notification") is True  # the cue is the sound
    [switch] = [call for call in calls if call.text == _t("routine.cue_switch")]
    assert is_loud(switch)
    assert calls.index(sent[0]) > calls.index(switch)  # the picture of the side to do now
    # Later switches (rep 2 and on) show no picture again.
    later = await bot.advance(seconds=plan.pace.switch + plan.items[0].dose.hold_seconds)
    assert [call for call in later if call.method == "sendAnimation"] == []
    assert START_HOLD not in {b["text"] for b in _buttons(bot)}


def _buttons(bot: BotHarness) -> list[dict[str, object]]:
    newest = max(bot.fake.messages[ALICE].values(), key=lambda m: m.message_id)
    return [b for row in (newest.reply_markup or {}).get("inline_keyboard", []) for b in row]


async def test_a_late_rise_steps_the_dose_back_as_a_rating_at_the_end_would(
    hf: BotHarness,
) -> None:
    bot = hf
    await keep_only(bot, "glute_bridge")
    async with bot.session() as db:
        row = await db.get(ExercisePreference, (ALICE, "glute_bridge"))
        assert row is not None
        row.level = 1  # one step up already: a rise can take it back down
        await db.commit()
    await bot.send(ALICE, "/routine")
    await bot.tap(ALICE, "2")
    await run_by_clock(bot, [Line(bot.clock.now(), "you", None, "[tap] 2")], until=ASK_AFTER)
    assert (await preference(bot, "glute_bridge")).level == 1  # no rise known yet

    await bot.advance(minutes=30)
    calls = await bot.tap(ALICE, "7")

    pref = await preference(bot, "glute_bridge")
    assert (pref.level, pref.level_reason) == (0, "pain_rose")
    said = "\n".join(call.text or "" for call in calls if call.method == "sendMessage")
    assert _t("routine.summary_changes") in said


async def test_a_set_that_ended_while_the_bot_was_down_opens_the_next_exercise_saying_so(
    hf: BotHarness,
) -> None:
    bot = hf
    await keep_only(bot, "pelvic_tilt", "glute_bridge")
    await bot.send(ALICE, "/routine")
    await bot.tap(ALICE, _t("routine.pain_skip"))
    plan = await plan_of(bot)
    assert plan.pace is not None
    assert plan.items[0].steps == 1  # one paced set: its end is the exercise's end
    await bot.advance(seconds=plan.pace.position + 5)
    [running] = await holds(bot)
    assert running.ends_at is not None
    seconds = int((running.ends_at - running.started_at).total_seconds())
    bot.runtime.clock.advance(timedelta(seconds=seconds))  # the bot is down: no job runs
    before = len(bot.fake.calls)

    await bot.restart()

    calls = [call for call in bot.fake.calls[before:] if call.chat_id == ALICE]
    [new] = [call for call in calls if call.method == "sendMessage"]
    assert is_loud(new)  # the next exercise's live message
    assert (new.text or "").startswith(_t("routine.lead_recovered", seconds=seconds))
    bridge = catalog().exercise("glute_bridge")
    assert bridge is not None
    assert bridge.name in (new.text or "")
