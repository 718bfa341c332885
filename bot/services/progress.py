"""Progress: the /history figures and picture data, and the weekly summary's schedule."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, tzinfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.pending import Expecting
from bot.domain.progress import (
    ChartData,
    ProgressSummary,
    Rating,
    chart_data,
    period_start,
    summarise,
)
from bot.domain.weekly import next_weekly_at, parse_time_of_day
from bot.services.pending import Reader, answers, begin_wait, end_wait, live_awaiting, not_answered
from bot.services.zones import user_zone
from storage.activity import routine_days
from storage.models import User
from storage.pain import ratings_since, users_due_weekly, users_without_weekly_time
from storage.users import get_user, upsert_user

log = logging.getLogger(__name__)

WEEKLY_PERIOD = 7
WEEKLY_BATCH = 50
"""Summaries sent per sweep at most (each takes a picture render); the rest wait a minute."""


@dataclass(frozen=True, slots=True)
class History:
    """One period's figures and picture data, on the user's calendar."""

    summary: ProgressSummary
    chart: ChartData
    zone_key: str | None


@dataclass(frozen=True, slots=True)
class DueSummary:
    user_id: int
    chat_id: int
    history: History


@dataclass(frozen=True, slots=True)
class WeeklySettings:
    enabled: bool
    weekday: int
    at: time
    zone_key: str | None
    next_at: datetime | None
    zone: tzinfo

    @property
    def next_local(self) -> datetime | None:
        return None if self.next_at is None else self.next_at.astimezone(self.zone)


async def load_history(session: AsyncSession, *, user_id: int, days: int, now: datetime) -> History:
    """The user's figures for the ``days`` local days ending today."""
    zone, key = await user_zone(session, user_id)
    today = now.astimezone(zone).date()
    start = datetime.combine(period_start(today, days), time(0), tzinfo=zone).astimezone(UTC)
    rows = await ratings_since(session, user_id, start)
    ratings = [
        Rating(
            day=row.rated_at.astimezone(zone).date(),
            score=row.score,
            context=row.context,
            session_id=row.session_id,
        )
        for row in rows
        if row.rated_at <= now
    ]
    done = await routine_days(session, user_id, zone)
    user = await get_user(session, user_id)
    # The first day of use: joining, or the first rating or routine (older data, imports).
    known = [rating.day for rating in ratings] + list(done)
    if user is not None:
        known.append(user.created_at.astimezone(zone).date())
    first_day = min(known, default=None)
    return History(
        summary=summarise(ratings, done, today, days, first_day),
        chart=chart_data(ratings, done, today, days),
        zone_key=key,
    )


# --- weekly summary --------------------------------------------------------------------


async def _next_time(session: AsyncSession, user: User, now: datetime) -> datetime:
    zone, _ = await user_zone(session, user.id)
    return next_weekly_at(now, zone, user.weekly_summary_weekday, user.weekly_summary_time)


async def schedule_new_weekly(session: AsyncSession, now: datetime, limit: int = 500) -> int:
    """Give users with the summary on but no next time one (new users, returning users)."""
    users = await users_without_weekly_time(session, limit)
    for user in users:
        user.weekly_summary_next_at = await _next_time(session, user, now)
    await session.commit()
    return len(users)


async def claim_due_summaries(
    session: AsyncSession, now: datetime, limit: int = WEEKLY_BATCH
) -> Sequence[DueSummary]:
    """The summaries to send now. Each user's next time moves on a week before anything is
    sent, so a crash or a retry never sends one twice; a week with nothing logged is skipped."""
    due: list[DueSummary] = []
    for user in await users_due_weekly(session, now, limit):
        user.weekly_summary_next_at = await _next_time(session, user, now)
        history = await load_history(session, user_id=user.id, days=WEEKLY_PERIOD, now=now)
        if history.summary.has_data:
            due.append(DueSummary(user_id=user.id, chat_id=user.chat_id, history=history))
        else:
            log.info("weekly summary skipped (nothing this week): user=%s", user.id)
    await session.commit()
    return due


