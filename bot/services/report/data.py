"""The clinician report's figures, gathered from the database as plain, frozen values.

Pain figures, the trend and the streaks come from ``bot.domain.progress`` (the same functions
as /history); this module adds what only the report shows: before/after pairs from the same
routine, weekly averages, reminders answered, and how each exercise went.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.progress import (
    ChartData,
    ProgressSummary,
    Rating,
    chart_data,
    period_start,
    summarise,
)
from bot.domain.progression import Dose, LevelChange, dose_at
from bot.domain.routine import Plan
from bot.domain.statuses import DeliveryStatus, HoldOutcome, SessionStatus
from content import Exercise
from storage.activity import routine_days
from storage.models import Hold, RoutineSession
from storage.pain import ratings_since
from storage.report import deliveries_between, holds_since, sessions_started_since
from storage.routine import last_done, preferences

_DELIVERED = (DeliveryStatus.SENT, DeliveryStatus.SNOOZED, DeliveryStatus.SKIPPED)
"""Prompts that reached the user (a snoozed one was sent, and is sent again later)."""


@dataclass(frozen=True, slots=True)
class ScreeningEvent:
    """One safety screening: when, its outcome tier, and the warning signs answered "yes"."""

    taken_at: datetime
    tier: str
    signs: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PairedChange:
    """Pain before and after the same routine, over the routines rated both times."""

    pairs: int
    before_average: float | None
    after_average: float | None
    lower: int
    same: int
    higher: int

    @property
    def change(self) -> float | None:
        if self.before_average is None or self.after_average is None:
            return None
        return self.after_average - self.before_average


@dataclass(frozen=True, slots=True)
class WeekFigure:
    """One week of the period (seven days from ``start``; the first may be shorter)."""

    start: date
    end: date
    average: float | None
    ratings: int


@dataclass(frozen=True, slots=True)
class Reminders:
    """The daily prompts of the period that reached the user, and what followed."""

    sent: int
    routine_started: int
    skipped: int


@dataclass(frozen=True, slots=True)
class ExerciseLine:
    """How one exercise went in the period, and its dose now."""

    exercise_id: str
    name: str
    mode: str
    per_side: bool
    sessions_done: int
    sessions_skipped: int
    hurt_days: tuple[date, ...]
    easier: int
    harder: int
    excluded: bool
    dose: Dose


@dataclass(frozen=True, slots=True)
class Note:
    day: date
    score: int
    text: str


@dataclass(frozen=True, slots=True)
class ReportData:
    """Everything the one-page report prints, on the user's local calendar."""

    name: str | None
    made_at: datetime
    zone_key: str | None
    summary: ProgressSummary
    chart: ChartData
    pairs: PairedChange
    weeks: tuple[WeekFigure, ...]
    routines_started: int
    routines_completed: int
    reminders: Reminders
    exercises: tuple[ExerciseLine, ...]
    screenings: tuple[ScreeningEvent, ...]
    notes: tuple[Note, ...] | None
    """None when the user chose to leave their notes out."""

    @property
    def days(self) -> int:
        return self.summary.days

    @property
    def start(self) -> date:
        return self.summary.start

    @property
    def end(self) -> date:
        return self.summary.end


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def paired_change(routines: Sequence[RoutineSession]) -> PairedChange:
    """Before/after over the routines with both ratings (a pair compares like with like)."""
    pairs = [
        (routine.pain_before, routine.pain_after)
        for routine in routines
        if routine.pain_before is not None and routine.pain_after is not None
    ]
    return PairedChange(
        pairs=len(pairs),
        before_average=_mean([float(before) for before, _ in pairs]),
        after_average=_mean([float(after) for _, after in pairs]),
        lower=sum(1 for before, after in pairs if after < before),
        same=sum(1 for before, after in pairs if after == before),
        higher=sum(1 for before, after in pairs if after > before),
    )


def weekly_figures(ratings: Sequence[Rating], start: date, end: date) -> tuple[WeekFigure, ...]:
    """Weeks counted back from ``end``, so the last week is always a whole one."""
    weeks: list[WeekFigure] = []
    week_end = end
    while week_end >= start:
        week_start = max(start, week_end - timedelta(days=6))
        scores = [r.score for r in ratings if week_start <= r.day <= week_end]
        weeks.append(
            WeekFigure(week_start, week_end, _mean([float(s) for s in scores]), len(scores))
        )
        week_end = week_start - timedelta(days=1)
    return tuple(reversed(weeks))


def _plan_changes(routines: Sequence[RoutineSession]) -> dict[str, list[LevelChange]]:
    """Dose changes as the routines of the period first used them, per exercise.

    A change rides on every plan until the exercise is done at the new dose, so the same
    change on consecutive plans of one exercise is counted once.
    """
    changes: dict[str, list[LevelChange]] = defaultdict(list)
    previous: dict[str, LevelChange | None] = {}
    for routine in routines:
        try:
            items = Plan.from_json(routine.plan).items
        except (KeyError, TypeError, ValueError):
            continue  # an old or odd plan: it shows no changes
        for item in items:
            if item.change is not None and item.change != previous.get(item.exercise_id):
                changes[item.exercise_id].append(item.change)
            previous[item.exercise_id] = item.change
    return changes


