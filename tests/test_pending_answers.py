"""A typed answer the bot waits for (zone, time, pain note, weekly time, the safety check)
never swallows what follows: any command ends the wait, a text that is clearly something else
goes to its own route and the question is repeated once, and a wait expires (issue 13 item 1,
issue 17 item 3)."""

from __future__ import annotations

import pytest

from bot.domain.onboarding import Awaiting
from bot.domain.pending import PENDING_FOR
from bot.entry.fake_records import ApiCall
from bot.plumbing.callbacks import Action, encode
from storage.models import PainRating, Subscription, User
from tests.harness import BotHarness, catalog_fragment
from tests.reminder_flow import subscribe

ALICE = 131_313_131_313


def sent(calls: list[ApiCall]) -> list[str]:
    return [call.text or "" for call in calls if call.method == "sendMessage"]


async def user_row(bot: BotHarness) -> User:
    (row,) = await bot.rows(User, User.id == ALICE)
    return row


async def scores(bot: BotHarness) -> list[int]:
    rows = await bot.rows(PainRating, PainRating.user_id == ALICE)
    return [row.score for row in sorted(rows, key=lambda r: r.id)]


def zone_unknown(bot: BotHarness, text: str) -> str:
    return bot.content.t("remind.zone_unknown", text=text)


async def test_a_pain_score_after_timezone_is_logged_and_the_zone_asked_again(
    bot: BotHarness,
) -> None:
    await subscribe(bot, ALICE)
    await bot.send(ALICE, "/timezone")

    calls = await bot.send(ALICE, "pain 4")

    assert await scores(bot) == [4]
    texts = sent(calls)
    assert texts[0] == bot.content.t("pain.logged", score=4)
    assert texts[-1] == bot.content.t("pending.zone")
    assert not any(zone_unknown(bot, "pain 4") in text for text in texts)
    assert (await user_row(bot)).awaiting == Awaiting.ZONE  # the wait goes on, once

    calls = await bot.send(ALICE, "Tokyo")
    assert (await bot.rows(Subscription))[0].timezone == "Asia/Tokyo"


@pytest.mark.parametrize("text", ["what is sciatica", "thanks", "how do I do the pigeon?"])
async def test_a_question_while_a_zone_is_awaited_is_answered(bot: BotHarness, text: str) -> None:
    await subscribe(bot, ALICE)
    await bot.send(ALICE, "/timezone UTC+15")  # a zone it could not read: still waiting

    calls = await bot.send(ALICE, text)

    texts = sent(calls)
    assert not any(catalog_fragment(bot.content, "remind.zone_unknown") in t for t in texts)
    assert len(texts) >= 2
    assert texts[-1] == bot.content.t("pending.zone")
    assert (await bot.rows(Subscription))[0].timezone == "Europe/Berlin"


async def test_the_question_is_repeated_once_then_the_wait_ends(bot: BotHarness) -> None:
    await subscribe(bot, ALICE)
    await bot.send(ALICE, "/timezone")
    first = sent(await bot.send(ALICE, "what is sciatica"))
    second = sent(await bot.send(ALICE, "thanks"))

    assert first[-1] == bot.content.t("pending.zone")
    assert bot.content.t("pending.zone") not in second
    assert (await user_row(bot)).awaiting is None


async def test_a_typo_is_still_read_as_a_try_at_the_zone(bot: BotHarness) -> None:
    await subscribe(bot, ALICE)
    await bot.send(ALICE, "/timezone")

    texts = sent(await bot.send(ALICE, "Qwxzrt"))

    assert texts[0].startswith(zone_unknown(bot, "Qwxzrt"))
    assert bot.content.t("pending.zone") not in texts


@pytest.mark.parametrize(
    "command", ["/help", "/routine", "/stop", "/resume", "/time 7:45", "/start", "/pain"]
)
async def test_any_command_ends_the_wait_for_a_zone(bot: BotHarness, command: str) -> None:
    await subscribe(bot, ALICE)
    await bot.send(ALICE, "/timezone UTC+15")
    assert (await user_row(bot)).awaiting == Awaiting.ZONE

    await bot.send(ALICE, command)
    assert (await user_row(bot)).awaiting is None
    calls = await bot.send(ALICE, "pain 5")

    assert sent(calls) == [bot.content.t("pain.logged", score=5)]
    assert await scores(bot) == [5]


async def test_a_question_after_time_is_answered_and_the_time_asked_again(
    bot: BotHarness,
) -> None:
    await subscribe(bot, ALICE)
    await bot.send(ALICE, "/time")

    texts = sent(await bot.send(ALICE, "what is sciatica?"))

    assert not any(catalog_fragment(bot.content, "remind.time_unknown") in t for t in texts)
    assert texts[-1] == bot.content.t("pending.time")
    calls = await bot.send(ALICE, "8:15")
    assert any("08:15" in text for text in sent(calls))


