"""When timers run: the countdown cadence (one function, so the send budget can drive it) and
arming the hands-free countdown before a step. No imports from the rest of the routine's
services, so every one of them can use it."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from bot.domain.pace import pace_of, wait_before
from bot.domain.routine import Cursor, Plan
from bot.services.routine.results import (
    TICK_SECONDS,
    Closing,
    Cue,
    HurtNote,
    Lead,
    Outcome,
    StepView,
    TimerOrder,
)
from content import HandsFree
from storage.models import RoutineSession, User

NEAR_END = 5
"""With no cadence to spare, a countdown is edited once more this many seconds before its end."""


def next_tick(now: datetime, ends_at: datetime, every: float | None = TICK_SECONDS) -> datetime:
    """The next countdown edit of a phase ending at ``ends_at`` (never later than its end).

    The one place the countdown's cadence is decided: ``every`` comes from the send budget
    (``SendBudget.countdown_every``: 5, 10 or 15 s, or None when it is short, and then only
    once more NEAR_END seconds before the end); transitions never wait on it.
    """
    if every is None:
        near_end = ends_at - timedelta(seconds=NEAR_END)
        return near_end if near_end > now + timedelta(seconds=1) else ends_at
    return min(now + timedelta(seconds=every), ends_at)


def hands_free_session(
    routine: RoutineSession, user: User, timings: HandsFree, default: bool
) -> None:
    """A new session runs hands-free if its user chose it (or has not chosen and ``default``)
    and keeps timers on; its pace is fixed in its plan now."""
    chosen = user.hands_free if user.hands_free is not None else default
    if not chosen or not user.timers_enabled:
        return
    plan = Plan.from_json(routine.plan)
    routine.plan = replace(plan, pace=pace_of(timings, slow=user.slow_pace)).to_json()
    routine.hands_free = True


def arm(
    routine: RoutineSession, plan: Plan, cursor: Cursor, now: datetime, *, paused: bool = False
) -> TimerOrder | None:
    """Hands-free: start the countdown before the step at ``cursor`` (or hold it, paused).
    Call after the cursor moved there (the order names the current step)."""
    if not routine.hands_free or plan.pace is None:
        return None
    if cursor.phase != "ready" or cursor.position is None:
        routine.phase_ends_at = None
        routine.paused_seconds = None
        return None
    seconds = plan.pace.wait_seconds(wait_before(plan, cursor.position))
    if paused:
        routine.phase_ends_at = None
        routine.paused_seconds = seconds
        return None
    return countdown_from(routine, now, seconds)


def follow(routine: RoutineSession, now: datetime) -> TimerOrder | None:
    """A countdown under way, its timer named for the session's current step (after a move
    that did not touch it, such as "Continue" on the resume offer)."""
    ends = routine.phase_ends_at
    if not routine.hands_free or ends is None or routine.cursor.get("phase") != "ready":
        return None
    return TimerOrder(
        routine.chat_id, routine.id, 0, next_tick(now, max(ends, now)), routine.step_no
    )


def countdown_from(routine: RoutineSession, now: datetime, seconds: int) -> TimerOrder:
    """Count ``seconds`` down from ``now`` before the current step's hold."""
    ends = now + timedelta(seconds=seconds)
    routine.phase_ends_at = ends
    routine.paused_seconds = None
    return TimerOrder(routine.chat_id, routine.id, 0, next_tick(now, ends), step_no=routine.step_no)


def carry_on(
    base: Outcome,
    view: StepView,
    *,
    closing: Closing | None,
    lead: Lead,
    lead_seconds: int | None,
    hurt: HurtNote | None,
    cancel_timer: bool,
    timer: TimerOrder | None,
) -> Outcome:
    """Hands-free: what moving on shows. Within one exercise its live message is edited (with
    a cue when the timer ended the hold); a new exercise, or the end, collapses the old live
    message to one line and sends the next one with a notification."""
    same = (
        closing is not None
        and view.phase == "ready"
        and closing.view.item_index == view.item_index
        and view.card_message_id == closing.message_id
    )
    common = replace(
        base,
        lead=lead,
        lead_seconds=lead_seconds,
        hurt=hurt,
        cancel_timer=cancel_timer,
        timer=timer,
    )
    if same:
        cue: Cue | None = None
        if lead in ("release", "recovered"):  # the timer ended the hold: say so out loud
            cue = "switch" if view.wait == "switch" else "release"
        return replace(common, live=view, cue=cue)
    return replace(common, closing=closing, collapse=True, next_view=view, loud=True)
