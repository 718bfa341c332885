"""The sweep under trouble: downtime, restarts mid-dispatch, blocked users, 429s, timeouts,
and two dispatchers sharing one PostgreSQL database."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time as wall_clock
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import select, text

from bot.domain.schedule import SEND_LEASE
from bot.domain.statuses import DeliveryStatus
from bot.entry.fake_telegram import FakeTelegram
from storage.models import ReminderDelivery, Subscription, User
from tests.harness import BotHarness, catalog_fragment, make_settings
from tests.reminder_flow import (
    advance_to_next_due,
    delivered_prompts,
    deliveries,
    insert_subscribers,
    prompts,
    subscribe,
    subscription,
)

ALICE = 111_111_111_111
BOB = 222_222_222
MONDAY_0730 = datetime(2026, 3, 2, 6, 30, tzinfo=UTC)  # 07:30 in Berlin


# --- the bot was down ---------------------------------------------------------------------


async def test_a_prompt_late_by_less_than_the_grace_period_is_sent_marked_late(
    bot: BotHarness,
) -> None:
    await subscribe(bot, ALICE)

    calls = await bot.advance_to(MONDAY_0730 + timedelta(minutes=90))  # no sweep in between

    (prompt,) = prompts(calls, ALICE)
    normal = bot.content.t(
        "remind.prompt", count=7, minutes=12, streak=bot.content.t("remind.streak_none")
    )
    assert prompt.text == bot.content.t("remind.prompt_late", time="07:30", prompt=normal)
    (delivery,) = await deliveries(bot, ALICE)
    assert (delivery.status, delivery.late, delivery.due_at) == (
        DeliveryStatus.SENT,
        True,
        MONDAY_0730,
    )
    assert (await subscription(bot, ALICE)).next_due_at == MONDAY_0730 + timedelta(days=1)


async def test_a_prompt_older_than_the_grace_period_is_recorded_missed_not_sent(
    bot: BotHarness,
) -> None:
    await subscribe(bot, ALICE)

    calls = await bot.advance_to(MONDAY_0730 + timedelta(hours=2))

    assert prompts(calls) == []
    (delivery,) = await deliveries(bot, ALICE)
    assert (delivery.status, delivery.sent_at, delivery.local_date) == (
        DeliveryStatus.MISSED,
        None,
        date(2026, 3, 2),
    )
    assert len(prompts(await advance_to_next_due(bot, ALICE))) == 1


async def test_after_days_down_one_missed_row_and_only_todays_prompt_no_burst(
    bot: BotHarness,
) -> None:
    await subscribe(bot, ALICE)

    # Down from before Monday's prompt until Thursday 08:30 local.
    calls = await bot.advance_to(MONDAY_0730 + timedelta(days=3, hours=1))

    (prompt,) = prompts(calls, ALICE)
    assert (prompt.text or "").startswith(catalog_fragment(bot.content, "remind.prompt_late"))
    rows = await deliveries(bot, ALICE)
    assert [(row.local_date, row.status, row.late) for row in rows] == [
        (date(2026, 3, 2), DeliveryStatus.MISSED, False),
        (date(2026, 3, 5), DeliveryStatus.SENT, True),
    ]
    assert (await subscription(bot, ALICE)).next_due_at == MONDAY_0730 + timedelta(days=4)


async def test_a_zero_grace_setting_still_sends_prompts_on_time(database_url: str) -> None:
    harness = await BotHarness.start(make_settings(database_url, reminder_grace_minutes=0))
    try:
        await subscribe(harness, ALICE)
        on_time = await harness.advance_to(MONDAY_0730 + timedelta(seconds=20))
        assert len(prompts(on_time, ALICE)) == 1
        assert prompts(await harness.advance_to(MONDAY_0730 + timedelta(days=1, hours=1))) == []
        (_, missed) = await deliveries(harness, ALICE)
        assert missed.status == DeliveryStatus.MISSED
    finally:
        await harness.stop()
    assert harness.errors == []


# --- restarts -----------------------------------------------------------------------------


@pytest.mark.parametrize("concurrency", [1, 4])
async def test_a_kill_mid_dispatch_repeats_at_most_the_send_window(
    database_url: str, concurrency: int
) -> None:
    """The process dies while sending. Every send before the kill was recorded before the
    next began; the sends in flight had reached the chats (Telegram accepted them) but their
    answers never came back. A new Application on the same database sends what was left once,
    and repeats exactly the in-flight ones: never more than REMINDER_SEND_CONCURRENCY."""
    bot = await BotHarness.start(make_settings(database_url, reminder_send_concurrency=concurrency))
    try:
        users = list(range(5001, 5013))
        await insert_subscribers(bot, users, zone="Europe/Berlin", at=time(7, 30))
        for chat_id in users[4:]:
            bot.fake.hang(method="sendMessage", chat_id=chat_id, delivered=True)

        sweep = asyncio.create_task(bot.advance_to(MONDAY_0730))
        # Every slot stuck in flight: each slot records its send before it takes the next one,
        # so by then the four answered sends are all recorded.
        await bot.fake.wait_until(lambda: bot.fake.hanging == concurrency)
        done = await bot.count(ReminderDelivery, ReminderDelivery.status == DeliveryStatus.SENT)
        assert done == 4
        sweep.cancel()  # the process is killed
        with contextlib.suppress(asyncio.CancelledError):
            await sweep
        in_flight = users[4 : 4 + concurrency]
        assert [call.chat_id for call in prompts(bot.fake.calls)] == users[: 4 + concurrency]
        claimed = await bot.rows(
            ReminderDelivery, ReminderDelivery.status == DeliveryStatus.CLAIMED
        )
        assert sorted(row.user_id for row in claimed) == users[4:]

        bot.fake.failures.clear()
        await bot.restart()
        # Within the lease nobody takes the claimed ones over (their sender might be alive).
        assert prompts(await bot.advance(SEND_LEASE - timedelta(seconds=1))) == []
        resent = await bot.advance(seconds=1)

        assert sorted(call.chat_id for call in prompts(resent)) == users[4:]
        repeated = [u for u in users if len(delivered_prompts(bot, u)) > 1]
        assert repeated == in_flight
        assert all(len(delivered_prompts(bot, u)) == 1 for u in users if u not in in_flight)
        rows = await bot.rows(ReminderDelivery)
        assert len(rows) == len(users)
        assert {row.status for row in rows} == {DeliveryStatus.SENT}
        tomorrow = await bot.advance_to(MONDAY_0730 + timedelta(days=1))
        assert sorted(call.chat_id for call in prompts(tomorrow)) == users
    finally:
        await bot.stop()
    assert bot.errors == []


async def test_a_claim_whose_lease_runs_out_while_telegram_is_slow_waits_for_the_next_sweep(
    database_url: str,
) -> None:
    """Telegram holds the first prompt so long that the batch's lease runs out, while the
    others wait for a place in flight (one, here): they are not sent by this sweep (another
    dispatcher may have taken them over by now); the next sweep claims and sends them, once
    each."""
    bot = await BotHarness.start(make_settings(database_url, reminder_send_concurrency=1))
    try:
        await _lease_runs_out(bot)
    finally:
        await bot.stop()
    assert bot.errors == []


async def _lease_runs_out(bot: BotHarness) -> None:
    users = [5101, 5102, 5103]
    await insert_subscribers(bot, users, zone="Europe/Berlin", at=time(7, 30))
    bot.fake.hang(method="sendMessage", chat_id=5101)

    sweep = asyncio.create_task(bot.advance_to(MONDAY_0730))
    await bot.fake.wait_until(lambda: bot.fake.hanging == 1)
    bot.runtime.clock.advance(SEND_LEASE)  # Telegram answers nothing for two minutes
    bot.fake.release_hanging()  # then the request times out
    await sweep

    assert [c.chat_id for c in prompts(bot.fake.calls)] == [5101]
    rows = {row.user_id: row for row in await bot.rows(ReminderDelivery)}
    assert {u: (rows[u].status, rows[u].attempts) for u in users} == {
        5101: (DeliveryStatus.CLAIMED, 1),  # timed out: retried with back-off
        5102: (DeliveryStatus.CLAIMED, 0),  # never started: left for the next sweep
        5103: (DeliveryStatus.CLAIMED, 0),
    }
    assert rows[5102].retry_at == MONDAY_0730 + SEND_LEASE

    later = await bot.advance(seconds=1)
    assert sorted(c.chat_id for c in prompts(later)) == [5102, 5103]
    await bot.advance(minutes=1)
    for user_id in users:
        assert len(delivered_prompts(bot, user_id)) == 1, user_id
    assert {row.status for row in await bot.rows(ReminderDelivery)} == {DeliveryStatus.SENT}


async def test_a_restart_between_two_days_changes_nothing(bot: BotHarness) -> None:
    await subscribe(bot, ALICE)
    await advance_to_next_due(bot, ALICE)

    await bot.restart()
    calls = await bot.advance(hours=23)
    later = await advance_to_next_due(bot, ALICE)

    assert prompts(calls) == []
    assert len(prompts(later, ALICE)) == 1
    assert len(await deliveries(bot, ALICE)) == 2


# --- Telegram says no -------------------------------------------------------------------


async def test_a_blocked_user_is_switched_off_and_the_others_still_get_theirs(
    bot: BotHarness, caplog: pytest.LogCaptureFixture
) -> None:
    await subscribe(bot, ALICE)
    await subscribe(bot, BOB)
    bot.fake.blocked_chats.add(BOB)

    with caplog.at_level(logging.INFO, logger="bot.services.reminder_sweep"):
        calls = await bot.advance_to(MONDAY_0730)

    assert sorted(call.chat_id for call in prompts(calls)) == sorted(
        [ALICE, BOB]
    )  # one attempt each
    assert len(delivered_prompts(bot, ALICE)) == 1
    assert delivered_prompts(bot, BOB) == []
    (bobs,) = await deliveries(bot, BOB)
    assert (bobs.status, bobs.attempts) == (DeliveryStatus.BLOCKED, 1)
    assert "blocked" in (bobs.error or "")
    sub = await subscription(bot, BOB)
    assert (sub.status, sub.next_due_at) == ("blocked", None)
    (bob,) = await bot.rows(User, User.id == BOB)
    assert bob.blocked_at == MONDAY_0730
    assert f"user blocked the bot: user={BOB}" in caplog.text

    next_day = await advance_to_next_due(bot, ALICE)
    assert [call.chat_id for call in prompts(next_day)] == [ALICE]

    # Bob unblocks the bot and comes back.
    bot.fake.blocked_chats.discard(BOB)
    back = await bot.send(BOB, "/start")
    assert catalog_fragment(bot.content, "remind.welcome_back") in (back[-1].text or "")
    sub = await subscription(bot, BOB)
    assert (sub.status, sub.next_due_at) == ("active", MONDAY_0730 + timedelta(days=2))
    (bob,) = await bot.rows(User, User.id == BOB)
    assert bob.blocked_at is None


async def test_a_429_is_retried_after_retry_after_without_sleeping(bot: BotHarness) -> None:
    await subscribe(bot, ALICE)
    await subscribe(bot, BOB)
    bot.fake.fail(
        429,
        "Too Many Requests: retry after 30",
        method="sendMessage",
        chat_id=ALICE,
        retry_after=30,
    )

    started = wall_clock.monotonic()
    first = await bot.advance_to(MONDAY_0730)
    assert wall_clock.monotonic() - started < 30  # nothing waited out the 30 s

    assert sorted(call.chat_id for call in prompts(first)) == sorted([ALICE, BOB])
    assert len(delivered_prompts(bot, BOB)) == 1
    assert delivered_prompts(bot, ALICE) == []
    (alices,) = await deliveries(bot, ALICE)
    assert (alices.status, alices.retry_at, alices.attempts, alices.error) == (
        DeliveryStatus.CLAIMED,
        MONDAY_0730 + timedelta(seconds=30),
        0,
        "429",
    )
    assert prompts(await bot.advance(seconds=29)) == []
    retried = await bot.advance(seconds=1)
    assert [call.chat_id for call in prompts(retried)] == [ALICE]
    (alices,) = await deliveries(bot, ALICE)
    assert (alices.status, alices.sent_at, alices.late) == (
        DeliveryStatus.SENT,
        MONDAY_0730 + timedelta(seconds=30),
        False,
    )
    assert len(delivered_prompts(bot, ALICE)) == 1


async def test_a_429_beyond_the_grace_period_gives_up(bot: BotHarness) -> None:
    await subscribe(bot, ALICE)
    bot.fake.fail(429, "Too Many Requests", chat_id=ALICE, retry_after=3 * 3600)

    await bot.advance_to(MONDAY_0730)

    (delivery,) = await deliveries(bot, ALICE)
    assert (delivery.status, delivery.retry_at) == (DeliveryStatus.FAILED, None)
    assert len(prompts(await advance_to_next_due(bot, ALICE))) == 1


async def test_timeouts_are_retried_with_backoff_then_sent(bot: BotHarness) -> None:
    await subscribe(bot, ALICE)
    bot.fake.time_out(method="sendMessage", chat_id=ALICE, times=2)

    first = await bot.advance_to(MONDAY_0730)
    (delivery,) = await deliveries(bot, ALICE)
    assert (delivery.status, delivery.attempts, delivery.retry_at) == (
        DeliveryStatus.CLAIMED,
        1,
        MONDAY_0730 + timedelta(seconds=30),
    )
    second = await bot.advance(seconds=30)
    (delivery,) = await deliveries(bot, ALICE)
    assert (delivery.attempts, delivery.retry_at) == (2, MONDAY_0730 + timedelta(seconds=90))
    assert prompts(await bot.advance(seconds=59)) == []
    third = await bot.advance(seconds=1)

    assert [len(prompts(calls)) for calls in (first, second, third)] == [1, 1, 1]
    (delivery,) = await deliveries(bot, ALICE)
    assert (delivery.status, delivery.attempts, delivery.error) == (DeliveryStatus.SENT, 3, None)
    assert len(delivered_prompts(bot, ALICE)) == 1


async def test_timeouts_without_end_are_bounded_then_failed(bot: BotHarness) -> None:
    await subscribe(bot, ALICE)
    bot.fake.time_out(method="sendMessage", chat_id=ALICE, times=100)

    calls = await bot.advance_to(MONDAY_0730)
    for _ in range(10):
        calls += await bot.advance(minutes=5)

    assert len(prompts(calls, ALICE)) == 5  # 30 s, 1, 2 and 4 min apart
    (delivery,) = await deliveries(bot, ALICE)
    assert (delivery.status, delivery.attempts, delivery.retry_at) == (
        DeliveryStatus.FAILED,
        5,
        None,
    )
    assert "TimedOut" in (delivery.error or "")


async def test_a_server_error_is_retried_and_a_bad_request_is_not(bot: BotHarness) -> None:
    await subscribe(bot, ALICE)
    await subscribe(bot, BOB)
    bot.fake.fail(500, "Internal Server Error", method="sendMessage", chat_id=ALICE)
    bot.fake.fail(400, "Bad Request: chat not found", method="sendMessage", chat_id=BOB)

    await bot.advance_to(MONDAY_0730)
    await bot.advance(seconds=30)

    (alices,) = await deliveries(bot, ALICE)
    (bobs,) = await deliveries(bot, BOB)
    assert (alices.status, alices.attempts) == (DeliveryStatus.SENT, 2)
    assert (bobs.status, bobs.attempts, bobs.error) == (
        DeliveryStatus.FAILED,
        1,
        "Chat not found",
    )
    assert (await subscription(bot, BOB)).status == "active"


async def test_with_ptbs_rate_limiter_a_429_comes_straight_back(database_url: str) -> None:
    """AIORateLimiter(max_retries=0): it throttles, and hands a 429 to the sweep at once."""
    harness = await BotHarness.start(make_settings(database_url, rate_limit_enabled=True))
    try:
        await subscribe(harness, ALICE)
        harness.fake.fail(429, "Too Many Requests", chat_id=ALICE, retry_after=60)
        started = wall_clock.monotonic()
        await harness.advance_to(MONDAY_0730)
        assert wall_clock.monotonic() - started < 60  # nothing waited out the 60 s
        (delivery,) = await deliveries(harness, ALICE)
        assert delivery.retry_at == MONDAY_0730 + timedelta(seconds=60)
        await harness.advance(seconds=60)
        assert len(delivered_prompts(harness, ALICE)) == 1
    finally:
        await harness.stop()
    assert harness.errors == []


async def test_a_row_that_cannot_be_scheduled_is_set_aside_and_the_others_served(
    bot: BotHarness, caplog: pytest.LogCaptureFixture
) -> None:
    await insert_subscribers(bot, [7001, 7002], zone="Europe/Berlin", at=time(7, 30))
    async with bot.session() as session:
        (broken,) = (
            await session.scalars(select(Subscription).where(Subscription.user_id == 7001))
        ).all()
        broken.timezone = "Mars/Olympus_Mons"  # e.g. a zone a newer tzdata dropped
        await session.commit()

    with caplog.at_level(logging.ERROR):
        calls = await bot.advance_to(MONDAY_0730)

    assert [call.chat_id for call in prompts(calls)] == [7002]
    assert "reminder schedule set aside: user=7001" in caplog.text
    assert (await subscription(bot, 7001)).next_due_at is None
    assert (await subscription(bot, 7002)).next_due_at == MONDAY_0730 + timedelta(days=1)


async def test_a_database_failure_is_logged_and_the_job_keeps_running(
    bot: BotHarness, caplog: pytest.LogCaptureFixture
) -> None:
    await subscribe(bot, ALICE)
    async with bot.session() as session:
        await session.execute(text("ALTER TABLE reminder_deliveries RENAME TO deliveries_away"))
        await session.commit()

    with caplog.at_level(logging.ERROR):
        failed = await bot.advance_to(MONDAY_0730)

    assert prompts(failed) == []
    assert "reminder sweep failed; the next run tries again" in caplog.text
    async with bot.session() as session:
        await session.execute(text("ALTER TABLE deliveries_away RENAME TO reminder_deliveries"))
        await session.commit()
    recovered = await bot.advance(seconds=20)
    assert [call.chat_id for call in prompts(recovered)] == [ALICE]
    (delivery,) = await deliveries(bot, ALICE)
    assert (delivery.status, delivery.late) == (DeliveryStatus.SENT, False)


# --- two dispatchers --------------------------------------------------------------------


async def test_two_dispatchers_on_one_database_send_each_of_1000_prompts_once(
    database_url: str,
) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("several dispatchers need PostgreSQL (FOR UPDATE SKIP LOCKED)")
    settings = make_settings(database_url)
    first = await BotHarness.start(settings)
    second = await BotHarness.start(settings, clock=first.clock, fake=FakeTelegram(first.clock))
    try:
        users = list(range(900_001, 901_001))
        await insert_subscribers(first, users, zone="Europe/Berlin", at=time(7, 30))
        first.clock.set(MONDAY_0730 + timedelta(seconds=15))

        started = wall_clock.monotonic()
        await asyncio.gather(first.run_due_jobs(), second.run_due_jobs())
        elapsed = wall_clock.monotonic() - started

        sent_by_first = [call.chat_id for call in prompts(first.fake.calls)]
        sent_by_second = [call.chat_id for call in prompts(second.fake.calls)]
        assert sorted(sent_by_first + sent_by_second) == users
        assert sent_by_first, "both dispatchers should have taken a share"
        assert sent_by_second, "both dispatchers should have taken a share"
        rows = await first.rows(ReminderDelivery)
        assert len(rows) == 1000
        assert {row.status for row in rows} == {DeliveryStatus.SENT}
        print(
            f"\n1000 prompts, two dispatchers: {len(sent_by_first)} + {len(sent_by_second)} "
            f"in {elapsed:.2f}s"
        )
        # Running both again sends nothing more.
        await asyncio.gather(first.run_due_jobs(), second.run_due_jobs())
        assert len(prompts(first.fake.calls)) + len(prompts(second.fake.calls)) == 1000
    finally:
        await second.stop()
        await first.stop()
    assert first.errors == second.errors == []
