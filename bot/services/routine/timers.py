"""The hold timer: a due countdown tick, and timers rebuilt after a restart."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.statuses import HoldOutcome, SessionStatus
from bot.services.routine import hands_free
from bot.services.routine.cadence import next_tick
from bot.services.routine.flow import after_step_outcome, close_hold, running_hold
from bot.services.routine.results import TICK_SECONDS, Outcome, Recovery, Tick, TimerOrder
from bot.services.routine.rows import cursor_of, step_view
from content import Exercise
from storage.models import Hold
from storage.routine import lock_session, running_timed_holds

log = logging.getLogger(__name__)

"""Seconds before a hold's end of its one countdown edit when the send budget is short."""


async def timer_due(
    db: AsyncSession,
    *,
    session_id: int,
    hold_id: int,
    now: datetime,
    exercises: Sequence[Exercise],
    every: float | None = TICK_SECONDS,
) -> Tick:
    """The timer for a running hold: the countdown so far, or the hold's end. The next tick
    comes ``every`` seconds later (None: only once more, NEAR_END seconds before the end)."""
    routine = await lock_session(db, session_id)
    if routine is None or routine.status != SessionStatus.ACTIVE:
        return Tick()
    cursor = cursor_of(routine)
    hold = await db.get(Hold, hold_id)
    if (
        cursor.phase != "holding"
        or cursor.hold_id != hold_id
        or hold is None
        or hold.outcome != HoldOutcome.RUNNING
        or hold.ends_at is None
    ):
        return Tick()
    if now < hold.ends_at:
        return Tick(
            countdown=await step_view(db, routine, now),
            next_at=next_tick(now, hold.ends_at, every),
        )
    seconds = close_hold(hold, hold.ends_at, HoldOutcome.COMPLETED)
    finished = await after_step_outcome(
        db, routine, cursor, now, "held", "release", seconds, exercises=exercises
    )
    return Tick(finished=finished)


async def recover_timers(
    db: AsyncSession, *, now: datetime, exercises: Sequence[Exercise]
) -> Recovery:
    """At start-up: timers for holds still running, and holds that ended while the bot was
    down closed with the time known (from their start to their planned end)."""
    finished: list[Outcome] = []
    timers: list[TimerOrder] = []
    found = [(hold.id, routine.id) for hold, routine in await running_timed_holds(db)]
    await db.commit()
    for hold_id, session_id in found:
        # One session at a time, locked and read afresh: a tap may have got there first.
        routine = await lock_session(db, session_id)
        hold = await db.get(Hold, hold_id, populate_existing=True)
        if routine is None or hold is None or hold.ends_at is None:
            await db.commit()
            continue
        cursor = cursor_of(routine)
        if await running_hold(db, routine, cursor) is not hold:
            await db.commit()
            continue
        if hold.ends_at > now:
            await db.commit()
            timers.append(
                TimerOrder(routine.chat_id, routine.id, hold.id, next_tick(now, hold.ends_at))
            )
            continue
        seconds = close_hold(hold, hold.ends_at, HoldOutcome.COMPLETED)
        outcome = await after_step_outcome(
            db, routine, cursor, now, "held", "recovered", seconds, exercises=exercises
        )
        log.info("hold %s of session %s closed at start-up", hold.id, routine.id)
        finished.append(outcome)
    timers.extend(await hands_free.recover_countdowns(db, now=now))
    return Recovery(tuple(finished), tuple(timers))
