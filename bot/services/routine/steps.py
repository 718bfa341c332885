"""Taps on a step: pain ratings, holds, done, skip, it hurts, stop, leave out."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.progression import Occurrence, decide_level
from bot.domain.routine import Cursor
from bot.domain.statuses import HoldOutcome, SessionStatus
from bot.services.routine import hands_free, rating
from bot.services.routine.cadence import next_tick
from bot.services.routine.ending import complete_session
from bot.services.routine.flow import (
    READY,
    READY_OR_HOLDING,
    STOP_FOR_SAFETY,
    after_step_outcome,
    at_step,
    close_hold,
    closed_hold_row,
    closing_of,
    end_session,
    end_step,
    guard,
    hold_row,
    log_foreign,
    next_exercise_cursor,
    ok_outcome,
    running_hold,
    stale_outcome,
)
from bot.services.routine.progressing import apply_level
from bot.services.routine.results import Closed, HurtNote, Lead, LeftOut, Outcome, TimerOrder
from bot.services.routine.rows import advance, cursor_of, plan_of, step_view
from content import Exercise
from storage.models import RoutineSession
from storage.routine import active_session, lock_session, preference

log = logging.getLogger(__name__)


async def rate_pain(
    db: AsyncSession,
    *,
    user_id: int,
    session_id: int,
    step_no: int,
    score: int | None,
    now: datetime,
    exercises: Sequence[Exercise],
) -> Outcome:
    """A pain rating (or "skip") before or after the routine, whichever is being asked (or,
    hands-free, the one after a routine that has completed on its own)."""
    late = await rating.rate_late(
        db,
        user_id=user_id,
        session_id=session_id,
        step_no=step_no,
        score=score,
        now=now,
        exercises=exercises,
    )
    if late is not None:
        return late
    routine, refused = await guard(db, user_id, session_id, step_no)
    if routine is None:
        return refused
    cursor = cursor_of(routine)
    if cursor.phase not in ("pain_before", "pain_after"):
        return stale_outcome(routine, step_no)
    closing = await closing_of(db, routine, now, "pain", score=score)
    if cursor.phase == "pain_before":
        timer = rating.begin(db, routine, score, now)  # hands-free: the routine is off
        await db.commit()
        return replace(
            ok_outcome(routine),
            closing=closing,
            next_view=await step_view(db, routine, now),
            timer=timer,
        )
    rating.record_rating(db, routine, score, "after", now)
    summary = await complete_session(db, routine, now, exercises)
    return replace(ok_outcome(routine), closing=closing, summary=summary, quiet=routine.hands_free)


async def start_hold(
    db: AsyncSession, *, user_id: int, session_id: int, step_no: int, now: datetime
) -> Outcome:
    """Start the current hold (a timed countdown) or set (done at the user's pace)."""
    found = await at_step(db, user_id, session_id, step_no, READY)
    if isinstance(found, Outcome):
        return found
    routine, _cursor, position = found
    if routine.hands_free:
        return await hands_free.start(db, routine, now)
    item = plan_of(routine).items[position.item]
    timed = item.mode == "hold"
    hold = hold_row(routine, item, position, now)
    hold.ends_at = now + timedelta(seconds=item.dose.hold_seconds) if timed else None
    db.add(hold)
    await db.flush()
    advance(routine, Cursor("holding", position, hold.id), now)
    await db.commit()
    timer = None
    if hold.ends_at is not None:
        timer = TimerOrder(routine.chat_id, routine.id, hold.id, next_tick(now, hold.ends_at))
    return replace(ok_outcome(routine), countdown=await step_view(db, routine, now), timer=timer)


async def finish_step(
    db: AsyncSession,
    *,
    user_id: int,
    session_id: int,
    step_no: int,
    now: datetime,
    exercises: Sequence[Exercise],
) -> Outcome:
    """ "Finish hold", "Set done" or "Done": the current step is over, go to the next."""
    found = await at_step(db, user_id, session_id, step_no, READY_OR_HOLDING)
    if isinstance(found, Outcome):
        return found
    routine, cursor, position = found
    item = plan_of(routine).items[position.item]
    hold = await running_hold(db, routine, cursor)
    if hold is None:
        # No countdown for this step (timers off): one tap records it as done.
        hold = closed_hold_row(
            db,
            routine,
            item,
            position,
            HoldOutcome.COMPLETED,
            started_at=routine.updated_at,
            ended_at=now,
        )
        result: Closed
        lead: Lead
        result = lead = "set_done" if item.mode == "reps" else "done"
        seconds = None
    elif hold.ends_at is None:
        seconds = close_hold(hold, now, HoldOutcome.COMPLETED)
        result = lead = "set_done"
    elif now < hold.ends_at:
        seconds = close_hold(hold, now, HoldOutcome.STOPPED_EARLY)
        result = lead = "early"
    else:
        # The tap met the end of the hold before its timer did.
        seconds = close_hold(hold, hold.ends_at, HoldOutcome.COMPLETED)
        result, lead = "held", "release"
    timed = hold.ends_at is not None
    return await after_step_outcome(
        db, routine, cursor, now, result, lead, seconds, cancel_timer=timed, exercises=exercises
    )


async def skip_exercise(
    db: AsyncSession,
    *,
    user_id: int,
    session_id: int,
    step_no: int,
    now: datetime,
    exercises: Sequence[Exercise],
) -> Outcome:
    """Leave the rest of the current exercise out this time (hands-free, a hold under way
    ends there, recorded as held so far)."""
    found = await at_step(db, user_id, session_id, step_no, READY_OR_HOLDING)
    if isinstance(found, Outcome):
        return found
    routine, cursor, _position = found
    running, _seconds = await end_step(
        db, routine, cursor, now, HoldOutcome.STOPPED_EARLY, idle_outcome=HoldOutcome.SKIPPED
    )
    timed = running is not None and running.ends_at is not None
    return await after_step_outcome(
        db,
        routine,
        cursor,
        now,
        "skipped",
        "skipped",
        None,
        exercises=exercises,
        cancel_timer=timed,
        to=next_exercise_cursor(routine, cursor),
    )


async def it_hurts(
    db: AsyncSession,
    *,
    user_id: int,
    session_id: int,
    step_no: int,
    now: datetime,
    exercises: Sequence[Exercise],
) -> Outcome:
    """Stop this exercise: record it, step its dose down, and go on with the next one."""
    found = await at_step(db, user_id, session_id, step_no, READY_OR_HOLDING)
    if isinstance(found, Outcome):
        return found
    routine, cursor, position = found
    item = plan_of(routine).items[position.item]
    running, seconds = await end_step(db, routine, cursor, now, HoldOutcome.HURT)
    change = None
    exercise = {exercise.id: exercise for exercise in exercises}.get(item.exercise_id)
    if exercise is not None:
        pref = await preference(db, user_id, item.exercise_id)
        hurt = Occurrence(done_any=True, completed=False, pain_rose=False, hurt=True)
        change = decide_level(exercise, pref.level, [hurt])
        if change is not None:
            apply_level(pref, change, now)
    log.info("user %s: exercise %s hurt in session %s", user_id, item.exercise_id, routine.id)
    timed = running is not None and running.ends_at is not None
    return await after_step_outcome(
        db,
        routine,
        cursor,
        now,
        "hurt",
        "hurt",
        seconds,
        exercises=exercises,
        cancel_timer=timed,
        to=next_exercise_cursor(routine, cursor),
        hurt=HurtNote(routine.id, item.exercise_id, change),
    )


async def stop(
    db: AsyncSession, *, user_id: int, session_id: int, step_no: int, now: datetime
) -> Outcome:
    """End the routine here; it counts as stopped, not completed."""
    routine, refused = await guard(db, user_id, session_id, step_no)
    if routine is None:
        return refused
    closing = await closing_of(db, routine, now, "stopped")
    had_timer = await end_session(db, routine, now, SessionStatus.STOPPED)
    await db.commit()
    log.info("routine session %s stopped by user %s", routine.id, user_id)
    return replace(
        ok_outcome(routine),
        closing=closing,
        stopped=True,
        cancel_timer=had_timer,
        quiet=routine.hands_free,
    )


async def stop_for_safety(db: AsyncSession, *, user_id: int, now: datetime) -> Outcome | None:
    """A warning sign typed mid-routine: the routine in progress ends through ``stop`` (the
    same as the Stop button), marked so that its "stopped" note and any later tap on its old
    buttons say why. Every timer job of the chat goes (a hands-free countdown too). None when
    no routine is in progress."""
    active = await active_session(db, user_id)
    if active is None:
        return None
    outcome = await stop(db, user_id=user_id, session_id=active.id, step_no=active.step_no, now=now)
    if outcome.verdict != "ok":
        return None
    active.stop_reason = STOP_FOR_SAFETY
    await db.commit()
    log.info("routine session %s of user %s stopped for safety", active.id, user_id)
    return replace(outcome, for_safety=True, cancel_timer=True)


async def leave_out(
    db: AsyncSession, *, user_id: int, session_id: int, exercise_id: str
) -> LeftOut:
    """ "Leave it out of future routines" (offered after "It hurts"); works at any later time."""
    routine = await db.get(RoutineSession, session_id)
    if routine is None:
        return LeftOut("stale")
    if routine.user_id != user_id:
        log_foreign(user_id, routine)
        return LeftOut("forged")
    if exercise_id not in {item.exercise_id for item in plan_of(routine).items}:
        log.warning(
            "leave-out names an exercise outside the session: user=%s session=%s",
            user_id,
            session_id,
        )
        return LeftOut("forged")
    pref = await preference(db, user_id, exercise_id)
    pref.excluded = True
    await db.commit()
    log.info("user %s left exercise %s out of routines", user_id, exercise_id)
    return LeftOut("ok", exercise_id)


async def remember_card(
    db: AsyncSession, *, session_id: int, step_no: int, message_id: int
) -> None:
    """The message now showing the session's step (if the session is still at that step)."""
    routine = await lock_session(db, session_id)
    if routine is not None and routine.step_no == step_no:
        routine.card_message_id = message_id
    await db.commit()
