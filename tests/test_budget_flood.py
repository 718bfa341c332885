"""The one send budget seen through the Application: the weekly summaries take the REMINDER
priority like the daily prompt, and a 429 on a direct answer (retried by the request layer)
pauses the whole budget for its retry_after, so the reminders back off too, and is counted
(issue 18)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, time, timedelta

from bot.entry.fake_records import ApiCall, FakeMessage
from bot.runtime.budget import Priority
from tests.harness import BotHarness, make_settings
from tests.reminder_flow import insert_subscribers, prompts

ALICE = 111_111_111_111
BOB = 222_222_222
SUNDAY_18_UTC = datetime(2026, 3, 8, 18, 0, tzinfo=UTC)  # the weekly summary's default
MONDAY_0730_BERLIN = datetime(2026, 3, 2, 6, 30, tzinfo=UTC)


async def test_the_weekly_summary_draws_from_the_budget_as_a_reminder(bot: BotHarness) -> None:
    await bot.send(ALICE, "/pain 5")  # something to sum up; no subscription: UTC
    await bot.advance(minutes=1)  # the sweep gives Alice her first summary time
    await bot.advance(SUNDAY_18_UTC - timedelta(minutes=1) - bot.runtime.clock.now())
    granted = bot.runtime.budget.stats.granted
    before = dict(granted)

    calls = await bot.advance(minutes=1)

    sends = [c for c in calls if c.chat_id == ALICE and c.method in ("sendPhoto", "sendMessage")]
    assert [c.method for c in sends] == ["sendPhoto", "sendMessage"]  # the summary, the re-screen
    assert sends[0].text is not None
    assert sends[0].text.startswith(bot.content.t("weekly_summary.header"))
    assert granted[Priority.REMINDER] - before[Priority.REMINDER] == 2
    assert granted[Priority.ANSWER] == before[Priority.ANSWER]


async def test_a_429_on_an_answer_pauses_the_budget_and_the_reminders_wait(
    database_url: str,
) -> None:
    bot = await BotHarness.start(make_settings(database_url, rate_limit_enabled=True))
    try:
        budget = bot.runtime.budget
        await insert_subscribers(bot, [BOB], zone="Europe/Berlin", at=time(7, 30))
        arrived: list[tuple[ApiCall, float]] = []

        def on_call(call: ApiCall, _message: FakeMessage | None) -> None:
            if call.method == "sendMessage":
                arrived.append((call, budget.now()))

        bot.fake.listeners.append(on_call)
        bot.fake.fail(429, "Too Many Requests: retry after 1", chat_id=ALICE, retry_after=1)

        answer = asyncio.create_task(bot.send(ALICE, "/help"))
        await bot.fake.wait_until(lambda: budget.stats.held_off == 1)
        refused_at = budget.now()
        sweep = await bot.advance_to(MONDAY_0730_BERLIN)  # Bob's prompt is due: it waits
        await answer

        assert bot.slept == [1.0]  # the request layer waited out retry_after once
        assert budget.stats.held_off == 1  # counted, once
        assert [call.chat_id for call in prompts(sweep)] == [BOB]
        order = [call.chat_id for call, _ in arrived]
        assert order == [ALICE, BOB]  # the answer's retry first, then the reminder
        # Nothing went out while the budget was paused (the fake's 429 counts 1 s).
        assert all(at >= refused_at + 1.0 - 0.05 for _, at in arrived)
    finally:
        await bot.stop()
    assert bot.errors == []
