"""Queries for the pain log, the weekly summary, the export and erasing a user.

Every query here takes the user id and filters by it: one user's rows never reach another.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Base, Hold, PainRating, RoutineSession, User


async def add_rating(
    session: AsyncSession,
    *,
    user_id: int,
    score: int,
    rated_at: datetime,
    context: str = "any",
    note: str | None = None,
    session_id: int | None = None,
    keyboard_message_id: int | None = None,
) -> PainRating:
    rating = PainRating(
        user_id=user_id,
        score=score,
        context=context,
        note=note,
        session_id=session_id,
        rated_at=rated_at,
        keyboard_message_id=keyboard_message_id,
    )
    session.add(rating)
    await session.flush()
    return rating


async def rating_from_keyboard(
    session: AsyncSession, user_id: int, keyboard_message_id: int
) -> PainRating | None:
    """The rating already tapped on this /pain keyboard, if any."""
    return await session.scalar(
        select(PainRating).where(
            PainRating.user_id == user_id, PainRating.keyboard_message_id == keyboard_message_id
        )
    )


async def user_rating(session: AsyncSession, user_id: int, rating_id: int) -> PainRating | None:
    """The rating with this id, only if it belongs to this user."""
    return await session.scalar(
        select(PainRating).where(PainRating.id == rating_id, PainRating.user_id == user_id)
    )


async def average_since(session: AsyncSession, user_id: int, since: datetime) -> float | None:
    """The mean score of the user's ratings from ``since`` on; None if there are none."""
    value = await session.scalar(
        select(func.avg(PainRating.score)).where(
            PainRating.user_id == user_id, PainRating.rated_at >= since
        )
    )
    return None if value is None else float(value)


async def ratings_since(
    session: AsyncSession, user_id: int, since: datetime | None = None
) -> Sequence[PainRating]:
    """The user's ratings (from ``since`` on, if given), oldest first."""
    query = select(PainRating).where(PainRating.user_id == user_id)
    if since is not None:
        query = query.where(PainRating.rated_at >= since)
    return (await session.scalars(query.order_by(PainRating.rated_at, PainRating.id))).all()


async def ratings_of_users_since(
    session: AsyncSession, user_ids: Collection[int], since: datetime
) -> Sequence[PainRating]:
    """Many users' ratings from ``since`` on, oldest first, in one query (the reminder sweep)."""
    query = select(PainRating).where(
        PainRating.user_id.in_(list(user_ids)), PainRating.rated_at >= since
    )
    return (await session.scalars(query.order_by(PainRating.rated_at, PainRating.id))).all()


async def routine_sessions_of(session: AsyncSession, user_id: int) -> Sequence[RoutineSession]:
    query = (
        select(RoutineSession)
        .where(RoutineSession.user_id == user_id)
        .order_by(RoutineSession.started_at, RoutineSession.id)
    )
    return (await session.scalars(query)).all()


async def holds_of(session: AsyncSession, user_id: int) -> Sequence[Hold]:
    query = select(Hold).where(Hold.user_id == user_id).order_by(Hold.started_at, Hold.id)
    return (await session.scalars(query)).all()


async def users_due_weekly(session: AsyncSession, now: datetime, limit: int) -> Sequence[User]:
    """Users whose weekly summary is due, earliest first."""
    query = (
        select(User)
        .where(
            User.weekly_summary_enabled.is_(True),
            User.blocked_at.is_(None),
            User.weekly_summary_next_at.is_not(None),
            User.weekly_summary_next_at <= now,
        )
        .order_by(User.weekly_summary_next_at, User.id)
        .limit(limit)
    )
    return (await session.scalars(query)).all()


async def users_without_weekly_time(session: AsyncSession, limit: int) -> Sequence[User]:
    """Users with the summary on but no next time yet (new, or back after blocking the bot)."""
    query = (
        select(User)
        .where(
            User.weekly_summary_enabled.is_(True),
            User.blocked_at.is_(None),
            User.weekly_summary_next_at.is_(None),
        )
        .order_by(User.id)
        .limit(limit)
    )
    return (await session.scalars(query)).all()


async def erase_user(session: AsyncSession, user_id: int) -> dict[str, int]:
    """Delete every row of this user in every table, the users row last; rows per table.

    The foreign keys cascade too, but deleting table by table (children first) does not
    depend on that, and also reaches any table that has a user_id column without one.
    """
    removed: dict[str, int] = {}
    for table in reversed(Base.metadata.sorted_tables):
        if table.name == User.__tablename__ or "user_id" not in table.c:
            continue
        result = await session.execute(delete(table).where(table.c.user_id == user_id))
        removed[table.name] = int(getattr(result, "rowcount", 0) or 0)
    result = await session.execute(delete(User).where(User.id == user_id))
    removed[User.__tablename__] = int(getattr(result, "rowcount", 0) or 0)
    return removed
