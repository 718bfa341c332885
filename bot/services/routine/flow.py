"""What every step shares: the guard, the cursor, closing holds, moving on, finishing."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.routine import Cursor, Phase, PlanItem, Position, after_exercise_left, after_step
from bot.domain.statuses import HoldOutcome, SessionStatus
from bot.services.routine.cadence import arm, carry_on
from bot.services.routine.ending import complete_session
from bot.services.routine.results import Closed, Closing, HurtNote, Lead, Outcome
from bot.services.routine.rows import advance, cursor_of, plan_of, step_view
from content import Exercise
from storage.models import Hold, RoutineSession
from storage.routine import lock_session

log = logging.getLogger(__name__)


def ok_outcome(routine: RoutineSession) -> Outcome:
    return Outcome("ok", routine.chat_id, routine.id, card_message_id=routine.card_message_id)


STOP_FOR_SAFETY = "safety"
"""``routine_sessions.stop_reason`` of a routine a warning sign ended (``stop_for_safety``)."""


def stale_outcome(routine: RoutineSession, step_no: int) -> Outcome:
    """A tap for a step that is not the current one. ``over`` when its routine has ended,
    unless it is a second tap on the button that ended it (the step just before the end)."""
    over = routine.status != SessionStatus.ACTIVE and step_no != routine.step_no - 1
    return Outcome(
        "stale",
        routine.chat_id,
        routine.id,
        card_message_id=routine.card_message_id,
        over=over,
        for_safety=routine.stop_reason == STOP_FOR_SAFETY,
    )


def log_foreign(user_id: int, routine: RoutineSession) -> None:
    log.warning(
        "rejected a routine tap on another user's session: user=%s owner=%s session=%s",
        user_id,
        routine.user_id,
        routine.id,
    )


async def guard(
    db: AsyncSession, user_id: int, session_id: int, step_no: int
) -> tuple[RoutineSession, Outcome] | tuple[None, Outcome]:
    """The session, locked, if this tap is for its current step; else why not."""
    routine = await lock_session(db, session_id)
    if routine is None:
        return None, Outcome("stale", user_id, session_id, over=True)
    if routine.user_id != user_id:
        log_foreign(user_id, routine)
        return None, Outcome("forged", user_id, session_id)
    if routine.status != SessionStatus.ACTIVE or routine.step_no != step_no:
        log.debug(
            "stale routine tap: user=%s session=%s step=%s current=%s status=%s",
            user_id,
            session_id,
            step_no,
            routine.step_no,
            routine.status,
        )
        return None, stale_outcome(routine, step_no)
    return routine, ok_outcome(routine)


async def at_step(
    db: AsyncSession,
    user_id: int,
    session_id: int,
    step_no: int,
    phases: frozenset[Phase],
) -> tuple[RoutineSession, Cursor, Position] | Outcome:
    """``guard``, then the check every tap on an exercise step makes: the session is at one of
    ``phases`` of an exercise. The session, its cursor and the position; else why not."""
    routine, refused = await guard(db, user_id, session_id, step_no)
    if routine is None:
        return refused
    cursor = cursor_of(routine)
    if cursor.phase not in phases or cursor.position is None:
        return stale_outcome(routine, step_no)
    return routine, cursor, cursor.position


READY: frozenset[Phase] = frozenset({"ready"})
READY_OR_HOLDING: frozenset[Phase] = frozenset({"ready", "holding"})


def hold_row(
    routine: RoutineSession, item: PlanItem, position: Position, started_at: datetime
) -> Hold:
    return Hold(
        session_id=routine.id,
        user_id=routine.user_id,
        exercise_id=item.exercise_id,
        side=position.side,
        rep=position.rep,
        set_no=position.set_no,
        target_seconds=item.dose.hold_seconds,
        target_reps=item.dose.reps if item.mode == "reps" else None,
        outcome=HoldOutcome.RUNNING,
        message_id=routine.card_message_id,
        started_at=started_at,
    )


def closed_hold_row(
    db: AsyncSession,
    routine: RoutineSession,
    item: PlanItem,
    position: Position,
    outcome: str,
    *,
    started_at: datetime,
    ended_at: datetime,
) -> Hold:
    """Record a step that ran no timed hold (done, skipped or hurt with nothing under way) as
    one closed row."""
    hold = hold_row(routine, item, position, started_at)
    hold.outcome = outcome
    hold.ended_at = ended_at
    db.add(hold)
    return hold


async def end_step(
    db: AsyncSession,
    routine: RoutineSession,
    cursor: Cursor,
    now: datetime,
    outcome: str,
    *,
    idle_outcome: str | None = None,
) -> tuple[Hold | None, int | None]:
    """End the step at ``cursor`` here with ``outcome``: the hold under way closes (it and
    its seconds are returned); with none under way, a closed row records the step
    (``idle_outcome``, else ``outcome``)."""
    running = await running_hold(db, routine, cursor)
    if running is not None:
        return running, close_hold(running, now, outcome)
    if cursor.position is not None:
        item = plan_of(routine).items[cursor.position.item]
        closed_hold_row(
            db,
            routine,
            item,
            cursor.position,
            idle_outcome or outcome,
            started_at=now,
            ended_at=now,
        )
    return None, None


def close_hold(hold: Hold, at: datetime, outcome: str) -> int:
    """End a running hold at ``at``; its actual seconds are what the clock says."""
    seconds = max(0, int((at - hold.started_at).total_seconds()))
    hold.actual_seconds = seconds
    hold.outcome = outcome
    hold.ended_at = at
    return seconds


async def running_hold(db: AsyncSession, routine: RoutineSession, cursor: Cursor) -> Hold | None:
    if (
        routine.status != SessionStatus.ACTIVE
        or cursor.phase != "holding"
        or cursor.hold_id is None
    ):
        return None
    hold = await db.get(Hold, cursor.hold_id)
    if hold is None or hold.outcome != HoldOutcome.RUNNING or hold.session_id != routine.id:
        return None
    return hold


async def closing_of(
    db: AsyncSession,
    routine: RoutineSession,
    now: datetime,
    result: Closed,
    *,
    seconds: int | None = None,
    score: int | None = None,
) -> Closing | None:
    if routine.card_message_id is None:
        return None
    view = await step_view(db, routine, now)
    return Closing(routine.card_message_id, view, result, seconds, score)


async def after_step_outcome(
    db: AsyncSession,
    routine: RoutineSession,
    cursor: Cursor,
    now: datetime,
    result: Closed,
    lead: Lead,
    seconds: int | None,
    *,
    exercises: Sequence[Exercise],
    cancel_timer: bool = False,
    paused: bool = False,
    to: Cursor | None = None,
    hurt: HurtNote | None = None,
) -> Outcome:
    """The step at ``cursor`` is over (``result``, after ``seconds``): on to ``to`` (by
    default the next step; after a skip or "It hurts", the next exercise), saying ``lead``."""
    closing = await closing_of(db, routine, now, result, seconds=seconds)
    advance(routine, to or after_step(plan_of(routine), cursor), now)
    return await go_next(
        db,
        routine,
        now,
        exercises,
        closing=closing,
        lead=lead,
        lead_seconds=seconds,
        hurt=hurt,
        cancel_timer=cancel_timer,
        paused=paused,
    )


def next_exercise_cursor(routine: RoutineSession, cursor: Cursor) -> Cursor:
    """Where a skip or "It hurts" goes: the next exercise (or the end)."""
    return after_exercise_left(plan_of(routine), cursor)


async def go_next(
    db: AsyncSession,
    routine: RoutineSession,
    now: datetime,
    exercises: Sequence[Exercise],
    *,
    closing: Closing | None,
    lead: Lead,
    lead_seconds: int | None = None,
    hurt: HurtNote | None = None,
    cancel_timer: bool = False,
    paused: bool = False,
) -> Outcome:
    """Commit the move to the next step and say what to show: that step, or the end
    (hands-free: the countdown before that step starts, or is held when ``paused``)."""
    phase = cursor_of(routine).phase
    # Hands-free, the routine completes on its own: the rating after is only offered.
    rating_open = routine.hands_free and phase == "pain_after"
    if phase == "done" or rating_open:
        routine.phase_ends_at = None
        routine.paused_seconds = None
        summary = await complete_session(db, routine, now, exercises, rating_open=rating_open)
        return replace(
            ok_outcome(routine),
            closing=closing,
            lead=lead,
            lead_seconds=lead_seconds,
            hurt=hurt,
            summary=summary,
            cancel_timer=cancel_timer,
            collapse=routine.hands_free,
            ask_after=await step_view(db, routine, now) if rating_open else None,
        )
    if routine.hands_free:
        timer = arm(routine, plan_of(routine), cursor_of(routine), now, paused=paused)
        await db.commit()
        view = await step_view(db, routine, now)
        return carry_on(
            ok_outcome(routine),
            view,
            closing=closing,
            lead=lead,
            lead_seconds=lead_seconds,
            hurt=hurt,
            cancel_timer=cancel_timer,
            timer=timer,
        )
    await db.commit()
    return replace(
        ok_outcome(routine),
        closing=closing,
        lead=lead,
        lead_seconds=lead_seconds,
        hurt=hurt,
        next_view=await step_view(db, routine, now),
        cancel_timer=cancel_timer,
    )


async def end_session(
    db: AsyncSession, routine: RoutineSession, now: datetime, status: str, *, by_tap: bool = True
) -> bool:
    """Close the session with ``status``; a hold still running ends early. True if it was
    a timed hold (its timer should go).

    Ended by a tap, the step moves on as for any tap; ended for being idle it stays, so a
    later tap on its last card reads as an old routine's, not as a second tap (``stale_outcome``).
    """
    cursor = cursor_of(routine)
    hold = await running_hold(db, routine, cursor)
    timed = False
    if hold is not None:
        timed = hold.ends_at is not None
        end = min(now, hold.ends_at) if hold.ends_at is not None else now
        close_hold(hold, end, HoldOutcome.STOPPED_EARLY)
    routine.status = status
    routine.finished_at = now
    if by_tap:
        advance(routine, Cursor("done"), now)
    else:
        routine.cursor = Cursor("done").to_json()
        routine.updated_at = now
    return timed
