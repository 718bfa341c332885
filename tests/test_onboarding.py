"""/start through the real Application: welcome, safety check, time zone, time, confirmation."""

from __future__ import annotations

from datetime import UTC, datetime, time

from bot.features.reminders.views import COMMON_TIMES
from bot.plumbing.callbacks import Action, encode
from storage.models import Subscription, User
from tests.harness import BotHarness
from tests.reminder_flow import subscribe, subscription

ALICE = 111_111_111_111
BOB = 222_222


def _methods(calls: list) -> list[tuple[str, str | None]]:  # type: ignore[type-arg]
    return [(call.method, call.text) for call in calls]


def _zone_set(bot: BotHarness, zone: str, clock: str) -> str:
    return bot.content.t("remind.zone_set", zone=zone, clock=clock)


def _zone_button(bot: BotHarness, zone: str, clock: str) -> str:
    return bot.content.t("remind.zone_button", zone=zone, clock=clock)


def _today_at(bot: BotHarness, hhmm: str) -> str:
    return bot.content.t("remind.when_today", time=hhmm)


def _subscribed(bot: BotHarness, hhmm: str, zone: str) -> str:
    return bot.content.t("remind.subscribed", when=_today_at(bot, hhmm), zone=zone, time=hhmm)


async def _answer_no_to_all(bot: BotHarness, user_id: int) -> list:  # type: ignore[type-arg]
    calls = []
    for _ in bot.content.safety.red_flag_questions:
        calls = await bot.tap(user_id, bot.content.t("onboard.no"))
    return calls


async def test_safety_questions_come_one_at_a_time_in_the_same_message(bot: BotHarness) -> None:
    content = bot.content
    questions = content.safety.red_flag_questions
    await bot.send(ALICE, "/start")
    message_id = bot.message_with_button(ALICE, content.t("onboard.no")).message_id

    calls = await bot.tap(ALICE, content.t("onboard.no"))

    second = content.t(
        "onboard.safety_question", number=2, total=len(questions), question=questions[1].question
    )
    assert _methods(calls) == [("answerCallbackQuery", None), ("editMessageText", second)]
    assert calls[1].params["message_id"] == message_id
    assert calls[1].button_data == {
        content.t("onboard.yes"): encode(Action.SAFETY_ANSWER, 1, "y"),
        content.t("onboard.no"): encode(Action.SAFETY_ANSWER, 1, "n"),
    }
    (user,) = await bot.rows(User)
    assert (user.onboarding_step, user.awaiting_ref) == ("safety", 1)


async def test_the_whole_start_flow_ends_with_when_the_first_prompt_comes(bot: BotHarness) -> None:
    content = bot.content
    await bot.send(ALICE, "/start")

    last = await _answer_no_to_all(bot, ALICE)

    assert _methods(last) == [
        ("answerCallbackQuery", None),
        ("editMessageText", content.t("onboard.safety_clear")),
        ("sendMessage", content.t("remind.ask_zone")),
    ]
    assert last[2].params["reply_markup"]["keyboard"] == [
        [{"text": content.t("remind.share_location"), "request_location": True}]
    ]

    zone_calls = await bot.send(ALICE, "Berlin")

    # 06:00 UTC on Monday 2 March 2026 is 07:00 in Berlin. Read as a person would (one of
    # the few tests that check the English itself, so that a broken template shows): the
    # other tests build this line from the catalog.
    assert _methods(zone_calls) == [
        ("sendMessage", "Time zone: Europe/Berlin (it's 07:00 there now)."),
        ("sendMessage", content.t("remind.ask_time")),
    ]
    assert zone_calls[0].params["reply_markup"] == {"remove_keyboard": True}
    assert zone_calls[1].buttons == [
        ["06:00", "06:30", "07:00", "07:30"],
        ["08:00", "08:30", "09:00", "10:00"],
        ["12:00", "18:00", "19:00", "20:00"],
    ]
    assert zone_calls[1].button_data["07:30"] == encode(Action.TIME_PICK, "0730")
    assert len(COMMON_TIMES) == 12

    time_calls = await bot.tap(ALICE, "07:30")

    confirmation = _subscribed(bot, "07:30", "Europe/Berlin")
    assert _methods(time_calls) == [
        ("answerCallbackQuery", None),
        ("editMessageText", confirmation),
    ]
    (sub,) = await bot.rows(Subscription)
    assert (sub.user_id, sub.chat_id, sub.local_time, sub.timezone, sub.days, sub.status) == (
        ALICE,
        ALICE,
        time(7, 30),
        "Europe/Berlin",
        0b1111111,
        "active",
    )
    assert sub.next_due_at == datetime(2026, 3, 2, 6, 30, tzinfo=UTC)
    (user,) = await bot.rows(User)
    assert (user.onboarding_step, user.awaiting) == (None, None)
    assert user.safety_acknowledged_at == bot.runtime.clock.now()


