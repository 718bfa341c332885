"""A routine session's row: its plan and its cursor, moving it on, and its current step as
plain data."""

from __future__ import annotations

import math
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.pace import wait_before
from bot.domain.routine import Cursor, Plan, step_index
from bot.services.routine.results import StepView
from storage.models import Hold, RoutineSession, User


def cursor_of(routine: RoutineSession) -> Cursor:
    return Cursor.from_json(routine.cursor)


def plan_of(routine: RoutineSession) -> Plan:
    return Plan.from_json(routine.plan)


def advance(routine: RoutineSession, cursor: Cursor, now: datetime) -> None:
    """Move the session to ``cursor``: a new step, so every older button goes stale."""
    routine.cursor = cursor.to_json()
    routine.step_no += 1
    routine.updated_at = now


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
