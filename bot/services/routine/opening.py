"""Opening a routine session: a new one, resuming, restarting."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.progression import recent_change
from bot.domain.routine import Kind, Plan, PlanItem, opening_cursor, plan_item, todays_exercises
from bot.domain.statuses import SessionStatus
from bot.services.pain import easier_after_rise
from bot.services.routine import rating
from bot.services.routine.cadence import follow, hands_free_session
from bot.services.routine.flow import closing_of, end_session, guard, ok_outcome
from bot.services.routine.results import IDLE_AFTER, REPEAT_WINDOW, Opened, Outcome, Request
from bot.services.routine.rows import advance, cursor_of, step_view
from bot.services.safety import routine_gate
from content import Exercise, HandsFree
from storage.models import RoutineSession, User
from storage.routine import (
    active_session,
    completed_count,
    delivery_owner,
    excluded_ids,
    last_done,
    preferences,
)
from storage.users import upsert_user

log = logging.getLogger(__name__)


async def open_routine(
    db: AsyncSession,
    *,
    user_id: int,
    chat_id: int,
    language_code: str | None,
    now: datetime,
    exercises: Sequence[Exercise],
    request: Request,
    pace: HandsFree | None = None,
    hands_free_default: bool = False,
) -> Opened:
    """Start a routine (or one exercise), or offer to resume the one in progress.
    ``pace``: the content's hands-free timings, for users in hands-free mode (their choice,
    else ``hands_free_default``)."""
    user = await upsert_user(
        db, user_id=user_id, chat_id=chat_id, language_code=language_code, now=now
    )
    gate = await routine_gate(db, user_id, now)
    if gate.verdict != "open":
        await db.commit()
        log.info("routine refused by the safety gate: user=%s gate=%s", user_id, gate.verdict)
        return Opened(gate.verdict, chat_id, request=request)
    by_id = {exercise.id: exercise for exercise in exercises}
    if request.exercise_id is not None and request.exercise_id not in by_id:
        await db.commit()
        return Opened("unknown", chat_id, request=request)
    active = await active_session(db, user_id)
    left_behind = None
    if active is not None and now - active.updated_at >= IDLE_AFTER:
        left_behind = await closing_of(db, active, now, "stopped")
        await end_session(db, active, now, SessionStatus.STOPPED, by_tap=False)
        log.info("routine session %s of user %s left idle; closed", active.id, user_id)
        active = None
    if active is not None:
        await db.commit()
        if _is_repeat(active, request, now):
            return Opened("repeat", chat_id, request=request)
        return Opened("offer", chat_id, view=await step_view(db, active, now), request=request)
    routine = await _new_session(db, user, chat_id, now, by_id, request)
    if routine is not None and pace is not None:
        hands_free_session(routine, user, pace, hands_free_default)
    timer = None
    if routine is not None and request.rated and cursor_of(routine).phase == "pain_before":
        timer = rating.begin(db, routine, request.pain, now)  # one tap: rated and off
    await db.commit()
    if routine is None:
        return Opened("empty", chat_id, request=request, left_behind=left_behind)
    log.info("routine session %s started: user=%s kind=%s", routine.id, user_id, routine.kind)
    view = await step_view(db, routine, now)
    return Opened(
        "started",
        chat_id,
        view=view,
        request=request,
        left_behind=left_behind,
        caution=gate.caution,
        offer_rescreen=gate.offer_rescreen,
        timer=timer,
    )


def _is_repeat(active: RoutineSession, request: Request, now: datetime) -> bool:
    """A second tap on the button that just started ``active`` (nothing has happened since:
    at most the pain rating the start tap carried)."""
    untouched = active.step_no == 0 or (
        active.step_no == 1 and active.updated_at == active.started_at
    )
    if not untouched or now - active.started_at >= REPEAT_WINDOW:
        return False
    if request.exercise_id is not None:
        return active.kind == "single" and active.plan["items"][0]["exercise"] == (
            request.exercise_id
        )
    return request.delivery_id != 0 and active.delivery_id == request.delivery_id


async def _new_session(
    db: AsyncSession,
    user: User,
    chat_id: int,
    now: datetime,
    by_id: dict[str, Exercise],
    request: Request,
) -> RoutineSession | None:
    if request.exercise_id is not None:
        kind: Kind = "single"
        chosen: tuple[Exercise, ...] = (by_id[request.exercise_id],)
    else:
        # After a pain rise that matters (bot.domain.pain), the next routine is the short one.
        easier = await easier_after_rise(db, user.id, now)
        kind = "short" if user.routine_length == "short" or easier else "full"
        chosen = todays_exercises(
            by_id.values(),
            length=kind,
            excluded=await excluded_ids(db, user.id),
            completed_short=await completed_count(db, user.id, "short") if kind == "short" else 0,
        )
    if not chosen:
        return None
    plan = Plan(kind, await _plan_items(db, user.id, chosen))
    delivery_id = await _own_delivery(db, user.id, request.delivery_id)
    routine = RoutineSession(
        user_id=user.id,
        chat_id=chat_id,
        delivery_id=delivery_id,
        kind=kind,
        status=SessionStatus.ACTIVE,
        plan=plan.to_json(),
        cursor=opening_cursor(plan, ask_pain=kind != "single").to_json(),
        step_no=0,
        started_at=now,
        updated_at=now,
    )
    db.add(routine)
    await db.flush()
    return routine


async def _plan_items(
    db: AsyncSession, user_id: int, chosen: Sequence[Exercise]
) -> tuple[PlanItem, ...]:
    prefs = await preferences(db, user_id)
    last = await last_done(db, user_id, [exercise.id for exercise in chosen])
    items: list[PlanItem] = []
    for exercise in chosen:
        pref = prefs.get(exercise.id)
        level = pref.level if pref else 0
        change = None
        if pref is not None and pref.level_changed_at is not None:
            seen = exercise.id in last and last[exercise.id] > pref.level_changed_at
            change = recent_change(exercise, level, pref.level_reason, seen)
        items.append(plan_item(exercise, level, change))
    return tuple(items)


async def _own_delivery(db: AsyncSession, user_id: int, delivery_id: int) -> int | None:
    """``delivery_id`` if it is one of the user's daily prompts, else None."""
    if delivery_id <= 0:
        return None
    owner = await delivery_owner(db, delivery_id)
    if owner != user_id:
        log.warning(
            "routine start names a prompt that is not the user's: user=%s delivery=%s owner=%s",
            user_id,
            delivery_id,
            owner,
        )
        return None
    return delivery_id


