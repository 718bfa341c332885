"""The smaller defects of issue 13 item 8, each through the real Application."""

from __future__ import annotations

from bot.entry.fake_records import ApiCall
from tests.harness import BotHarness, catalog_fragment

ALICE = 181_818_181_818


def sent(calls: list[ApiCall]) -> list[ApiCall]:
    return [call for call in calls if call.method == "sendMessage"]


async def test_a_typed_time_takes_the_buttons_off_the_time_question(bot: BotHarness) -> None:
    await bot.send(ALICE, "/start")
    for _ in bot.content.safety.red_flag_questions:
        await bot.tap(ALICE, bot.content.t("onboard.no"))
    await bot.send(ALICE, "Berlin")
    question = bot.message_with_button(ALICE, "07:30")

    calls = await bot.send(ALICE, "7:45")

    assert any(c.method == "editMessageReplyMarkup" for c in calls)
    assert not bot.fake.messages[ALICE][question.message_id].reply_markup
    done = catalog_fragment(bot.content, "remind.subscribed")
    assert any(done in (c.text or "") for c in sent(calls))
