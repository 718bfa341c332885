"""Every Bot API send goes through the one send budget with its priority: answers to taps,
the sweep's prompts (paid broadcasts when set), countdown edits; the countdown edits less
often when the budget is short; the sweep keeps several prompts in flight and records each
the moment its answer arrives."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator
from datetime import UTC, datetime, time

import pytest

from bot.domain.statuses import DeliveryStatus
from bot.runtime.budget import Expired, Priority, SendBudget
from storage.models import ReminderDelivery
from tests.harness import BotHarness, make_settings
from tests.reminder_flow import insert_subscribers, prompts, subscribe
from tests.routine_helpers import ALICE, START_HOLD, countdown, methods
from tests.test_routine_steps import KNEES_1L, begin

BOB = 222_222_222
MONDAY_0730 = datetime(2026, 3, 2, 6, 30, tzinfo=UTC)


class Seen:
    """What the budget was asked for: (priority, chat, paid), in order."""

    def __init__(self, budget: SendBudget, monkeypatch: pytest.MonkeyPatch) -> None:
        self.asked: list[tuple[Priority, object, bool]] = []
        self.refuse: set[Priority] = set()
        real = budget.acquire

        async def acquire(
            priority: Priority,
            chat: int | str | None,
            *,
            paid: bool = False,
            max_wait: float | None = None,
        ) -> None:
            self.asked.append((priority, chat, paid))
            if priority in self.refuse:
                raise Expired
            await real(priority, chat, paid=paid, max_wait=max_wait)

        monkeypatch.setattr(budget, "acquire", acquire)

    @contextlib.contextmanager
    def fresh(self) -> Iterator[list[tuple[Priority, object, bool]]]:
        self.asked.clear()
        yield self.asked


async def test_taps_are_answers_the_sweep_sends_reminders_and_the_timer_countdowns(
    bot: BotHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = Seen(bot.runtime.budget, monkeypatch)
    await subscribe(bot, BOB)
    await begin(bot)

    with seen.fresh() as asked:
        calls = await bot.tap(ALICE, START_HOLD)
    assert methods(calls) == ["answerCallbackQuery", "editMessageText"]
    assert asked == [(Priority.ANSWER, ALICE, False)]  # the spinner's answer is not counted

    with seen.fresh() as asked:
        calls = await bot.advance(seconds=5)
    assert [call.text for call in calls] == [countdown(KNEES_1L, 15, 20)]
    assert asked == [(Priority.COUNTDOWN, ALICE, False)]

    with seen.fresh() as asked:
        calls = await bot.advance_to(MONDAY_0730)
    assert [call.chat_id for call in prompts(calls)] == [BOB]
    assert (Priority.REMINDER, BOB, False) in asked
    assert "allow_paid_broadcast" not in prompts(calls)[0].params


async def test_with_paid_broadcast_on_the_prompts_are_paid_and_answers_are_not(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    bot = await BotHarness.start(make_settings(database_url, reminder_paid_broadcast=True))
    try:
        seen = Seen(bot.runtime.budget, monkeypatch)
        await subscribe(bot, BOB)
        assert {paid for _, _, paid in seen.asked} == {False}

        with seen.fresh() as asked:
            calls = await bot.advance_to(MONDAY_0730)

        (prompt,) = prompts(calls, BOB)
        assert prompt.params["allow_paid_broadcast"] is True
        assert asked == [(Priority.REMINDER, BOB, True)]
    finally:
        await bot.stop()
    assert bot.errors == []


async def test_when_the_budget_is_short_the_countdown_edits_only_near_the_end(
    bot: BotHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bot.runtime.budget, "countdown_every", lambda _chat: None)
    await begin(bot)
    await bot.tap(ALICE, START_HOLD)  # a 20 s hold; its first tick was set for 5 s

    first = await bot.advance(seconds=5)
    quiet = await bot.advance(seconds=9)
    near_end = await bot.advance(seconds=1)

    assert [call.text for call in first] == [countdown(KNEES_1L, 15, 20)]
    assert quiet == []  # no edit at 10 s
    assert [call.text for call in near_end] == [countdown(KNEES_1L, 5, 20)]
    ended = await bot.advance(seconds=5)
    assert methods(ended)[-1] == "sendMessage"  # the next step, as always


async def test_with_room_in_the_budget_the_countdown_edits_every_ten_seconds_if_told(
    bot: BotHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bot.runtime.budget, "countdown_every", lambda _chat: 10.0)
    await begin(bot)
    await bot.tap(ALICE, START_HOLD)

    first = await bot.advance(seconds=5)
    quiet = await bot.advance(seconds=9)
    second = await bot.advance(seconds=1)

    assert [call.text for call in first] == [countdown(KNEES_1L, 15, 20)]
    assert quiet == []
    assert [call.text for call in second] == [countdown(KNEES_1L, 5, 20)]


async def test_a_countdown_edit_that_finds_no_slot_is_skipped_quietly_and_the_hold_goes_on(
    bot: BotHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = Seen(bot.runtime.budget, monkeypatch)
    seen.refuse.add(Priority.COUNTDOWN)
    await begin(bot)
    await bot.tap(ALICE, START_HOLD)

    skipped = await bot.advance(seconds=15)
    ended = await bot.advance(seconds=5)

    assert skipped == []  # three edits asked for, none sent
    assert [p for p, _, _ in seen.asked].count(Priority.COUNTDOWN) == 3
    assert methods(ended) == ["editMessageText", "sendMessage"]  # the end is an answer
    assert bot.errors == []


async def test_the_sweep_sends_past_a_slow_answer_and_records_each_result_as_it_arrives(
    database_url: str,
) -> None:
    bot = await BotHarness.start(make_settings(database_url, reminder_send_concurrency=4))
    try:
        users = list(range(6001, 6013))
        await insert_subscribers(bot, users, zone="Europe/Berlin", at=time(7, 30))
        bot.fake.hang(method="sendMessage", chat_id=users[0])

        sweep = asyncio.create_task(bot.advance_to(MONDAY_0730))
        await bot.fake.wait_until(lambda: len(prompts(bot.fake.calls)) == len(users))
        # The first prompt's answer has not come; the other eleven went out past it (three
        # places in flight were enough) and each was recorded.
        await bot.runtime.budget.settled(in_flight=1)
        sent = await bot.rows(ReminderDelivery, ReminderDelivery.status == DeliveryStatus.SENT)
        assert sorted(row.user_id for row in sent) == users[1:]
        assert bot.runtime.budget.stats.peak_in_flight == 4
        bot.fake.release_hanging()
        await sweep
        rows = {row.user_id: row for row in await bot.rows(ReminderDelivery)}
        first = rows[users[0]]
        assert (first.status, first.attempts) == (DeliveryStatus.CLAIMED, 1)  # retried later
    finally:
        await bot.stop()
    assert bot.errors == []
