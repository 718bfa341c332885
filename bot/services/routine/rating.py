"""The routine's pain ratings: the one before (asked at the start, or tapped on the daily
prompt's rating row, which starts the routine with it) and, hands-free, the one after, offered
once the routine has completed on its own: optional, and recorded once whenever it comes."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.pain import rose_meaningfully
from bot.domain.progression import LevelChange
from bot.domain.routine import Cursor, after_pain_before
from bot.domain.statuses import SessionStatus
from bot.services.routine.cadence import arm
from bot.services.routine.ending import advice_keys
from bot.services.routine.flow import closing_of, ok_outcome
from bot.services.routine.progressing import step_back_after_rise
from bot.services.routine.results import LateRating, Outcome, TimerOrder
from bot.services.routine.rows import advance, cursor_of, plan_of
from content import Exercise
from storage.models import PainRating, RoutineSession
from storage.routine import lock_session

log = logging.getLogger(__name__)


def record_rating(
    db: AsyncSession, routine: RoutineSession, score: int | None, context: str, now: datetime
) -> None:
    """The rating (None: skipped, nothing to record) on the session and in the pain log."""
    if score is None:
        return
    db.add(
        PainRating(
            user_id=routine.user_id,
            session_id=routine.id,
            score=score,
            context=context,
            rated_at=now,
        )
    )
    if context == "before":
        routine.pain_before = score
    else:
        routine.pain_after = score


def begin(
    db: AsyncSession, routine: RoutineSession, score: int | None, now: datetime
) -> TimerOrder | None:
    """The pain before answered (None: skipped): on to the first exercise (hands-free, its
    "get into position" countdown starts: the order for its timer)."""
    record_rating(db, routine, score, "before", now)
    plan = plan_of(routine)
    advance(routine, after_pain_before(plan), now)
    return arm(routine, plan, cursor_of(routine), now)


async def rate_late(
    db: AsyncSession,
    *,
    user_id: int,
    session_id: int,
    step_no: int,
    score: int | None,
    now: datetime,
    exercises: Sequence[Exercise],
) -> Outcome | None:
    """The rating after a hands-free routine that has completed on its own, whenever it
    comes: recorded once (its question's step then moves on, so a second tap is stale). A rise
    that matters brings the pain rule's texts and steps the exercises done back, as a rating
    before the end would have. None: not such a tap (the usual checks answer it)."""
    routine = await lock_session(db, session_id)
    if (
        routine is None
        or routine.user_id != user_id
        or routine.status != SessionStatus.COMPLETED
        or routine.step_no != step_no
        or cursor_of(routine).phase != "pain_after"
    ):
        return None
    closing = await closing_of(db, routine, now, "pain", score=score)
    record_rating(db, routine, score, "after", now)
    changes: tuple[LevelChange, ...] = ()
    if rose_meaningfully(routine.pain_before, routine.pain_after):
        by_id = {exercise.id: exercise for exercise in exercises}
        changes = tuple(await step_back_after_rise(db, routine, plan_of(routine), now, by_id))
    advance(routine, Cursor("done"), now)
    await db.flush()
    keys = await advice_keys(db, routine, now) if score is not None else ()
    await db.commit()
    log.info("routine session %s: the rating after came once it had completed", routine.id)
    return replace(ok_outcome(routine), closing=closing, late=LateRating(keys, changes), quiet=True)
