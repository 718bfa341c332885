"""The buttons on the daily prompt: snooze it, or skip today."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.schedule import SNOOZE_MINUTES, local_date
from bot.domain.statuses import DeliveryStatus
from bot.services.reminders import Refusal, Schedule, schedule_of
from storage.models import ReminderDelivery, Subscription
from storage.reminders import get_delivery, get_subscription


@dataclass(frozen=True, slots=True)
class Snoozed:
    until: datetime
    zone_key: str


async def _todays_prompt(
    session: AsyncSession, user_id: int, delivery_id: int, now: datetime
) -> tuple[ReminderDelivery, Subscription] | None:
    """The prompt a button belongs to, if the button still applies: the user's own prompt,
    sent (not snoozed, skipped or from another day)."""
    delivery = await get_delivery(session, delivery_id)
    subscription = await get_subscription(session, user_id)
    if (
        delivery is None
        or subscription is None
        or delivery.user_id != user_id
        or delivery.subscription_id != subscription.id
        or delivery.status != DeliveryStatus.SENT
        or delivery.local_date != local_date(now, subscription.timezone)
    ):
        return None
    return delivery, subscription


async def snooze(
    session: AsyncSession, user_id: int, delivery_id: int, minutes: int, now: datetime
) -> Snoozed | Refusal:
    """Send today's prompt again in ``minutes`` minutes (15 or 60); the sweep resends it."""
    found = await _todays_prompt(session, user_id, delivery_id, now)
    if found is None or minutes not in SNOOZE_MINUTES:
        return Refusal.STALE
    delivery, subscription = found
    until = now + timedelta(minutes=minutes)
    delivery.status = DeliveryStatus.SNOOZED
    delivery.snooze_until = until
    await session.commit()
    return Snoozed(until, subscription.timezone)


async def skip_today(
    session: AsyncSession, user_id: int, delivery_id: int, now: datetime
) -> Schedule | Refusal:
    """No more about today's prompt; the next one comes as usual."""
    found = await _todays_prompt(session, user_id, delivery_id, now)
    if found is None:
        return Refusal.STALE
    delivery, subscription = found
    delivery.status = DeliveryStatus.SKIPPED
    await session.commit()
    return schedule_of(subscription)
