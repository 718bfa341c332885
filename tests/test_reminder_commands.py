"""Snooze, skip, pause, resume, stop, days of the week, /time, /timezone and /settings."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from bot.domain.statuses import DeliveryStatus
from bot.plumbing.callbacks import Action, encode
from storage.models import ReminderDelivery, Subscription, User
from tests.harness import BotHarness, catalog
from tests.reminder_flow import (
    advance_to_next_due,
    delivered_prompts,
    deliveries,
    local_stamps,
    prompts,
    subscribe,
    subscription,
)

ALICE = 111_111_111_111
MONDAY_0730 = datetime(2026, 3, 2, 6, 30, tzinfo=UTC)  # 07:30 in Berlin

_t = catalog().t
START_NOW = _t("remind.btn_start")
SNOOZE_15 = _t("remind.btn_snooze_15")
SNOOZE_60 = _t("remind.btn_snooze_60")
SKIP_TODAY = _t("remind.btn_skip")
BACK = _t("remind.btn_back")


def _next(when_key: str, at: str) -> str:
    """_next("remind.when_today", "07:30") from the catalog (``when_key``: remind.when_*)."""
    return _t("remind.next_line", when=_t(when_key, time=at))


def _day_button(day: int, *, on: bool = True) -> str:
    return _t("remind.day_on" if on else "remind.day_off", day=_t(f"day_short.{day}"))


def _calls(calls: list) -> list[tuple[str, str | None]]:  # type: ignore[type-arg]
    return [(call.method, call.text) for call in calls]


async def _prompt_now(bot: BotHarness) -> tuple[int, str]:
    """Advance to the next prompt; its message id and text."""
    calls = await advance_to_next_due(bot, ALICE)
    (prompt,) = prompts(calls, ALICE)
    return bot.fake.messages[ALICE][max(bot.fake.messages[ALICE])].message_id, prompt.text or ""


async def test_the_daily_prompt_has_the_routine_streak_and_buttons(bot: BotHarness) -> None:
    await subscribe(bot, ALICE)

    calls = await bot.advance_to(MONDAY_0730)

    (delivery,) = await deliveries(bot, ALICE)
    content = bot.content
    seconds = sum(exercise.estimated_seconds() for exercise in content.exercises)
    expected = content.t(
        "remind.prompt",
        count=7,
        minutes=round(seconds / 60),
        streak=content.t("remind.streak_none"),
    )
    assert _calls(calls) == [("sendMessage", expected)]
    assert round(seconds / 60) == 12
    assert calls[0].chat_id == ALICE
    # One tap starts the routine: a pain rating (0-10) or Start now (no rating).
    scores = [str(score) for score in range(11)]
    assert calls[0].buttons == [
        scores[:6],
        scores[6:],
        [START_NOW],
        [SNOOZE_15, SNOOZE_60],
        [SKIP_TODAY],
    ]
    assert calls[0].button_data == {
        **{score: encode(Action.START_ROUTINE, delivery.id, score) for score in scores},
        START_NOW: encode(Action.START_ROUTINE, delivery.id, "skip"),
        SNOOZE_15: encode(Action.SNOOZE, delivery.id, 15),
        SNOOZE_60: encode(Action.SNOOZE, delivery.id, 60),
        SKIP_TODAY: encode(Action.SKIP_TODAY, delivery.id),
    }
    assert (delivery.status, delivery.local_date, delivery.due_at, delivery.sent_at) == (
        DeliveryStatus.SENT,
        date(2026, 3, 2),
        MONDAY_0730,
        MONDAY_0730,
    )
    assert (delivery.message_id, delivery.late, delivery.attempts) == (
        bot.message_with_button(ALICE, START_NOW).message_id,
        False,
        1,
    )
    sub = await subscription(bot, ALICE)
    assert sub.next_due_at == MONDAY_0730 + timedelta(days=1)


async def test_the_prompt_shows_the_current_streak(bot: BotHarness) -> None:
    from storage.models import RoutineSession

    await subscribe(bot, ALICE)
    async with bot.session() as session:
        for days_ago in (1, 2, 3):
            finished = MONDAY_0730 - timedelta(days=days_ago)
            session.add(
                RoutineSession(
                    user_id=ALICE,
                    chat_id=ALICE,
                    kind="full",
                    status="completed",
                    plan={},
                    cursor={},
                    started_at=finished,
                    updated_at=finished,
                    finished_at=finished,
                )
            )
        await session.commit()

    calls = await bot.advance_to(MONDAY_0730)

    assert bot.content.t("remind.streak_many", days=3) in (calls[0].text or "")


async def test_snooze_15_minutes_sends_the_prompt_again_once(bot: BotHarness) -> None:
    await subscribe(bot, ALICE)
    message_id, text = await _prompt_now(bot)

    calls = await bot.tap(ALICE, SNOOZE_15)

    content = bot.content
    assert _calls(calls) == [
        ("answerCallbackQuery", None),
        ("editMessageText", content.t("remind.snoozed", prompt=text, time="07:45")),
    ]
    assert calls[1].params["message_id"] == message_id
    assert "reply_markup" not in calls[1].params
    (delivery,) = await deliveries(bot, ALICE)
    assert (delivery.status, delivery.snooze_until) == (
        DeliveryStatus.SNOOZED,
        MONDAY_0730 + timedelta(minutes=15),
    )

    assert prompts(await bot.advance(minutes=14)) == []
    again = await bot.advance(minutes=1)

    assert _calls(again) == [("sendMessage", content.t("remind.prompt_again", prompt=text))]
    (delivery,) = await deliveries(bot, ALICE)
    assert (delivery.status, delivery.message_id) == (
        DeliveryStatus.SENT,
        bot.message_with_button(ALICE, START_NOW).message_id,
    )
    assert prompts(await bot.advance(hours=2)) == []
    # The next day is an ordinary day.
    assert len(prompts(await advance_to_next_due(bot, ALICE))) == 1
    assert len(await deliveries(bot, ALICE)) == 2


async def test_snoozing_a_prompt_telegram_will_not_edit_confirms_in_a_new_message(
    bot: BotHarness,
) -> None:
    await subscribe(bot, ALICE)
    message_id, text = await _prompt_now(bot)
    bot.fake.messages[ALICE][message_id].deleted = True  # e.g. the user deleted it

    (delivery,) = await deliveries(bot, ALICE)
    calls = await bot.tap_data(ALICE, message_id, encode(Action.SNOOZE, delivery.id, 15))

    confirmation = bot.content.t("remind.snoozed", prompt=text, time="07:45")
    assert [call.method for call in calls] == [
        "answerCallbackQuery",
        "editMessageText",
        "sendMessage",
    ]
    assert calls[2].text == confirmation
    (delivery,) = await deliveries(bot, ALICE)
    assert delivery.status == DeliveryStatus.SNOOZED


async def test_snooze_an_hour_and_a_stale_snooze(bot: BotHarness) -> None:
    await subscribe(bot, ALICE)
    first_id, _ = await _prompt_now(bot)
    await bot.tap(ALICE, SNOOZE_60)

    assert prompts(await bot.advance(minutes=59)) == []
    assert len(prompts(await bot.advance(minutes=1))) == 1

    await advance_to_next_due(bot, ALICE)  # Tuesday's prompt
    (monday, _) = await deliveries(bot, ALICE)
    stale = await bot.tap_data(ALICE, first_id, encode(Action.SNOOZE, monday.id, 15))
    assert _calls(stale) == [
        ("answerCallbackQuery", None),
        ("sendMessage", bot.content.t("remind.stale")),
    ]
    forged = await bot.tap_data(ALICE, first_id, encode(Action.SNOOZE, monday.id, 7))
    assert [(call.method, call.params.get("text")) for call in forged] == [
        ("answerCallbackQuery", bot.content.t("button_forged"))
    ]


async def test_skip_today_ends_today_and_tomorrow_comes_as_usual(bot: BotHarness) -> None:
    await subscribe(bot, ALICE)
    _, text = await _prompt_now(bot)

    calls = await bot.tap(ALICE, SKIP_TODAY)

    expected = bot.content.t(
        "remind.skipped", prompt=text, next=_next("remind.when_tomorrow", "07:30")
    )
    assert _calls(calls) == [("answerCallbackQuery", None), ("editMessageText", expected)]
    (delivery,) = await deliveries(bot, ALICE)
    assert delivery.status == DeliveryStatus.SKIPPED
    # Moving the time later today does not bring a second prompt today.
    await bot.send(ALICE, "/time 21:00")
    assert (await subscription(bot, ALICE)).next_due_at == datetime(2026, 3, 3, 20, 0, tzinfo=UTC)
    assert prompts(await bot.advance(hours=14)) == []
    assert len(prompts(await advance_to_next_due(bot, ALICE))) == 1


async def test_pause_for_three_days_then_prompts_come_back_by_themselves(bot: BotHarness) -> None:
    await subscribe(bot, ALICE)  # Monday 07:00 in Berlin, before the 07:30 prompt

    asked = await bot.send(ALICE, "/pause")
    assert _calls(asked) == [("sendMessage", bot.content.t("remind.pause_ask"))]
    days = [_t("remind.pause_one_day"), *(_t("remind.pause_days", days=n) for n in (3, 7))]
    assert asked[0].buttons == [days, [_t("remind.pause_forever")]]
    calls = await bot.tap(ALICE, days[1])

    assert _calls(calls)[1] == (
        "editMessageText",
        bot.content.t(
            "remind.paused_until",
            when=_t(
                "remind.when_date",
                weekday=_t("day.3"),
                day=5,
                month=_t("month.3"),
                time="07:30",
            ),
        ),
    )
    sub = await subscription(bot, ALICE)
    assert (sub.status, sub.paused_until) == ("paused", bot.runtime.clock.now() + timedelta(days=3))
    for _ in range(5):
        await advance_to_next_due(bot, ALICE)
    days = [day for day, _ in local_stamps(delivered_prompts(bot, ALICE), "Europe/Berlin")]
    assert days == [date(2026, 3, day) for day in (5, 6, 7, 8, 9)]
    sub = await subscription(bot, ALICE)
    assert (sub.status, sub.paused_until) == ("active", None)


async def test_pause_until_resumed_and_resume(bot: BotHarness) -> None:
    content = bot.content
    await subscribe(bot, ALICE)
    await bot.send(ALICE, "/pause")
    calls = await bot.tap(ALICE, _t("remind.pause_forever"))
    assert _calls(calls)[1] == ("editMessageText", content.t("remind.paused_forever"))
    assert (await subscription(bot, ALICE)).next_due_at is None

    assert prompts(await bot.advance(days=10)) == []

    resumed = await bot.send(ALICE, "/resume")
    # Thursday 12 March, 07:00 in Berlin.
    assert _calls(resumed) == [
        ("sendMessage", content.t("remind.resumed", next=_next("remind.when_today", "07:30")))
    ]
    assert len(prompts(await advance_to_next_due(bot, ALICE))) == 1
    again = await bot.send(ALICE, "/resume")
    assert _calls(again) == [("sendMessage", content.t("remind.already_on"))]


async def test_pause_with_a_number_of_days_and_bad_numbers(bot: BotHarness) -> None:
    content = bot.content
    await subscribe(bot, ALICE)

    calls = await bot.send(ALICE, "/pause 1")

    assert _calls(calls) == [
        (
            "sendMessage",
            content.t("remind.paused_until", when=_t("remind.when_tomorrow", time="07:30")),
        )
    ]
    for bad in ["/pause 0", "/pause 400", "/pause soon", "/pause -2", "/pause ²"]:
        assert _calls(await bot.send(ALICE, bad)) == [
            ("sendMessage", content.t("remind.pause_usage"))
        ], bad
    assert prompts(await bot.advance(hours=12)) == []


async def test_stop_keeps_the_data_and_sends_nothing_until_resumed(bot: BotHarness) -> None:
    await subscribe(bot, ALICE)
    await _prompt_now(bot)

    calls = await bot.send(ALICE, "/stop")

    assert _calls(calls) == [("sendMessage", bot.content.t("remind.stopped"))]
    sub = await subscription(bot, ALICE)
    assert (sub.status, sub.next_due_at, sub.local_time, sub.timezone) == (
        "stopped",
        None,
        time(7, 30),
        "Europe/Berlin",
    )
    assert prompts(await bot.advance(days=5)) == []
    assert len(await deliveries(bot, ALICE)) == 1
    await bot.send(ALICE, "/resume")
    assert len(prompts(await advance_to_next_due(bot, ALICE))) == 1


async def test_days_of_the_week_from_settings(bot: BotHarness) -> None:
    content = bot.content
    await subscribe(bot, ALICE)
    await bot.send(ALICE, "/settings")

    screen = await bot.tap(ALICE, _t("remind.btn_days"))

    assert _calls(screen)[1] == (
        "editMessageText",
        content.t("remind.days_screen", days=_t("remind.days_every")),
    )
    assert screen[1].buttons == [
        [_day_button(day) for day in range(4)],
        [_day_button(day) for day in range(4, 7)],
        [BACK],
    ]
    await bot.tap(ALICE, _day_button(5))
    after = await bot.tap(ALICE, _day_button(6))
    assert after[1].text == content.t("remind.days_screen", days=_t("remind.days_weekdays"))
    assert (await subscription(bot, ALICE)).days == 0b0011111

    for _ in range(10):
        await advance_to_next_due(bot, ALICE)
    days = [day for day, _ in local_stamps(delivered_prompts(bot, ALICE), "Europe/Berlin")]
    assert len(days) == 10
    assert {day.weekday() for day in days} == {0, 1, 2, 3, 4}
    assert days[-1] == date(2026, 3, 13)


async def test_the_last_day_cannot_be_switched_off(bot: BotHarness) -> None:
    await subscribe(bot, ALICE)
    await bot.send(ALICE, "/settings")
    await bot.tap(ALICE, _t("remind.btn_days"))
    message_id = bot.message_with_button(ALICE, _day_button(0)).message_id

    calls = await bot.tap_data(ALICE, message_id, encode(Action.DAYS_SET, 0))

    assert _calls(calls) == [
        ("answerCallbackQuery", None),
        ("sendMessage", bot.content.t("remind.no_days")),
    ]
    assert (await subscription(bot, ALICE)).days == 0b1111111


async def test_settings_main_screen(bot: BotHarness) -> None:
    content = bot.content
    await subscribe(bot, ALICE)

    calls = await bot.send(ALICE, "/settings")

    assert _calls(calls) == [
        (
            "sendMessage",
            content.t(
                "remind.settings",
                time="07:30",
                zone="Europe/Berlin",
                days=_t("remind.days_every"),
                status=_t("remind.status_active"),
                next=_next("remind.when_today", "07:30"),
                when_done=_t("remind.when_done_quiet"),
            ),
        )
    ]
    button = {name: _t(f"remind.btn_{name}") for name in ("time", "zone", "days", "pause")}
    button |= {name: _t(f"remind.btn_{name}") for name in ("resume", "routine", "weekly")}
    assert calls[0].buttons == [
        [button["time"], button["zone"]],
        [button["days"], button["pause"]],
        [button["routine"], button["weekly"]],
        [_t("remind.btn_when_done_note")],
    ]
    assert calls[0].button_data[button["routine"]] == encode(Action.SETTINGS_ROUTINE)
    assert calls[0].button_data[button["weekly"]] == encode(Action.SETTINGS_WEEKLY)

    await bot.send(ALICE, "/pause 7")
    paused = await bot.send(ALICE, "/settings")
    until = _t("remind.date", weekday=_t("day.0"), day=9, month=_t("month.3"))
    status = _t("remind.status_paused_until", date=until)
    assert status in (paused[0].text or "")
    assert paused[0].buttons[1] == [button["days"], button["resume"]]
    resumed = await bot.tap(ALICE, button["resume"])
    assert _calls(resumed)[1] == (
        "editMessageText",
        content.t("remind.resumed", next=_next("remind.when_today", "07:30")),
    )


async def test_time_from_settings_and_by_command(bot: BotHarness) -> None:
    content = bot.content
    await subscribe(bot, ALICE)
    await bot.send(ALICE, "/settings")

    picker = await bot.tap(ALICE, _t("remind.btn_time"))
    assert _calls(picker)[1] == (
        "editMessageText",
        content.t("remind.ask_time_current", time="07:30"),
    )
    assert picker[1].buttons[-1] == [BACK]
    picked = await bot.tap(ALICE, "08:30")
    assert _calls(picked)[1] == (
        "editMessageText",
        content.t("remind.time_changed", time="08:30", next=_next("remind.when_today", "08:30")),
    )

    typed = await bot.send(ALICE, "/time 7pm")
    assert _calls(typed) == [
        (
            "sendMessage",
            content.t(
                "remind.time_changed", time="19:00", next=_next("remind.when_today", "19:00")
            ),
        )
    ]
    asked = await bot.send(ALICE, "/time")
    assert asked[0].text == content.t("remind.ask_time_current", time="19:00")
    answered = await bot.send(ALICE, "6:45")
    assert [call.method for call in answered] == ["editMessageReplyMarkup", "sendMessage"]
    assert "06:45" in (answered[1].text or "")
    assert (await subscription(bot, ALICE)).local_time == time(6, 45)
    (user,) = await bot.rows(User)
    assert user.awaiting is None
    bad = await bot.send(ALICE, "/time 25:99")
    assert (bad[0].text or "").startswith(content.t("remind.time_unknown", text="25:99"))


async def test_timezone_by_command_moves_the_next_prompt(bot: BotHarness) -> None:
    content = bot.content
    await subscribe(bot, ALICE)

    calls = await bot.send(ALICE, "/timezone Asia/Kolkata")

    line = content.t("remind.zone_set", zone="Asia/Kolkata", clock="11:30")
    assert _calls(calls) == [
        (
            "sendMessage",
            content.t(
                "remind.zone_changed", zone_line=line, next=_next("remind.when_tomorrow", "07:30")
            ),
        )
    ]
    assert calls[0].params["reply_markup"] == {"remove_keyboard": True}
    sub = await subscription(bot, ALICE)
    assert (sub.timezone, sub.next_due_at) == (
        "Asia/Kolkata",
        datetime(2026, 3, 3, 2, 0, tzinfo=UTC),
    )
    asked = await bot.send(ALICE, "/timezone")
    assert _calls(asked) == [("sendMessage", content.t("remind.ask_zone"))]
    typed = await bot.send(ALICE, "Tokyo")
    tokyo = content.t("remind.zone_set", zone="Asia/Tokyo", clock="15:00")
    assert (typed[0].text or "").startswith(
        content.t("remind.zone_changed", zone_line=tokyo, next="")
    )
    suggested = await bot.send(ALICE, "/timezone Berlni")
    berlin = content.t("remind.zone_button", zone="Europe/Berlin", clock="07:00")
    assert list(suggested[0].button_data) == [berlin]


async def test_a_long_message_while_asked_for_a_time_goes_elsewhere(bot: BotHarness) -> None:
    await subscribe(bot, ALICE)
    await bot.send(ALICE, "/time")

    question = "How long should I hold the knee to chest stretch when my back is stiff?"
    calls = await bot.send(ALICE, question)

    # Not a time: the questions feature answers it with the stretch's card, then the time
    # question comes again, in one line.
    assert [call.method for call in calls] == ["sendMessage", "sendMessage"]
    knees = bot.content.exercise("knees_to_chest")
    assert knees is not None
    assert (calls[0].text or "").startswith(knees.name)
    assert calls[1].text == bot.content.t("pending.time")
    (user,) = await bot.rows(User)
    assert user.awaiting == "remind_time"


async def test_a_user_can_only_use_their_own_prompt_buttons(bot: BotHarness) -> None:
    await subscribe(bot, ALICE)
    await subscribe(bot, 333)
    await bot.advance_to(MONDAY_0730)
    (alices,) = await bot.rows(ReminderDelivery, ReminderDelivery.user_id == ALICE)
    message_id = bot.message_with_button(333, SKIP_TODAY).message_id

    calls = await bot.tap_data(333, message_id, encode(Action.SKIP_TODAY, alices.id))

    assert _calls(calls)[-1] == ("sendMessage", bot.content.t("remind.stale"))
    (alices,) = await bot.rows(ReminderDelivery, ReminderDelivery.user_id == ALICE)
    assert alices.status == DeliveryStatus.SENT
    assert len(await bot.rows(Subscription)) == 2


async def test_the_prompt_announces_the_short_routine_that_start_now_runs(
    bot: BotHarness,
) -> None:
    """A user on the Short routine (set on /settings) is told what Start now will run."""
    from bot.domain.routine import estimated_seconds, todays_exercises
    from storage.models import RoutineSession

    await subscribe(bot, ALICE)
    await bot.tap_data(ALICE, 1, encode(Action.SETTINGS_ROUTINE))
    await bot.tap(ALICE, bot.content.t("routine.settings_button_short"))
    short = todays_exercises(bot.content.exercises, length="short", excluded=(), completed_short=0)
    assert 0 < len(short) < len(bot.content.exercises)

    calls = await bot.advance_to(MONDAY_0730)

    (prompt,) = prompts(calls, ALICE)
    assert prompt.text == bot.content.t(
        "remind.prompt",
        count=len(short),
        minutes=round(estimated_seconds(short) / 60),
        streak=bot.content.t("remind.streak_none"),
    )
    await bot.tap(ALICE, bot.content.t("remind.btn_start"))
    [routine] = await bot.rows(RoutineSession)
    assert [item["exercise"] for item in routine.plan["items"]] == [e.id for e in short]
