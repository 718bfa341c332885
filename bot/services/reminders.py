"""Daily reminders: the user's schedule (time, zone, days, pause, stop) and the typed answers
for it. The database is the only source of truth; every change recomputes the next due instant.

The sweep that sends the prompts is in ``bot.services.reminder_sweep``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time
from enum import StrEnum
from typing import Literal

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.onboarding import Awaiting, Step
from bot.domain.schedule import EVERY_DAY, MAX_PAUSE_DAYS, local_date, next_due, resume_after
from bot.domain.statuses import SubscriptionStatus
from bot.domain.zoneparse import ZoneMatch
from bot.domain.zones import zone_for
from bot.services.pending import begin_wait, end_wait
from bot.services.progress import reschedule_weekly
from bot.services.safety import needs_check_first
from storage.models import Subscription, User
from storage.reminders import get_subscription, has_delivery_on
from storage.users import get_user

DEFAULT_TIME = time(7, 30)


class Refusal(StrEnum):
    """Why a reminder action did nothing; each has its own message."""

    NOT_SUBSCRIBED = "not_subscribed"  # no reminder set up (send /start)
    FINISH_SAFETY = "finish_safety"  # /start's safety check is not done yet
    CHECK_FIRST = "check_first"  # /start stopped at an emergency answer: /start again once checked
    NEED_ZONE = "need_zone"  # /start: the zone comes before the time
    UNKNOWN_ZONE = "unknown_zone"  # a zone key that does not exist (forged or outdated button)
    NO_DAYS = "no_days"  # a schedule needs at least one day
    BAD_PAUSE = "bad_pause"  # a pause of 0 or more than MAX_PAUSE_DAYS days
    ALREADY_ON = "already_on"  # /resume while reminders are on
    STALE = "stale"  # a prompt button from an earlier day, or already used


@dataclass(frozen=True, slots=True)
class Schedule:
    """A subscription as plain values, for showing to the user."""

    local_time: time
    zone_key: str
    days: int
    status: str
    paused_until: datetime | None
    next_due_at: datetime | None
    note_when_done: bool = False


@dataclass(frozen=True, slots=True)
class Changed:
    """A zone or time was applied. ``onboarding``: it was a step of /start (a zone: ask for
    the time next; a time: the reminder is now on)."""

    what: Literal["zone", "time"]
    schedule: Schedule
    onboarding: bool
    asked_in: int | None = None
    """The message that asked for the typed answer: its buttons are no longer needed."""


@dataclass(frozen=True, slots=True)
class SafetyPending:
    """Typed text while a safety question is open: show question ``index`` again."""

    index: int


@dataclass(frozen=True, slots=True)
class UrgentPending:
    """Typed text while the urgent-care advice waits for its acknowledgement."""


@dataclass(frozen=True, slots=True)
class ZoneNotUnderstood:
    match: ZoneMatch
    echo: str | None  # the user's words, when short enough to quote back
    onboarding: bool


@dataclass(frozen=True, slots=True)
class TimeNotUnderstood:
    echo: str | None
    onboarding: bool


TypedOutcome = (
    Changed | Refusal | SafetyPending | UrgentPending | ZoneNotUnderstood | TimeNotUnderstood
)

ECHO_LIMIT = 40


def schedule_of(subscription: Subscription) -> Schedule:
    return Schedule(
        local_time=subscription.local_time,
        zone_key=subscription.timezone,
        days=subscription.days,
        status=subscription.status,
        paused_until=subscription.paused_until,
        next_due_at=subscription.next_due_at,
        note_when_done=subscription.note_when_done,
    )


async def next_free_due(
    session: AsyncSession, subscription: Subscription, now: datetime
) -> datetime:
    """The next due instant after ``now``, passing over a local day that already had its
    prompt (one prompt per local day, even when the time is moved later the same day)."""
    due = next_due(now, subscription.timezone, subscription.local_time, subscription.days)
    if subscription.id is not None and await has_delivery_on(
        session, subscription.id, local_date(due, subscription.timezone)
    ):
        due = next_due(due, subscription.timezone, subscription.local_time, subscription.days)
    return due


async def _reschedule(session: AsyncSession, subscription: Subscription, now: datetime) -> None:
    """Recompute next_due_at from the current status (None while nothing should fire)."""
    status = subscription.status
    if status == SubscriptionStatus.ACTIVE:
        subscription.next_due_at = await next_free_due(session, subscription, now)
    elif status == SubscriptionStatus.PAUSED and subscription.paused_until is not None:
        start = max(now, subscription.paused_until)
        subscription.next_due_at = await next_free_due(session, subscription, start)
    else:
        subscription.next_due_at = None
    subscription.updated_at = now


async def _user_and_subscription(
    session: AsyncSession, user_id: int
) -> tuple[User | None, Subscription | None]:
    return await get_user(session, user_id), await get_subscription(session, user_id)


async def _subscribed(
    session: AsyncSession, user_id: int
) -> tuple[User | None, Subscription] | Refusal:
    """The user and their subscription, or why a reminder command cannot go on."""
    user, subscription = await _user_and_subscription(session, user_id)
    refusal = await _refusal_for(session, user, subscription)
    if refusal is not None or subscription is None:
        return refusal or Refusal.NOT_SUBSCRIBED
    return user, subscription


async def _change_subscription(
    session: AsyncSession,
    user_id: int,
    now: datetime,
    change: Callable[[User | None, Subscription], Refusal | None],
) -> Schedule | Refusal:
    """The one path of a schedule change: the subscriber's subscription, changed by ``change``
    (which may refuse), rescheduled from its new state and saved."""
    found = await _subscribed(session, user_id)
    if isinstance(found, Refusal):
        return found
    user, subscription = found
    refusal = change(user, subscription)
    if refusal is not None:
        return refusal
    await _reschedule(session, subscription, now)
    await session.commit()
    return schedule_of(subscription)


async def _refusal_for(
    session: AsyncSession, user: User | None, subscription: Subscription | None
) -> Refusal | None:
    """Why schedule changes are not possible yet, or None when they are. After an emergency
    answer at /start no reminder is set up until a doctor has checked them (``CHECK_FIRST``:
    /start again, which asks about that check first)."""
    if user is not None and user.onboarding_step in (Step.SAFETY, Step.URGENT):
        return Refusal.FINISH_SAFETY
    if subscription is None or subscription.status == SubscriptionStatus.SETUP:
        if user is not None and await needs_check_first(session, user.id):
            return Refusal.CHECK_FIRST
        return Refusal.NOT_SUBSCRIBED
    return None


async def choose_zone(
    session: AsyncSession, user_id: int, zone_key: str, now: datetime
) -> Changed | Refusal:
    """Apply a time zone: a /start step, or a change to an existing reminder."""
    try:
        zone_for(zone_key)
    except ValueError:
        return Refusal.UNKNOWN_ZONE
    user, subscription = await _user_and_subscription(session, user_id)
    if user is not None and user.onboarding_step in (Step.ZONE, Step.TIME):
        if subscription is None:
            subscription = Subscription(
                user_id=user_id,
                chat_id=user.chat_id,
                local_time=DEFAULT_TIME,
                timezone=zone_key,
                days=EVERY_DAY,
                status=SubscriptionStatus.SETUP,
                created_at=now,
                updated_at=now,
            )
            session.add(subscription)
        subscription.timezone = zone_key
        subscription.updated_at = now
        await reschedule_weekly(session, user_id=user_id, now=now)
        user.onboarding_step = Step.TIME
        begin_wait(user, Awaiting.TIME, now)
        await session.commit()
        return Changed("zone", schedule_of(subscription), onboarding=True)
    refusal = await _refusal_for(session, user, subscription)
    if refusal is not None or subscription is None:
        return refusal or Refusal.NOT_SUBSCRIBED
    subscription.timezone = zone_key
    await _reschedule(session, subscription, now)
    await reschedule_weekly(session, user_id=user_id, now=now)
    _clear_awaiting(user, Awaiting.ZONE)
    await session.commit()
    return Changed("zone", schedule_of(subscription), onboarding=False)


async def choose_time(
    session: AsyncSession, user_id: int, local_time: time, now: datetime
) -> Changed | Refusal:
    """Apply a reminder time: the last /start step (the reminder goes on), or a change."""
    user, subscription = await _user_and_subscription(session, user_id)
    local_time = local_time.replace(second=0, microsecond=0, tzinfo=None)
    if user is not None and user.onboarding_step == Step.ZONE:
        return Refusal.NEED_ZONE
    if user is not None and user.onboarding_step == Step.TIME and subscription is not None:
        subscription.local_time = local_time
        subscription.status = SubscriptionStatus.ACTIVE
        await _reschedule(session, subscription, now)
        user.onboarding_step = None
        end_wait(user)
        user.updated_at = now
        await session.commit()
        return Changed("time", schedule_of(subscription), onboarding=True)
    refusal = await _refusal_for(session, user, subscription)
    if refusal is not None or subscription is None:
        return refusal or Refusal.NOT_SUBSCRIBED
    subscription.local_time = local_time
    await _reschedule(session, subscription, now)
    _clear_awaiting(user, Awaiting.TIME)
    await session.commit()
    return Changed("time", schedule_of(subscription), onboarding=False)


def _clear_awaiting(user: User | None, what: Awaiting) -> None:
    if user is not None and user.awaiting == what:
        end_wait(user)


async def ask(
    session: AsyncSession, user_id: int, what: Awaiting, now: datetime
) -> Schedule | Refusal:
    """Start waiting for a typed zone or time (after /time, /timezone or a settings button)."""
    user, subscription = await _user_and_subscription(session, user_id)
    if user is None:
        return Refusal.NOT_SUBSCRIBED
    if user.onboarding_step == Step.ZONE and what != Awaiting.ZONE:
        return Refusal.NEED_ZONE
    if user.onboarding_step not in (Step.ZONE, Step.TIME):
        refusal = await _refusal_for(session, user, subscription)
        if refusal is not None:
            return refusal
    begin_wait(user, what, now)
    await session.commit()
    if subscription is None:
        return Schedule(DEFAULT_TIME, "UTC", EVERY_DAY, SubscriptionStatus.SETUP, None, None)
    return schedule_of(subscription)


def _echo(text: str) -> str | None:
    cleaned = " ".join(text.split())
    return cleaned if 0 < len(cleaned) <= ECHO_LIMIT else None


async def current_schedule(session: AsyncSession, user_id: int) -> Schedule | Refusal:
    """The schedule for /settings; leaving settings ends any wait for a typed zone or time."""
    found = await _subscribed(session, user_id)
    if isinstance(found, Refusal):
        return found
    user, subscription = found
    if user is not None and user.awaiting in (Awaiting.ZONE, Awaiting.TIME):
        end_wait(user)
        await session.commit()
    return schedule_of(subscription)


async def pause(
    session: AsyncSession, user_id: int, days: int | None, now: datetime
) -> Schedule | Refusal:
    """Pause for ``days`` days (the next prompt is the first one after that), or until /resume."""
    if days is not None and not 1 <= days <= MAX_PAUSE_DAYS:
        return Refusal.BAD_PAUSE

    def paused(_user: User | None, subscription: Subscription) -> None:
        subscription.status = SubscriptionStatus.PAUSED
        subscription.paused_until = resume_after(now, days) if days is not None else None

    return await _change_subscription(session, user_id, now, paused)


async def resume(session: AsyncSession, user_id: int, now: datetime) -> Schedule | Refusal:
    """Turn prompts back on after a pause, /stop, or having blocked the bot."""

    def resumed(user: User | None, subscription: Subscription) -> Refusal | None:
        if subscription.status == SubscriptionStatus.ACTIVE:
            return Refusal.ALREADY_ON
        subscription.status = SubscriptionStatus.ACTIVE
        subscription.paused_until = None
        subscription.chat_id = user.chat_id if user is not None else subscription.chat_id
        return None

    return await _change_subscription(session, user_id, now, resumed)


async def stop(session: AsyncSession, user_id: int, now: datetime) -> Schedule | Refusal:
    """No more prompts; the subscription and everything logged stay until /delete."""

    def stopped(_user: User | None, subscription: Subscription) -> None:
        subscription.status = SubscriptionStatus.STOPPED
        subscription.paused_until = None

    return await _change_subscription(session, user_id, now, stopped)


async def set_days(
    session: AsyncSession, user_id: int, days: int, now: datetime
) -> Schedule | Refusal:
    """Choose the days of the week (a Monday-first bit mask) prompts come on."""
    if not 0 < days <= EVERY_DAY:
        return Refusal.NO_DAYS

    def new_days(_user: User | None, subscription: Subscription) -> None:
        subscription.days = days

    return await _change_subscription(session, user_id, now, new_days)
