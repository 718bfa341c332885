"""Queries about what a user has done, shared by the reminder, routine and pain features."""

from __future__ import annotations

from datetime import date, tzinfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import RoutineSession, Subscription

COMPLETED = "completed"


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
            RoutineSession.status == COMPLETED,
            RoutineSession.finished_at.is_not(None),
        )
    )
    return {instant.astimezone(zone).date() for instant in finished if instant is not None}
