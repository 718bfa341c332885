"""The guided routine's work: sessions, steps, holds, pain ratings, progression and settings.

Every function takes an AsyncSession and plain values, commits what it changed, and returns
plain data saying what the user should see next. Taps name the session and the step they
were made for (``step_no``); the session row is locked and the step checked before anything
is written, so a double tap, a button from an old message or a tap racing the hold timer
records nothing twice.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.pain import rose_meaningfully, routine_needs_warning
from bot.domain.routine import (
    LENGTHS,
    Cursor,
    Kind,
    LevelChange,
    Occurrence,
    Phase,
    Plan,
    PlanItem,
    Position,
    after_exercise_left,
    after_pain_before,
    after_step,
    available_exercises,
    choose_exercises,
    decide_level,
    estimated_seconds,
    opening_cursor,
    plan_item,
    recent_change,
    short_selection,
    step_index,
)
from bot.domain.streaks import current_streak
from bot.domain.zones import zone_for
from content import Exercise
from storage.activity import routine_days, user_zone_key
from storage.models import ExercisePreference, Hold, PainRating, RoutineSession, User
from storage.routine import (
    ACTIVE,
    COMPLETED,
    RUNNING,
    STOPPED,
    active_session,
    completed_count,
    delivery_owner,
    excluded_ids,
    exercise_history,
    last_done,
    lock_session,
    preference,
    preferences,
    running_timed_holds,
    session_holds,
)
from storage.users import upsert_user

log = logging.getLogger(__name__)

TICK_SECONDS = 5
"""How often a running hold's countdown is updated (well within Telegram's edit limits)."""
IDLE_AFTER = timedelta(hours=12)
"""A session untouched this long is left behind: /routine starts a fresh one."""
REPEAT_WINDOW = timedelta(minutes=1)
"""A start button tapped again this soon, with nothing done yet, is a double tap."""

OUTCOME_COMPLETED = "completed"
OUTCOME_EARLY = "stopped_early"
OUTCOME_HURT = "hurt"
OUTCOME_SKIPPED = "skipped"

Verdict = Literal["ok", "stale", "forged"]
Lead = Literal["release", "early", "done", "set_done", "skipped", "hurt", "recovered", "resumed"]
Closed = Literal["held", "early", "done", "set_done", "skipped", "hurt", "stopped", "moved", "pain"]


# --- what the user sees -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StepView:
    """The session at one step, enough to draw its message and buttons."""

    session_id: int
    step_no: int
    kind: Kind
    phase: Phase
    items: int
    item_index: int | None
    item: PlanItem | None
    position: Position | None
    step: int
    timers: bool
    remaining: int | None
    card_message_id: int | None

    @property
    def first_of_exercise(self) -> bool:
        return self.step == 1


@dataclass(frozen=True, slots=True)
class Closing:
    """The step's message as it should be left: no buttons, and a line saying how it went."""

    message_id: int
    view: StepView
    result: Closed
    seconds: int | None = None
    score: int | None = None


@dataclass(frozen=True, slots=True)
class HurtNote:
    session_id: int
    exercise_id: str
    change: LevelChange | None


@dataclass(frozen=True, slots=True)
class Summary:
    kind: Kind
    total: int
    done: tuple[str, ...]
    skipped: tuple[str, ...]
    hurt: tuple[str, ...]
    seconds: int
    pain_before: int | None
    pain_after: int | None
    streak: int
    warning: bool
    changes: tuple[LevelChange, ...]