async def resume(
    db: AsyncSession, *, user_id: int, session_id: int, step_no: int, now: datetime
) -> Outcome:
    """Continue the session where it was: its current step again, as a new message."""
    routine, refused = await guard(db, user_id, session_id, step_no)
    if routine is None:
        return refused
    closing = await closing_of(db, routine, now, "moved")
    advance(routine, cursor_of(routine), now)
    timer = follow(routine, now)  # hands-free: the countdown goes on under the new step
    await db.commit()
    view = await step_view(db, routine, now)
    return replace(
        ok_outcome(routine), closing=closing, lead="resumed", next_view=view, timer=timer
    )


async def restart(
    db: AsyncSession,
    *,
    user_id: int,
    session_id: int,
    step_no: int,
    language_code: str | None,
    now: datetime,
    exercises: Sequence[Exercise],
    request: Request,
    pace: HandsFree | None = None,
    hands_free_default: bool = False,
) -> tuple[Outcome, Opened | None]:
    """Leave the session in progress behind and start what was asked for afresh."""
    routine, refused = await guard(db, user_id, session_id, step_no)
    if routine is None:
        return refused, None
    closing = await closing_of(db, routine, now, "stopped")
    had_timer = await end_session(db, routine, now, SessionStatus.STOPPED)
    await db.commit()
    log.info("routine session %s restarted by user %s", routine.id, user_id)
    stopped = replace(ok_outcome(routine), closing=closing, cancel_timer=had_timer)
    opened = await open_routine(
        db,
        user_id=user_id,
        chat_id=routine.chat_id,
        language_code=language_code,
        now=now,
        exercises=exercises,
        request=request,
        pace=pace,
        hands_free_default=hands_free_default,
    )
    return stopped, opened
