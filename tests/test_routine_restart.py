"""A restart in the middle of a routine loses nothing: timers come back from the database,
the card's buttons keep working, and a hold that ended while the bot was down is closed with
the time actually known."""

from __future__ import annotations

from datetime import timedelta

from tests.harness import BotHarness
from tests.routine_helpers import (
    ALICE,
    FINISH,
    HOLDING_BUTTONS,
    OFFER_TAP,
    READY_BUTTONS,
    RESUME,
    START_HOLD,
    TAP_CLOSES_AND_SENDS,
    begin,
    closed,
    countdown,
    holds,
    led,
    methods,
    next_step,
    only_hold,
    sessions,
    timer_jobs,
    title,
)

KNEES_1L = title("knees_to_chest", rep=1, reps=3, side="left")


async def _holding(bot: BotHarness) -> None:
    await begin(bot)  # these tests are about a hold: start at knees to chest
    await bot.tap(ALICE, START_HOLD)


def _calls_to(bot: BotHarness, since: int) -> list[str]:
    return [
        f"{call.method}:{call.text}" for call in bot.fake.calls[since:] if call.chat_id == ALICE
    ]


async def test_a_restart_mid_hold_rebuilds_the_timer_which_then_finishes_it(
    bot: BotHarness,
) -> None:
    await _holding(bot)
    await bot.advance(seconds=8)
    card = bot.message_with_button(ALICE, FINISH)
    before = len(bot.fake.calls)

    await bot.restart()

    assert _calls_to(bot, before) == []  # nothing to say yet
    assert timer_jobs(bot) == [f"hold:{ALICE}"]
    calls = await bot.advance(seconds=12)
    assert methods(calls) == [
        "editMessageText",
        "editMessageText",
        "editMessageText",
        "sendMessage",
    ]
    assert [call.params["message_id"] for call in calls[:3]] == [card.message_id] * 3
    assert calls[0].text == countdown(KNEES_1L, 7, 20)
    assert calls[1].text == countdown(KNEES_1L, 2, 20)
    assert calls[2].text == closed(KNEES_1L, "held", seconds=20)
    assert calls[3].text == next_step(
        "knees_to_chest", 20, lead="release", rep=1, reps=3, side="right"
    )
    [hold] = await holds(bot)
    assert (hold.outcome, hold.actual_seconds) == ("completed", 20)
    assert hold.ended_at == hold.ends_at


async def test_after_a_restart_the_cards_buttons_keep_working(bot: BotHarness) -> None:
    await _holding(bot)
    await bot.advance(seconds=6)
    await bot.restart()
    await bot.advance(seconds=5)

    calls = await bot.tap(ALICE, FINISH)

    assert methods(calls) == TAP_CLOSES_AND_SENDS
    assert calls[1].text == closed(KNEES_1L, "early", seconds=11, target=20)
    assert timer_jobs(bot) == []
    assert await only_hold(bot) == ("stopped_early", 11)


async def test_a_hold_that_ended_while_the_bot_was_down_is_closed_at_its_end(
    bot: BotHarness,
) -> None:
    await _holding(bot)
    await bot.advance(seconds=5)
    card = bot.message_with_button(ALICE, FINISH)
    bot.runtime.clock.advance(timedelta(minutes=3))  # the bot is down: no job runs
    before = len(bot.fake.calls)

    await bot.restart()

    calls = [call for call in bot.fake.calls[before:] if call.chat_id == ALICE]
    assert methods(calls) == ["editMessageText", "sendMessage"]
    assert calls[0].params["message_id"] == card.message_id
    assert calls[0].text == closed(KNEES_1L, "held", seconds=20)
    # Read as a person would (one of the few tests that check the English itself): the note
    # after a restart must make sense as a sentence before the next step.
    assert calls[1].text == (
        "I was restarted while you were holding that stretch. Your 20-second hold is recorded. "
        "Next: rep 1 of 3, right leg.\nKnees to chest: hold 20 seconds."
    )
    assert calls[1].buttons == READY_BUTTONS
    assert timer_jobs(bot) == []
    [hold] = await holds(bot)
    assert (hold.outcome, hold.actual_seconds) == ("completed", 20)
    assert hold.ended_at == hold.ends_at == hold.started_at + timedelta(seconds=20)

    # The offered next step works as usual.
    calls = await bot.tap(ALICE, START_HOLD)
    assert calls[1].buttons == HOLDING_BUTTONS
    [routine] = await sessions(bot)
    assert routine.status == "active"


async def test_a_restart_with_no_routine_running_does_nothing(bot: BotHarness) -> None:
    await bot.send(ALICE, "/routine")
    before = len(bot.fake.calls)

    await bot.restart()

    assert _calls_to(bot, before) == []
    assert timer_jobs(bot) == []


async def test_continue_during_a_hold_moves_the_countdown_to_a_new_message(
    bot: BotHarness,
) -> None:
    await _holding(bot)
    await bot.advance(seconds=5)
    old = bot.message_with_button(ALICE, FINISH)
    await bot.send(ALICE, "/routine")

    calls = await bot.tap(ALICE, RESUME)

    assert methods(calls) == OFFER_TAP
    assert calls[2].params["message_id"] == old.message_id
    assert calls[2].text == closed(KNEES_1L, "moved")
    assert calls[3].text == led("resumed", countdown(KNEES_1L, 15, 20))
    assert calls[3].buttons == HOLDING_BUTTONS
    new = bot.message_with_button(ALICE, FINISH)
    assert new.message_id != old.message_id

    calls = await bot.advance(seconds=15)

    assert {call.params.get("message_id") for call in calls[:-1]} == {new.message_id}
    assert calls[-1].text == next_step(
        "knees_to_chest", 20, lead="release", rep=1, reps=3, side="right"
    )
    assert await only_hold(bot) == ("completed", 20)
