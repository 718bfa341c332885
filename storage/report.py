"""Queries for the clinician report: one user's rows within a period, oldest first.

Every query takes the user id and filters by it: one user's rows never reach another.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Hold, ReminderDelivery, RoutineSession


async def sessions_started_since(
    session: AsyncSession, user_id: int, since: datetime
) -> Sequence[RoutineSession]:
    """The user's routine sessions started at or after ``since``, any status."""
    query = (
        select(RoutineSession)
        .where(RoutineSession.user_id == user_id, RoutineSession.started_at >= since)
        .order_by(RoutineSession.started_at, RoutineSession.id)
    )
    return (await session.scalars(query)).all()


async def holds_since(session: AsyncSession, user_id: int, since: datetime) -> Sequence[Hold]:
    """The user's holds (every outcome) started at or after ``since``."""
    query = (
        select(Hold)
        .where(Hold.user_id == user_id, Hold.started_at >= since)
        .order_by(Hold.started_at, Hold.id)
    )
    return (await session.scalars(query)).all()


async def deliveries_between(
    session: AsyncSession, user_id: int, first: date, last: date
) -> Sequence[ReminderDelivery]:
    """The user's daily prompts for local dates ``first`` … ``last`` (both included)."""
    query = (
        select(ReminderDelivery)
        .where(
            ReminderDelivery.user_id == user_id,
            ReminderDelivery.local_date >= first,
            ReminderDelivery.local_date <= last,
        )
        .order_by(ReminderDelivery.local_date, ReminderDelivery.id)
    )
    return (await session.scalars(query)).all()
