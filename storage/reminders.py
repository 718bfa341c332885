"""Queries for subscriptions and reminder deliveries."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import Select, and_, exists, insert, or_, select, update
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from bot.domain.statuses import DeliveryStatus, SubscriptionStatus
from storage.models import ReminderDelivery, RoutineSession, Subscription

# A subscription the sweep may fire: active, or paused with an end (the sweep ends the pause).
_FIRING = (SubscriptionStatus.ACTIVE, SubscriptionStatus.PAUSED)


def _is_postgresql(session: AsyncSession) -> bool:
    return session.get_bind().dialect.name == "postgresql"


async def get_subscription(session: AsyncSession, user_id: int) -> Subscription | None:
    return await session.scalar(select(Subscription).where(Subscription.user_id == user_id))


async def get_delivery(session: AsyncSession, delivery_id: int) -> ReminderDelivery | None:
    return await session.get(ReminderDelivery, delivery_id)


async def insert_deliveries(session: AsyncSession, rows: Sequence[Mapping[str, Any]]) -> list[int]:
    """Insert delivery rows (column values) in multi-row INSERTs; their ids, in order.

    The ids come back with each row's (subscription, local date), which is unique: asking
    for them in parameter order instead would make SQLAlchemy send SQLite one INSERT per row.
    """
    if not rows:
        return []
    inserted = await session.execute(
        insert(ReminderDelivery).returning(
            ReminderDelivery.id, ReminderDelivery.subscription_id, ReminderDelivery.local_date
        ),
        list(rows),
    )
    ids = {(sub_id, day): delivery_id for delivery_id, sub_id, day in inserted}
    return [ids[row["subscription_id"], row["local_date"]] for row in rows]


# Written for each driver (Settings accepts asyncpg and aiosqlite); statuses as in DeliveryStatus.
_MARK_SENT_ASYNCPG = (
    "UPDATE reminder_deliveries SET status = 'sent', message_id = $1, sent_at = $2,"
    " attempts = attempts + 1, retry_at = NULL, error = NULL WHERE id = $3 AND status = 'claimed'"
)
_MARK_SENT_AIOSQLITE = (
    "UPDATE reminder_deliveries SET status = 'sent', message_id = ?, sent_at = ?,"
    " attempts = attempts + 1, retry_at = NULL, error = NULL WHERE id = ? AND status = 'claimed'"
)


@lru_cache(maxsize=4)
def _stored_time(dialect: Dialect) -> Callable[[datetime], Any]:
    """How the dialect stores an instant in ``UTCDateTime`` columns (what SQLAlchemy binds)."""
    column_type = ReminderDelivery.__table__.c.sent_at.type
    processor = column_type.dialect_impl(dialect).bind_processor(dialect)
    return processor if processor is not None else (lambda value: value)


async def mark_sent(
    connection: AsyncConnection, delivery_id: int, message_id: int, now: datetime
) -> bool:
    """Record a claimed delivery as sent, in one statement; False if it is no longer claimed
    (its lease ran out and another dispatcher took it over, or the user answered it).

    This runs once per prompt, between one send and the next (see ``bot.handlers.
    reminder_sweep``), so it is written for speed: on an autocommit connection it is one
    round trip to the database. With asyncpg and aiosqlite the statement goes straight to the
    driver: SQLAlchemy's adapter spends more than the statement itself (aiosqlite: three
    thread hops instead of one). The time is converted by the column's own type, so the
    stored value is the one SQLAlchemy would write.
    """
    dialect = connection.dialect
    driver = (await connection.get_raw_connection()).driver_connection
    if driver is None:
        raise RuntimeError("the connection is closed")
    stored_now = _stored_time(dialect)(now)
    if dialect.driver == "asyncpg":
        status = await driver.execute(_MARK_SENT_ASYNCPG, message_id, stored_now, delivery_id)
        return bool(status == "UPDATE 1")
    cursor = await driver.execute(_MARK_SENT_AIOSQLITE, (message_id, stored_now, delivery_id))
    return bool(cursor.rowcount == 1)


# One statement for a batch of "sent" records: each row (id, message id, sent at).
_MARK_MANY_SENT_ASYNCPG = (
    "UPDATE reminder_deliveries AS d SET status = 'sent', message_id = v.message_id,"
    " sent_at = v.sent_at, attempts = d.attempts + 1, retry_at = NULL, error = NULL"
    " FROM unnest($1::bigint[], $2::bigint[], $3::timestamptz[]) AS v(id, message_id, sent_at)"
    " WHERE d.id = v.id AND d.status = 'claimed' RETURNING d.id"
)
_MARK_MANY_SENT_AIOSQLITE = (
    "UPDATE reminder_deliveries SET status = 'sent', message_id = v.column2,"
    " sent_at = v.column3, attempts = attempts + 1, retry_at = NULL, error = NULL"
    " FROM (VALUES {values}) AS v WHERE reminder_deliveries.id = v.column1"
    " AND reminder_deliveries.status = 'claimed' RETURNING reminder_deliveries.id"
)


async def mark_many_sent(
    connection: AsyncConnection, sent: Sequence[tuple[int, int, datetime]]
) -> set[int]:
    """Record claimed deliveries as sent, each ``(delivery id, message id, sent at)``, in one
    statement (one round trip, one commit on an autocommit connection): the ids recorded.
    One missing from the answer was no longer claimed (as for ``mark_sent``)."""
    if not sent:
        return set()
    dialect = connection.dialect
    driver = (await connection.get_raw_connection()).driver_connection
    if driver is None:
        raise RuntimeError("the connection is closed")
    stored = _stored_time(dialect)
    if dialect.driver == "asyncpg":
        ids, message_ids, times = zip(*sent, strict=True)
        rows = await driver.fetch(
            _MARK_MANY_SENT_ASYNCPG, list(ids), list(message_ids), [stored(t) for t in times]
        )
        return {int(row[0]) for row in rows}
    values = ", ".join(["(?, ?, ?)"] * len(sent))
    parameters = [value for d, m, t in sent for value in (d, m, stored(t))]
    cursor = await driver.execute(_MARK_MANY_SENT_AIOSQLITE.format(values=values), parameters)
    return {int(row[0]) for row in await cursor.fetchall()}


async def due_subscriptions(
    session: AsyncSession, now: datetime, limit: int
) -> Sequence[Subscription]:
    """Subscriptions whose next prompt is due, oldest first, locked for this transaction.

    On PostgreSQL the rows are locked with ``FOR UPDATE SKIP LOCKED``, so dispatchers sharing the
    database each take different rows; SQLite has one writer at a time (``BEGIN IMMEDIATE``).
    """
    query: Select[Subscription] = (
        select(Subscription)
        .where(Subscription.next_due_at <= now, Subscription.status.in_(_FIRING))
        .order_by(Subscription.next_due_at, Subscription.id)
        .limit(limit)
    )
    if _is_postgresql(session):
        query = query.with_for_update(skip_locked=True)
    return (await session.scalars(query)).all()


async def deliveries_due_again(
    session: AsyncSession, now: datetime, limit: int
) -> Sequence[tuple[ReminderDelivery, Subscription]]:
    """Deliveries to send (again) now: claims whose retry time or lease has passed, and
    snoozes that are over; each with its subscription, locked like ``due_subscriptions``."""
    query = (
        select(ReminderDelivery, Subscription)
        .join(Subscription, Subscription.id == ReminderDelivery.subscription_id)
        .where(
            or_(
                and_(
                    ReminderDelivery.status == DeliveryStatus.CLAIMED,
                    ReminderDelivery.retry_at <= now,
                ),
                and_(
                    ReminderDelivery.status == DeliveryStatus.SNOOZED,
                    ReminderDelivery.snooze_until <= now,
                ),
            )
        )
        .order_by(ReminderDelivery.id)
        .limit(limit)
    )
    if _is_postgresql(session):
        query = query.with_for_update(skip_locked=True, of=ReminderDelivery)
    rows = (await session.execute(query)).all()
    return [(delivery, subscription) for delivery, subscription in rows]


async def existing_delivery_days(
    session: AsyncSession, keys: Iterable[tuple[int, date]]
) -> set[tuple[int, date]]:
    """Which of these (subscription id, local date) pairs already have a delivery."""
    wanted = set(keys)
    if not wanted:
        return set()
    # Two plain IN lists (a batch spans one or two local dates) use the unique index and plan
    # at once; a row-value IN of a hundred pairs costs PostgreSQL milliseconds just to plan.
    rows = await session.execute(
        select(ReminderDelivery.subscription_id, ReminderDelivery.local_date).where(
            ReminderDelivery.subscription_id.in_(sorted({sub_id for sub_id, _ in wanted})),
            ReminderDelivery.local_date.in_(sorted({day for _, day in wanted})),
        )
    )
    return {(subscription_id, day) for subscription_id, day in rows} & wanted


async def has_delivery_on(session: AsyncSession, subscription_id: int, day: date) -> bool:
    return bool(
        await session.scalar(
            select(
                exists().where(
                    ReminderDelivery.subscription_id == subscription_id,
                    ReminderDelivery.local_date == day,
                )
            )
        )
    )


async def routine_started_since(session: AsyncSession, user_id: int, since: datetime) -> bool:
    """Whether the user began a routine at or after ``since`` (so a snoozed prompt is moot)."""
    return bool(
        await session.scalar(
            select(
                exists().where(
                    RoutineSession.user_id == user_id, RoutineSession.started_at >= since
                )
            )
        )
    )


async def mark_done_today(session: AsyncSession, delivery_ids: Sequence[int]) -> None:
    """Claimed prompts not sent: the user already did today's routine (status "skipped")."""
    if delivery_ids:
        await session.execute(
            update(ReminderDelivery)
            .where(ReminderDelivery.id.in_(list(delivery_ids)))
            .values(status=DeliveryStatus.SKIPPED, retry_at=None)
        )
