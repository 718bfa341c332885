"""The guided routine as pure rules: which exercises, how much of each, in which order, and
when the dose goes up or down. No Telegram, no database: plain values in, plain values out.

Vocabulary:

- A *plan* is the list of exercises of one session, each with its *dose* (hold seconds, reps
  and sets) taken from the user's *level* on that exercise.
- A *position* is one step of the plan: exercise ``item``, ``set_no``, ``rep`` and ``side``.
  Hold exercises step through set → rep → side (left, then right); "reps" exercises (bridges,
  pelvic tilts) are done a whole set at a time, so each set is one step.
- A *cursor* is the session's place: its ``phase`` and, while exercising, its position and
  the running hold.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

from bot.domain.progression import (
    Dose,
    LevelChange,
    clamp_level,
    dose_at,
)
from bot.domain.timings import Pace
from content import Exercise

Kind = Literal["full", "short", "single"]
Length = Literal["full", "short"]
Side = Literal["left", "right"]
Phase = Literal["pain_before", "ready", "holding", "pain_after", "done"]

LENGTHS: tuple[Length, ...] = ("full", "short")
SIDES: tuple[Side, ...] = ("left", "right")
WRITTEN_SIDE: Side = "right"
"""The side the content's steps are written for; the other side's card mirrors them."""

SHORT_TARGET_SECONDS = 300
SHORT_SLACK_SECONDS = 30
"""A short routine aims at about five minutes and may run this much over to fit a stretch."""


PLAN_VERSION = 1


# --- dose and progression levels --------------------------------------------------------


# --- choosing the exercises -------------------------------------------------------------


def available_exercises(
    exercises: Iterable[Exercise], excluded: Iterable[str]
) -> tuple[Exercise, ...]:
    """The exercises not left out, in content order."""
    left_out = set(excluded)
    ordered = sorted(exercises, key=lambda exercise: exercise.order)
    return tuple(exercise for exercise in ordered if exercise.id not in left_out)


def estimated_seconds(exercises: Iterable[Exercise]) -> int:
    return sum(exercise.estimated_seconds() for exercise in exercises)


def _short_run(available: Sequence[Exercise], start: int) -> tuple[list[Exercise], int]:
    """Exercises from ``start`` on (wrapping round) while they fit about five minutes."""
    limit = SHORT_TARGET_SECONDS + SHORT_SLACK_SECONDS
    chosen: list[Exercise] = []
    total = 0
    count = len(available)
    for offset in range(count):
        exercise = available[(start + offset) % count]
        cost = exercise.estimated_seconds()
        if chosen and total + cost > limit:
            break
        chosen.append(exercise)
        total += cost
    return chosen, (start + len(chosen)) % count


def short_selection(available: Sequence[Exercise], rotation: int) -> tuple[Exercise, ...]:
    """The short routine number ``rotation`` (0, 1, 2, ...): about five minutes of exercises.

    Each short routine starts where the previous one stopped, going round the exercises in
    content order, so every exercise comes up in turn. The chosen ones run in content order.
    """
    if not available:
        return ()
    start = 0
    chosen: list[Exercise] = []
    for _ in range(max(rotation, 0) + 1):
        chosen, start = _short_run(available, start)
    return tuple(sorted(chosen, key=lambda exercise: exercise.order))


@dataclass(frozen=True, slots=True)
class RoutineChoice:
    """What decides which exercises a user's routine has today."""

    length: str = "full"
    excluded: frozenset[str] = frozenset()
    completed_short: int = 0


def todays_exercises(
    exercises: Iterable[Exercise], *, length: str, excluded: Iterable[str], completed_short: int
) -> tuple[Exercise, ...]:
    """What ``/routine`` runs for a user today: the full routine, or the next short one (the
    user's ``completed_short`` short routines so far decide where it starts)."""
    if length == "short":
        return choose_exercises(exercises, excluded, "short", completed_short)
    return choose_exercises(exercises, excluded, "full", 0)


