"""The first contact: /start and /help through the real Application."""

from __future__ import annotations

from bot.plumbing.callbacks import Action, encode
from storage.models import User
from tests.harness import BotHarness

ALICE = 111_111_111_111  # ids beyond 32 bits must survive the round trip


async def test_start_sends_the_welcome_then_the_first_safety_question(bot: BotHarness) -> None:
    content = bot.content

    calls = await bot.send(ALICE, "/start")

    welcome = content.t("welcome", disclaimer=content.safety.disclaimer.strip())
    questions = content.safety.red_flag_questions
    first = content.t(
        "onboard.safety_question", number=1, total=len(questions), question=questions[0].question
    )
    assert [(call.method, call.chat_id, call.text) for call in calls] == [
        ("sendMessage", ALICE, welcome),
        ("sendMessage", ALICE, first),
    ]
    assert "reply_markup" not in calls[0].params
    assert calls[1].button_data == {
        "Yes": encode(Action.SAFETY_ANSWER, 0, "y"),
        "No": encode(Action.SAFETY_ANSWER, 0, "n"),
    }
    users = await bot.rows(User)
    assert [
        (user.id, user.chat_id, user.language_code, user.onboarding_step, user.awaiting_ref)
        for user in users
    ] == [(ALICE, ALICE, "en", "safety", 0)]


async def test_help_lists_the_commands(bot: BotHarness) -> None:
    calls = await bot.send(ALICE, "/help")

    assert len(calls) == 1
    assert calls[0].text == bot.content.t("help")
    assert "/exercise" in (calls[0].text or "")


async def test_unknown_command_gets_a_pointer_to_help(bot: BotHarness) -> None:
    calls = await bot.send(ALICE, "/frobnicate now")

    assert [call.text for call in calls] == [bot.content.t("unknown_command")]