async def test_a_zone_wait_expires(bot: BotHarness) -> None:
    await subscribe(bot, ALICE)
    await bot.send(ALICE, "/timezone")

    await bot.advance(PENDING_FOR + PENDING_FOR / 5)
    texts = sent(await bot.send(ALICE, "Qwxzrt"))

    assert not any(zone_unknown(bot, "Qwxzrt") in t for t in texts)
    assert (await user_row(bot)).awaiting is None


async def test_during_start_a_question_is_answered_and_the_zone_asked_again(
    bot: BotHarness,
) -> None:
    await bot.send(ALICE, "/start")
    for _ in bot.content.safety.red_flag_questions:
        await bot.tap(ALICE, bot.content.t("onboard.no"))

    texts = sent(await bot.send(ALICE, "pain 6"))

    assert texts[0] == bot.content.t("pain.logged", score=6)
    assert texts[-1] == bot.content.t("pending.zone")
    await bot.send(ALICE, "Berlin")
    calls = await bot.send(ALICE, "07:30")
    assert any(catalog_fragment(bot.content, "remind.subscribed") in t for t in sent(calls))


async def test_during_the_safety_check_a_question_is_answered_then_the_question_repeated(
    bot: BotHarness,
) -> None:
    await bot.send(ALICE, "/start")

    calls = await bot.send(ALICE, "what is sciatica?")

    texts = sent(calls)
    assert not texts[0].startswith(bot.content.t("onboard.answer_with_buttons"))
    assert texts[-1].startswith(bot.content.t("pending.safety"))
    assert calls[-1].button_data  # the Yes/No buttons come with it
    assert sent(await bot.send(ALICE, "hmm"))[0].startswith(
        bot.content.t("onboard.answer_with_buttons")
    )


async def test_a_question_while_a_note_is_awaited_is_not_taken_as_the_note(
    bot: BotHarness,
) -> None:
    await bot.send(ALICE, "/pain")
    await bot.tap(ALICE, "4")
    await bot.tap(ALICE, bot.content.t("pain.button_add_note"))

    texts = sent(await bot.send(ALICE, "is walking good for sciatica?"))

    assert texts[-1] == bot.content.t("pending.note", score=4)
    calls = await bot.send(ALICE, "after a long drive")
    assert sent(calls) == [bot.content.t("pain.note_saved", score=4)]
    (rating,) = await bot.rows(PainRating)
    assert rating.note == "after a long drive"


async def test_a_new_score_while_a_note_is_awaited_is_logged_without_a_repeat(
    bot: BotHarness,
) -> None:
    await bot.send(ALICE, "/pain")
    await bot.tap(ALICE, "4")
    await bot.tap(ALICE, bot.content.t("pain.button_add_note"))

    texts = sent(await bot.send(ALICE, "pain 5"))

    assert texts[0].startswith(bot.content.t("pain.logged", score=5))
    assert bot.content.t("pending.note", score=4) not in texts  # the new rating ended the wait
    assert await scores(bot) == [4, 5]


async def test_a_note_wait_expires_after_a_few_minutes(bot: BotHarness) -> None:
    await bot.send(ALICE, "/pain")
    await bot.tap(ALICE, "4")
    await bot.tap(ALICE, bot.content.t("pain.button_add_note"))
    await bot.advance(PENDING_FOR * 2)

    await bot.send(ALICE, "after a long drive")

    (rating,) = await bot.rows(PainRating)
    assert rating.note is None


async def test_a_command_ends_the_wait_for_a_note(bot: BotHarness) -> None:
    await bot.send(ALICE, "/pain")
    await bot.tap(ALICE, "4")
    await bot.tap(ALICE, bot.content.t("pain.button_add_note"))
    await bot.send(ALICE, "/help")

    await bot.send(ALICE, "after a long drive")

    (rating,) = await bot.rows(PainRating)
    assert rating.note is None


async def test_a_question_while_the_weekly_time_is_awaited_is_answered(bot: BotHarness) -> None:
    await bot.send(ALICE, "/pain 5")
    await bot.tap_data(ALICE, 1, encode(Action.SETTINGS_WEEKLY))
    await bot.tap(ALICE, bot.content.t("weekly_summary.button_other_time"))

    texts = sent(await bot.send(ALICE, "what is sciatica?"))

    assert bot.content.t("weekly_summary.time_unclear") not in texts
    assert texts[-1] == bot.content.t("pending.weekly_time")
    calls = await bot.send(ALICE, "7:30 pm")
    assert "19:30" in (calls[0].text or "")
