"""How the reminder sweep writes its results: the one-statement "sent" record, the connection
it runs on, and the size of each claimed batch."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import select, text

from bot.domain.statuses import DeliveryStatus
from bot.services.reminder_sweep import MAX_BATCH, MIN_BATCH, batch_size
from storage.models import ReminderDelivery, Subscription
from storage.reminders import mark_many_sent, mark_sent
from tests.harness import BotHarness
from tests.reminder_flow import insert_subscribers

DUE = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)
SENT_AT = datetime(2026, 3, 2, 7, 0, 15, 123456, tzinfo=UTC)
USERS = (7_500_000_001, 7_500_000_002)
LEASE = timedelta(minutes=2)


async def _claimed_deliveries(bot: BotHarness) -> list[int]:
    """One claimed delivery per user, as the sweep leaves them before sending."""
    await insert_subscribers(bot, USERS, zone="UTC", at=time(7, 0), due_at=DUE)
    async with bot.session() as session:
        subscriptions = (await session.scalars(select(Subscription))).all()
        rows = [
            ReminderDelivery(
                subscription_id=sub.id,
                user_id=sub.user_id,
                local_date=date(2026, 3, 2),
                due_at=DUE,
                claimed_at=DUE,
                status=DeliveryStatus.CLAIMED,
                attempts=0,
                retry_at=DUE + LEASE,
            )
            for sub in sorted(subscriptions, key=lambda sub: sub.user_id)
        ]
        session.add_all(rows)
        await session.commit()
        return [row.id for row in rows]


async def test_a_sent_record_stores_what_the_orm_would_store(bot: BotHarness) -> None:
    fast, through_orm = await _claimed_deliveries(bot)
    async with bot.runtime.autocommit_connection() as connection:
        assert await mark_sent(connection, fast, 4242, SENT_AT)
    async with bot.session() as session:
        other = await session.get(ReminderDelivery, through_orm)
        assert other is not None
        other.status, other.message_id, other.sent_at = DeliveryStatus.SENT, 4243, SENT_AT
        other.attempts, other.retry_at = 1, None
        await session.commit()

    rows = {row.id: row for row in await bot.rows(ReminderDelivery)}
    written = rows[fast]
    assert (written.status, written.message_id, written.attempts) == (DeliveryStatus.SENT, 4242, 1)
    assert (written.sent_at, written.retry_at, written.error) == (SENT_AT, None, None)
    # Byte for byte the same stored instant (SQLite compares the stored text).
    async with bot.session() as session:
        stored = (
            await session.execute(
                text("SELECT id, sent_at FROM reminder_deliveries ORDER BY id"),
            )
        ).all()
    assert stored[0][1] == stored[1][1]
    async with bot.session() as session:
        later = await session.scalar(
            select(ReminderDelivery.id).where(ReminderDelivery.sent_at >= SENT_AT)
        )
    assert later is not None


async def test_a_delivery_no_longer_claimed_is_left_alone(bot: BotHarness) -> None:
    delivery_id, _ = await _claimed_deliveries(bot)
    async with bot.runtime.autocommit_connection() as connection:
        assert await mark_sent(connection, delivery_id, 1, SENT_AT)
        assert not await mark_sent(connection, delivery_id, 2, SENT_AT + timedelta(seconds=1))
        assert not await mark_sent(connection, 999_999, 3, SENT_AT)

    (row,) = await bot.rows(ReminderDelivery, ReminderDelivery.id == delivery_id)
    assert (row.message_id, row.attempts, row.sent_at) == (1, 1, SENT_AT)


async def test_each_statement_on_the_autocommit_connection_commits_by_itself(
    bot: BotHarness,
) -> None:
    delivery_id, _ = await _claimed_deliveries(bot)
    async with bot.runtime.autocommit_connection() as connection:
        assert await mark_sent(connection, delivery_id, 7, SENT_AT)
        # Seen by another connection while this one is still open: no COMMIT was needed.
        (row,) = await bot.rows(ReminderDelivery, ReminderDelivery.id == delivery_id)
        assert row.status == DeliveryStatus.SENT


async def test_postgresql_waits_for_no_disk_flush_on_that_connection_only(
    bot: BotHarness,
) -> None:
    if bot.runtime.engine is None or bot.runtime.engine.dialect.name != "postgresql":
        pytest.skip("synchronous_commit is a PostgreSQL setting")
    async with bot.runtime.autocommit_connection() as connection:
        assert await connection.scalar(text("SHOW synchronous_commit")) == "off"
    # Back in the pool, the connection is as it was: the next user of it waits for the disk.
    for _ in range(3):
        async with bot.session() as session:
            assert await session.scalar(text("SHOW synchronous_commit")) == "on"


@pytest.mark.parametrize(
    ("sent", "seconds", "expected"),
    [
        (500, 0.0, MAX_BATCH),  # no measurable time: as large as allowed
        (500, 0.5, MAX_BATCH),  # 1,000/s: a quarter of the lease would hold 30,000
        (100, 4.0, MAX_BATCH),  # 25/s would fill 750 in 30 s: capped
        (100, 20.0, 150),  # 5/s: 150 in 30 s
        (100, 100.0, MIN_BATCH),  # 1/s: never below the minimum
        (0, 3.0, MIN_BATCH),  # nothing went out (all expired): start small again
    ],
)
def test_a_batch_holds_what_the_last_pace_sends_in_a_quarter_of_the_lease(
    sent: int, seconds: float, expected: int
) -> None:
    assert batch_size(sent, timedelta(seconds=seconds), LEASE) == expected


async def test_a_batch_of_sent_records_is_one_statement_that_skips_what_is_not_claimed(
    bot: BotHarness,
) -> None:
    first, second = await _claimed_deliveries(bot)
    async with bot.runtime.autocommit_connection() as connection:
        assert await mark_sent(connection, second, 5, SENT_AT)  # already recorded
        later = SENT_AT + timedelta(seconds=1)
        recorded = await mark_many_sent(
            connection, [(first, 11, SENT_AT), (second, 12, later), (999_999, 13, later)]
        )
        assert await mark_many_sent(connection, []) == set()

    assert recorded == {first}
    rows = {row.id: row for row in await bot.rows(ReminderDelivery)}
    assert (rows[first].status, rows[first].message_id, rows[first].attempts) == ("sent", 11, 1)
    assert (rows[first].sent_at, rows[first].retry_at) == (SENT_AT, None)
    assert (rows[second].message_id, rows[second].attempts) == (5, 1)  # left alone


async def test_the_sweep_records_its_sent_prompts_in_batches(
    bot: BotHarness, caplog: pytest.LogCaptureFixture
) -> None:
    users = list(range(7_600_000_001, 7_600_000_101))
    await insert_subscribers(bot, users, zone="UTC", at=time(7, 0), due_at=DUE)

    with caplog.at_level(logging.INFO, logger="bot.features.reminders.jobs"):
        await bot.advance_to(DUE)

    sent = await bot.rows(ReminderDelivery, ReminderDelivery.status == DeliveryStatus.SENT)
    assert sorted(row.user_id for row in sent) == users
    assert {row.message_id for row in sent} == {1}  # each chat's first message
    (line,) = [r.getMessage() for r in caplog.records if "reminder sweep:" in r.getMessage()]
    batches = int(line.rsplit("recorded_in=", 1)[1])
    assert 1 <= batches < len(users) // 2  # far fewer statements than prompts