async def reschedule_weekly(session: AsyncSession, *, user_id: int, now: datetime) -> None:
    """Recompute the next summary time, e.g. after the user's time zone changed; no commit."""
    user = await get_user(session, user_id)
    if user is not None and user.weekly_summary_enabled and user.blocked_at is None:
        user.weekly_summary_next_at = await _next_time(session, user, now)


async def mark_blocked(session: AsyncSession, *, user_id: int, now: datetime) -> None:
    """The user blocked the bot: no more summaries until they write again (which clears it)."""
    user = await get_user(session, user_id)
    if user is None:
        return
    user.blocked_at = now
    user.weekly_summary_next_at = None
    await session.commit()


async def _settings_of(session: AsyncSession, user: User) -> WeeklySettings:
    zone, key = await user_zone(session, user.id)
    return WeeklySettings(
        enabled=user.weekly_summary_enabled,
        weekday=user.weekly_summary_weekday,
        at=user.weekly_summary_time,
        zone_key=key,
        next_at=user.weekly_summary_next_at if user.weekly_summary_enabled else None,
        zone=zone,
    )


async def change_weekly(
    session: AsyncSession,
    *,
    user_id: int,
    chat_id: int,
    language_code: str | None,
    now: datetime,
    enabled: bool | None = None,
    weekday: int | None = None,
    at: time | None = None,
) -> WeeklySettings:
    """Change any of on/off, day and time (none: just read), and reschedule; commit."""
    user = await upsert_user(
        session, user_id=user_id, chat_id=chat_id, language_code=language_code, now=now
    )
    if enabled is not None:
        user.weekly_summary_enabled = enabled
    if weekday is not None:
        user.weekly_summary_weekday = weekday
    if at is not None:
        user.weekly_summary_time = at
    if user.weekly_summary_enabled:
        user.weekly_summary_next_at = await _next_time(session, user, now)
    else:
        user.weekly_summary_next_at = None
    if enabled is not None or weekday is not None or at is not None:
        user.updated_at = now
        log.info(
            "weekly summary changed: user=%s on=%s day=%s time=%s",
            user_id,
            user.weekly_summary_enabled,
            user.weekly_summary_weekday,
            user.weekly_summary_time,
        )
    await session.commit()
    return await _settings_of(session, user)


AWAITING_WEEKLY_TIME = "weekly_time"
"""users.awaiting while the next plain message is the weekly summary's time of day."""


@dataclass(frozen=True, slots=True)
class WeeklyTimeNotUnderstood:
    """The awaited time could not be read; the wait ends (the reply says how to try again)."""


async def await_weekly_time(session: AsyncSession, *, user_id: int, now: datetime) -> bool:
    """Expect the next plain message as the summary's time; False for an unknown user."""
    user = await get_user(session, user_id)
    if user is None:
        return False
    begin_wait(user, AWAITING_WEEKLY_TIME, now)
    await session.commit()
    return True


@dataclass(frozen=True, slots=True)
class NotAWeeklyTime:
    """The text is something else (a question, a pain score): its route answers it and the
    weekly time is asked again after it, once."""


async def take_weekly_time(
    session: AsyncSession,
    *,
    user_id: int,
    chat_id: int,
    language_code: str | None,
    text: str,
    now: datetime,
    read: Reader,
) -> WeeklySettings | WeeklyTimeNotUnderstood | NotAWeeklyTime | None:
    """Set the time the user typed; None when no time is awaited (or the wait expired)."""
    user = await get_user(session, user_id)
    if user is None or user.awaiting != AWAITING_WEEKLY_TIME:
        return None
    if live_awaiting(user, now) is None:
        await session.commit()
        return None
    at = parse_time_of_day(text)
    if not answers(Expecting.VALUE, text, read, parses=at is not None):
        repeat = not_answered(user)
        await session.commit()
        return NotAWeeklyTime() if repeat else None
    end_wait(user)
    if at is None:
        await session.commit()
        return WeeklyTimeNotUnderstood()
    return await change_weekly(
        session,
        user_id=user_id,
        chat_id=chat_id,
        language_code=language_code,
        now=now,
        at=at,
    )
