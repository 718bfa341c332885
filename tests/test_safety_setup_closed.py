"""After an emergency answer at /start, reminder set-up stays closed (issue 14), through the
real Application: every command and button that sets up or changes the daily prompt answers
"send /start again once a doctor has checked you" and sets nothing up; once the user confirms
the check through /start, the set-up works again."""

from __future__ import annotations

from datetime import time

import pytest

from bot.domain.timeparse import time_token
from bot.domain.zoneparse import zone_token_parts
from bot.entry.fake_records import ApiCall
from bot.plumbing.callbacks import Action, encode
from storage.models import Subscription, User
from tests.harness import BotHarness, catalog_fragment

ALICE = 111_111_111_111


@pytest.fixture
def gated(bot: BotHarness) -> BotHarness:
    bot.screen_before_routines = False
    return bot


def sent(calls: list[ApiCall]) -> list[str]:
    return [call.text or "" for call in calls if call.method == "sendMessage"]


async def _emergency_at_start(bot: BotHarness) -> None:
    """Arrange: /start, "Yes" to the first question (an emergency one)."""
    await bot.send(ALICE, "/start")
    assert bot.content.safety.red_flag_questions[0].tier == "emergency"
    calls = await bot.tap(ALICE, bot.content.t("onboard.yes"))
    assert bot.content.t("safety.after_emergency").strip() in sent(calls)


async def test_after_an_emergency_answer_no_command_or_button_sets_up_reminders(
    gated: BotHarness,
) -> None:
    bot, content = gated, gated.content
    await _emergency_at_start(bot)
    check_first = content.t("safety.after_emergency").strip()
    last = max(bot.fake.messages[ALICE])

    for command in (
        "/timezone Berlin",
        "/timezone",
        "/time 7:30",
        "/time",
        "/settings",
        "/resume",
        "/pause 3",
        "/stop",
    ):
        calls = await bot.send(ALICE, command)
        assert sent(calls) == [check_first], command
    located = await bot.share_location(ALICE, 52.52, 13.40)  # Berlin
    assert sent(located) == [check_first]
    buttons = (
        encode(Action.ZONE_PICK, *zone_token_parts("Europe/Berlin")),
        encode(Action.TIME_PICK, time_token(time(7, 30))),
        encode(Action.SETTINGS_SCREEN, "time"),
        encode(Action.SETTINGS_SCREEN, "zone"),
        encode(Action.DAYS_SET, "127"),
    )
    for data in buttons:
        tapped = await bot.tap_data(ALICE, last, data)
        assert sent(tapped) == [check_first], data
    await bot.send(ALICE, "Berlin")  # no question is open: not read as a zone
    assert await bot.rows(Subscription) == []
    (user,) = await bot.rows(User)
    assert user.awaiting is None
    assert user.onboarding_step is None


async def test_once_a_doctor_has_checked_them_start_sets_everything_up(gated: BotHarness) -> None:
    bot, content = gated, gated.content
    await _emergency_at_start(bot)
    await bot.send(ALICE, "/timezone Berlin")  # refused, as above

    await bot.send(ALICE, "/start")
    await bot.tap(ALICE, content.t("safety.button_checked"))
    for _ in content.safety.red_flag_questions:
        await bot.tap(ALICE, content.t("onboard.no"))
    zone = await bot.send(ALICE, "/timezone Berlin")
    assert content.t("safety.after_emergency").strip() not in sent(zone)
    done = await bot.send(ALICE, "7:30")

    assert any(catalog_fragment(content, "remind.subscribed") in text for text in sent(done))
    (subscription,) = await bot.rows(Subscription)
    assert (subscription.timezone, subscription.local_time) == ("Europe/Berlin", time(7, 30))
    changed = await bot.send(ALICE, "/time 8:00")
    assert content.t("safety.after_emergency").strip() not in sent(changed)
    (subscription,) = await bot.rows(Subscription)
    assert subscription.local_time == time(8, 0)
