"""What the routine services return: what the user should see next, as plain data."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

from bot.domain.progression import LevelChange
from bot.domain.routine import Kind, Phase, PlanItem, Position
from bot.domain.timings import Pace, Wait

log = logging.getLogger(__name__)

TICK_SECONDS = 5
"""How often a running hold's countdown is updated (well within Telegram's edit limits);
read only by ``cadence.next_tick``."""
IDLE_AFTER = timedelta(hours=12)
"""A session untouched this long is left behind: /routine starts a fresh one."""
REPEAT_WINDOW = timedelta(minutes=1)
"""A start button tapped again this soon, with nothing done yet, is a double tap."""


Verdict = Literal["ok", "stale", "forged"]
Lead = Literal["release", "early", "done", "set_done", "skipped", "hurt", "recovered", "resumed"]
Cue = Literal["hold", "release", "switch"]
"""Hands-free: a moment the user must notice without looking, sent as a new message with sound."""
Closed = Literal["held", "early", "done", "set_done", "skipped", "hurt", "stopped", "moved", "pain"]


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
    hands_free: bool = False
    pace: Pace | None = None
    wait: Wait | None = None
    """Hands-free, ready: what the countdown before this step is for."""
    wait_left: int | None = None
    """Hands-free, ready: seconds left of the countdown (None: waiting for Start)."""
    paused: int | None = None
    """Hands-free, paused: seconds the countdown had left."""
    elapsed: int | None = None
    """Holding: seconds since the hold or set started."""

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
class LateRating:
    """The rating after a hands-free routine that completed on its own: the pain rule's
    texts (by catalog key) and the steps back a rise brought."""

    advice_keys: tuple[str, ...] = ()
    changes: tuple[LevelChange, ...] = ()


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
    advice_keys: tuple[str, ...]  # the pain rule's texts (bot.domain.pain), by catalog key
    changes: tuple[LevelChange, ...]

    @property
    def warning(self) -> bool:
        return bool(self.advice_keys)


@dataclass(frozen=True, slots=True)
class TimerOrder:
    """Run the hold timer for ``hold_id`` at ``at`` (one job per chat); ``hold_id`` 0: the
    hands-free countdown before the hold of step ``step_no``."""

    chat_id: int
    session_id: int
    hold_id: int
    at: datetime
    step_no: int = 0


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
    live: StepView | None = None
    """Hands-free: edit the exercise's live message in place into this."""
    cue: Cue | None = None
    collapse: bool = False
    """Hands-free: the closing is the exercise's end: its live message becomes one line."""
    loud: bool = False
    """Hands-free: send ``next_view`` with a notification (the next exercise, the end)."""
    quiet: bool = False
    """Hands-free: the summary or the "stopped" note goes without a sound (a tap's answer)."""
    ask_after: StepView | None = None
    """Hands-free: the routine completed on its own; after its summary, offer the (optional)
    rating after, as the session's card."""
    late: LateRating | None = None
    """Hands-free: the rating after came once the routine had completed: what it brings."""
    for_safety: bool = False
    """The routine was ended by a warning sign typed mid-routine (``stop_for_safety``): its
    "stopped" note and any later tap on its buttons say so."""


@dataclass(frozen=True, slots=True)
class Request:
    """What the user asked to start: the routine (from a prompt or /routine) or one exercise."""

    delivery_id: int = 0
    exercise_id: str | None = None
    rated: bool = False
    """The start tap answered the pain question too (the daily prompt's rating row, or its
    Start now: ``pain`` None), so the first exercise comes at once."""
    pain: int | None = None


@dataclass(frozen=True, slots=True)
class Opened:
    """The answer to /routine, "Start now" or "Do this one now"."""

    result: Literal["started", "offer", "repeat", "empty", "unknown", "unscreened", "emergency"]
    chat_id: int
    view: StepView | None = None
    request: Request = field(default_factory=Request)
    left_behind: Closing | None = None
    """An idle session closed to make way for this one: its card loses its buttons."""
    caution: bool = False
    """A see-a-doctor answer not yet cleared: the routine shows a caution."""
    offer_rescreen: bool = False
    """The first routine after 14+ days away: offer "any new warning signs?"."""
    timer: TimerOrder | None = None
    """Hands-free, started at the first exercise: its countdown's timer."""


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
    pictures: bool = True
    hands_free: bool = False
    slow_pace: bool = False


@dataclass(frozen=True, slots=True)
class SettingsChange:
    """One change on the routine settings screen (or none, just to show it)."""

    length: str | None = None
    timers: bool | None = None
    hands_free: bool | None = None
    slow_pace: bool | None = None
    bring_back: str | None = None
    leave_out: str | None = None
    pictures: bool | None = None


@dataclass(frozen=True, slots=True)
class LeftOut:
    verdict: Verdict
    exercise_id: str | None = None
