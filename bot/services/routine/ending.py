"""The end of a routine that ran to its last step: the session completed, the exercises'
levels moved, the summary, and the pain rule's texts."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.pain import rose_meaningfully
from bot.domain.routine import Cursor
from bot.domain.statuses import HoldOutcome, SessionStatus
from bot.domain.streaks import current_streak
from bot.services.pain import EASE_OFF, advice_now
from bot.services.routine.progressing import progression
from bot.services.routine.results import Summary
from bot.services.routine.rows import advance, plan_of
from bot.services.zones import user_zone
from content import Exercise
from storage.activity import routine_days
from storage.models import RoutineSession
from storage.routine import session_holds

log = logging.getLogger(__name__)


async def advice_keys(db: AsyncSession, routine: RoutineSession, now: datetime) -> tuple[str, ...]:
    """The pain rule over the user's days; a rise that matters within this routine (before to
    after) also says "ease off, keep moving" (and its exercises step back: progression)."""
    keys = (await advice_now(db, routine.user_id, now)).message_keys
    if EASE_OFF not in keys and rose_meaningfully(routine.pain_before, routine.pain_after):
        keys = (EASE_OFF, *keys)
    return keys


async def complete_session(
    db: AsyncSession,
    routine: RoutineSession,
    now: datetime,
    exercises: Sequence[Exercise],
    *,
    rating_open: bool = False,
) -> Summary:
    """Mark the session completed, move the exercises' levels, and sum it up.
    ``rating_open``: hands-free, it completed on its own and the rating after stays open
    (optional; ``rating.rate_late`` records it when it comes)."""
    routine.status = SessionStatus.COMPLETED
    routine.finished_at = now
    advance(routine, Cursor("pain_after" if rating_open else "done"), now)
    await db.flush()
    plan = plan_of(routine)
    holds = await session_holds(db, routine.id)
    by_id = {exercise.id: exercise for exercise in exercises}
    changes = await progression(db, routine, plan, now, by_id)
    zone, _ = await user_zone(db, routine.user_id)
    days = await routine_days(db, routine.user_id, zone)
    await db.commit()
    done: list[str] = []
    skipped: list[str] = []
    hurt: list[str] = []
    for item in plan.items:
        outcomes = {hold.outcome for hold in holds if hold.exercise_id == item.exercise_id}
        if HoldOutcome.HURT in outcomes:
            hurt.append(item.exercise_id)
        elif outcomes & {HoldOutcome.COMPLETED, HoldOutcome.STOPPED_EARLY}:
            done.append(item.exercise_id)
        else:
            skipped.append(item.exercise_id)
    log.info(
        "routine session %s completed: user=%s done=%s skipped=%s hurt=%s",
        routine.id,
        routine.user_id,
        len(done),
        len(skipped),
        len(hurt),
    )
    return Summary(
        kind=plan.kind,
        total=len(plan.items),
        done=tuple(done),
        skipped=tuple(skipped),
        hurt=tuple(hurt),
        seconds=max(0, int((now - routine.started_at).total_seconds())),
        pain_before=routine.pain_before,
        pain_after=routine.pain_after,
        streak=current_streak(days, now.astimezone(zone).date()),
        advice_keys=await advice_keys(db, routine, now),
        changes=tuple(changes),
    )
