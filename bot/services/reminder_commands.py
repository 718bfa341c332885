"""The reminder commands typed with an argument (/time 7:30, /timezone Berlin, /pause 3) or
without one (then they ask), and a shared location read as a zone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.onboarding import Awaiting, Step
from bot.domain.timeparse import parse_time
from bot.domain.zoneparse import ZoneDirectory, ZoneMatchKind
from bot.services.reminders import (
    Changed,
    Refusal,
    Schedule,
    TimeNotUnderstood,
    ZoneNotUnderstood,
    _echo,
    _refusal_for,
    _subscribed,
    _user_and_subscription,
    ask,
    choose_time,
    choose_zone,
    current_schedule,
    pause,
    schedule_of,
)
from bot.services.safety import needs_check_first
from storage.users import get_user


@dataclass(frozen=True, slots=True)
class Asked:
    """Now waiting for a typed answer (or a button); ``schedule`` shows the current value."""

    schedule: Schedule


@dataclass(frozen=True, slots=True)
class LocationNotUnderstood:
    """A shared location with no time zone (or none asked for)."""

    asked: bool  # False: nobody asked for a location; True: no zone found at that spot


async def time_command(
    session: AsyncSession, user_id: int, argument: str, now: datetime
) -> Changed | Refusal | Asked | TimeNotUnderstood:
    """/time: with a time, apply it; without, ask for one."""
    if not argument.strip():
        asked = await ask(session, user_id, Awaiting.TIME, now)
        return asked if isinstance(asked, Refusal) else Asked(asked)
    parsed = parse_time(argument)
    if parsed is not None:
        return await choose_time(session, user_id, parsed, now)
    user, subscription = await _user_and_subscription(session, user_id)
    onboarding = user is not None and user.onboarding_step == Step.TIME
    if user is not None and user.onboarding_step == Step.ZONE:
        return Refusal.NEED_ZONE
    refusal = None if onboarding else await _refusal_for(session, user, subscription)
    return refusal or TimeNotUnderstood(_echo(argument), onboarding)


async def zone_command(
    session: AsyncSession, user_id: int, argument: str, now: datetime, directory: ZoneDirectory
) -> Changed | Refusal | Asked | ZoneNotUnderstood:
    """/timezone: with a zone or city, apply it (or suggest); without, ask for one."""
    asked = await ask(session, user_id, Awaiting.ZONE, now)
    if isinstance(asked, Refusal) or not argument.strip():
        return asked if isinstance(asked, Refusal) else Asked(asked)
    match = directory.resolve(argument)
    if match.kind == ZoneMatchKind.ZONE and match.key is not None:
        return await choose_zone(session, user_id, match.key, now)
    user = await get_user(session, user_id)
    onboarding = user is not None and user.onboarding_step == Step.ZONE
    return ZoneNotUnderstood(match, _echo(argument), onboarding)


async def choose_located_zone(
    session: AsyncSession, user_id: int, zone_key: str | None, now: datetime
) -> Changed | Refusal | LocationNotUnderstood:
    """A shared location's zone (None: none there), if a time zone was asked for."""
    user = await get_user(session, user_id)
    waiting = user is not None and (
        user.onboarding_step == Step.ZONE or user.awaiting == Awaiting.ZONE
    )
    if not waiting:
        if user is not None and await needs_check_first(session, user_id):
            return Refusal.CHECK_FIRST  # no set-up after an emergency answer at /start
        return LocationNotUnderstood(asked=False)
    if zone_key is None:
        return LocationNotUnderstood(asked=True)
    return await choose_zone(session, user_id, zone_key, now)


async def pause_command(
    session: AsyncSession, user_id: int, argument: str, now: datetime
) -> Schedule | Refusal | Asked:
    """/pause N pauses for N days; /pause alone offers the choices."""
    argument = argument.strip().lower().removesuffix("days").removesuffix("day").strip()
    if not argument:
        current = await current_schedule(session, user_id)
        return current if isinstance(current, Refusal) else Asked(current)
    if not argument.isdecimal() or len(argument) > 3:
        return Refusal.BAD_PAUSE
    return await pause(session, user_id, int(argument), now)


async def set_note_when_done(
    session: AsyncSession, user_id: int, note: bool, now: datetime
) -> Schedule | Refusal:
    """Once today's routine is done: a one-line note (True) or no prompt that day (False)."""
    found = await _subscribed(session, user_id)
    if isinstance(found, Refusal):
        return found
    _user, subscription = found
    subscription.note_when_done = note
    subscription.updated_at = now
    await session.commit()
    return schedule_of(subscription)
