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
    assert summary.text.startswith(
        "Your weekly summary: pain and routines over the last 7 days\n\n"
        "Average 4.0 (lowest 4, highest 4), from 1 rating on 1 day."
    )
    assert summary.buttons == [
        ["• 7 days •", "30 days", "90 days"],
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
    assert "On: Sundays at 18:00 (your time, Europe/Berlin)." in (screen.text or "")
    assert "Next one: Sunday 8 March, 18:00." in (screen.text or "")
    assert screen.buttons == [
        ["Turn off"],
        ["Mon", "Tue", "Wed", "Thu"],
        ["Fri", "Sat", "✓ Sun"],
        ["07:00", "08:00", "09:00"],
        ["12:00", "17:00", "✓ 18:00"],
        ["19:00", "20:00", "21:00"],
        ["Other time…"],
        [bot.content.t("remind.btn_back")],
    ]

    calls = await bot.tap(ALICE, "Wed")
    assert [c.method for c in calls] == ["answerCallbackQuery", "editMessageText"]
    assert "On: Wednesdays at 18:00" in (calls[1].text or "")
    calls = await bot.tap(ALICE, "08:00")
    assert "Next one: Wednesday 4 March, 08:00." in (calls[1].text or "")
    row = await user(bot, ALICE)
    assert (row.weekly_summary_weekday, row.weekly_summary_time) == (2, time(8))
    assert row.weekly_summary_next_at == datetime(2026, 3, 4, 7, tzinfo=UTC)

    # Tapping what is already chosen changes nothing and breaks nothing.
    calls = await bot.tap(ALICE, "✓ Wed")
    assert [c.method for c in calls] == ["answerCallbackQuery", "editMessageText"]

    calls = await bot.tap(ALICE, "Turn off")
    assert calls[1].buttons == [["Turn on"], [bot.content.t("remind.btn_back")]]
    row = await user(bot, ALICE)
    assert (row.weekly_summary_enabled, row.weekly_summary_next_at) == (False, None)
    calls = await bot.advance(days=3)
    assert photos(calls, ALICE) == []

    await bot.tap(ALICE, "Turn on")
    row = await user(bot, ALICE)
    assert row.weekly_summary_enabled
    assert row.weekly_summary_next_at == datetime(2026, 3, 11, 7, tzinfo=UTC)


async def test_another_time_can_be_typed(bot: BotHarness) -> None:
    await bot.send(ALICE, "/pain 5")
    await bot.tap_data(ALICE, 1, encode(Action.SETTINGS_WEEKLY))

    calls = await bot.tap(ALICE, "Other time…")
    assert [c.text for c in calls if c.method == "sendMessage"] == [
        bot.content.t("weekly_summary.ask_time")
    ]

    calls = await bot.send(ALICE, "7:30 pm")

    assert "On: Sundays at 19:30 (UTC;" in (calls[0].text or "")
    row = await user(bot, ALICE)
    assert (row.weekly_summary_time, row.awaiting) == (time(19, 30), None)
    assert row.weekly_summary_next_at == datetime(2026, 3, 8, 19, 30, tzinfo=UTC)

    await bot.tap(ALICE, "Other time…")
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
