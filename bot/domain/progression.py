"""Doses and progression as pure rules: the dose at each level of an exercise, and when the
level goes up (steady, clean sessions on different days) or down (pain rose, "it hurts")."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Literal

from content import Exercise

Direction = Literal["up", "down"]


Reason = Literal["steady", "pain_rose", "hurt"]


STEADY_SESSIONS = 3
"""Clean sessions in a row (at the same level), on this many different days, before an
exercise goes up a step: three routines in one afternoon count as one day."""

PLAUSIBLE_SHARE = 0.5
"""A hold or set counts as done in full only when at least this share of the time it takes
went by before "Done" (with timers off a tap is all we know; a quicker one is a short hold)."""


HOLD_STEP_SECONDS = 5
"""How much longer a held stretch gets per step; "reps" exercises add 1 second per step."""


REPS_STEP = 2
"""How many more repetitions a "reps" exercise gets per step; held stretches add 1 rep."""


@dataclass(frozen=True, slots=True)
class Dose:
    """How much of one exercise: each hold's seconds, reps per set (per side), and sets."""

    hold_seconds: int
    reps: int
    sets: int


def dose_ladder(exercise: Exercise) -> tuple[Dose, ...]:
    """Every dose from the starting level up, within the content's limits.

    First the hold grows to its maximum, then the reps, then the sets, one step at a time.
    """
    hold_step = 1 if exercise.mode == "reps" else HOLD_STEP_SECONDS
    reps_step = REPS_STEP if exercise.mode == "reps" else 1
    dose = Dose(exercise.hold_seconds.min, exercise.reps.start, exercise.sets.start)
    ladder = [dose]
    while dose.hold_seconds < exercise.hold_seconds.max:
        dose = replace(
            dose, hold_seconds=min(dose.hold_seconds + hold_step, exercise.hold_seconds.max)
        )
        ladder.append(dose)
    while dose.reps < exercise.reps.max:
        dose = replace(dose, reps=min(dose.reps + reps_step, exercise.reps.max))
        ladder.append(dose)
    while dose.sets < exercise.sets.max:
        dose = replace(dose, sets=dose.sets + 1)
        ladder.append(dose)
    return tuple(ladder)


def top_level(exercise: Exercise) -> int:
    return len(dose_ladder(exercise)) - 1


def clamp_level(exercise: Exercise, level: int) -> int:
    """``level`` within 0 and the exercise's top level (content limits may have changed)."""
    return max(0, min(level, top_level(exercise)))


def dose_at(exercise: Exercise, level: int) -> Dose:
    return dose_ladder(exercise)[clamp_level(exercise, level)]


@dataclass(frozen=True, slots=True)
class Occurrence:
    """How one session went for one exercise."""

    done_any: bool
    """At least one hold or set was done (fully or partly)."""
    completed: bool
    """Every step was done in full: nothing skipped, stopped early or hurt."""
    pain_rose: bool
    """The session's pain rose meaningfully from before to after."""
    hurt: bool
    """The user pressed "It hurts" on this exercise."""
    day: date | None = None
    """The user's local day of the session (None: unknown, counted as a day of its own)."""

    @property
    def clean(self) -> bool:
        return self.completed and not self.pain_rose and not self.hurt


def plausibly_done(target_seconds: int, target_reps: int | None, taken: float | None) -> bool:
    """Whether a hold (or a set of ``target_reps`` held ``target_seconds`` each) taking
    ``taken`` seconds could have been done in full; None (not known) counts as done."""
    if taken is None:
        return True
    return taken >= target_seconds * max(1, target_reps or 1) * PLAUSIBLE_SHARE


@dataclass(frozen=True, slots=True)
class LevelChange:
    """A step up or down for one exercise, and why: the card and the summary say so."""

    exercise_id: str
    old_level: int
    new_level: int
    reason: Reason
    before: Dose
    after: Dose

    @property
    def direction(self) -> Direction:
        return "up" if self.new_level > self.old_level else "down"


def decide_level(
    exercise: Exercise, level: int, history: Sequence[Occurrence]
) -> LevelChange | None:
    """The progression rule, given the exercise's sessions since its level last changed.

    - The latest session hurt ("It hurts"), or the pain rose after it while the exercise
      was done: one step down (not below the start).
    - The latest sessions were all completed in full with no pain rise, on at least three
      different days: one step up (not above the content's limits).
    - Otherwise the dose stays.
    """
    if not history:
        return None
    level = clamp_level(exercise, level)
    latest = history[-1]
    if latest.hurt or (latest.pain_rose and latest.done_any):
        reason: Reason = "hurt" if latest.hurt else "pain_rose"
        return _change(exercise, level, level - 1, reason)
    if steady_days(history) >= STEADY_SESSIONS:
        return _change(exercise, level, level + 1, "steady")
    return None


def steady_days(history: Sequence[Occurrence]) -> int:
    """How many different days the trailing run of clean sessions covers."""
    days: set[Hashable] = set()
    for index in range(len(history) - 1, -1, -1):
        item = history[index]
        if not item.clean:
            break
        days.add(item.day if item.day is not None else ("session", index))
    return len(days)


def _change(exercise: Exercise, old: int, new: int, reason: Reason) -> LevelChange | None:
    new = clamp_level(exercise, new)
    if new == old:
        return None
    return LevelChange(
        exercise.id, old, new, reason, dose_at(exercise, old), dose_at(exercise, new)
    )


def recent_change(
    exercise: Exercise, level: int, reason: str | None, seen_since: bool
) -> LevelChange | None:
    """The last level change, to show on the card, while the user has not yet seen it.

    ``reason`` is the stored reason of the last change and ``seen_since`` whether the
    exercise was done after it.
    """
    if seen_since or reason not in ("steady", "pain_rose", "hurt"):
        return None
    level = clamp_level(exercise, level)
    old = level - 1 if reason == "steady" else level + 1
    old = clamp_level(exercise, old)
    if old == level:
        return None
    typed: Reason = "steady" if reason == "steady" else "hurt" if reason == "hurt" else "pain_rose"
    return LevelChange(
        exercise.id, old, level, typed, dose_at(exercise, old), dose_at(exercise, level)
    )