def choose_exercises(
    exercises: Iterable[Exercise], excluded: Iterable[str], length: str, rotation: int
) -> tuple[Exercise, ...]:
    """The exercises for a routine of ``length`` ("full" or "short")."""
    available = available_exercises(exercises, excluded)
    if length == "short":
        return short_selection(available, rotation)
    return available


# --- the plan ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PlanItem:
    """One exercise of a session with its dose, fixed when the session starts."""

    exercise_id: str
    mode: Literal["hold", "reps"]
    per_side: bool
    level: int
    dose: Dose
    change: LevelChange | None = None

    @property
    def sides(self) -> tuple[Side | None, ...]:
        return SIDES if self.per_side else (None,)

    @property
    def steps(self) -> int:
        """How many steps (holds, or sets for a "reps" exercise) this item has."""
        if self.mode == "reps":
            return self.dose.sets
        return self.dose.sets * self.dose.reps * len(self.sides)


def plan_item(exercise: Exercise, level: int, change: LevelChange | None = None) -> PlanItem:
    level = clamp_level(exercise, level)
    return PlanItem(
        exercise_id=exercise.id,
        mode=exercise.mode,
        per_side=exercise.per_side,
        level=level,
        dose=dose_at(exercise, level),
        change=change,
    )


@dataclass(frozen=True, slots=True)
class Plan:
    kind: Kind
    items: tuple[PlanItem, ...]
    pace: Pace | None = None
    """Hands-free: the session's pauses (None: the user taps each hold)."""

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "version": PLAN_VERSION,
            "kind": self.kind,
            "items": [_item_json(item) for item in self.items],
        }
        if self.pace is not None:
            data["pace"] = self.pace.to_json()
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Plan:
        kind = data.get("kind", "full")
        if kind not in ("full", "short", "single"):
            raise ValueError(f"unknown plan kind {kind!r}")
        pace = data.get("pace")
        return cls(
            kind=kind,
            items=tuple(_item_from_json(item) for item in data["items"]),
            pace=None if pace is None else Pace.from_json(pace),
        )


def _dose_json(dose: Dose) -> dict[str, int]:
    return {"hold": dose.hold_seconds, "reps": dose.reps, "sets": dose.sets}


def _dose_from_json(data: dict[str, Any]) -> Dose:
    return Dose(int(data["hold"]), int(data["reps"]), int(data["sets"]))


def _item_json(item: PlanItem) -> dict[str, Any]:
    change = item.change
    return {
        "exercise": item.exercise_id,
        "mode": item.mode,
        "per_side": item.per_side,
        "level": item.level,
        "dose": _dose_json(item.dose),
        "change": None
        if change is None
        else {
            "old": change.old_level,
            "new": change.new_level,
            "reason": change.reason,
            "before": _dose_json(change.before),
            "after": _dose_json(change.after),
        },
    }


def _item_from_json(data: dict[str, Any]) -> PlanItem:
    raw = data.get("change")
    change = (
        None
        if raw is None
        else LevelChange(
            exercise_id=str(data["exercise"]),
            old_level=int(raw["old"]),
            new_level=int(raw["new"]),
            reason=raw["reason"],
            before=_dose_from_json(raw["before"]),
            after=_dose_from_json(raw["after"]),
        )
    )
    mode = data["mode"]
    if mode not in ("hold", "reps"):
        raise ValueError(f"unknown exercise mode {mode!r}")
    return PlanItem(
        exercise_id=str(data["exercise"]),
        mode=mode,
        per_side=bool(data["per_side"]),
        level=int(data["level"]),
        dose=_dose_from_json(data["dose"]),
        change=change,
    )


# --- positions and the cursor -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Position:
    """One step: exercise ``item`` (index into the plan), set, rep and side."""

    item: int
    set_no: int = 1
    rep: int = 1
    side: Side | None = None


def first_position(plan: Plan, item: int = 0) -> Position | None:
    """The first step of exercise ``item`` (or None past the end of the plan)."""
    if not 0 <= item < len(plan.items):
        return None
    return Position(item, 1, 1, plan.items[item].sides[0])


