"""The hands-free routine's pace as pure rules: the countdowns between holds, and the paced
count of a "reps" exercise ("up… hold 3… down", rep after rep).

A session's :class:`Pace` is fixed when it starts (stored with its plan), so a change of
setting or content mid-routine never moves a countdown already under way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from bot.domain.routine import Plan, PlanItem, Position
from bot.domain.timings import Pace, Wait
from content import HandsFree

Stage = Literal["up", "hold", "down"]


def pace_of(timings: HandsFree, *, slow: bool) -> Pace:
    """The pace from the content's timings; ``slow`` (the "longer pauses" setting) multiplies
    the pauses, never the holds or the paced count."""
    factor = timings.slow_factor if slow else 1
    return Pace(
        position=timings.position_seconds * factor,
        rest=timings.rest_seconds * factor,
        switch=timings.switch_seconds * factor,
        between=timings.between_seconds * factor,
        up=timings.up_seconds,
        down=timings.down_seconds,
    )


def wait_before(plan: Plan, position: Position) -> Wait:
    """The countdown before the hold (or set) at ``position``."""
    item = plan.items[position.item]
    first_side = item.sides[0]
    first_step = position.set_no == 1 and position.rep == 1 and position.side == first_side
    if first_step:
        return "position" if position.item == 0 else "next"
    if position.side is not None:
        return "switch"  # a per-side exercise changes side at every hold
    return "rest"


def rep_seconds(pace: Pace, item: PlanItem) -> int:
    """One paced rep: up, hold for the dose's seconds, down."""
    return pace.up + item.dose.hold_seconds + pace.down


def timed_seconds(pace: Pace | None, item: PlanItem) -> int | None:
    """How long the step's timer runs: the hold, or (hands-free) the whole paced set; None
    for a set done at the user's own pace."""
    if item.mode == "hold":
        return item.dose.hold_seconds
    if pace is None:
        return None
    return item.dose.reps * rep_seconds(pace, item)


@dataclass(frozen=True, slots=True)
class RepMoment:
    """Where a paced set is: rep ``rep`` of ``reps``, its stage, and seconds left in it."""

    rep: int
    reps: int
    stage: Stage
    left: int


def rep_moment(pace: Pace, item: PlanItem, elapsed: int) -> RepMoment:
    """The paced count ``elapsed`` seconds into a set."""
    per_rep = rep_seconds(pace, item)
    reps = item.dose.reps
    elapsed = max(0, min(elapsed, reps * per_rep - 1))
    rep, within = divmod(elapsed, per_rep)
    hold = item.dose.hold_seconds
    if within < pace.up:
        stage: Stage = "up"
        left = pace.up - within
    elif within < pace.up + hold:
        stage = "hold"
        left = pace.up + hold - within
    else:
        stage = "down"
        left = per_rep - within
    return RepMoment(rep + 1, reps, stage, left)
