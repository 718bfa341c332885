"""/pain through the real Application: keyboard, command, plain text, notes and warnings."""

from __future__ import annotations

import logging

import pytest

from bot.entry.fake_records import ApiCall
from bot.plumbing.callbacks import Action, encode
from storage.models import PainRating, User
from tests.harness import BotHarness, catalog_fragment, texts

ALICE = 111_111_111_111


async def ratings(bot: BotHarness, user_id: int = ALICE) -> list[tuple[int, str, str | None]]:
    rows = await bot.rows(PainRating, PainRating.user_id == user_id)
    return [(row.score, row.context, row.note) for row in sorted(rows, key=lambda r: r.id)]


def ordinary_sciatica(bot: BotHarness) -> str:
    return bot.content.safety.ordinary_sciatica.strip()


def sent_texts(calls: list[ApiCall]) -> list[str]:
    return [call.text or "" for call in calls if call.method == "sendMessage"]


def add_note(bot: BotHarness) -> str:
    return bot.content.t("pain.button_add_note")


def logged(bot: BotHarness, score: int, average: float | None = None) -> str:
    """The reply to a rating, with the past week's average when there was one."""
    text = bot.content.t("pain.logged", score=score)
    if average is not None:
        text += "\n" + bot.content.t("pain.recent_average", average=f"{average:.1f}")
    return text


async def test_the_keyboard_records_the_tapped_score(bot: BotHarness) -> None:
    calls = await bot.send(ALICE, "/pain")

    assert [(c.method, c.text) for c in calls] == [("sendMessage", bot.content.t("pain.ask"))]
    assert calls[0].buttons == [["0", "1", "2", "3", "4", "5"], ["6", "7", "8", "9", "10"]]
    assert calls[0].button_data["4"] == encode(Action.PAIN_SCORE, 4)

    calls = await bot.tap(ALICE, "4")

    rows = await bot.rows(PainRating)
    assert [(r.user_id, r.score, r.context, r.note, r.session_id) for r in rows] == [
        (ALICE, 4, "any", None, None)
    ]
    assert rows[0].rated_at == bot.runtime.clock.now()
    assert [c.method for c in calls] == ["answerCallbackQuery", "editMessageText"]
    assert calls[1].text == logged(bot, 4)
    assert calls[1].button_data == {add_note(bot): encode(Action.PAIN_NOTE, rows[0].id)}


async def test_a_double_tap_on_the_keyboard_records_once(bot: BotHarness) -> None:
    """A slow connection: the second tap left the phone before the first one's answer came
    back, so it names the same keyboard (even another score on it)."""
    await bot.send(ALICE, "/pain")
    keyboard = bot.message_with_button(ALICE, "4").message_id
    await bot.tap_data(ALICE, keyboard, encode(Action.PAIN_SCORE, 4))

    for score in (4, 5):
        calls = await bot.tap_data(ALICE, keyboard, encode(Action.PAIN_SCORE, score))

        assert [(c.method, c.params.get("text")) for c in calls] == [
            ("answerCallbackQuery", bot.content.t("pain.already_saved"))
        ]
    assert await ratings(bot) == [(4, "any", None)]

    # A new keyboard records a new rating.
    await bot.send(ALICE, "/pain")
    again = bot.message_with_button(ALICE, "6").message_id
    await bot.tap_data(ALICE, again, encode(Action.PAIN_SCORE, 6))
    assert await ratings(bot) == [(4, "any", None), (6, "any", None)]


async def test_a_note_can_follow_the_rating(bot: BotHarness) -> None:
    await bot.send(ALICE, "/pain")
    await bot.tap(ALICE, "3")

    calls = await bot.tap(ALICE, add_note(bot))

    assert sent_texts(calls) == [bot.content.t("pain.note_ask")]
    [user] = await bot.rows(User)
    [rating] = await bot.rows(PainRating)
    assert (user.awaiting, user.awaiting_ref) == ("pain_note", rating.id)

    calls = await bot.send(ALICE, "after a long drive")

    assert sent_texts(calls) == [bot.content.t("pain.note_saved", score=3)]
    assert await ratings(bot) == [(3, "any", "after a long drive")]
    [user] = await bot.rows(User)
    assert (user.awaiting, user.awaiting_ref) == (None, None)
    # The wait is over: the next message is an ordinary one again.
    calls = await bot.send(ALICE, "blorp")
    assert sent_texts(calls) == [bot.content.t("text_fallback")]
    assert await ratings(bot) == [(3, "any", "after a long drive")]


async def test_a_long_note_is_clipped_to_500_characters_and_says_so(bot: BotHarness) -> None:
    await bot.send(ALICE, "pain 5")
    await bot.tap(ALICE, add_note(bot))

    calls = await bot.send(ALICE, "a" * 499 + "bcdef")

    assert sent_texts(calls) == [
        bot.content.t("pain.note_saved", score=5) + "\n" + bot.content.t("pain.note_clipped")
    ]
    assert await ratings(bot) == [(5, "any", "a" * 499 + "b")]


async def test_the_note_wait_ends_after_half_an_hour(bot: BotHarness) -> None:
    await bot.send(ALICE, "pain 5")
    await bot.tap(ALICE, add_note(bot))
    await bot.advance(minutes=31)

    calls = await bot.send(ALICE, "blorp")

    assert sent_texts(calls) == [bot.content.t("text_fallback")]
    assert await ratings(bot) == [(5, "any", None)]
    [user] = await bot.rows(User)
    assert user.awaiting is None