def next_position(plan: Plan, position: Position) -> Position | None:
    """The step after ``position``: the other side, the next rep, the next set, or the next
    exercise; None after the last step of the plan."""
    item = plan.items[position.item]
    sides = item.sides
    if position.side in sides and sides.index(position.side) + 1 < len(sides):
        return replace(position, side=sides[sides.index(position.side) + 1])
    if item.mode == "hold" and position.rep < item.dose.reps:
        return replace(position, rep=position.rep + 1, side=sides[0])
    if position.set_no < item.dose.sets:
        return replace(position, set_no=position.set_no + 1, rep=1, side=sides[0])
    return first_position(plan, position.item + 1)


def next_exercise(plan: Plan, position: Position) -> Position | None:
    """The first step of the exercise after ``position``'s (for skip and "It hurts")."""
    return first_position(plan, position.item + 1)


def step_index(plan: Plan, position: Position) -> int:
    """1-based number of ``position`` among its exercise's steps."""
    item = plan.items[position.item]
    sides = item.sides
    side_index = sides.index(position.side) if position.side in sides else 0
    if item.mode == "reps":
        return position.set_no
    per_set = item.dose.reps * len(sides)
    return (position.set_no - 1) * per_set + (position.rep - 1) * len(sides) + side_index + 1


@dataclass(frozen=True, slots=True)
class Cursor:
    """Where a session is: its phase, and while exercising, the step and the running hold."""

    phase: Phase
    position: Position | None = None
    hold_id: int | None = None

    def to_json(self) -> dict[str, Any]:
        position = self.position
        return {
            "phase": self.phase,
            "item": None if position is None else position.item,
            "set": None if position is None else position.set_no,
            "rep": None if position is None else position.rep,
            "side": None if position is None else position.side,
            "hold": self.hold_id,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Cursor:
        phase = data.get("phase")
        if phase not in ("pain_before", "ready", "holding", "pain_after", "done"):
            raise ValueError(f"unknown cursor phase {phase!r}")
        side = data.get("side")
        if side not in (None, "left", "right"):
            raise ValueError(f"unknown side {side!r}")
        position = (
            None
            if data.get("item") is None
            else Position(int(data["item"]), int(data["set"]), int(data["rep"]), side)
        )
        hold = data.get("hold")
        return cls(phase=phase, position=position, hold_id=None if hold is None else int(hold))


def opening_cursor(plan: Plan, *, ask_pain: bool) -> Cursor:
    """Where a new session starts: the pain question, or straight at the first exercise."""
    if ask_pain:
        return Cursor("pain_before")
    return _at(plan, first_position(plan))


def _at(plan: Plan, position: Position | None) -> Cursor:
    """Ready at ``position``, or at the end of the plan: the pain question after a routine,
    done after a single exercise."""
    if position is not None:
        return Cursor("ready", position)
    return Cursor("done" if plan.kind == "single" else "pain_after")


def after_pain_before(plan: Plan) -> Cursor:
    return _at(plan, first_position(plan))


def after_step(plan: Plan, cursor: Cursor) -> Cursor:
    """The cursor after the current hold or set ended (done, finished early or timed out)."""
    if cursor.position is None:
        raise ValueError(f"no step to finish in phase {cursor.phase}")
    return _at(plan, next_position(plan, cursor.position))


def after_exercise_left(plan: Plan, cursor: Cursor) -> Cursor:
    """The cursor after the current exercise was skipped or stopped because it hurt."""
    if cursor.position is None:
        raise ValueError(f"no exercise to leave in phase {cursor.phase}")
    return _at(plan, next_exercise(plan, cursor.position))


def mirror_sides(text: str) -> str:
    """``text`` with "left" and "right" swapped, for the side the steps are not written for."""
    words = {"left": "right", "right": "left", "Left": "Right", "Right": "Left"}
    out: list[str] = []
    token = ""
    for char in text + " ":
        if char.isalpha():
            token += char
            continue
        out.append(words.get(token, token))
        token = ""
        out.append(char)
    return "".join(out)[:-1]