async def test_a_typed_time_in_twelve_hour_form_subscribes_for_tomorrow(bot: BotHarness) -> None:
    await bot.send(ALICE, "/start")
    await _answer_no_to_all(bot, ALICE)
    await bot.send(ALICE, "new york")  # 01:00 there now

    calls = await bot.send(ALICE, "7.30 am")

    assert calls[0].method == "editMessageReplyMarkup"  # the question's buttons go
    assert [call.text for call in calls[1:]] == [_subscribed(bot, "07:30", "America/New_York")]
    sub = await subscription(bot, ALICE)
    assert sub.next_due_at == datetime(2026, 3, 2, 12, 30, tzinfo=UTC)


async def test_an_old_i_understand_button_now_stops_start_as_an_emergency(
    bot: BotHarness,
) -> None:
    """A user mid-/start when the two tiers shipped (step "urgent"): no set-up follows."""
    content = bot.content
    await bot.send(ALICE, "/start")
    async with bot.session() as session:
        user = await session.get(User, ALICE)
        assert user is not None
        user.onboarding_step = "urgent"
        await session.commit()

    message_id = bot.message_with_button(ALICE, "No").message_id
    ack = await bot.tap_data(ALICE, message_id, encode(Action.URGENT_ACK))

    assert [(call.method, call.text) for call in ack] == [
        ("answerCallbackQuery", None),
        ("editMessageText", content.safety.urgent_care.strip()),
        ("sendMessage", content.t("safety.after_emergency").strip()),
    ]
    (user,) = await bot.rows(User)
    assert (user.onboarding_step, user.safety_tier) == (None, "emergency")
    assert await bot.rows(Subscription) == []


async def test_typing_during_the_safety_check_repeats_the_question(bot: BotHarness) -> None:
    content = bot.content
    await bot.send(ALICE, "/start")

    calls = await bot.send(ALICE, "hmm ok")

    questions = content.safety.red_flag_questions
    question = content.t(
        "onboard.safety_question", number=1, total=len(questions), question=questions[0].question
    )
    assert _methods(calls) == [
        ("sendMessage", content.t("onboard.answer_with_buttons") + "\n\n" + question)
    ]
    assert set(calls[0].button_data) == {"Yes", "No"}


async def test_a_question_during_the_safety_check_is_answered_then_it_is_asked_again(
    bot: BotHarness,
) -> None:
    content = bot.content
    await bot.send(ALICE, "/start")

    calls = await bot.send(ALICE, "why do you ask?")

    questions = content.safety.red_flag_questions
    question = content.t(
        "onboard.safety_question", number=1, total=len(questions), question=questions[0].question
    )
    assert len(calls) == 2
    assert calls[0].text != content.t("onboard.answer_with_buttons") + "\n\n" + question
    assert calls[1].text == content.t("pending.safety") + "\n\n" + question
    assert set(calls[1].button_data) == {"Yes", "No"}


