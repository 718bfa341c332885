"""Queries for routine sessions, holds and exercise preferences."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.statuses import HoldOutcome, SessionStatus
from storage.models import ExercisePreference, Hold, ReminderDelivery, RoutineSession, User


async def active_session(session: AsyncSession, user_id: int) -> RoutineSession | None:
    """The user's newest routine session still in progress, if any."""
    return await session.scalar(
        select(RoutineSession)
        .where(RoutineSession.user_id == user_id, RoutineSession.status == SessionStatus.ACTIVE)
        .order_by(RoutineSession.id.desc())
        .limit(1)
    )


async def lock_session(session: AsyncSession, session_id: int) -> RoutineSession | None:
    """The session row, locked for this transaction (taps and timers on it take turns)."""
    return await session.get(
        RoutineSession, session_id, with_for_update=True, populate_existing=True
    )


async def preferences(session: AsyncSession, user_id: int) -> dict[str, ExercisePreference]:
    rows = await session.scalars(
        select(ExercisePreference).where(ExercisePreference.user_id == user_id)
    )
    return {row.exercise_id: row for row in rows}


async def preference(session: AsyncSession, user_id: int, exercise_id: str) -> ExercisePreference:
    """The user's preference row for one exercise, created (level 0, included) if missing."""
    row = await session.get(ExercisePreference, (user_id, exercise_id))
    if row is None:
        row = ExercisePreference(user_id=user_id, exercise_id=exercise_id, excluded=False, level=0)
        session.add(row)
        await session.flush()
    return row


async def excluded_ids(session: AsyncSession, user_id: int) -> set[str]:
    rows = await session.scalars(
        select(ExercisePreference.exercise_id).where(
            ExercisePreference.user_id == user_id, ExercisePreference.excluded.is_(True)
        )
    )
    return set(rows)


async def routine_choices(
    session: AsyncSession, user_ids: Collection[int]
) -> dict[int, tuple[str, frozenset[str], int]]:
    """For many users, in three queries: (routine length, exercises left out, short routines
    completed), what decides which exercises their routine has today."""
    ids = list(user_ids)
    if not ids:
        return {}
    lengths = dict(
        (await session.execute(select(User.id, User.routine_length).where(User.id.in_(ids)))).all()
    )
    excluded: dict[int, set[str]] = defaultdict(set)
    rows = await session.execute(
        select(ExercisePreference.user_id, ExercisePreference.exercise_id).where(
            ExercisePreference.user_id.in_(ids), ExercisePreference.excluded.is_(True)
        )
    )
    for user_id, exercise_id in rows:
        excluded[user_id].add(exercise_id)
    shorts = dict(
        (
            await session.execute(
                select(RoutineSession.user_id, func.count())
                .where(
                    RoutineSession.user_id.in_(ids),
                    RoutineSession.kind == "short",
                    RoutineSession.status == SessionStatus.COMPLETED,
                )
                .group_by(RoutineSession.user_id)
            )
        ).all()
    )
    return {
        user_id: (
            lengths.get(user_id) or "full",
            frozenset(excluded.get(user_id, ())),
            int(shorts.get(user_id, 0)),
        )
        for user_id in ids
    }


async def completed_count(session: AsyncSession, user_id: int, kind: str) -> int:
    """How many sessions of ``kind`` the user completed."""
    count = await session.scalar(
        select(func.count())
        .select_from(RoutineSession)
        .where(
            RoutineSession.user_id == user_id,
            RoutineSession.kind == kind,
            RoutineSession.status == SessionStatus.COMPLETED,
        )
    )
    return int(count or 0)


async def session_holds(session: AsyncSession, session_id: int) -> list[Hold]:
    rows = await session.scalars(
        select(Hold).where(Hold.session_id == session_id).order_by(Hold.id)
    )
    return list(rows)


async def last_done(
    session: AsyncSession, user_id: int, exercise_ids: Iterable[str]
) -> dict[str, datetime]:
    """When each exercise was last started (any hold row), per exercise id."""
    ids = list(exercise_ids)
    if not ids:
        return {}
    rows = await session.execute(
        select(Hold.exercise_id, func.max(Hold.started_at))
        .where(Hold.user_id == user_id, Hold.exercise_id.in_(ids))
        .group_by(Hold.exercise_id)
    )
    return {exercise_id: started for exercise_id, started in rows if started is not None}


async def exercise_history(
    session: AsyncSession, user_id: int, exercise_id: str, since: datetime | None
) -> list[tuple[RoutineSession, list[Hold]]]:
    """Completed sessions started after ``since`` that include ``exercise_id``, oldest first,
    each with that exercise's holds."""
    query = (
        select(RoutineSession, Hold)
        .join(Hold, Hold.session_id == RoutineSession.id)
        .where(
            RoutineSession.user_id == user_id,
            RoutineSession.status == SessionStatus.COMPLETED,
            Hold.exercise_id == exercise_id,
        )
        .order_by(RoutineSession.started_at, RoutineSession.id, Hold.id)
    )
    if since is not None:
        query = query.where(RoutineSession.started_at > since)
    grouped: dict[int, tuple[RoutineSession, list[Hold]]] = {}
    holds: dict[int, list[Hold]] = defaultdict(list)
    for routine, hold in await session.execute(query):
        grouped.setdefault(routine.id, (routine, holds[routine.id]))
        holds[routine.id].append(hold)
    return list(grouped.values())


async def running_timed_holds(session: AsyncSession) -> list[tuple[Hold, RoutineSession]]:
    """Timed holds still running in active sessions (for rebuilding timers at start-up)."""
    rows = await session.execute(
        select(Hold, RoutineSession)
        .join(RoutineSession, RoutineSession.id == Hold.session_id)
        .where(
            Hold.outcome == HoldOutcome.RUNNING,
            Hold.ends_at.is_not(None),
            RoutineSession.status == SessionStatus.ACTIVE,
        )
        .order_by(Hold.ends_at)
    )
    return [(hold, routine) for hold, routine in rows]


async def timed_countdowns(session: AsyncSession) -> list[RoutineSession]:
    """Active hands-free sessions with a countdown under way (rebuilt at start-up)."""
    rows = await session.scalars(
        select(RoutineSession)
        .where(
            RoutineSession.status == SessionStatus.ACTIVE,
            RoutineSession.hands_free.is_(True),
            RoutineSession.phase_ends_at.is_not(None),
        )
        .order_by(RoutineSession.phase_ends_at)
    )
    return list(rows)


async def delivery_owner(session: AsyncSession, delivery_id: int) -> int | None:
    return await session.scalar(
        select(ReminderDelivery.user_id).where(ReminderDelivery.id == delivery_id)
    )
