"""A warning sign typed in the middle of a routine ends that routine (issue 14), through the
real Application: its timers stop, its card loses its buttons, a later tap on an old button
says why and does nothing, and the routine gate decides what comes next (an emergency: no
routine until a doctor has checked them; see-a-doctor: the caution on the next one)."""

from __future__ import annotations

from bot.domain.statuses import HoldOutcome, SessionStatus
from bot.entry.fake_records import ApiCall
from bot.entry.fake_telegram import FakeMessage
from tests.harness import BotHarness
from tests.routine_helpers import (
    ALICE,
    FINISH,
    SKIP,
    SKIP_PAIN,
    START_HOLD,
    STOP,
    holds,
    leave_out_warm_up,
    sessions,
    timer_jobs,
)
from tests.test_routine_hands_free import hf, plan_of

__all__ = ["hf"]  # the hands-free fixture

EMERGENCY_TEXT = "I haven't been able to pee since this morning"
SEE_DOCTOR_TEXT = "I've had a fever and chills with this back pain"


def sent(calls: list[ApiCall]) -> list[str]:
    return [call.text or "" for call in calls if call.method == "sendMessage"]


def button_data(message: FakeMessage, label: str) -> str:
    markup = message.reply_markup or {}
    found = [
        str(button["callback_data"])
        for row in markup.get("inline_keyboard", [])
        for button in row
        if button["text"] == label
    ]
    assert found, f"no {label!r} button"
    return found[0]


def has_buttons(bot: BotHarness, message_id: int) -> bool:
    markup = bot.fake.messages[ALICE][message_id].reply_markup or {}
    return bool(markup.get("inline_keyboard"))


async def _holding_by_taps(bot: BotHarness) -> tuple[FakeMessage, str]:
    """Arrange: Alice is in the first timed hold of knees to chest (tap mode); the card and
    its Finish button's data."""
    await leave_out_warm_up(bot)
    await bot.send(ALICE, "/routine")
    await bot.tap(ALICE, SKIP_PAIN)
    await bot.tap(ALICE, START_HOLD)
    card = bot.message_with_button(ALICE, FINISH)
    assert timer_jobs(bot) == [f"hold:{ALICE}"]
    return card, button_data(card, FINISH)


async def test_an_emergency_typed_mid_routine_ends_it_and_its_old_buttons_say_why(
    bot: BotHarness,
) -> None:
    content = bot.content
    card, finish = await _holding_by_taps(bot)

    calls = await bot.send(ALICE, EMERGENCY_TEXT)

    [routine] = await sessions(bot)
    assert (routine.status, routine.stop_reason) == (SessionStatus.STOPPED, "safety")
    assert timer_jobs(bot) == []  # the hold's timer job is cancelled
    assert not has_buttons(bot, card.message_id)
    closed = bot.fake.messages[ALICE][card.message_id].text or ""
    assert closed.endswith(content.t("routine.closed_stopped"))
    texts = sent(calls)
    assert texts[:2] == [
        content.safety.urgent_care.strip(),
        content.t("safety.after_message_emergency"),
    ]
    assert content.t("routine.stopped").strip() not in [text.strip() for text in texts]
    [hold] = await holds(bot)
    assert hold.outcome == HoldOutcome.STOPPED_EARLY

    # A later tap on the old Finish button: one short line, nothing recorded.
    tapped = await bot.tap_data(ALICE, card.message_id, finish)
    assert sent(tapped) == [content.t("safety.routine_stopped_tap")]
    [hold] = await holds(bot)
    assert hold.outcome == HoldOutcome.STOPPED_EARLY
    assert await bot.advance(minutes=2) == []  # no timer left to fire

    # A new routine stays behind the gate until a doctor has checked them.
    again = await bot.send(ALICE, "/routine")
    assert sent(again) == [content.t("safety.routine_blocked_emergency").strip()]
    assert len(await sessions(bot)) == 1


async def test_every_old_step_button_of_the_stopped_routine_does_nothing(bot: BotHarness) -> None:
    content = bot.content
    await leave_out_warm_up(bot)
    await bot.send(ALICE, "/routine")
    await bot.tap(ALICE, SKIP_PAIN)
    card = bot.message_with_button(ALICE, START_HOLD)
    old = {label: button_data(card, label) for label in (START_HOLD, SKIP, STOP)}

    await bot.send(ALICE, EMERGENCY_TEXT)

    for data in old.values():
        tapped = await bot.tap_data(ALICE, card.message_id, data)
        assert sent(tapped) == [content.t("safety.routine_stopped_tap")]
    assert await holds(bot) == []
    assert timer_jobs(bot) == []


async def test_an_emergency_typed_mid_routine_stops_the_hands_free_clock(hf: BotHarness) -> None:
    bot, content = hf, hf.content
    await leave_out_warm_up(bot)
    await bot.send(ALICE, "/routine")
    await bot.tap(ALICE, SKIP_PAIN)
    plan = await plan_of(bot)
    assert plan.pace is not None
    await bot.advance(seconds=plan.pace.position + 4)  # 4 s into the first hold
    live = bot.message_with_button(ALICE, SKIP)
    skip = button_data(live, SKIP)
    assert timer_jobs(bot) == [f"hold:{ALICE}"]

    calls = await bot.send(ALICE, EMERGENCY_TEXT)

    [routine] = await sessions(bot)
    assert (routine.status, routine.stop_reason) == (SessionStatus.STOPPED, "safety")
    assert timer_jobs(bot) == []
    assert not has_buttons(bot, live.message_id)
    assert content.safety.urgent_care.strip() in sent(calls)
    assert await bot.advance(minutes=5) == []  # no countdown, no cue, no next exercise
    tapped = await bot.tap_data(ALICE, live.message_id, skip)
    assert sent(tapped) == [content.t("safety.routine_stopped_tap")]


async def test_a_see_doctor_sign_typed_mid_routine_ends_it_and_the_next_one_has_the_caution(
    bot: BotHarness,
) -> None:
    content = bot.content
    card, finish = await _holding_by_taps(bot)

    calls = await bot.send(ALICE, SEE_DOCTOR_TEXT)

    [routine] = await sessions(bot)
    assert (routine.status, routine.stop_reason) == (SessionStatus.STOPPED, "safety")
    assert timer_jobs(bot) == []
    assert not has_buttons(bot, card.message_id)
    assert sent(calls)[:2] == [
        content.safety.see_doctor.strip(),
        content.t("safety.routine_stopped_see_doctor").strip(),
    ]
    tapped = await bot.tap_data(ALICE, card.message_id, finish)
    assert sent(tapped) == [content.t("safety.routine_stopped_tap")]

    again = await bot.send(ALICE, "/routine")  # a doctor may have said it is fine: allowed
    assert sent(again) == [
        content.t("safety.routine_caution"),
        content.t("routine.pain_before").strip(),
    ]


async def test_a_routine_stopped_by_the_user_still_says_routine_stopped(bot: BotHarness) -> None:
    """Only a warning sign's stop changes the wording; the Stop button is as before."""
    content = bot.content
    await _holding_by_taps(bot)
    await bot.tap(ALICE, FINISH)  # a running hold's card has no Stop; the next card has
    calls = await bot.tap(ALICE, STOP)
    assert content.t("routine.stopped") in sent(calls)
    [routine] = await sessions(bot)
    assert routine.stop_reason is None