async def test_an_old_safety_button_is_stale_not_a_second_answer(bot: BotHarness) -> None:
    await bot.send(ALICE, "/start")
    message_id = bot.message_with_button(ALICE, "No").message_id
    await bot.tap(ALICE, "No")

    calls = await bot.tap_data(ALICE, message_id, encode(Action.SAFETY_ANSWER, 0, "y"))

    assert [call.method for call in calls] == [
        "answerCallbackQuery",
        "editMessageReplyMarkup",
        "sendMessage",
    ]
    (user,) = await bot.rows(User)
    assert (user.onboarding_step, user.awaiting_ref) == ("safety", 1)


async def test_a_forged_safety_button_is_rejected(bot: BotHarness) -> None:
    await bot.send(ALICE, "/start")
    message_id = bot.message_with_button(ALICE, "No").message_id

    calls = await bot.tap_data(ALICE, message_id, "1|oq|0|maybe")

    assert [(call.method, call.params.get("text")) for call in calls] == [
        ("answerCallbackQuery", bot.content.t("button_forged"))
    ]


async def test_bad_zone_and_time_input_gets_examples_never_a_crash(bot: BotHarness) -> None:
    content = bot.content
    await bot.send(ALICE, "/start")
    await _answer_no_to_all(bot, ALICE)
    examples = content.t("remind.zone_examples")

    unknown = await bot.send(ALICE, "Narnia")
    huge = await bot.send(ALICE, "x" * 10_000)
    offset = await bot.send(ALICE, "UTC+5:20")

    assert [call.text for call in unknown] == [
        content.t("remind.zone_unknown", text="Narnia") + "\n\n" + examples
    ]
    assert [call.text for call in huge] == [
        content.t("remind.zone_unknown_generic") + "\n\n" + examples
    ]
    assert [call.text for call in offset] == [content.t("remind.zone_bad_offset")]

    await bot.send(ALICE, "Asia/Kolkata")
    time_examples = content.t("remind.time_examples")
    for typed, first in [
        ("25:99", content.t("remind.time_unknown", text="25:99")),
        ("noon-ish", content.t("remind.time_unknown", text="noon-ish")),
        ("13pm", content.t("remind.time_unknown", text="13pm")),
        ("y" * 10_000, content.t("remind.time_unknown_generic")),
    ]:
        calls = await bot.send(ALICE, typed)
        assert [call.text for call in calls] == [first + "\n\n" + time_examples]
        assert calls[0].button_data["07:30"] == encode(Action.TIME_PICK, "0730")
    (user,) = await bot.rows(User)
    assert user.onboarding_step == "time"
    sub = await subscription(bot, ALICE)
    assert (sub.status, sub.timezone, sub.next_due_at) == ("setup", "Asia/Kolkata", None)


async def test_a_typo_offers_suggestions_and_a_tap_picks_one(bot: BotHarness) -> None:
    content = bot.content
    await bot.send(ALICE, "/start")
    await _answer_no_to_all(bot, ALICE)

    calls = await bot.send(ALICE, "Berlni")

    assert [call.text for call in calls] == [content.t("remind.zone_suggest_echo", text="Berlni")]
    assert calls[0].button_data == {
        _zone_button(bot, "Europe/Berlin", "07:00"): encode(Action.ZONE_PICK, "Europe", "Berlin")
    }
    assert await bot.rows(Subscription) == []

    picked = await bot.tap(ALICE, _zone_button(bot, "Europe/Berlin", "07:00"))

    assert _methods(picked) == [
        ("answerCallbackQuery", None),
        ("editMessageReplyMarkup", None),
        ("sendMessage", _zone_set(bot, "Europe/Berlin", "07:00")),
        ("sendMessage", content.t("remind.ask_time")),
    ]
    sub = await subscription(bot, ALICE)
    assert (sub.timezone, sub.status) == ("Europe/Berlin", "setup")


