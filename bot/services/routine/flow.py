"""What every step shares: the guard, the cursor, closing holds, moving on, finishing."""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.pace import wait_before
from bot.domain.pain import rose_meaningfully
from bot.domain.routine import Cursor, Phase, PlanItem, Position, after_step, step_index
from bot.domain.statuses import HoldOutcome, SessionStatus
from bot.domain.streaks import current_streak
from bot.services.pain import EASE_OFF, advice_now
from bot.services.routine.cadence import arm, carry_on
from bot.services.routine.progressing import progression
from bot.services.routine.results import Closed, Closing, HurtNote, Lead, Outcome, StepView, Summary
from bot.services.routine.rows import cursor_of, plan_of
from bot.services.zones import user_zone
from content import Exercise
from storage.activity import routine_days
from storage.models import Hold, RoutineSession, User
from storage.routine import lock_session, session_holds

log = logging.getLogger(__name__)


def advance(routine: RoutineSession, cursor: Cursor, now: datetime) -> None:
    """Move the session to ``cursor``: a new step, so every older button goes stale."""
    routine.cursor = cursor.to_json()
    routine.step_no += 1
    routine.updated_at = now


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
) -> Outcome:
    closing = await closing_of(db, routine, now, result, seconds=seconds)
    advance(routine, after_step(plan_of(routine), cursor), now)
    return await go_next(
        db,
        routine,
        now,
        exercises,
        closing=closing,
        lead=lead,
        lead_seconds=seconds,
        cancel_timer=cancel_timer,
    )


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
    if routine.hands_free and cursor_of(routine).phase != "done":
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
    if cursor_of(routine).phase == "done":
        summary = await complete_session(db, routine, now, exercises)
        return replace(
            ok_outcome(routine),
            closing=closing,
            lead=lead,
            lead_seconds=lead_seconds,
            hurt=hurt,
            summary=summary,
            cancel_timer=cancel_timer,
            collapse=routine.hands_free,
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


async def _advice_keys(db: AsyncSession, routine: RoutineSession, now: datetime) -> tuple[str, ...]:
    """The pain rule over the user's days; a rise that matters within this routine (before to
    after) also says "ease off, keep moving" (and its exercises step back: progression)."""
    keys = (await advice_now(db, routine.user_id, now)).message_keys
    if EASE_OFF not in keys and rose_meaningfully(routine.pain_before, routine.pain_after):
        keys = (EASE_OFF, *keys)
    return keys


async def complete_session(
    db: AsyncSession, routine: RoutineSession, now: datetime, exercises: Sequence[Exercise]
) -> Summary:
    """Mark the session completed, move the exercises' levels, and sum it up."""
    routine.status = SessionStatus.COMPLETED
    routine.finished_at = now
    advance(routine, Cursor("done"), now)
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
        advice_keys=await _advice_keys(db, routine, now),
        changes=tuple(changes),
    )


async def step_view(db: AsyncSession, routine: RoutineSession, now: datetime) -> StepView:
    """The session's current step as plain data."""
    plan = plan_of(routine)
    cursor = cursor_of(routine)
    user = await db.get(User, routine.user_id)
    position = cursor.position
    item = plan.items[position.item] if position is not None else None
    remaining = elapsed = wait_left = None
    if cursor.phase == "holding" and cursor.hold_id is not None:
        hold = await db.get(Hold, cursor.hold_id)
        if hold is not None:
            elapsed = max(0, int((now - hold.started_at).total_seconds()))
        if hold is not None and hold.ends_at is not None:
            remaining = max(0, math.ceil((hold.ends_at - now).total_seconds()))
    hands_free = routine.hands_free and plan.pace is not None
    ready = hands_free and cursor.phase == "ready" and position is not None
    if ready and routine.phase_ends_at is not None:
        wait_left = max(0, math.ceil((routine.phase_ends_at - now).total_seconds()))
    return StepView(
        session_id=routine.id,
        step_no=routine.step_no,
        kind=plan.kind,
        phase=cursor.phase,
        items=len(plan.items),
        item_index=position.item if position is not None else None,
        item=item,
        position=position,
        step=step_index(plan, position) if position is not None else 0,
        timers=user.timers_enabled if user is not None else True,
        remaining=remaining,
        card_message_id=routine.card_message_id,
        hands_free=hands_free,
        pace=plan.pace,
        wait=wait_before(plan, position) if ready and position is not None else None,
        wait_left=wait_left,
        paused=routine.paused_seconds if ready else None,
        elapsed=elapsed,
    )
