"""Progress over a period: the figures behind /history, the weekly summary and the export picture.

Everything here works on local dates (the user's time zone is applied before) and plain
values, so each figure can be checked by hand in a test.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from bot.domain.streaks import best_streak, current_streak

PERIODS = (7, 30, 90)
"""The periods the user can switch between, in days."""
DEFAULT_PERIOD = 30

CONTEXT_BEFORE = "before"
CONTEXT_AFTER = "after"
CONTEXT_ANY = "any"
"""pain_ratings.context: before a routine, after one, or logged on its own (/pain)."""

STEADY_PER_WEEK = 0.25
"""Below this many points a week the trend counts as steady: under 1 point over four weeks,
half the smallest change that matters to patients (2 points)."""


@dataclass(frozen=True, slots=True)
class Rating:
    """One rating on the user's local calendar."""

    day: date
    score: int
    context: str = CONTEXT_ANY
    session_id: int | None = None
    """The routine a before or after rating belongs to (to compare them in pairs)."""


@dataclass(frozen=True, slots=True)
class Trend:
    """A least-squares line through the daily averages: value = intercept + slope × day index."""

    slope_per_day: float
    intercept: float

    @property
    def per_week(self) -> float:
        return self.slope_per_day * 7

    def at(self, index: float) -> float:
        return self.intercept + self.slope_per_day * index


@dataclass(frozen=True, slots=True)
class ProgressSummary:
    """The figures of one period (``days`` local days ending ``end``, both ends included)."""

    days: int
    start: date
    end: date
    ratings: int
    days_rated: int
    average: float | None
    lowest: int | None
    highest: int | None
    before_average: float | None
    after_average: float | None
    """Averages over routines rated both before and after (pairs from the same routine)."""
    trend: Trend | None
    current_streak: int
    best_streak: int
    routine_days: int
    pairs: int = 0
    """Routines in the period with both a before and an after rating."""
    days_counted: int = 0
    """The period's days since the user's first day (a new user's day one counts as 1 of 1,
    not 1 of 30); 0: all ``days``."""

    @property
    def days_in_use(self) -> int:
        return self.days_counted or self.days

    @property
    def routine_share(self) -> float:
        """The share of the period's days in use with a completed routine, 0-1."""
        return self.routine_days / self.days_in_use

    @property
    def has_data(self) -> bool:
        return self.ratings > 0 or self.routine_days > 0


@dataclass(frozen=True, slots=True)
class ChartData:
    """What the picture shows; x positions are day indexes from ``start`` (0 … days-1)."""

    start: date
    days: int
    daily: tuple[tuple[int, float], ...]
    before: tuple[tuple[int, float], ...]
    after: tuple[tuple[int, float], ...]
    routine_days: tuple[int, ...]
    trend: Trend | None

    @property
    def end(self) -> date:
        return self.start + timedelta(days=self.days - 1)

    def day(self, index: int) -> date:
        return self.start + timedelta(days=index)


def period_start(today: date, days: int) -> date:
    """The first local day of a period of ``days`` days that ends today."""
    if days < 1:
        raise ValueError("a period has at least one day")
    return today - timedelta(days=days - 1)


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def daily_averages(ratings: Iterable[Rating], start: date) -> tuple[tuple[int, float], ...]:
    """(day index, mean score) for each day with at least one rating, in day order."""
    by_day: dict[int, list[int]] = defaultdict(list)
    for rating in ratings:
        by_day[(rating.day - start).days].append(rating.score)
    return tuple((index, sum(scores) / len(scores)) for index, scores in sorted(by_day.items()))


def least_squares(points: Sequence[tuple[float, float]]) -> Trend | None:
    """The ordinary least-squares line through ``points``; None with fewer than two x values."""
    if len({x for x, _ in points}) < 2:
        return None
    count = len(points)
    mean_x = sum(x for x, _ in points) / count
    mean_y = sum(y for _, y in points) / count
    spread = sum((x - mean_x) ** 2 for x, _ in points)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in points) / spread
    return Trend(slope_per_day=slope, intercept=mean_y - slope * mean_x)


def _in_period(ratings: Iterable[Rating], start: date, end: date) -> list[Rating]:
    return [rating for rating in ratings if start <= rating.day <= end]


def summarise(
    ratings: Iterable[Rating],
    routine_days: Iterable[date],
    today: date,
    days: int,
    first_day: date | None = None,
) -> ProgressSummary:
    """The period's figures. Streaks count every routine day ever; the rest only the period.
    ``first_day``: the user's first day with the bot (the routine share counts from it)."""
    start = period_start(today, days)
    counted_from = max(start, min(first_day, today)) if first_day is not None else start
    chosen = _in_period(ratings, start, today)
    done = set(routine_days)
    scores = [rating.score for rating in chosen]
    daily = daily_averages(chosen, start)
    pairs = before_after_pairs(chosen)
    before = [float(pair[0]) for pair in pairs]
    after = [float(pair[1]) for pair in pairs]
    return ProgressSummary(
        days=days,
        start=start,
        end=today,
        ratings=len(scores),
        days_rated=len(daily),
        average=_mean([float(score) for score in scores]),
        lowest=min(scores) if scores else None,
        highest=max(scores) if scores else None,
        before_average=_mean(before),
        after_average=_mean(after),
        trend=least_squares(daily),
        current_streak=current_streak(done, today),
        best_streak=best_streak(done),
        routine_days=sum(1 for day in done if start <= day <= today),
        pairs=len(pairs),
        days_counted=(today - counted_from).days + 1,
    )


def before_after_pairs(ratings: Iterable[Rating]) -> list[tuple[int, int]]:
    """(before, after) for each routine rated both before and after it, in routine order: a
    stopped routine with only a "before" is not compared with another routine's "after"."""
    before: dict[int, int] = {}
    after: dict[int, int] = {}
    for rating in ratings:
        if rating.session_id is None:
            continue
        if rating.context == CONTEXT_BEFORE:
            before[rating.session_id] = rating.score
        elif rating.context == CONTEXT_AFTER:
            after[rating.session_id] = rating.score
    return [(before[key], after[key]) for key in sorted(before) if key in after]


def chart_data(
    ratings: Iterable[Rating], routine_days: Iterable[date], today: date, days: int
) -> ChartData:
    """The series the picture draws for the same period as ``summarise``."""
    start = period_start(today, days)
    chosen = _in_period(ratings, start, today)
    daily = daily_averages(chosen, start)
    return ChartData(
        start=start,
        days=days,
        daily=daily,
        before=daily_averages((r for r in chosen if r.context == CONTEXT_BEFORE), start),
        after=daily_averages((r for r in chosen if r.context == CONTEXT_AFTER), start),
        routine_days=tuple(
            sorted((day - start).days for day in set(routine_days) if start <= day <= today)
        ),
        trend=least_squares(daily),
    )


def trend_direction(trend: Trend | None) -> str | None:
    """ "better", "worse" or "steady" (lower pain is better); None without a trend."""
    if trend is None:
        return None
    if abs(trend.per_week) < STEADY_PER_WEEK:
        return "steady"
    return "better" if trend.per_week < 0 else "worse"
