"""No daily prompt once today's routine is done, or a one-line note if the user chose that in
/settings (issue 13 item 5)."""

from __future__ import annotations

from storage.models import ReminderDelivery
from tests.harness import BotHarness
from tests.reminder_flow import advance_to_next_due, prompts, subscribe
from tests.routine_helpers import skip_through

ALICE = 151_515_151_515


async def _routine_done(bot: BotHarness) -> None:
    skip = bot.content.t("routine.pain_skip")
    await bot.send(ALICE, "/routine")
    await bot.tap(ALICE, skip)
    await skip_through(bot, ALICE)
    await bot.tap(ALICE, skip)


async def test_no_prompt_after_todays_routine_is_done(bot: BotHarness) -> None:
    await subscribe(bot, ALICE, zone="UTC", at="18:00")
    await _routine_done(bot)

    calls = await advance_to_next_due(bot, ALICE)

    assert prompts(calls, ALICE) == []
    (delivery,) = await bot.rows(ReminderDelivery)
    assert delivery.status == "skipped"
    # The next day, with no routine yet, the prompt comes as usual.
    calls = await advance_to_next_due(bot, ALICE)
    assert len(prompts(calls, ALICE)) == 1


async def test_a_one_line_note_when_the_user_chose_it(bot: BotHarness) -> None:
    await subscribe(bot, ALICE, zone="UTC", at="18:00")
    calls = await bot.send(ALICE, "/settings")
    assert bot.content.t("remind.when_done_quiet") in (calls[0].text or "")
    calls = await bot.tap(ALICE, bot.content.t("remind.btn_when_done_note"))
    assert bot.content.t("remind.when_done_note") in (calls[-1].text or "")
    await _routine_done(bot)

    calls = await advance_to_next_due(bot, ALICE)

    sent = [c for c in calls if c.method == "sendMessage" and c.chat_id == ALICE]
    assert [c.text for c in sent] == [bot.content.t("remind.prompt_done_today")]
    assert sent[0].button_data == {}
