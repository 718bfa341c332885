"""Hands-free taps that change the course: Skip and It hurts during a hold, Stop, and the
"continue" offer of a routine left in the middle (its countdown keeps running)."""

from __future__ import annotations

from datetime import timedelta

from bot.domain.statuses import HoldOutcome, SessionStatus
from tests.hands_free_helpers import is_loud
from tests.harness import BotHarness, catalog
from tests.routine_helpers import (
    ALICE,
    HURTS,
    SKIP,
    SKIP_PAIN,
    STOP,
    holds,
    leave_out_warm_up,
    sessions,
    timer_jobs,
)
from tests.test_routine_hands_free import hf, plan_of

__all__ = ["hf"]  # the fixture, shared with the main hands-free tests

_t = catalog().t


async def _holding(bot: BotHarness) -> int:
    """Arrange: Alice is 4 seconds into the first hold of knees to chest; its hold seconds."""
    await leave_out_warm_up(bot)
    await bot.send(ALICE, "/routine")
    await bot.tap(ALICE, SKIP_PAIN)
    plan = await plan_of(bot)
    assert plan.pace is not None
    await bot.advance(seconds=plan.pace.position + 4)
    return plan.items[0].dose.hold_seconds


async def test_skip_during_a_hold_records_it_and_moves_to_the_next_exercise(
    hf: BotHarness,
) -> None:
    bot = hf
    await _holding(bot)
    live = bot.message_with_button(ALICE, SKIP)

    calls = await bot.tap(ALICE, SKIP)

    [hold] = await holds(bot)
    assert (hold.outcome, hold.actual_seconds) == (HoldOutcome.STOPPED_EARLY, 4)
    knees = catalog().exercise("knees_to_chest")
    assert knees is not None
    text = bot.fake.messages[ALICE][live.message_id].text or ""
    assert text.startswith(f"{knees.name}: ")
    assert text.endswith(_t("routine.collapsed_skipped"))
    [new] = [call for call in calls if call.method == "sendMessage"]
    assert is_loud(new)  # the next exercise, to notice without looking
    assert timer_jobs(bot) == [f"hold:{ALICE}"]  # and its countdown runs


async def test_it_hurts_during_a_hold_stops_that_exercise(hf: BotHarness) -> None:
    bot = hf
    await _holding(bot)

    await bot.tap(ALICE, HURTS)

    [hold] = await holds(bot)
    assert hold.outcome == HoldOutcome.HURT
    texts = [m.text or "" for m in bot.fake.messages[ALICE].values()]
    assert any(text.endswith(_t("routine.collapsed_hurt")) for text in texts)


async def test_stop_ends_it_quietly(hf: BotHarness) -> None:
    bot = hf
    await _holding(bot)

    calls = await bot.tap(ALICE, STOP)

    [routine] = await sessions(bot)
    assert routine.status == SessionStatus.STOPPED
    assert not any(is_loud(call) for call in calls)
    assert timer_jobs(bot) == []
    assert await bot.advance(minutes=2) == []


async def test_continuing_a_routine_keeps_its_countdown_running(hf: BotHarness) -> None:
    bot = hf
    hold_seconds = await _holding(bot)
    await bot.advance(seconds=hold_seconds - 4)  # the hold is over; the other side counts down
    await bot.send(ALICE, "/routine")
    await bot.tap(ALICE, _t("routine.button_resume"))
    plan = await plan_of(bot)
    assert plan.pace is not None

    await bot.advance(seconds=plan.pace.switch)

    [first, second] = await holds(bot)
    assert first.ended_at is not None
    assert second.started_at == first.ended_at + timedelta(seconds=plan.pace.switch)