async def test_a_new_rating_while_a_note_is_awaited_is_a_rating(bot: BotHarness) -> None:
    await bot.send(ALICE, "pain 5")
    await bot.tap(ALICE, add_note(bot))

    await bot.send(ALICE, "pain 6")

    assert await ratings(bot) == [(5, "any", None), (6, "any", None)]
    [user] = await bot.rows(User)
    assert user.awaiting is None


async def test_the_command_records_at_once_with_an_optional_note(bot: BotHarness) -> None:
    calls = await bot.send(ALICE, "/pain 6 after a long drive")

    assert [(c.method, c.text, c.buttons) for c in calls] == [
        ("sendMessage", bot.content.t("pain.logged_with_note", score=6), [])
    ]

    calls = await bot.send(ALICE, "/pain 2")

    assert calls[0].text == logged(bot, 2, average=6.0)
    assert calls[0].buttons == [[add_note(bot)]]
    assert await ratings(bot) == [(6, "any", "after a long drive"), (2, "any", None)]


async def test_plain_text_records_but_questions_pass_through(bot: BotHarness) -> None:
    calls = await bot.send(ALICE, "Pain: 7/10")

    assert sent_texts(calls) == [logged(bot, 7)]
    assert await ratings(bot) == [(7, "any", None)]

    for question in ("pain in my left leg for 6 weeks?", "how long does the pain last"):
        calls = await bot.send(ALICE, question)
        # Not a rating: the questions feature answers it instead (one-sided leg pain gets
        # the ordinary-sciatica explanation first: bot.features.safety).
        answers = [text for text in sent_texts(calls) if text != ordinary_sciatica(bot)]
        assert len(answers) == 1
        assert not answers[0].startswith(catalog_fragment(bot.content, "pain.logged"))
    assert await ratings(bot) == [(7, "any", None)]


async def test_unclear_and_out_of_range_values_get_a_clear_answer(bot: BotHarness) -> None:
    content = bot.content
    cases = {
        "/pain 11": "pain.out_of_range",
        "/pain -2": "pain.out_of_range",
        "pain 15": "pain.out_of_range",
        "/pain 6.5": "pain.not_whole",
        "pain 4,5": "pain.not_whole",
        "/pain lots": "pain.unclear",
    }
    for text, key in cases.items():
        calls = await bot.send(ALICE, text)
        assert sent_texts(calls) == [content.t(key)], text
    assert await ratings(bot) == []


async def test_severe_pain_on_two_different_days_brings_the_gp_advice(bot: BotHarness) -> None:
    """One rating of 8 is not a reason on its own (bot.domain.pain): two days of it are."""
    calls = await bot.send(ALICE, "/pain 8")
    assert sent_texts(calls) == [logged(bot, 8)]

    await bot.advance(days=1)
    await bot.send(ALICE, "/pain")
    calls = await bot.tap(ALICE, "9")

    assert [c.method for c in calls] == ["answerCallbackQuery", "editMessageText", "sendMessage"]
    assert calls[2].text == bot.content.t("pain.see_gp_severe_twice").strip()


async def test_a_rise_of_two_and_thirty_percent_says_ease_off_never_rest(bot: BotHarness) -> None:
    await bot.send(ALICE, "/pain 9")  # more than 7 days before: not in the baseline
    await bot.advance(days=8)
    await bot.send(ALICE, "/pain 3")
    await bot.advance(days=2)
    await bot.send(ALICE, "/pain 3")
    await bot.advance(hours=5)

    calls = await bot.send(ALICE, "pain 5")  # 2 points and 67% over the baseline of 3

    ease_off = bot.content.t("pain.ease_off").strip()
    assert sent_texts(calls) == [
        logged(bot, 5, average=3.0),
        ease_off,
    ]
    assert " rest" not in ease_off.replace("rest of", "")

    await bot.advance(days=1)
    calls = await bot.send(ALICE, "pain 4")  # 1 point over the baseline: not a rise that matters
    assert sent_texts(calls) == [logged(bot, 4, average=3.7)]


async def test_forged_score_buttons_record_nothing(bot: BotHarness) -> None:
    await bot.send(ALICE, "/pain")
    message = bot.message_with_button(ALICE, "5")

    for data in ("1|ps|11", "1|ps|-1", "1|ps|x", "1|ps", "9|ps|5"):
        calls = await bot.tap_data(ALICE, message.message_id, data)
        assert [(c.method, c.params.get("text")) for c in calls] == [
            ("answerCallbackQuery", bot.content.t("button_forged"))
        ], data
    assert await ratings(bot) == []
    assert texts(await bot.tap(ALICE, "5")) == [logged(bot, 5)]


async def test_notes_never_reach_the_logs(
    bot: BotHarness, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO):
        await bot.send(ALICE, "/pain 6 lifted my grandson")
        await bot.send(ALICE, "pain 4")
        await bot.tap(ALICE, add_note(bot))
        await bot.send(ALICE, "argued with my landlord")

    assert await ratings(bot) == [
        (6, "any", "lifted my grandson"),
        (4, "any", "argued with my landlord"),
    ]
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "pain rating" in logged  # the records are there, with ids only
    for private in ("grandson", "landlord"):
        assert private not in logged
