"""Progression after a completed session: each exercise's occurrence, and its level changed."""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.pain import rose_meaningfully
from bot.domain.progression import LevelChange, Occurrence, decide_level, dose_at, plausibly_done
from bot.domain.routine import Plan
from bot.domain.statuses import HoldOutcome
from bot.services.routine.rows import plan_of
from bot.services.zones import user_zone
from content import Exercise
from storage.models import ExercisePreference, Hold, RoutineSession
from storage.routine import exercise_history, preference, session_holds


async def progression(
    db: AsyncSession,
    routine: RoutineSession,
    plan: Plan,
    now: datetime,
    by_id: dict[str, Exercise],
) -> list[LevelChange]:
    """Apply the progression rule to every exercise of a completed session."""
    zone, _key = await user_zone(db, routine.user_id)
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
        occurrences = [occurrence_of(past, holds, zone) for past, holds in history]
        change = decide_level(exercise, pref.level, occurrences)
        if change is not None:
            apply_level(pref, change, now)
            changes.append(change)
    return changes


async def step_back_after_rise(
    db: AsyncSession,
    routine: RoutineSession,
    plan: Plan,
    now: datetime,
    by_id: dict[str, Exercise],
) -> list[LevelChange]:
    """A rise that matters, reported after the session's progression ran (hands-free's rating
    after, once the routine had completed on its own): each exercise done in it goes one step
    below its level in this session, as the rule does for a rise (a step up it had just earned
    goes too). What "It hurts" already stepped down stays."""
    holds = await session_holds(db, routine.id)
    rose = Occurrence(done_any=True, completed=False, pain_rose=True, hurt=False)
    changes: list[LevelChange] = []
    for item in plan.items:
        exercise = by_id.get(item.exercise_id)
        outcomes = {hold.outcome for hold in holds if hold.exercise_id == item.exercise_id}
        done = outcomes & {HoldOutcome.COMPLETED, HoldOutcome.STOPPED_EARLY}
        if exercise is None or HoldOutcome.HURT in outcomes or not done:
            continue
        pref = await preference(db, routine.user_id, item.exercise_id)
        down = decide_level(exercise, item.level, [rose])
        level = down.new_level if down is not None else item.level
        if level >= pref.level:
            continue
        change = LevelChange(
            exercise.id,
            pref.level,
            level,
            "pain_rose",
            dose_at(exercise, pref.level),
            dose_at(exercise, level),
        )
        apply_level(pref, change, now)
        changes.append(change)
    return changes


def occurrence_of(routine: RoutineSession, holds: list[Hold], zone: tzinfo = UTC) -> Occurrence:
    """How the session went for the exercise of ``holds``: a hold whose "Done" came far
    sooner than it could take counts as a short one (``plausibly_done``)."""
    outcomes = [hold.outcome for hold in holds]
    expected = 0
    for item in plan_of(routine).items:
        if item.exercise_id == holds[0].exercise_id:
            expected = item.steps
    completed = all(
        hold.outcome == HoldOutcome.COMPLETED
        and plausibly_done(hold.target_seconds, hold.target_reps, _taken(hold))
        for hold in holds
    )
    return Occurrence(
        done_any=any(
            outcome in (HoldOutcome.COMPLETED, HoldOutcome.STOPPED_EARLY) for outcome in outcomes
        ),
        completed=completed and len(outcomes) >= expected,
        pain_rose=rose_meaningfully(routine.pain_before, routine.pain_after),
        hurt=HoldOutcome.HURT in outcomes,
        day=routine.started_at.astimezone(zone).date(),
    )


def _taken(hold: Hold) -> float | None:
    if hold.actual_seconds is not None:
        return hold.actual_seconds
    if hold.ended_at is None:
        return None
    return (hold.ended_at - hold.started_at).total_seconds()


def apply_level(pref: ExercisePreference, change: LevelChange, now: datetime) -> None:
    pref.level = change.new_level
    pref.level_changed_at = now
    pref.level_reason = change.reason
