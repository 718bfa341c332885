"""Queries about what a user has done, shared by the reminder, routine and pain features."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from datetime import date, datetime, tzinfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.statuses import SessionStatus
from storage.models import RoutineSession, Subscription


async def user_zone_key(session: AsyncSession, user_id: int) -> str | None:
    """The user's stored time zone key (from their subscription), or None."""
    return await session.scalar(
        select(Subscription.timezone).where(Subscription.user_id == user_id)
    )


async def routine_days(session: AsyncSession, user_id: int, zone: tzinfo) -> set[date]:
    """Local dates on which the user completed a routine."""
    finished = await session.scalars(
        select(RoutineSession.finished_at).where(
            RoutineSession.user_id == user_id,
            RoutineSession.status == SessionStatus.COMPLETED,
            RoutineSession.finished_at.is_not(None),
        )
    )
    return {instant.astimezone(zone).date() for instant in finished if instant is not None}


async def routine_finishes(
    session: AsyncSession, user_ids: Collection[int]
) -> dict[int, list[datetime]]:
    """For many users in one query: the instants each of them completed a routine."""
    if not user_ids:
        return {}
    rows = await session.execute(
        select(RoutineSession.user_id, RoutineSession.finished_at).where(
            RoutineSession.user_id.in_(list(user_ids)),
            RoutineSession.status == SessionStatus.COMPLETED,
            RoutineSession.finished_at.is_not(None),
        )
    )
    finishes: dict[int, list[datetime]] = defaultdict(list)
    for user_id, finished_at in rows:
        if finished_at is not None:
            finishes[user_id].append(finished_at)
    return dict(finishes)
