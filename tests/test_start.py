"""The first contact: /start and /help through the real Application."""

from __future__ import annotations

from storage.models import User
from tests.harness import BotHarness

ALICE = 111_111_111_111  # ids beyond 32 bits must survive the round trip


async def test_start_sends_exactly_the_welcome_and_records_the_user(bot: BotHarness) -> None:
    content = bot.content

    calls = await bot.send(ALICE, "/start")

    welcome = content.t("welcome", disclaimer=content.safety.disclaimer.strip())
    assert [(call.method, call.chat_id, call.text) for call in calls] == [
        ("sendMessage", ALICE, welcome)
    ]
    users = await bot.rows(User)
    assert [(user.id, user.chat_id, user.language_code) for user in users] == [(ALICE, ALICE, "en")]


async def test_help_lists_the_commands(bot: BotHarness) -> None:
    calls = await bot.send(ALICE, "/help")

    assert len(calls) == 1
    assert calls[0].text == bot.content.t("help")
    assert "/exercise" in (calls[0].text or "")


async def test_unknown_command_gets_a_pointer_to_help(bot: BotHarness) -> None:
    calls = await bot.send(ALICE, "/frobnicate now")

    assert [call.text for call in calls] == [bot.content.t("unknown_command")]
