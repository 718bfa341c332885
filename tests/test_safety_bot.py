"""The safety screen through the real Application: /start with each tier, the routine gate,
typed texts (messages, pain notes, edited messages) and the re-screen."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.entry.fake_records import ApiCall
from bot.plumbing.callbacks import Action, encode
from storage.models import PainRating, SafetyScreening, Subscription, User
from tests.harness import BotHarness

ALICE = 111_111_111_111
SUNDAY_18_UTC = datetime(2026, 3, 8, 18, 0, tzinfo=UTC)  # the weekly summary's default time


@pytest.fixture
def gated(bot: BotHarness) -> BotHarness:
    """The bot, with no user screened in advance (the harness does that for older tests)."""
    bot.screen_before_routines = False
    return bot


def sent(calls: list[ApiCall]) -> list[str]:
    return [call.text or "" for call in calls if call.method == "sendMessage"]


def question_index(bot: BotHarness, question_id: str) -> int:
    ids = [question.id for question in bot.content.safety.red_flag_questions]
    return ids.index(question_id)


async def screenings(bot: BotHarness) -> list[tuple[str, str, str]]:
    rows = await bot.rows(SafetyScreening, SafetyScreening.user_id == ALICE)
    return [(row.source, row.tier, row.signs) for row in sorted(rows, key=lambda r: r.id)]


async def answer_until(
    bot: BotHarness, question_id: str | None, *, label: str = "Yes"
) -> list[ApiCall]:
    """Answer "No" up to ``question_id``, then ``label`` there (None: "No" to all)."""
    questions = bot.content.safety.red_flag_questions
    stop = len(questions) if question_id is None else question_index(bot, question_id)
    calls: list[ApiCall] = []
    for _ in range(stop):
        calls = await bot.tap(ALICE, "No")
    if question_id is not None:
        calls = await bot.tap(ALICE, label)
    return calls


def test_the_emergency_questions_come_first(bot: BotHarness) -> None:
    """The first "yes" decides the tier only because no emergency question follows a
    see-a-doctor one."""
    tiers = [question.tier for question in bot.content.safety.red_flag_questions]
    assert tiers == sorted(tiers, key=lambda tier: tier != "emergency")
    assert "emergency" in tiers
    assert "see_doctor" in tiers


async def test_start_with_an_emergency_answer_sets_up_nothing_and_says_how_to_resume(
    gated: BotHarness,
) -> None:
    bot, content = gated, gated.content
    await bot.send(ALICE, "/start")

    calls = await answer_until(bot, "bladder")

    question = content.safety.red_flag_questions[question_index(bot, "bladder")].question
    assert [(call.method, call.text) for call in calls] == [
        ("answerCallbackQuery", None),
        ("editMessageText", content.t("onboard.answered_yes", question=question)),
        ("sendMessage", content.safety.urgent_care.strip()),
        ("sendMessage", content.t("safety.after_emergency").strip()),
    ]
    assert content.t("remind.ask_zone") not in sent(calls)
    assert await bot.rows(Subscription) == []
    assert await screenings(bot) == [("onboarding", "emergency", "bladder")]
    typed = await bot.send(ALICE, "Berlin")  # no time zone question is open
    assert await bot.rows(Subscription) == []
    assert content.t("remind.ask_zone") not in sent(typed)

    # No routine until they say a doctor has checked them.
    checked_question = content.t("safety.routine_blocked_emergency").strip()
    routine = await bot.send(ALICE, "/routine")
    assert sent(routine) == [checked_question]
    assert routine[0].button_data == {
        content.t("safety.button_checked"): encode(Action.SAFETY_CHECKED),
        content.t("safety.button_not_yet"): encode(Action.SAFETY_NOT_YET),
    }
    not_yet = await bot.tap(ALICE, content.t("safety.button_not_yet"))
    assert [call.text for call in not_yet][1:] == [content.t("safety.not_yet").strip()]

    # /start again asks about the check first, then the questions afresh.
    again = await bot.send(ALICE, "/start")
    assert sent(again)[1:] == [checked_question]
    resumed = await bot.tap(ALICE, content.t("safety.button_checked"))
    questions = content.safety.red_flag_questions
    first = content.t(
        "onboard.safety_question", number=1, total=len(questions), question=questions[0].question
    )
    assert [call.text for call in resumed][1:] == [content.t("safety.checked_done"), first]
    done = await answer_until(bot, None)
    assert sent(done) == [content.t("remind.ask_zone")]
    (user,) = await bot.rows(User)
    assert user.safety_cleared_at is not None
    started = await bot.send(ALICE, "/routine")
    assert started[-1].text == content.t("routine.pain_before").strip()


async def test_start_with_a_see_doctor_answer_sets_up_with_a_caution_on_the_routine(
    gated: BotHarness,
) -> None:
    bot, content = gated, gated.content
    await bot.send(ALICE, "/start")

    calls = await answer_until(bot, "fever")

    assert sent(calls) == [
        content.safety.see_doctor.strip(),
        content.t("safety.after_see_doctor").strip(),
        content.t("remind.ask_zone"),
    ]
    assert content.safety.urgent_care.strip() not in sent(calls)
    assert await screenings(bot) == [("onboarding", "see_doctor", "fever")]

    routine = await bot.send(ALICE, "/routine")

    assert sent(routine) == [
        content.t("safety.routine_caution"),
        content.t("routine.pain_before").strip(),
    ]


async def test_no_routine_starts_before_the_safety_questions(gated: BotHarness) -> None:
    bot, content = gated, gated.content
    blocked = content.t("safety.routine_blocked_unscreened").strip()
    start_check = {content.t("safety.button_start_check"): encode(Action.RESCREEN_START)}

    by_command = await bot.send(ALICE, "/routine")
    await bot.send(ALICE, "/exercise pigeon")
    by_card = await bot.tap(ALICE, content.t("questions.button.do_now"))
    any_message = bot.message_with_button(ALICE, content.t("safety.button_start_check"))
    by_prompt = await bot.tap_data(ALICE, any_message.message_id, encode(Action.START_ROUTINE, 0))

    for refused in (by_command, by_card, by_prompt):
        assert sent(refused) == [blocked]
        assert refused[-1].button_data == start_check
    await bot.send(ALICE, "/start")  # mid-way through the questions: still no routine
    await bot.tap(ALICE, "No")
    assert sent(await bot.send(ALICE, "/routine")) == [blocked]

    # The button runs the same questions; all "no" opens the gate.
    await bot.tap(ALICE, content.t("safety.button_start_check"))
    calls: list[ApiCall] = []
    for _ in content.safety.red_flag_questions:
        calls = await bot.tap(
            ALICE, "No", message_id=bot.message_with_button(ALICE, "No").message_id
        )
    assert calls[-1].text == content.t("safety.rescreen_clear")
    assert ("rescreen", "none", "") in await screenings(bot)
    started = await bot.send(ALICE, "/routine")
    assert sent(started) == [content.t("routine.pain_before").strip()]


async def test_after_delete_the_questions_come_first_again(gated: BotHarness) -> None:
    bot, content = gated, gated.content
    await gated.mark_screened(ALICE)
    assert sent(await bot.send(ALICE, "/routine")) == [content.t("routine.pain_before").strip()]
    await bot.send(ALICE, "/delete")
    await bot.tap(ALICE, content.t("erase.button_yes"))

    calls = await bot.send(ALICE, "/routine")

    assert sent(calls) == [content.t("safety.routine_blocked_unscreened").strip()]


async def test_a_red_flag_note_in_pain_7_is_saved_and_gets_the_emergency_text(
    bot: BotHarness,
) -> None:
    content = bot.content

    calls = await bot.send(ALICE, "/pain 7 can't pee, groin numb")

    texts = sent(calls)
    assert texts[0] == content.t("pain.logged_with_note", score=7)
    assert texts[-2:] == [
        content.safety.urgent_care.strip(),
        content.t("safety.after_message_emergency").strip(),
    ]
    (rating,) = await bot.rows(PainRating)
    assert (rating.score, rating.note) == (7, "can't pee, groin numb")
    assert [(source, tier) for source, tier, _ in await screenings(bot)] == [
        ("message", "emergency")
    ]
    assert (
        sent(await bot.send(ALICE, "/routine"))[0]
        == content.t("safety.routine_blocked_emergency").strip()
    )


async def test_an_ordinary_note_gets_the_explanation_and_nothing_is_recorded(
    bot: BotHarness,
) -> None:
    calls = await bot.send(ALICE, "/pain 5 tingling down my left leg to the foot")

    assert sent(calls)[-1] == bot.content.safety.ordinary_sciatica.strip()
    assert await screenings(bot) == []


async def test_ordinary_sciatica_typed_gets_the_explanation_not_the_emergency_text(
    bot: BotHarness,
) -> None:
    content = bot.content

    calls = await bot.send(ALICE, "my left buttock feels numb and tingly down to my foot")

    texts = sent(calls)
    assert texts[0] == content.safety.ordinary_sciatica.strip()
    assert content.safety.urgent_care.strip() not in texts
    assert content.t("text_fallback") not in texts


async def test_an_unclear_message_asks_one_yes_no_question_and_screens_the_answer(
    bot: BotHarness,
) -> None:
    content = bot.content

    calls = await bot.send(ALICE, "no numbness in my groin")

    (asked,) = calls
    assert set(asked.button_data) == {
        content.t("safety.clarify_yes"),
        content.t("safety.clarify_no"),
    }
    yes = await bot.tap(ALICE, content.t("safety.clarify_yes"))
    assert content.safety.urgent_care.strip() in sent(yes)
    assert [(source, tier) for source, tier, _ in await screenings(bot)] == [
        ("message", "emergency")
    ]


async def test_an_unclear_message_answered_no_gets_no_warning(bot: BotHarness) -> None:
    content = bot.content
    await bot.send(ALICE, "no numbness in my groin")

    calls = await bot.tap(ALICE, content.t("safety.clarify_no"))

    assert sent(calls) == [content.t("safety.clarify_no_reply")]
    assert await screenings(bot) == []


async def test_an_edited_message_is_screened_and_nothing_else(bot: BotHarness) -> None:
    content = bot.content
    update = bot.fake.message_update(
        ALICE, "I haven't been able to pee since this morning", edited=True
    )

    calls = await bot.feed(update)

    assert sent(calls) == [
        content.safety.urgent_care.strip(),
        content.t("safety.after_message_emergency").strip(),
    ]
    quiet = await bot.feed(
        bot.fake.message_update(ALICE, "how long does sciatica last?", edited=True)
    )
    assert quiet == []


async def test_the_first_routine_after_two_weeks_away_offers_the_recheck(bot: BotHarness) -> None:
    content = bot.content
    await bot.send(ALICE, "/routine")
    bot.clock.advance(timedelta(days=15))

    calls = await bot.send(ALICE, "/routine")

    offer = next(call for call in calls if call.method == "sendMessage")
    assert offer.text == content.t("safety.rescreen_offer")
    assert offer.button_data == {content.t("safety.button_rescreen"): encode(Action.RESCREEN_START)}
    recheck = await bot.tap(ALICE, content.t("safety.button_rescreen"))
    first = content.safety.red_flag_questions[0].question
    assert first in sent(recheck)[0]
    found = await answer_until(bot, "night_pain")
    # The routine that came with the offer waits too (a warning sign ends it).
    assert sent(found) == [
        content.safety.see_doctor.strip(),
        content.t("safety.routine_stopped_see_doctor").strip(),
    ]
    assert ("rescreen", "see_doctor", "night_pain") in await screenings(bot)


async def test_the_weekly_summary_offers_the_recheck_leading_to_the_same_questions(
    bot: BotHarness,
) -> None:
    content = bot.content
    await bot.send(ALICE, "/pain 4")
    await bot.advance(minutes=1)  # the weekly sweep gives the user a time: Sunday 18:00 UTC

    calls = await bot.advance(SUNDAY_18_UTC - bot.runtime.clock.now())

    assert [call.method for call in calls].count("sendPhoto") == 1
    offer = next(call for call in calls if call.method == "sendMessage")
    assert offer.text == content.t("safety.rescreen_offer")
    assert offer.button_data == {content.t("safety.button_rescreen"): encode(Action.RESCREEN_START)}
    questions = content.safety.red_flag_questions
    first = await bot.tap(ALICE, content.t("safety.button_rescreen"))
    assert sent(first) == [
        content.t(
            "safety.rescreen_question",
            number=1,
            total=len(questions),
            question=questions[0].question,
        )
    ]
    found = await answer_until(bot, "both_legs")
    assert sent(found) == [
        content.safety.urgent_care.strip(),
        content.t("safety.after_message_emergency").strip(),
    ]
    assert await screenings(bot) == [("rescreen", "emergency", "both_legs")]
    blocked = await bot.send(ALICE, "/routine")
    assert sent(blocked) == [content.t("safety.routine_blocked_emergency").strip()]


async def test_text_typed_during_a_routine_is_screened_too(bot: BotHarness) -> None:
    content = bot.content
    await bot.send(ALICE, "/routine")

    calls = await bot.send(ALICE, "my legs have both gone numb")

    assert sent(calls)[:2] == [
        content.safety.urgent_care.strip(),
        content.t("safety.after_message_emergency").strip(),
    ]
    again = await bot.send(ALICE, "/routine")
    assert sent(again) == [content.t("safety.routine_blocked_emergency").strip()]
