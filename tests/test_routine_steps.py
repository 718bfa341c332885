"""The routine's buttons one by one: finish early, skip, it hurts, stop, resume, and the taps
that must not count (double taps, old buttons, other people's buttons)."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, time, timedelta

import pytest

from bot.plumbing.callbacks import Action, encode
from storage.models import Hold, PainRating, ReminderDelivery, RoutineSession, Subscription
from tests.harness import BotHarness, catalog
from tests.routine_helpers import (
    ALICE,
    BOB,
    DONE,
    FINISH,
    HOLDING_BUTTONS,
    HURT_TAP,
    HURTS,
    LEAVE_OUT,
    OFFER_BUTTONS,
    OFFER_TAP,
    PAIN_BUTTONS,
    READY_BUTTONS,
    RESTART,
    RESUME,
    SET_DONE,
    SKIP,
    SKIP_PAIN,
    START_HOLD,
    START_SET,
    STOP,
    TAP_CLOSES_AND_SENDS,
    begin,
    closed,
    countdown,
    exercise_name,
    header,
    holds,
    led,
    methods,
    names,
    next_step,
    only_hold,
    plan_ids,
    preference,
    sessions,
    set_user,
    skip_through,
    timer_jobs,
    title,
    where,
)

_t = catalog().t
KNEES_1L = title("knees_to_chest", rep=1, reps=3, side="left")
KNEES_1R = title("knees_to_chest", rep=1, reps=3, side="right")
BRIDGE_2_OF_6 = header(2, 6, "glute_bridge")


# --- finishing, skipping ----------------------------------------------------------------


async def test_finish_early_records_the_real_duration_and_cancels_the_timer(
    bot: BotHarness,
) -> None:
    await begin(bot)
    await bot.tap(ALICE, START_HOLD)
    calls = await bot.advance(seconds=7)
    assert [call.text for call in calls] == [countdown(KNEES_1L, 15, 20)]

    calls = await bot.tap(ALICE, FINISH)

    assert methods(calls) == TAP_CLOSES_AND_SENDS
    assert calls[1].text == closed(KNEES_1L, "early", seconds=7, target=20)
    assert calls[2].text == next_step(
        "knees_to_chest", 20, lead="early", lead_seconds=7, rep=1, reps=3, side="right"
    )
    assert calls[2].buttons == READY_BUTTONS
    assert timer_jobs(bot) == []
    assert await bot.advance(seconds=30) == []  # the old timer is really gone
    [hold] = await holds(bot)
    assert (hold.outcome, hold.actual_seconds, hold.target_seconds, hold.side) == (
        "stopped_early",
        7,
        20,
        "left",
    )
    assert hold.ended_at == hold.started_at + timedelta(seconds=7)


async def test_skip_moves_to_the_next_exercise_and_the_summary_lists_it(bot: BotHarness) -> None:
    await begin(bot)

    calls = await bot.tap(ALICE, SKIP)

    assert methods(calls) == TAP_CLOSES_AND_SENDS
    assert calls[1].text == closed(KNEES_1L, "skipped")
    # "Skipped." once, on the skipped step's message (issue 13.8: it was printed twice).
    assert (calls[2].text or "").startswith(BRIDGE_2_OF_6 + "\n")
    [hold] = await holds(bot)
    assert (hold.exercise_id, hold.outcome, hold.actual_seconds) == (
        "knees_to_chest",
        "skipped",
        None,
    )

    await skip_through(bot)
    calls = await bot.tap(ALICE, "2")
    summary = calls[-1].text or ""
    assert _t("routine.summary_done", done=0, total=6) + "\n" in summary
    skipped = names("knees_to_chest", "glute_bridge", "seated_pigeon", "seated_twist")
    assert _t("routine.summary_skipped", names=skipped) in summary
    assert len(await holds(bot, Hold.outcome == "skipped")) == 6


# --- it hurts ---------------------------------------------------------------------------


async def test_it_hurts_during_a_hold_stops_that_exercise_and_goes_on(bot: BotHarness) -> None:
    await begin(bot)
    await bot.tap(ALICE, START_HOLD)
    await bot.advance(seconds=5)

    calls = await bot.tap(ALICE, HURTS)

    assert methods(calls) == HURT_TAP
    assert calls[1].text == closed(KNEES_1L, "hurt")
    assert calls[2].text == (
        _t("routine.hurt", name=exercise_name("knees_to_chest")) + "\n\n" + _t("routine.hurt_offer")
    )
    assert calls[2].buttons == [[LEAVE_OUT]]
    assert (calls[3].text or "").startswith(led("hurt", BRIDGE_2_OF_6 + "\n"))
    assert timer_jobs(bot) == []
    assert await only_hold(bot) == ("hurt", 5)


async def test_leaving_a_painful_exercise_out_keeps_it_out_of_later_routines(
    bot: BotHarness,
) -> None:
    await begin(bot)
    await bot.tap(ALICE, HURTS)  # on the knees-to-chest card, before holding
    await bot.tap(ALICE, SKIP)  # carry on a little before deciding
    [hurt] = await holds(bot, Hold.outcome == "hurt")
    assert (hurt.exercise_id, hurt.actual_seconds) == ("knees_to_chest", None)

    calls = await bot.tap(ALICE, LEAVE_OUT)

    assert methods(calls) == ["answerCallbackQuery", "editMessageText"]
    assert (calls[1].text or "").endswith(
        _t("routine.left_out", name=exercise_name("knees_to_chest"))
    )
    assert calls[1].buttons == []
    assert (await preference(bot, "knees_to_chest")).excluded is True

    await skip_through(bot)
    calls = await bot.tap(ALICE, "4")
    assert _t("routine.summary_hurt", names=names("knees_to_chest")) in (calls[-1].text or "")

    await bot.advance(days=1)
    await begin(bot)
    newest = await sessions(bot)
    assert "knees_to_chest" not in await plan_ids(bot, newest[-1])
    card = bot.message_with_button(ALICE, START_SET)
    assert (card.text or "").startswith(header(1, 5, "glute_bridge") + "\n")


async def test_it_hurts_steps_the_dose_down_at_once_and_says_so(bot: BotHarness) -> None:
    await bot.send(ALICE, "/start")
    async with bot.session() as session:
        from storage.models import ExercisePreference

        session.add(ExercisePreference(user_id=ALICE, exercise_id="knees_to_chest", level=2))
        await session.commit()
    await begin(bot)

    calls = await bot.tap(ALICE, HURTS)

    easier = _t("routine.change_hold", after=25, before=30)
    assert _t("routine.hurt_easier", what=easier) in (calls[2].text or "")
    pref = await preference(bot, "knees_to_chest")
    assert (pref.level, pref.level_reason, pref.excluded) == (1, "hurt", False)


# --- stop and start again ---------------------------------------------------------------


async def test_stop_mid_routine_then_routine_starts_afresh(bot: BotHarness) -> None:
    await begin(bot)
    await bot.tap(ALICE, START_HOLD)
    await bot.advance(seconds=20)

    calls = await bot.tap(ALICE, STOP)

    assert methods(calls) == TAP_CLOSES_AND_SENDS
    assert calls[1].text == closed(KNEES_1R, "stopped")
    assert calls[2].text == _t("routine.stopped")
    [stopped] = await sessions(bot)
    assert (stopped.status, stopped.finished_at) == ("stopped", bot.runtime.clock.now())

    calls = await bot.send(ALICE, "/routine")

    assert [call.buttons for call in calls] == [PAIN_BUTTONS]
    first, second = await sessions(bot)
    assert (first.status, second.status) == ("stopped", "active")
    assert len(await holds(bot)) == 1


async def test_routine_while_one_is_in_progress_offers_to_continue(bot: BotHarness) -> None:
    await begin(bot)
    old_card = bot.message_with_button(ALICE, START_HOLD)

    calls = await bot.send(ALICE, "/routine")

    here = _t("routine.offer_at_exercise", name=exercise_name("knees_to_chest"), number=1, total=6)
    assert [call.text for call in calls] == [_t("routine.offer", where=here)]
    assert calls[0].buttons == OFFER_BUTTONS

    calls = await bot.tap(ALICE, RESUME)

    assert methods(calls) == OFFER_TAP
    assert calls[2].params["message_id"] == old_card.message_id
    assert calls[2].text == closed(KNEES_1L, "moved")
    assert (calls[3].text or "").startswith(led("resumed", header(1, 6, "knees_to_chest")))
    assert calls[3].buttons == READY_BUTTONS
    # The old card's button is now stale: it records nothing.
    data = encode(Action.ROUTINE_START_HOLD, (await sessions(bot))[0].id, 1)
    calls = await bot.tap_data(ALICE, old_card.message_id, data)
    assert methods(calls) == ["answerCallbackQuery", "editMessageReplyMarkup"]
    assert await holds(bot) == []
    await bot.tap(ALICE, START_HOLD)
    assert len(await holds(bot)) == 1


async def test_start_again_leaves_the_old_routine_and_starts_a_new_one(bot: BotHarness) -> None:
    await begin(bot)
    await bot.tap(ALICE, START_HOLD)
    await bot.advance(seconds=10)
    await bot.send(ALICE, "/routine")

    calls = await bot.tap(ALICE, RESTART)

    assert methods(calls) == OFFER_TAP
    assert calls[2].text == closed(KNEES_1L, "stopped")
    assert calls[3].buttons == PAIN_BUTTONS
    assert timer_jobs(bot) == []
    first, second = await sessions(bot)
    assert (first.status, second.status) == ("stopped", "active")
    assert await only_hold(bot) == ("stopped_early", 10)


# --- taps that must not count -----------------------------------------------------------


async def test_a_double_tap_records_one_hold(bot: BotHarness) -> None:
    await begin(bot)
    card = bot.message_with_button(ALICE, START_HOLD)
    start = card.reply_markup["inline_keyboard"][0][0]["callback_data"]  # type: ignore[index]

    await bot.tap_data(ALICE, card.message_id, start)
    calls = await bot.tap_data(ALICE, card.message_id, start)

    assert methods(calls) == ["answerCallbackQuery"]  # answered, nothing else
    assert len(await holds(bot)) == 1
    assert timer_jobs(bot) == [f"hold:{ALICE}"]

    finish = bot.message_with_button(ALICE, FINISH)
    data = finish.reply_markup["inline_keyboard"][0][0]["callback_data"]  # type: ignore[index]
    await bot.tap_data(ALICE, finish.message_id, data)
    calls = await bot.tap_data(ALICE, finish.message_id, data)
    assert "sendMessage" not in methods(calls)
    [hold] = await holds(bot)
    assert hold.outcome == "stopped_early"


async def test_a_double_tap_on_a_pain_score_records_one_rating(bot: BotHarness) -> None:
    await bot.send(ALICE, "/routine")
    prompt = bot.message_with_button(ALICE, "6")
    data = encode(Action.ROUTINE_PAIN, (await sessions(bot))[0].id, 0, 6)

    await bot.tap_data(ALICE, prompt.message_id, data)
    calls = await bot.tap_data(ALICE, prompt.message_id, data)

    # Answered; the prompt's leftover buttons (already gone) are asked to go; nothing else.
    assert methods(calls) == ["answerCallbackQuery", "editMessageReplyMarkup"]
    assert [(r.score, r.context) for r in await bot.rows(PainRating)] == [(6, "before")]


async def test_a_button_from_yesterdays_routine_is_told_it_has_ended(bot: BotHarness) -> None:
    await begin(bot)
    old_card = bot.message_with_button(ALICE, START_HOLD)
    old_data = old_card.reply_markup["inline_keyboard"][0][0]["callback_data"]  # type: ignore[index]

    await bot.advance(days=1)
    calls = await bot.send(ALICE, "/routine")

    # Yesterday's routine is left behind (its card loses its buttons); today's starts.
    assert methods(calls) == ["editMessageText", "sendMessage"]
    assert calls[0].params["message_id"] == old_card.message_id
    assert calls[0].text == closed(KNEES_1L, "stopped")
    assert calls[1].buttons == PAIN_BUTTONS

    calls = await bot.tap_data(ALICE, old_card.message_id, old_data)

    assert methods(calls) == ["answerCallbackQuery", "sendMessage"]
    assert calls[1].text == _t("routine.stale_over")
    assert await holds(bot) == []
    yesterday, today = await sessions(bot)
    assert (yesterday.status, today.status, today.step_no) == ("stopped", "active", 0)


async def test_a_forged_tap_on_another_users_session_is_rejected_and_logged(
    bot: BotHarness, caplog: pytest.LogCaptureFixture
) -> None:
    await begin(bot)
    [routine] = await sessions(bot)
    data = encode(Action.ROUTINE_START_HOLD, routine.id, routine.step_no)
    await bot.send(BOB, "/start")

    with caplog.at_level(logging.WARNING):
        calls = await bot.tap_data(BOB, 1, data)

    assert methods(calls) == ["answerCallbackQuery"]
    assert calls[0].params.get("text") is None
    assert await holds(bot) == []
    [after] = await sessions(bot)
    assert (after.step_no, after.cursor) == (routine.step_no, routine.cursor)
    [record] = [r for r in caplog.records if "another user's session" in r.getMessage()]
    assert record.levelno == logging.WARNING
    assert f"user={BOB}" in record.getMessage()
    assert f"owner={ALICE}" in record.getMessage()
    # Leaving someone else's exercise out is refused the same way.
    leave = encode(Action.ROUTINE_LEAVE_OUT, routine.id, "knees_to_chest")
    calls = await bot.tap_data(BOB, 1, leave)
    assert methods(calls) == ["answerCallbackQuery"]
    assert await bot.count(RoutineSession, RoutineSession.user_id == BOB) == 0


async def test_malformed_routine_data_is_answered_as_invalid(
    bot: BotHarness, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        calls = await bot.tap_data(ALICE, 1, "1|rth|abc|1")
        calls += await bot.tap_data(ALICE, 1, "1|rtp|5|0|11")

    assert [call.params.get("text") for call in calls] == [_t("button_forged")] * 2
    assert sum("rejected button" in r.getMessage() for r in caplog.records) == 2


# --- timers off -------------------------------------------------------------------------


async def test_with_timers_off_each_hold_is_a_done_button(bot: BotHarness) -> None:
    await bot.send(ALICE, "/start")
    await set_user(bot, timers_enabled=False)
    await begin(bot)
    card = bot.message_with_button(ALICE, DONE)
    assert card.reply_markup == {
        "inline_keyboard": [
            [{"text": DONE, "callback_data": encode(Action.ROUTINE_FINISH, 1, 1)}],
            [
                {"text": SKIP, "callback_data": encode(Action.ROUTINE_SKIP, 1, 1)},
                {"text": HURTS, "callback_data": encode(Action.ROUTINE_HURTS, 1, 1)},
            ],
            [{"text": STOP, "callback_data": encode(Action.ROUTINE_STOP, 1, 1)}],
        ]
    }

    calls = await bot.tap(ALICE, DONE)

    assert methods(calls) == TAP_CLOSES_AND_SENDS
    assert calls[1].text == closed(KNEES_1L, "done")
    assert calls[2].text == next_step(
        "knees_to_chest", 20, lead="done", rep=1, reps=3, side="right"
    )
    assert timer_jobs(bot) == []
    for _ in range(5):
        await bot.tap(ALICE, DONE)
    bridge = bot.message_with_button(ALICE, SET_DONE)  # a set is one tap too
    assert (bridge.text or "").startswith(led("done", BRIDGE_2_OF_6))
    await bot.tap(ALICE, SET_DONE)
    rows = await holds(bot)
    assert [(h.outcome, h.actual_seconds, h.target_reps) for h in rows] == [
        ("completed", None, None)
    ] * 6 + [("completed", None, 8)]


# --- other ways in ----------------------------------------------------------------------


async def test_start_now_on_the_daily_prompt_links_the_routine_to_it(bot: BotHarness) -> None:
    await bot.send(ALICE, "/start")
    await bot.send(BOB, "/start")
    now = bot.runtime.clock.now()
    async with bot.session() as session:
        subscription = Subscription(
            user_id=ALICE,
            chat_id=ALICE,
            local_time=time(7, 0),
            timezone="Europe/Berlin",
            created_at=now,
            updated_at=now,
        )
        session.add(subscription)
        await session.flush()
        delivery = ReminderDelivery(
            subscription_id=subscription.id,
            user_id=ALICE,
            local_date=date(2026, 3, 2),
            due_at=now,
            claimed_at=now,
            sent_at=now,
            status="sent",
        )
        session.add(delivery)
        await session.commit()
    start_now = encode(Action.START_ROUTINE, delivery.id)

    calls = await bot.tap_data(ALICE, 1, start_now)
    assert methods(calls) == ["answerCallbackQuery", "sendMessage"]
    assert calls[1].buttons == PAIN_BUTTONS
    again = await bot.tap_data(ALICE, 1, start_now)  # a second tap on the same prompt
    assert methods(again) == ["answerCallbackQuery"]
    [routine] = await sessions(bot)
    assert routine.delivery_id == delivery.id

    # Tapped again much later, with the routine not begun: offered to continue.
    await bot.advance(minutes=5)
    later = await bot.tap_data(ALICE, 1, start_now)
    assert later[-1].buttons == OFFER_BUTTONS

    # Someone else's prompt id starts a routine, but is not linked to it.
    await bot.tap_data(BOB, 1, start_now)
    [bobs] = await sessions(bot, BOB)
    assert bobs.delivery_id is None


async def test_do_this_one_now_runs_one_exercise_alone(bot: BotHarness) -> None:
    calls = await bot.tap_data(ALICE, 1, encode(Action.START_SINGLE, "seated_pigeon"))

    assert methods(calls) == ["answerCallbackQuery", "sendMessage"]
    card = calls[1].text or ""
    pigeon = bot.content.exercise("seated_pigeon")
    assert pigeon is not None
    assert card.startswith(_t("routine.header_single", name=pigeon.name) + "\n" + pigeon.targets)
    # Read as a person would (one of the few tests that check the English itself): the steps
    # are written for the right side, and the left side's card must mirror every side word.
    assert "1. Bend your left leg and rest your left ankle on your right leg" in card
    left = where("seated_pigeon", side="left")
    assert card.endswith(_t("routine.now_hold", where=left, seconds=10))
    assert calls[1].buttons == READY_BUTTONS

    await bot.tap(ALICE, START_HOLD)
    calls = await bot.advance(seconds=10)
    assert calls[-1].text == next_step("seated_pigeon", 10, lead="release", side="right")
    await bot.tap(ALICE, START_HOLD)
    calls = await bot.advance(seconds=10)

    assert methods(calls) == ["editMessageText", "editMessageText", "sendMessage"]
    assert calls[0].text == countdown(title("seated_pigeon", side="right"), 5, 10)
    assert calls[0].buttons == HOLDING_BUTTONS
    assert calls[2].text == (
        _t("routine.single_title", name=pigeon.name)
        + "\n\n"
        + _t("routine.summary_time", time=_t("routine.time_seconds", seconds=20))
    )
    [routine] = await sessions(bot)
    assert (routine.kind, routine.status, routine.pain_before) == ("single", "completed", None)
    assert [(h.side, h.outcome) for h in await holds(bot)] == [
        ("left", "completed"),
        ("right", "completed"),
    ]


async def test_do_this_one_now_with_an_unknown_exercise(bot: BotHarness) -> None:
    calls = await bot.tap_data(ALICE, 1, encode(Action.START_SINGLE, "handstand"))

    assert [call.text for call in calls[1:]] == [_t("routine.unknown_exercise")]
    assert await sessions(bot) == []


async def test_leaving_every_exercise_out_points_to_the_settings(bot: BotHarness) -> None:
    from tests.routine_helpers import keep_only

    await bot.send(ALICE, "/start")
    await keep_only(bot)

    calls = await bot.send(ALICE, "/routine")

    assert [call.text for call in calls] == [_t("routine.empty")]
    assert calls[0].button_data == {_t("routine.button_settings"): encode(Action.SETTINGS_ROUTINE)}
    assert await sessions(bot) == []


async def test_a_warning_when_the_pain_rose(bot: BotHarness) -> None:
    await bot.send(ALICE, "/routine")
    await bot.tap(ALICE, "2")
    await skip_through(bot)

    calls = await bot.tap(ALICE, "5")

    summary = calls[-1].text or ""
    assert _t("routine.summary_pain", before=2, after=5) in summary
    assert summary.endswith(bot.content.t("pain.ease_off").strip())  # never "rest"
    assert not summary.startswith(bot.content.t("routine.summary_title"))


async def test_a_streak_counts_days_in_the_users_zone(bot: BotHarness) -> None:
    # 23:30 in Tokyo on Monday, then 00:30 on Tuesday there: two local days in a row.
    bot.runtime.clock.set(datetime(2026, 3, 2, 14, 30, tzinfo=UTC))
    await bot.send(ALICE, "/start")
    async with bot.session() as session:
        session.add(
            Subscription(
                user_id=ALICE,
                chat_id=ALICE,
                local_time=time(7, 0),
                timezone="Asia/Tokyo",
                created_at=bot.runtime.clock.now(),
                updated_at=bot.runtime.clock.now(),
            )
        )
        await session.commit()
    for _ in range(2):
        await begin(bot)
        await skip_through(bot)
        calls = await bot.tap(ALICE, SKIP_PAIN)
        await bot.advance(hours=1)
    assert _t("routine.summary_streak", days=2) in (calls[-1].text or "")


async def test_it_hurts_on_the_last_exercise_goes_to_the_pain_question(bot: BotHarness) -> None:
    from tests.routine_helpers import keep_only

    await bot.send(ALICE, "/start")
    await keep_only(bot, "pelvic_tilt")
    await begin(bot, without_warm_up=False)

    calls = await bot.tap(ALICE, HURTS)

    assert methods(calls) == HURT_TAP
    assert calls[1].text == closed(title("pelvic_tilt"), "hurt")
    assert calls[3].text == _t("routine.pain_after")
    assert calls[3].buttons == PAIN_BUTTONS

    calls = await bot.tap(ALICE, "4")

    assert calls[-1].text == "\n".join(
        [
            _t("routine.summary_title_not_done"),
            "",
            _t("routine.summary_done", done=0, total=1),
            _t("routine.summary_hurt", names=names("pelvic_tilt")),
            _t("routine.summary_time", time=_t("routine.time_seconds", seconds=0)),
            _t("routine.summary_pain", before=_t("routine.summary_pain_none"), after=4),
            # Stopping what hurts is the right call: showing up still counts for the streak.
            _t("routine.summary_streak_one"),
        ]
    )
