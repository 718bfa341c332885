"""Taps on a step: pain ratings, holds, done, skip, it hurts, stop, leave out."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.progression import Occurrence, decide_level
from bot.domain.routine import Cursor, after_exercise_left, after_pain_before
from bot.domain.statuses import HoldOutcome, SessionStatus
from bot.services.routine import hands_free
from bot.services.routine.cadence import arm, next_tick
from bot.services.routine.flow import (
    READY,
    READY_OR_HOLDING,
    STOP_FOR_SAFETY,
    advance,
    after_step_outcome,
    at_step,
    close_hold,
    closing_of,
    complete_session,
    end_session,
    go_next,
    guard,
    hold_row,
    log_foreign,
    ok_outcome,
    running_hold,
    stale_outcome,
    step_view,
)
from bot.services.routine.progressing import apply_level
from bot.services.routine.results import Closed, HurtNote, Lead, LeftOut, Outcome, TimerOrder
from bot.services.routine.rows import cursor_of, plan_of
from content import Exercise
from storage.models import PainRating, RoutineSession
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
    """A pain rating (or "skip") before or after the routine, whichever is being asked."""
    routine, refused = await guard(db, user_id, session_id, step_no)
    if routine is None:
        return refused
    cursor = cursor_of(routine)
    if cursor.phase not in ("pain_before", "pain_after"):
        return stale_outcome(routine, step_no)
    closing = await closing_of(db, routine, now, "pain", score=score)
    context = "before" if cursor.phase == "pain_before" else "after"
    if score is not None:
        db.add(
            PainRating(
                user_id=user_id, session_id=routine.id, score=score, context=context, rated_at=now
            )
        )
    plan = plan_of(routine)
    if cursor.phase == "pain_before":
        routine.pain_before = score
        advance(routine, after_pain_before(plan), now)
        timer = arm(routine, plan, cursor_of(routine), now)  # hands-free: the routine is off
        await db.commit()
        return replace(
            ok_outcome(routine),
            closing=closing,
            next_view=await step_view(db, routine, now),
            timer=timer,
        )
    routine.pain_after = score
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
        hold = hold_row(routine, item, position, routine.updated_at)
        hold.outcome = HoldOutcome.COMPLETED
        hold.ended_at = now
        db.add(hold)
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
    routine, cursor, position = found
    plan = plan_of(routine)
    running = await running_hold(db, routine, cursor)
    if running is not None:
        close_hold(running, now, HoldOutcome.STOPPED_EARLY)
    else:
        hold = hold_row(routine, plan.items[position.item], position, now)
        hold.outcome = HoldOutcome.SKIPPED
        hold.ended_at = now
        db.add(hold)
    closing = await closing_of(db, routine, now, "skipped")
    advance(routine, after_exercise_left(plan, cursor), now)
    return await go_next(
        db,
        routine,
        now,
        exercises,
        closing=closing,
        lead="skipped",
        cancel_timer=running is not None and running.ends_at is not None,
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
    plan = plan_of(routine)
    item = plan.items[position.item]
    running = await running_hold(db, routine, cursor)
    if running is not None:
        seconds = close_hold(running, now, HoldOutcome.HURT)
    else:
        hold = hold_row(routine, item, position, now)
        hold.outcome = HoldOutcome.HURT
        hold.ended_at = now
        db.add(hold)
        seconds = None
    closing = await closing_of(db, routine, now, "hurt", seconds=seconds)
    change = None
    exercise = {exercise.id: exercise for exercise in exercises}.get(item.exercise_id)
    if exercise is not None:
        pref = await preference(db, user_id, item.exercise_id)
        hurt = Occurrence(done_any=True, completed=False, pain_rose=False, hurt=True)
        change = decide_level(exercise, pref.level, [hurt])
        if change is not None:
            apply_level(pref, change, now)
    log.info("user %s: exercise %s hurt in session %s", user_id, item.exercise_id, routine.id)
    advance(routine, after_exercise_left(plan, cursor), now)
    return await go_next(
        db,
        routine,
        now,
        exercises,
        closing=closing,
        lead="hurt",
        hurt=HurtNote(routine.id, item.exercise_id, change),
        cancel_timer=running is not None and running.ends_at is not None,
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
