"""The hands-free routine's own steps: a hold started by its countdown (or by Start, cutting
the countdown short), the countdown's timer, Pause and Resume, and countdowns rebuilt after a
restart. Moving on after a hold is ``flow.go_next`` (it arms the next countdown)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.pace import timed_seconds
from bot.domain.routine import Cursor
from bot.domain.statuses import HoldOutcome, SessionStatus
from bot.services.routine.cadence import countdown_from, next_tick
from bot.services.routine.flow import (
    READY,
    READY_OR_HOLDING,
    after_step_outcome,
    at_step,
    close_hold,
    hold_row,
    ok_outcome,
    running_hold,
    stale_outcome,
)
from bot.services.routine.results import TICK_SECONDS, Cue, Outcome, Tick, TimerOrder
from bot.services.routine.rows import advance, cursor_of, plan_of, step_view
from content import Exercise
from storage.models import RoutineSession
from storage.routine import lock_session, timed_countdowns

log = logging.getLogger(__name__)


async def start(
    db: AsyncSession, routine: RoutineSession, now: datetime, *, cue: Cue | None = None
) -> Outcome:
    """Start: at an exercise's first step with no countdown yet, the "get into position"
    countdown begins; otherwise the hold (or paced set) starts at once."""
    plan = plan_of(routine)
    cursor = cursor_of(routine)
    position = cursor.position
    if position is None:
        return stale_outcome(routine, routine.step_no)
    item = plan.items[position.item]
    waiting = routine.phase_ends_at is None and routine.paused_seconds is None
    if waiting and cue is None and plan.pace is not None:
        advance(routine, cursor, now)
        timer = countdown_from(routine, now, plan.pace.wait_seconds("position"))
        await db.commit()
        return replace(ok_outcome(routine), live=await step_view(db, routine, now), timer=timer)
    seconds = timed_seconds(plan.pace, item) or item.dose.hold_seconds
    hold = hold_row(routine, item, position, now)
    hold.ends_at = now + timedelta(seconds=seconds)
    db.add(hold)
    await db.flush()
    advance(routine, Cursor("holding", position, hold.id), now)
    routine.phase_ends_at = hold.ends_at
    routine.paused_seconds = None
    await db.commit()
    timer = TimerOrder(routine.chat_id, routine.id, hold.id, next_tick(now, hold.ends_at))
    return replace(
        ok_outcome(routine), live=await step_view(db, routine, now), timer=timer, cue=cue
    )


async def countdown_due(
    db: AsyncSession,
    *,
    session_id: int,
    step_no: int,
    now: datetime,
    every: float | None = TICK_SECONDS,
) -> Tick:
    """The timer of the countdown before a hold: the seconds left (edited ``every`` seconds,
    as the send budget allows), or the hold starts."""
    routine = await lock_session(db, session_id)
    if (
        routine is None
        or routine.status != SessionStatus.ACTIVE
        or routine.step_no != step_no
        or routine.phase_ends_at is None
        or cursor_of(routine).phase != "ready"
    ):
        await db.commit()
        return Tick()
    if now < routine.phase_ends_at:
        view = await step_view(db, routine, now)
        await db.commit()
        return Tick(countdown=view, next_at=next_tick(now, routine.phase_ends_at, every))
    return Tick(finished=await start(db, routine, now, cue="hold"))


async def pause(
    db: AsyncSession,
    *,
    user_id: int,
    session_id: int,
    step_no: int,
    now: datetime,
    exercises: Sequence[Exercise],
) -> Outcome:
    """Pause: a countdown stops where it is; a hold ends here (recorded as held so far) and
    the countdown before the next one waits for Resume."""
    found = await at_step(db, user_id, session_id, step_no, READY_OR_HOLDING)
    if isinstance(found, Outcome):
        return found
    routine, cursor, _position = found
    hold = await running_hold(db, routine, cursor)
    if hold is not None and hold.ends_at is not None:
        seconds = close_hold(hold, min(now, hold.ends_at), HoldOutcome.STOPPED_EARLY)
        return await after_step_outcome(
            db,
            routine,
            cursor,
            now,
            "early",
            "early",
            seconds,
            exercises=exercises,
            cancel_timer=True,
            paused=True,
        )
    if routine.phase_ends_at is None:
        return stale_outcome(routine, step_no)  # nothing is counting down
    left = max(1, int((routine.phase_ends_at - now).total_seconds() + 0.999))
    advance(routine, cursor, now)
    routine.phase_ends_at = None
    routine.paused_seconds = left
    await db.commit()
    return replace(ok_outcome(routine), live=await step_view(db, routine, now), cancel_timer=True)


async def carry_on_counting(
    db: AsyncSession, *, user_id: int, session_id: int, step_no: int, now: datetime
) -> Outcome:
    """Resume after Pause: the countdown goes on from where it stopped."""
    found = await at_step(db, user_id, session_id, step_no, READY)
    if isinstance(found, Outcome):
        return found
    routine, cursor, _position = found
    if routine.paused_seconds is None:
        return stale_outcome(routine, step_no)
    left = routine.paused_seconds
    advance(routine, cursor, now)
    timer = countdown_from(routine, now, left)
    await db.commit()
    return replace(ok_outcome(routine), live=await step_view(db, routine, now), timer=timer)


async def recover_countdowns(db: AsyncSession, *, now: datetime) -> tuple[TimerOrder, ...]:
    """At start-up: the countdowns before a hold, back at the second they had reached (one
    that ran out while the bot was down starts its hold at once)."""
    orders: list[TimerOrder] = []
    for routine in await timed_countdowns(db):
        if cursor_of(routine).phase != "ready" or routine.phase_ends_at is None:
            continue
        at = next_tick(now, routine.phase_ends_at) if routine.phase_ends_at > now else now
        orders.append(TimerOrder(routine.chat_id, routine.id, 0, at, step_no=routine.step_no))
    await db.commit()
    return tuple(orders)


async def remember_cue(db: AsyncSession, *, session_id: int, message_id: int | None) -> int | None:
    """The session's newest cue message (None: none now); the one before it, to delete."""
    routine = await lock_session(db, session_id)
    if routine is None:
        await db.commit()
        return None
    previous = routine.cue_message_id
    routine.cue_message_id = message_id
    await db.commit()
    return previous
