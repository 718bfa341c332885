"""Queries for subscriptions and reminder deliveries."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime

from sqlalchemy import Select, and_, exists, or_, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.schedule import DeliveryStatus, SubscriptionStatus
from storage.models import ReminderDelivery, RoutineSession, Subscription

# A subscription the sweep may fire: active, or paused with an end (the sweep ends the pause).
_FIRING = (SubscriptionStatus.ACTIVE, SubscriptionStatus.PAUSED)


def _is_postgresql(session: AsyncSession) -> bool:
    return session.get_bind().dialect.name == "postgresql"


async def get_subscription(session: AsyncSession, user_id: int) -> Subscription | None:
    return await session.scalar(select(Subscription).where(Subscription.user_id == user_id))


async def get_delivery(session: AsyncSession, delivery_id: int) -> ReminderDelivery | None:
    return await session.get(ReminderDelivery, delivery_id)


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
    wanted = list(set(keys))
    if not wanted:
        return set()
    rows = await session.execute(
        select(ReminderDelivery.subscription_id, ReminderDelivery.local_date).where(
            tuple_(ReminderDelivery.subscription_id, ReminderDelivery.local_date).in_(wanted)
        )
    )
    return {(subscription_id, day) for subscription_id, day in rows}


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