@dataclass(frozen=True, slots=True)
class TimerOrder:
    """Run the hold timer for ``hold_id`` at ``at`` (one job per chat)."""

    chat_id: int
    session_id: int
    hold_id: int
    at: datetime


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a tap or a timer changed, for the screen to show."""

    verdict: Verdict
    chat_id: int
    session_id: int
    card_message_id: int | None = None
    over: bool = False
    """For a stale tap: the routine it belonged to has ended."""
    closing: Closing | None = None
    countdown: StepView | None = None
    """Edit the current card in place into this (a hold or set has started)."""
    hurt: HurtNote | None = None
    lead: Lead | None = None
    lead_seconds: int | None = None
    next_view: StepView | None = None
    """Send this as a new message; it becomes the current card."""
    summary: Summary | None = None
    stopped: bool = False
    timer: TimerOrder | None = None
    cancel_timer: bool = False


@dataclass(frozen=True, slots=True)
class Request:
    """What the user asked to start: the routine (from a prompt or /routine) or one exercise."""

    delivery_id: int = 0
    exercise_id: str | None = None


@dataclass(frozen=True, slots=True)
class Opened:
    """The answer to /routine, "Start now" or "Do this one now"."""

    result: Literal["started", "offer", "repeat", "empty", "unknown"]
    chat_id: int
    view: StepView | None = None
    request: Request = field(default_factory=Request)
    left_behind: Closing | None = None
    """An idle session closed to make way for this one: its card loses its buttons."""


@dataclass(frozen=True, slots=True)
class Tick:
    """A timer run: a countdown to show and the next run, a finished hold, or nothing."""

    countdown: StepView | None = None
    next_at: datetime | None = None
    finished: Outcome | None = None


@dataclass(frozen=True, slots=True)
class Recovery:
    finished: tuple[Outcome, ...]
    timers: tuple[TimerOrder, ...]


@dataclass(frozen=True, slots=True)
class SettingsView:
    length: str
    timers: bool
    excluded: tuple[str, ...]
    full_minutes: int
    short_minutes: int


@dataclass(frozen=True, slots=True)
class SettingsChange:
    """One change on the routine settings screen (or none, just to show it)."""

    length: str | None = None
    timers: bool | None = None
    bring_back: str | None = None


@dataclass(frozen=True, slots=True)
class LeftOut:
    verdict: Verdict
    exercise_id: str | None = None


# --- opening a session ------------------------------------------------------------------


async def open_routine(
    db: AsyncSession,
    *,
    user_id: int,
    chat_id: int,
    language_code: str | None,
    now: datetime,
    exercises: Sequence[Exercise],
    request: Request,
) -> Opened:
    """Start a routine (or one exercise), or offer to resume the one in progress."""
    user = await upsert_user(
        db, user_id=user_id, chat_id=chat_id, language_code=language_code, now=now
    )
    by_id = {exercise.id: exercise for exercise in exercises}
    if request.exercise_id is not None and request.exercise_id not in by_id:
        await db.commit()
        return Opened("unknown", chat_id, request=request)
    active = await active_session(db, user_id)
    left_behind = None
    if active is not None and now - active.updated_at >= IDLE_AFTER:
        left_behind = await _closing(db, active, now, "stopped")
        await _end(db, active, now, STOPPED, by_tap=False)
        log.info("routine session %s of user %s left idle; closed", active.id, user_id)
        active = None
    if active is not None:
        await db.commit()
        if _is_repeat(active, request, now):
            return Opened("repeat", chat_id, request=request)
        return Opened("offer", chat_id, view=await _view(db, active, now), request=request)
    routine = await _new_session(db, user, chat_id, now, by_id, request)
    await db.commit()
    if routine is None:
        return Opened("empty", chat_id, request=request, left_behind=left_behind)
    log.info("routine session %s started: user=%s kind=%s", routine.id, user_id, routine.kind)
    view = await _view(db, routine, now)
    return Opened("started", chat_id, view=view, request=request, left_behind=left_behind)


def _is_repeat(active: RoutineSession, request: Request, now: datetime) -> bool:
    """A second tap on the button that just started ``active`` (nothing has happened since)."""
    if active.step_no != 0 or now - active.started_at >= REPEAT_WINDOW:
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
        kind = "short" if user.routine_length == "short" else "full"
        rotation = await completed_count(db, user.id, "short") if kind == "short" else 0
        excluded = await excluded_ids(db, user.id)
        chosen = choose_exercises(by_id.values(), excluded, kind, rotation)
    if not chosen:
        return None
    plan = Plan(kind, await _plan_items(db, user.id, chosen))
    delivery_id = await _own_delivery(db, user.id, request.delivery_id)
    routine = RoutineSession(
        user_id=user.id,
        chat_id=chat_id,
        delivery_id=delivery_id,
        kind=kind,
        status=ACTIVE,
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
    routine, refused = await _guard(db, user_id, session_id, step_no)
    if routine is None:
        return refused
    closing = await _closing(db, routine, now, "moved")
    _advance(routine, _cursor(routine), now)
    await db.commit()
    view = await _view(db, routine, now)
    return replace(_ok(routine), closing=closing, lead="resumed", next_view=view)


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
) -> tuple[Outcome, Opened | None]:
    """Leave the session in progress behind and start what was asked for afresh."""
    routine, refused = await _guard(db, user_id, session_id, step_no)
    if routine is None:
        return refused, None
    closing = await _closing(db, routine, now, "stopped")
    had_timer = await _end(db, routine, now, STOPPED)
    await db.commit()
    log.info("routine session %s restarted by user %s", routine.id, user_id)
    stopped = replace(_ok(routine), closing=closing, cancel_timer=had_timer)
    opened = await open_routine(
        db,
        user_id=user_id,
        chat_id=routine.chat_id,
        language_code=language_code,
        now=now,
        exercises=exercises,
        request=request,
    )
    return stopped, opened


# --- taps on a step ---------------------------------------------------------------------


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
    routine, refused = await _guard(db, user_id, session_id, step_no)
    if routine is None:
        return refused
    cursor = _cursor(routine)
    if cursor.phase not in ("pain_before", "pain_after"):
        return _stale(routine, step_no)
    closing = await _closing(db, routine, now, "pain", score=score)
    context = "before" if cursor.phase == "pain_before" else "after"
    if score is not None:
        db.add(
            PainRating(
                user_id=user_id, session_id=routine.id, score=score, context=context, rated_at=now
            )
        )
    plan = _plan(routine)
    if cursor.phase == "pain_before":
        routine.pain_before = score
        _advance(routine, after_pain_before(plan), now)
        await db.commit()
        return replace(_ok(routine), closing=closing, next_view=await _view(db, routine, now))
    routine.pain_after = score
    summary = await _complete(db, routine, now, exercises)
    return replace(_ok(routine), closing=closing, summary=summary)


async def start_hold(
    db: AsyncSession, *, user_id: int, session_id: int, step_no: int, now: datetime
) -> Outcome:
    """Start the current hold (a timed countdown) or set (done at the user's pace)."""
    routine, refused = await _guard(db, user_id, session_id, step_no)
    if routine is None:
        return refused
    cursor = _cursor(routine)
    if cursor.phase != "ready" or cursor.position is None:
        return _stale(routine, step_no)
    item = _plan(routine).items[cursor.position.item]
    timed = item.mode == "hold"
    hold = _hold_row(routine, item, cursor.position, now)
    hold.ends_at = now + timedelta(seconds=item.dose.hold_seconds) if timed else None
    db.add(hold)
    await db.flush()
    _advance(routine, Cursor("holding", cursor.position, hold.id), now)
    await db.commit()
    timer = None
    if hold.ends_at is not None:
        timer = TimerOrder(routine.chat_id, routine.id, hold.id, _next_tick(now, hold.ends_at))
    return replace(_ok(routine), countdown=await _view(db, routine, now), timer=timer)


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
    routine, refused = await _guard(db, user_id, session_id, step_no)
    if routine is None:
        return refused
    cursor = _cursor(routine)
    if cursor.position is None or cursor.phase not in ("ready", "holding"):
        return _stale(routine, step_no)
    item = _plan(routine).items[cursor.position.item]
    hold = await _running_hold(db, routine, cursor)
    if hold is None:
        # No countdown for this step (timers off): one tap records it as done.
        hold = _hold_row(routine, item, cursor.position, routine.updated_at)
        hold.outcome = OUTCOME_COMPLETED
        hold.ended_at = now
        db.add(hold)
        result: Closed
        lead: Lead
        result = lead = "set_done" if item.mode == "reps" else "done"
        seconds = None
    elif hold.ends_at is None:
        seconds = _close_hold(hold, now, OUTCOME_COMPLETED)
        result = lead = "set_done"
    elif now < hold.ends_at:
        seconds = _close_hold(hold, now, OUTCOME_EARLY)
        result = lead = "early"
    else:
        # The tap met the end of the hold before its timer did.
        seconds = _close_hold(hold, hold.ends_at, OUTCOME_COMPLETED)
        result, lead = "held", "release"
    timed = hold.ends_at is not None
    return await _after_step(
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
    """Leave the rest of the current exercise out this time."""
    routine, refused = await _guard(db, user_id, session_id, step_no)
    if routine is None:
        return refused
    cursor = _cursor(routine)
    if cursor.phase != "ready" or cursor.position is None:
        return _stale(routine, step_no)
    plan = _plan(routine)
    hold = _hold_row(routine, plan.items[cursor.position.item], cursor.position, now)
    hold.outcome = OUTCOME_SKIPPED
    hold.ended_at = now
    db.add(hold)
    closing = await _closing(db, routine, now, "skipped")
    _advance(routine, after_exercise_left(plan, cursor), now)
    return await _next(db, routine, now, exercises, closing=closing, lead="skipped")


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
    routine, refused = await _guard(db, user_id, session_id, step_no)
    if routine is None:
        return refused
    cursor = _cursor(routine)
    if cursor.phase not in ("ready", "holding") or cursor.position is None:
        return _stale(routine, step_no)
    plan = _plan(routine)
    item = plan.items[cursor.position.item]
    running = await _running_hold(db, routine, cursor)
    if running is not None:
        seconds = _close_hold(running, now, OUTCOME_HURT)
    else:
        hold = _hold_row(routine, item, cursor.position, now)
        hold.outcome = OUTCOME_HURT
        hold.ended_at = now
        db.add(hold)
        seconds = None
    closing = await _closing(db, routine, now, "hurt", seconds=seconds)
    change = None
    exercise = {exercise.id: exercise for exercise in exercises}.get(item.exercise_id)
    if exercise is not None:
        pref = await preference(db, user_id, item.exercise_id)
        hurt = Occurrence(done_any=True, completed=False, pain_rose=False, hurt=True)
        change = decide_level(exercise, pref.level, [hurt])
        if change is not None:
            _apply_level(pref, change, now)
    log.info("user %s: exercise %s hurt in session %s", user_id, item.exercise_id, routine.id)
    _advance(routine, after_exercise_left(plan, cursor), now)
    return await _next(
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
    routine, refused = await _guard(db, user_id, session_id, step_no)
    if routine is None:
        return refused
    closing = await _closing(db, routine, now, "stopped")
    had_timer = await _end(db, routine, now, STOPPED)
    await db.commit()
    log.info("routine session %s stopped by user %s", routine.id, user_id)
    return replace(_ok(routine), closing=closing, stopped=True, cancel_timer=had_timer)


async def leave_out(
    db: AsyncSession, *, user_id: int, session_id: int, exercise_id: str
) -> LeftOut:
    """ "Leave it out of future routines" (offered after "It hurts"); works at any later time."""
    routine = await db.get(RoutineSession, session_id)
    if routine is None:
        return LeftOut("stale")
    if routine.user_id != user_id:
        _log_foreign(user_id, routine)
        return LeftOut("forged")
    if exercise_id not in {item.exercise_id for item in _plan(routine).items}:
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


# --- the hold timer ---------------------------------------------------------------------


async def timer_due(
    db: AsyncSession,
    *,
    session_id: int,
    hold_id: int,
    now: datetime,
    exercises: Sequence[Exercise],
) -> Tick:
    """The timer for a running hold: the countdown so far, or the hold's end."""
    routine = await lock_session(db, session_id)
    if routine is None or routine.status != ACTIVE:
        return Tick()
    cursor = _cursor(routine)
    hold = await db.get(Hold, hold_id)
    if (
        cursor.phase != "holding"
        or cursor.hold_id != hold_id
        or hold is None
        or hold.outcome != RUNNING
        or hold.ends_at is None
    ):
        return Tick()
    if now < hold.ends_at:
        return Tick(countdown=await _view(db, routine, now), next_at=_next_tick(now, hold.ends_at))
    seconds = _close_hold(hold, hold.ends_at, OUTCOME_COMPLETED)
    finished = await _after_step(
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
        cursor = _cursor(routine)
        if await _running_hold(db, routine, cursor) is not hold:
            await db.commit()
            continue
        if hold.ends_at > now:
            await db.commit()
            timers.append(
                TimerOrder(routine.chat_id, routine.id, hold.id, _next_tick(now, hold.ends_at))
            )
            continue
        seconds = _close_hold(hold, hold.ends_at, OUTCOME_COMPLETED)
        outcome = await _after_step(
            db, routine, cursor, now, "held", "recovered", seconds, exercises=exercises
        )
        log.info("hold %s of session %s closed at start-up", hold.id, routine.id)
        finished.append(outcome)
    return Recovery(tuple(finished), tuple(timers))


def _next_tick(now: datetime, ends_at: datetime) -> datetime:
    return min(now + timedelta(seconds=TICK_SECONDS), ends_at)


# --- settings ---------------------------------------------------------------------------


async def routine_settings(
    db: AsyncSession,
    *,
    user_id: int,
    chat_id: int,
    language_code: str | None,
    now: datetime,
    exercises: Sequence[Exercise],
    change: SettingsChange | None = None,
) -> SettingsView:
    """The routine settings, after applying ``change`` (if any)."""
    change = change or SettingsChange()
    length, timers, bring_back = change.length, change.timers, change.bring_back
    user = await upsert_user(
        db, user_id=user_id, chat_id=chat_id, language_code=language_code, now=now
    )
    if length in LENGTHS and user.routine_length != length:
        user.routine_length = length
        user.updated_at = now
    if timers is not None and user.timers_enabled != timers:
        user.timers_enabled = timers
        user.updated_at = now
    if bring_back is not None and bring_back in {exercise.id for exercise in exercises}:
        pref = await preference(db, user_id, bring_back)
        pref.excluded = False
    excluded = await excluded_ids(db, user_id)
    await db.commit()
    available = available_exercises(exercises, excluded)
    short = short_selection(available, 0)
    return SettingsView(
        length=user.routine_length,
        timers=user.timers_enabled,
        excluded=tuple(exercise.id for exercise in exercises if exercise.id in excluded),
        full_minutes=_minutes(estimated_seconds(available)),
        short_minutes=_minutes(estimated_seconds(short)),
    )


def _minutes(seconds: int) -> int:
    return max(1, round(seconds / 60))


# --- internals --------------------------------------------------------------------------


def _cursor(routine: RoutineSession) -> Cursor:
    return Cursor.from_json(routine.cursor)


def _plan(routine: RoutineSession) -> Plan:
    return Plan.from_json(routine.plan)


def _advance(routine: RoutineSession, cursor: Cursor, now: datetime) -> None:
    """Move the session to ``cursor``: a new step, so every older button goes stale."""
    routine.cursor = cursor.to_json()
    routine.step_no += 1
    routine.updated_at = now


def _ok(routine: RoutineSession) -> Outcome:
    return Outcome("ok", routine.chat_id, routine.id, card_message_id=routine.card_message_id)


def _stale(routine: RoutineSession, step_no: int) -> Outcome:
    """A tap for a step that is not the current one. ``over`` when its routine has ended,
    unless it is a second tap on the button that ended it (the step just before the end)."""
    over = routine.status != ACTIVE and step_no != routine.step_no - 1
    return Outcome(
        "stale", routine.chat_id, routine.id, card_message_id=routine.card_message_id, over=over
    )


def _log_foreign(user_id: int, routine: RoutineSession) -> None:
    log.warning(
        "rejected a routine tap on another user's session: user=%s owner=%s session=%s",
        user_id,
        routine.user_id,
        routine.id,
    )


async def _guard(
    db: AsyncSession, user_id: int, session_id: int, step_no: int
) -> tuple[RoutineSession, Outcome] | tuple[None, Outcome]:
    """The session, locked, if this tap is for its current step; else why not."""
    routine = await lock_session(db, session_id)
    if routine is None:
        return None, Outcome("stale", user_id, session_id, over=True)
    if routine.user_id != user_id:
        _log_foreign(user_id, routine)
        return None, Outcome("forged", user_id, session_id)
    if routine.status != ACTIVE or routine.step_no != step_no:
        log.debug(
            "stale routine tap: user=%s session=%s step=%s current=%s status=%s",
            user_id,
            session_id,
            step_no,
            routine.step_no,
            routine.status,
        )
        return None, _stale(routine, step_no)
    return routine, _ok(routine)


def _hold_row(
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
        outcome=RUNNING,
        message_id=routine.card_message_id,
        started_at=started_at,
    )


def _close_hold(hold: Hold, at: datetime, outcome: str) -> int:
    """End a running hold at ``at``; its actual seconds are what the clock says."""
    seconds = max(0, int((at - hold.started_at).total_seconds()))
    hold.actual_seconds = seconds
    hold.outcome = outcome
    hold.ended_at = at
    return seconds


async def _running_hold(db: AsyncSession, routine: RoutineSession, cursor: Cursor) -> Hold | None:
    if routine.status != ACTIVE or cursor.phase != "holding" or cursor.hold_id is None:
        return None
    hold = await db.get(Hold, cursor.hold_id)
    if hold is None or hold.outcome != RUNNING or hold.session_id != routine.id:
        return None
    return hold


async def _closing(
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
    view = await _view(db, routine, now)
    return Closing(routine.card_message_id, view, result, seconds, score)


async def _after_step(
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
    closing = await _closing(db, routine, now, result, seconds=seconds)
    _advance(routine, after_step(_plan(routine), cursor), now)
    return await _next(
        db,
        routine,
        now,
        exercises,
        closing=closing,
        lead=lead,
        lead_seconds=seconds,
        cancel_timer=cancel_timer,
    )


async def _next(
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
) -> Outcome:
    """Commit the move to the next step and say what to show: that step, or the end."""
    if _cursor(routine).phase == "done":
        summary = await _complete(db, routine, now, exercises)
        return replace(
            _ok(routine),
            closing=closing,
            lead=lead,
            lead_seconds=lead_seconds,
            hurt=hurt,
            summary=summary,
            cancel_timer=cancel_timer,
        )
    await db.commit()
    return replace(
        _ok(routine),
        closing=closing,
        lead=lead,
        lead_seconds=lead_seconds,
        hurt=hurt,
        next_view=await _view(db, routine, now),
        cancel_timer=cancel_timer,
    )


async def _end(
    db: AsyncSession, routine: RoutineSession, now: datetime, status: str, *, by_tap: bool = True
) -> bool:
    """Close the session with ``status``; a hold still running ends early. True if it was
    a timed hold (its timer should go).

    Ended by a tap, the step moves on as for any tap; ended for being idle it stays, so a
    later tap on its last card reads as an old routine's, not as a second tap (``_stale``).
    """
    cursor = _cursor(routine)
    hold = await _running_hold(db, routine, cursor)
    timed = False
    if hold is not None:
        timed = hold.ends_at is not None
        end = min(now, hold.ends_at) if hold.ends_at is not None else now
        _close_hold(hold, end, OUTCOME_EARLY)
    routine.status = status
    routine.finished_at = now
    if by_tap:
        _advance(routine, Cursor("done"), now)
    else:
        routine.cursor = Cursor("done").to_json()
        routine.updated_at = now
    return timed


async def _complete(
    db: AsyncSession, routine: RoutineSession, now: datetime, exercises: Sequence[Exercise]
) -> Summary:
    """Mark the session completed, move the exercises' levels, and sum it up."""
    routine.status = COMPLETED
    routine.finished_at = now
    _advance(routine, Cursor("done"), now)
    await db.flush()
    plan = _plan(routine)
    holds = await session_holds(db, routine.id)
    by_id = {exercise.id: exercise for exercise in exercises}
    changes = await _progress(db, routine, plan, now, by_id)
    zone_key = await user_zone_key(db, routine.user_id)
    try:
        zone = zone_for(zone_key)
    except ValueError:
        zone = zone_for(None)
    days = await routine_days(db, routine.user_id, zone)
    await db.commit()
    done: list[str] = []
    skipped: list[str] = []
    hurt: list[str] = []
    for item in plan.items:
        outcomes = {hold.outcome for hold in holds if hold.exercise_id == item.exercise_id}
        if OUTCOME_HURT in outcomes:
            hurt.append(item.exercise_id)
        elif outcomes & {OUTCOME_COMPLETED, OUTCOME_EARLY}:
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
        warning=routine_needs_warning(routine.pain_before, routine.pain_after),
        changes=tuple(changes),
    )


async def _progress(
    db: AsyncSession,
    routine: RoutineSession,
    plan: Plan,
    now: datetime,
    by_id: dict[str, Exercise],
) -> list[LevelChange]:
    """Apply the progression rule to every exercise of a completed session."""
    changes: list[LevelChange] = []
    for item in plan.items:
        exercise = by_id.get(item.exercise_id)
        if exercise is None:
            continue
        pref = await preference(db, routine.user_id, item.exercise_id)
        if pref.level_changed_at is not None and pref.level_changed_at >= routine.started_at:
            continue  # already moved during this session ("It hurts")
        history = await exercise_history(
            db, routine.user_id, item.exercise_id, pref.level_changed_at
        )
        occurrences = [_occurrence(past, holds) for past, holds in history]
        change = decide_level(exercise, pref.level, occurrences)
        if change is not None:
            _apply_level(pref, change, now)
            changes.append(change)
    return changes


def _occurrence(routine: RoutineSession, holds: list[Hold]) -> Occurrence:
    outcomes = [hold.outcome for hold in holds]
    expected = 0
    for item in _plan(routine).items:
        if item.exercise_id == holds[0].exercise_id:
            expected = item.steps
    completed = all(outcome == OUTCOME_COMPLETED for outcome in outcomes)
    return Occurrence(
        done_any=any(outcome in (OUTCOME_COMPLETED, OUTCOME_EARLY) for outcome in outcomes),
        completed=completed and len(outcomes) >= expected,
        pain_rose=rose_meaningfully(routine.pain_before, routine.pain_after),
        hurt=OUTCOME_HURT in outcomes,
    )


def _apply_level(pref: ExercisePreference, change: LevelChange, now: datetime) -> None:
    pref.level = change.new_level
    pref.level_changed_at = now
    pref.level_reason = change.reason


async def _view(db: AsyncSession, routine: RoutineSession, now: datetime) -> StepView:
    """The session's current step as plain data."""
    plan = _plan(routine)
    cursor = _cursor(routine)
    user = await db.get(User, routine.user_id)
    position = cursor.position
    item = plan.items[position.item] if position is not None else None
    remaining = None
    if cursor.phase == "holding" and cursor.hold_id is not None:
        hold = await db.get(Hold, cursor.hold_id)
        if hold is not None and hold.ends_at is not None:
            remaining = max(0, math.ceil((hold.ends_at - now).total_seconds()))
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
    )
