"""The weekly summary: sent when due in the user's zone, changed on its settings screen,
stopped for users who blocked the bot."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, time

import pytest

from bot.plumbing.callbacks import Action, encode
from storage.models import User
from tests.harness import BotHarness
from tests.png import png_size
from tests.progress_fixtures import add_user, set_zone
from tests.reminder_flow import subscribe

ALICE = 111_111_111_111
BOB = 222_222_222

# The harness starts on Monday 2 March 2026, 06:00 UTC; the default is Sunday 18:00.
SUNDAY_18_UTC = datetime(2026, 3, 8, 18, 0, tzinfo=UTC)
SUNDAY_18_BERLIN = datetime(2026, 3, 8, 17, 0, tzinfo=UTC)


async def user(bot: BotHarness, user_id: int) -> User:
    [row] = await bot.rows(User, User.id == user_id)
    return row


def photos(calls: list, chat_id: int) -> list:  # type: ignore[type-arg]
    return [c for c in calls if c.method == "sendPhoto" and c.chat_id == chat_id]


def label(bot: BotHarness, key: str) -> str:
    """A button of the weekly-summary screen (``key`` after ``weekly_summary.button_``)."""
    return bot.content.t(f"weekly_summary.button_{key}")


def chosen(bot: BotHarness, text: str) -> str:
    return bot.content.t("weekly_summary.button_current", label=text)


def day(bot: BotHarness, weekday: int) -> str:
    return bot.content.t(f"day_short.{weekday}")


def status_on(bot: BotHarness, weekday: int, at: str, zone: str, next_: str) -> str:
    """The screen's "on" status; ``zone`` is the user's zone, or "" for UTC."""
    content = bot.content
    return content.t(
        "weekly_summary.status_on",
        weekday=content.t(f"day.{weekday}"),
        time=at,
        zone=(
            content.t("weekly_summary.zone_local", zone=zone)
            if zone
            else content.t("weekly_summary.zone_utc")
        ),
        next=next_,
    )


def next_one(bot: BotHarness, weekday: int, day_of_march: int, at: str) -> str:
    """The screen's date of the next summary (assembled by the view from the day and month
    names in the catalog)."""
    content = bot.content
    return f"{content.t(f'day.{weekday}')} {day_of_march} {content.t('month.3')}, {at}"


async def test_the_summary_goes_out_on_sunday_evening_in_each_users_zone(bot: BotHarness) -> None:
    await bot.send(ALICE, "/pain 5")  # no subscription: UTC
    await set_zone(bot, BOB, "Europe/Berlin")
    await bot.send(BOB, "/pain 4")

    await bot.advance(minutes=1)  # the sweep gives both their first time
    assert (await user(bot, ALICE)).weekly_summary_next_at == SUNDAY_18_UTC
    assert (await user(bot, BOB)).weekly_summary_next_at == SUNDAY_18_BERLIN

    calls = await bot.advance(SUNDAY_18_BERLIN - bot.runtime.clock.now())
    assert photos(calls, BOB)
    assert not photos(calls, ALICE)
    [summary] = photos(calls, BOB)
    assert png_size(summary.files["photo"]) == (1080, 1350)
    assert summary.text is not None
    content = bot.content
    figures = content.t(
        "history.figures",
        average="4.0",
        lowest=4,
        highest=4,
        ratings=content.t("history.ratings_one", count=1),
        days_rated=content.t("history.days_one", count=1),
    )
    assert summary.text.startswith(content.t("weekly_summary.header") + "\n\n" + figures)
    assert summary.buttons == [
        [
            content.t("history.button_current", days=7),
            content.t("history.button_period", days=30),
            content.t("history.button_period", days=90),
        ],
        [bot.content.t("report.button_offer")],
    ]
    # The report button under the summary sends the 30-day report.
    [report] = [c for c in await bot.tap(BOB, bot.content.t("report.button_offer")) if c.files]
    assert report.method == "sendDocument"
    assert report.files["document"].startswith(b"%PDF")
    assert (await user(bot, BOB)).weekly_summary_next_at == datetime(2026, 3, 15, 17, tzinfo=UTC)

    calls = await bot.advance(minutes=59)
    assert photos(calls, ALICE) == []
    calls = await bot.advance(minutes=1)
    assert len(photos(calls, ALICE)) == 1
    assert not photos(calls, BOB)
    assert (await user(bot, ALICE)).weekly_summary_next_at == datetime(2026, 3, 15, 18, tzinfo=UTC)

    # Sweeps that follow send nothing again.
    calls = await bot.advance(minutes=5)
    assert not photos(calls, ALICE)
    assert not photos(calls, BOB)


async def test_a_week_with_nothing_logged_sends_nothing_but_moves_on(bot: BotHarness) -> None:
    await add_user(bot, ALICE)
    await bot.advance(minutes=1)

    calls = await bot.advance(SUNDAY_18_UTC - bot.runtime.clock.now())

    assert photos(calls, ALICE) == []
    assert [c for c in calls if c.chat_id == ALICE] == []
    assert (await user(bot, ALICE)).weekly_summary_next_at == datetime(2026, 3, 15, 18, tzinfo=UTC)


async def test_a_user_who_blocked_the_bot_gets_no_more_summaries(
    bot: BotHarness, caplog: pytest.LogCaptureFixture
) -> None:
    await bot.send(ALICE, "/pain 5")
    await bot.advance(minutes=1)
    bot.fake.blocked_chats.add(ALICE)

    with caplog.at_level(logging.WARNING, logger="bot.features.progress.handlers"):
        calls = await bot.advance(SUNDAY_18_UTC - bot.runtime.clock.now())

    assert [c.method for c in calls if c.chat_id == ALICE] == ["sendPhoto"]  # refused: 403
    row = await user(bot, ALICE)
    assert row.blocked_at == SUNDAY_18_UTC
    assert row.weekly_summary_next_at is None
    assert any(str(ALICE) in record.getMessage() for record in caplog.records)

    calls = await bot.advance(days=7, minutes=1)
    assert [c for c in calls if c.chat_id == ALICE] == []

    # Writing again unblocks: the sweep schedules the next Sunday.
    bot.fake.blocked_chats.discard(ALICE)
    await bot.send(ALICE, "/pain 3")
    await bot.advance(minutes=1)
    row = await user(bot, ALICE)
    assert row.blocked_at is None
    assert row.weekly_summary_next_at == datetime(2026, 3, 22, 18, tzinfo=UTC)


async def test_the_settings_screen_changes_day_and_time_or_turns_it_off(bot: BotHarness) -> None:
    await set_zone(bot, ALICE, "Europe/Berlin")
    await bot.send(ALICE, "/pain 5")
    await bot.send(ALICE, "/settings")

    calls = await bot.tap(ALICE, bot.content.t("remind.btn_weekly"))

    # In place of the /settings message, like every settings screen, with a way back.
    assert [c.method for c in calls] == ["answerCallbackQuery", "editMessageText"]
    screen = calls[1]
    sunday_18 = status_on(bot, 6, "18:00", "Europe/Berlin", next_one(bot, 6, 8, "18:00"))
    assert screen.text == bot.content.t("weekly_summary.screen", status=sunday_18)
    assert screen.buttons == [
        [label(bot, "off")],
        [day(bot, 0), day(bot, 1), day(bot, 2), day(bot, 3)],
        [day(bot, 4), day(bot, 5), chosen(bot, day(bot, 6))],
        ["07:00", "08:00", "09:00"],
        ["12:00", "17:00", chosen(bot, "18:00")],
        ["19:00", "20:00", "21:00"],
        [label(bot, "other_time")],
        [bot.content.t("remind.btn_back")],
    ]

    calls = await bot.tap(ALICE, day(bot, 2))
    assert [c.method for c in calls] == ["answerCallbackQuery", "editMessageText"]
    wednesday_18 = status_on(bot, 2, "18:00", "Europe/Berlin", next_one(bot, 2, 4, "18:00"))
    assert calls[1].text == bot.content.t("weekly_summary.screen", status=wednesday_18)
    calls = await bot.tap(ALICE, "08:00")
    wednesday_8 = status_on(bot, 2, "08:00", "Europe/Berlin", next_one(bot, 2, 4, "08:00"))
    assert calls[1].text == bot.content.t("weekly_summary.screen", status=wednesday_8)
    row = await user(bot, ALICE)
    assert (row.weekly_summary_weekday, row.weekly_summary_time) == (2, time(8))
    assert row.weekly_summary_next_at == datetime(2026, 3, 4, 7, tzinfo=UTC)

    # Tapping what is already chosen changes nothing and breaks nothing.
    calls = await bot.tap(ALICE, chosen(bot, day(bot, 2)))
    assert [c.method for c in calls] == ["answerCallbackQuery", "editMessageText"]

    calls = await bot.tap(ALICE, label(bot, "off"))
    assert calls[1].buttons == [[label(bot, "on")], [bot.content.t("remind.btn_back")]]
    row = await user(bot, ALICE)
    assert (row.weekly_summary_enabled, row.weekly_summary_next_at) == (False, None)
    calls = await bot.advance(days=3)
    assert photos(calls, ALICE) == []

    await bot.tap(ALICE, label(bot, "on"))
    row = await user(bot, ALICE)
    assert row.weekly_summary_enabled
    assert row.weekly_summary_next_at == datetime(2026, 3, 11, 7, tzinfo=UTC)


async def test_another_time_can_be_typed(bot: BotHarness) -> None:
    await bot.send(ALICE, "/pain 5")
    await bot.tap_data(ALICE, 1, encode(Action.SETTINGS_WEEKLY))

    calls = await bot.tap(ALICE, label(bot, "other_time"))
    assert [c.text for c in calls if c.method == "sendMessage"] == [
        bot.content.t("weekly_summary.ask_time")
    ]

    calls = await bot.send(ALICE, "7:30 pm")

    sunday_1930 = status_on(bot, 6, "19:30", "", next_one(bot, 6, 8, "19:30"))
    assert calls[0].text == bot.content.t("weekly_summary.screen", status=sunday_1930)
    row = await user(bot, ALICE)
    assert (row.weekly_summary_time, row.awaiting) == (time(19, 30), None)
    assert row.weekly_summary_next_at == datetime(2026, 3, 8, 19, 30, tzinfo=UTC)

    await bot.tap(ALICE, label(bot, "other_time"))
    calls = await bot.send(ALICE, "whenever")
    assert [c.text for c in calls] == [bot.content.t("weekly_summary.time_unclear")]
    assert (await user(bot, ALICE)).weekly_summary_time == time(19, 30)
    calls = await bot.send(ALICE, "21:00")  # the wait is over: not taken as a time
    assert [c.text for c in calls] == [bot.content.t("text_fallback")]


async def test_forged_settings_buttons_are_refused(bot: BotHarness) -> None:
    await bot.send(ALICE, "/pain 5")
    for data in (
        encode(Action.WEEKLY_DAY, 7),
        encode(Action.WEEKLY_TIME, "2500"),
        encode(Action.WEEKLY_TIME, "930"),
        encode(Action.WEEKLY_TOGGLE, "maybe"),
    ):
        calls = await bot.tap_data(ALICE, 1, data)
        assert [(c.method, c.params.get("text")) for c in calls] == [
            ("answerCallbackQuery", bot.content.t("button_forged"))
        ], data
    row = await user(bot, ALICE)
    assert (row.weekly_summary_weekday, row.weekly_summary_time) == (6, time(18))


async def test_a_new_time_zone_moves_the_next_summary(bot: BotHarness) -> None:
    await subscribe(bot, ALICE, zone="Berlin")
    await bot.send(ALICE, "/pain 5")
    await bot.advance(minutes=1)
    assert (await user(bot, ALICE)).weekly_summary_next_at == SUNDAY_18_BERLIN

    await bot.send(ALICE, "/timezone Asia/Tokyo")

    assert (await user(bot, ALICE)).weekly_summary_next_at == datetime(2026, 3, 8, 9, tzinfo=UTC)