def _planned_after(routines: Sequence[RoutineSession], exercise_id: str, since: datetime) -> bool:
    for routine in routines:
        if routine.started_at > since:
            items = routine.plan.get("items", []) if isinstance(routine.plan, dict) else []
            if any(isinstance(i, dict) and i.get("exercise") == exercise_id for i in items):
                return True
    return False


async def _exercise_lines(
    session: AsyncSession,
    user_id: int,
    exercises: Sequence[Exercise],
    routines: Sequence[RoutineSession],
    holds: Sequence[Hold],
    since: datetime,
    zone: tzinfo,
) -> tuple[ExerciseLine, ...]:
    prefs = await preferences(session, user_id)
    last = await last_done(session, user_id, [exercise.id for exercise in exercises])
    changes = _plan_changes(routines)
    outcomes: dict[tuple[str, int], set[str]] = defaultdict(set)
    hurt: dict[str, set[date]] = defaultdict(set)
    for hold in holds:
        outcomes[hold.exercise_id, hold.session_id].add(hold.outcome)
        if hold.outcome == HoldOutcome.HURT:
            hurt[hold.exercise_id].add(hold.started_at.astimezone(zone).date())
    lines: list[ExerciseLine] = []
    for exercise in exercises:
        pref = prefs.get(exercise.id)
        seen = [found for (exercise_id, _), found in outcomes.items() if exercise_id == exercise.id]
        directions = [change.direction for change in changes.get(exercise.id, [])]
        changed_at = pref.level_changed_at if pref is not None else None
        if (
            pref is not None
            and changed_at is not None
            and changed_at >= since
            and pref.level_reason in ("steady", "pain_rose", "hurt")
            and not (exercise.id in last and last[exercise.id] > changed_at)
            and not _planned_after(routines, exercise.id, changed_at)
        ):
            directions.append("up" if pref.level_reason == "steady" else "down")
        lines.append(
            ExerciseLine(
                exercise_id=exercise.id,
                name=exercise.name,
                mode=exercise.mode,
                per_side=exercise.per_side,
                sessions_done=sum(
                    1 for s in seen if s & {HoldOutcome.COMPLETED, HoldOutcome.STOPPED_EARLY}
                ),
                sessions_skipped=sum(
                    1 for s in seen if HoldOutcome.SKIPPED in s and not s & {HoldOutcome.COMPLETED}
                ),
                hurt_days=tuple(sorted(hurt[exercise.id])),
                easier=directions.count("down"),
                harder=directions.count("up"),
                excluded=bool(pref is not None and pref.excluded),
                dose=dose_at(exercise, pref.level if pref is not None else 0),
            )
        )
    return tuple(lines)


async def gather_report(
    session: AsyncSession,
    user_id: int,
    *,
    days: int,
    now: datetime,
    zone: tzinfo,
    include_notes: bool,
    name: str | None,
    zone_key: str | None = None,
    exercises: Sequence[Exercise] = (),
    screenings: Sequence[ScreeningEvent] = (),
) -> ReportData:
    """The report's figures for the ``days`` local days ending today (in ``zone``).

    ``screenings`` come from the safety screening feature; those in the period are kept.
    """
    today = now.astimezone(zone).date()
    first = period_start(today, days)
    since = datetime.combine(first, time(0), tzinfo=zone).astimezone(UTC)
    rows = [row for row in await ratings_since(session, user_id, since) if row.rated_at <= now]
    ratings = [
        Rating(
            day=row.rated_at.astimezone(zone).date(),
            score=row.score,
            context=row.context,
            session_id=row.session_id,
        )
        for row in rows
    ]
    done = await routine_days(session, user_id, zone)
    routines = [
        r for r in await sessions_started_since(session, user_id, since) if r.started_at <= now
    ]
    holds = [h for h in await holds_since(session, user_id, since) if h.started_at <= now]
    deliveries = await deliveries_between(session, user_id, first, today)
    delivered = [d for d in deliveries if d.status in _DELIVERED and d.sent_at is not None]
    answered = {r.delivery_id for r in routines if r.delivery_id is not None}
    notes = tuple(
        Note(day=rating.day, score=rating.score, text=row.note.strip())
        for row, rating in zip(rows, ratings, strict=True)
        if row.note and row.note.strip()
    )
    return ReportData(
        name=name.strip() if name and name.strip() else None,
        made_at=now.astimezone(zone),
        zone_key=zone_key,
        summary=summarise(ratings, done, today, days),
        chart=chart_data(ratings, done, today, days),
        pairs=paired_change([r for r in routines if r.status == SessionStatus.COMPLETED]),
        weeks=weekly_figures(ratings, first, today),
        routines_started=len(routines),
        routines_completed=sum(1 for r in routines if r.status == SessionStatus.COMPLETED),
        reminders=Reminders(
            sent=len(delivered),
            routine_started=sum(1 for d in delivered if d.id in answered),
            skipped=sum(1 for d in delivered if d.status == DeliveryStatus.SKIPPED),
        ),
        exercises=await _exercise_lines(session, user_id, exercises, routines, holds, since, zone),
        screenings=tuple(
            replace(event, taken_at=event.taken_at.astimezone(zone))
            for event in sorted(screenings, key=lambda event: event.taken_at)
            if since <= event.taken_at <= now
        ),
        notes=notes if include_notes else None,
    )