async def test_an_abbreviation_is_never_taken_silently(bot: BotHarness) -> None:
    await bot.send(ALICE, "/start")
    await _answer_no_to_all(bot, ALICE)

    calls = await bot.send(ALICE, "IST")

    assert list(calls[0].button_data) == [
        _zone_button(bot, "Asia/Kolkata", "11:30"),
        _zone_button(bot, "Europe/Dublin", "06:00"),
        _zone_button(bot, "Asia/Jerusalem", "08:00"),
    ]


async def test_a_utc_offset_is_stored_as_a_fixed_offset_with_a_note(bot: BotHarness) -> None:
    content = bot.content
    await bot.send(ALICE, "/start")
    await _answer_no_to_all(bot, ALICE)

    calls = await bot.send(ALICE, "UTC+5:30")

    expected = _zone_set(bot, "UTC+05:30", "11:30") + "\n\n" + content.t("remind.zone_fixed_note")
    assert calls[0].text == expected
    assert (await subscription(bot, ALICE)).timezone == "UTC+05:30"


async def test_a_shared_location_sets_the_zone(bot: BotHarness) -> None:
    await bot.send(ALICE, "/start")
    await _answer_no_to_all(bot, ALICE)

    calls = await bot.share_location(ALICE, 19.07, 72.88)  # Mumbai

    assert calls[0].text == _zone_set(bot, "Asia/Kolkata", "11:30")
    assert (await subscription(bot, ALICE)).timezone == "Asia/Kolkata"


async def test_a_location_at_sea_becomes_an_offset_and_one_not_asked_for_gets_a_hint(
    bot: BotHarness,
) -> None:
    content = bot.content
    unasked = await bot.share_location(BOB, 52.52, 13.40)
    assert [call.text for call in unasked] == [content.t("remind.location_unexpected")]

    await bot.send(ALICE, "/start")
    await _answer_no_to_all(bot, ALICE)
    calls = await bot.share_location(ALICE, 0.0, -30.0)  # mid-Atlantic: Etc/GMT+2

    assert (calls[0].text or "").startswith(_zone_set(bot, "UTC-02:00", "04:00"))
    assert (await subscription(bot, ALICE)).timezone == "UTC-02:00"


async def test_start_survives_a_restart_half_way(bot: BotHarness) -> None:
    await bot.send(ALICE, "/start")
    await _answer_no_to_all(bot, ALICE)
    await bot.send(ALICE, "Berlin")

    await bot.restart()
    calls = await bot.send(ALICE, "8:15")

    assert [call.text for call in calls if call.method == "sendMessage"] == [
        _subscribed(bot, "08:15", "Europe/Berlin")
    ]


async def test_start_again_shows_the_schedule_and_brings_a_stopped_reminder_back(
    bot: BotHarness,
) -> None:
    content = bot.content
    await subscribe(bot, ALICE)
    welcome = content.t("welcome", disclaimer=content.safety.disclaimer.strip())

    again = await bot.send(ALICE, "/start")

    assert [call.text for call in again] == [
        welcome,
        content.t(
            "remind.already_set_up",
            time="07:30",
            zone="Europe/Berlin",
            days=content.t("remind.days_every"),
            next=content.t("remind.next_line", when=_today_at(bot, "07:30")),
        ),
    ]
    await bot.send(ALICE, "/stop")
    back = await bot.send(ALICE, "/start")
    assert [call.text for call in back] == [
        welcome,
        content.t(
            "remind.welcome_back", next=content.t("remind.next_line", when=_today_at(bot, "07:30"))
        ),
    ]
    assert (await subscription(bot, ALICE)).status == "active"


async def test_reminder_commands_before_start_point_to_start(bot: BotHarness) -> None:
    text = bot.content.t("remind.not_subscribed")
    for command in [
        "/time 7:30",
        "/time",
        "/timezone Berlin",
        "/pause",
        "/resume",
        "/stop",
        "/settings",
    ]:
        calls = await bot.send(BOB, command)
        assert [call.text for call in calls] == [text], command
