"""Pain rules on the 0-10 numeric rating scale.

The smallest change that matters to patients is about 2 points *and* about 30% (Farrar et al.,
Pain 2001; Salaffi et al., Eur J Pain 2004): a rise of 2 from 6 matters, a rise of 1 from 2 does
not. A rise like that over the user's recent baseline means "ease off, keep moving gently" and
an easier next routine, never "rest" (NICE NG59, NHS: stay active). The advice to see a GP
comes only when the picture is sustained: pain of 8 or more on two different days, a weekly
average that rose two weeks running, or a rise that has not settled by the next day (a mild
rise that settles within about a day is common when starting exercise).

Everything here is pure: the services pass the ratings in and act on the plain values out.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from statistics import mean, median

PAIN_MIN = 0
PAIN_MAX = 10
SEVERE = 8
MEANINGFUL_CHANGE = 2  # points
MEANINGFUL_RATIO = 0.30  # of the baseline
BASELINE_DAYS = 7  # the days before the rating's day that make the baseline
SEVERE_WINDOW_DAYS = 14  # "8 or more on two different days" within this many days
WEEKLY_RISE = 0.5  # points: the smallest rise of a weekly average that counts as rising


def is_valid_score(score: int) -> bool:
    return PAIN_MIN <= score <= PAIN_MAX


def rise_matters(baseline: float | None, score: float | None) -> bool:
    """A rise of at least 2 points and at least 30% over ``baseline``."""
    if baseline is None or score is None:
        return False
    rise = score - baseline
    return rise >= MEANINGFUL_CHANGE and rise >= MEANINGFUL_RATIO * baseline


def rose_meaningfully(before: int | None, after: int | None) -> bool:
    """Pain after a routine rose by a change that matters over the pain before it."""
    return rise_matters(before, after)


def routine_needs_warning(before: int | None, after: int | None) -> bool:
    """After a routine: pain rose by a change that matters, or is severe."""
    return rose_meaningfully(before, after) or (after is not None and after >= SEVERE)


def rating_needs_warning(score: int, recent_average: float | None) -> bool:
    """A single rating: severe, or a rise that matters over the recent (7-day) average."""
    return score >= SEVERE or rise_matters(recent_average, score)


@dataclass(frozen=True, slots=True)
class DayRating:
    """One rating on the user's local calendar day."""

    day: date
    score: int


class GpReason(StrEnum):
    SEVERE_TWICE = "severe_twice"  # 8 or more on two different days
    RISING_TREND = "rising_trend"  # the weekly average rose two weeks running
    NOT_SETTLED = "not_settled"  # yesterday's rise has not settled today


@dataclass(frozen=True, slots=True)
class PainAdvice:
    """What the services do after a rating: plain values, texts by catalog key."""

    baseline: float | None
    ease_off: bool  # a rise that matters today: easier next routine, "ease off" text
    gp_reason: GpReason | None  # advise seeing a GP (family doctor), and why
    ask_tomorrow: bool  # tomorrow's prompt asks how today's rise settled

    @property
    def next_routine(self) -> str:
        return "easier" if self.ease_off else "usual"

    @property
    def message_keys(self) -> tuple[str, ...]:
        """The catalog keys to show, in order (none when nothing needs saying)."""
        keys: list[str] = []
        if self.ease_off:
            keys.append("pain.ease_off")
        if self.gp_reason is not None:
            keys.append(f"pain.see_gp_{self.gp_reason.value}")
        return tuple(keys)


def daily_scores(ratings: Iterable[DayRating]) -> dict[date, list[int]]:
    days: dict[date, list[int]] = {}
    for rating in ratings:
        days.setdefault(rating.day, []).append(rating.score)
    return days


def baseline(ratings: Iterable[DayRating], day: date) -> float | None:
    """The median of the daily averages over the 7 days before ``day`` (None: no ratings)."""
    days = daily_scores(ratings)
    start = day - timedelta(days=BASELINE_DAYS)
    averages = [mean(scores) for when, scores in days.items() if start <= when < day]
    return float(median(averages)) if averages else None


def severe_days(ratings: Iterable[DayRating], day: date) -> int:
    """Different days with a rating of 8 or more in the 14 days up to ``day``."""
    start = day - timedelta(days=SEVERE_WINDOW_DAYS - 1)
    return len(
        {rating.day for rating in ratings if start <= rating.day <= day and rating.score >= SEVERE}
    )


def weekly_averages(ratings: Iterable[DayRating], day: date, weeks: int = 3) -> list[float | None]:
    """The average of each 7-day week ending on ``day``, oldest first (None: no ratings)."""
    days = daily_scores(ratings)
    result: list[float | None] = []
    for back in range(weeks - 1, -1, -1):
        end = day - timedelta(days=7 * back)
        start = end - timedelta(days=6)
        scores = [score for when, found in days.items() if start <= when <= end for score in found]
        result.append(mean(scores) if scores else None)
    return result


def trend_rose_twice(ratings: Sequence[DayRating], day: date) -> bool:
    """The weekly average rose (by half a point or more) two weeks running."""
    first, second, third = weekly_averages(ratings, day)
    if first is None or second is None or third is None:
        return False
    return second - first >= WEEKLY_RISE and third - second >= WEEKLY_RISE


def _latest(ratings: Sequence[DayRating], day: date) -> int | None:
    scores = [rating.score for rating in ratings if rating.day == day]
    return scores[-1] if scores else None


def pain_advice(ratings: Sequence[DayRating], day: date) -> PainAdvice:
    """The advice after the latest rating on ``day``; ``ratings`` in the order they were made
    (at least the last three weeks)."""
    today_baseline = baseline(ratings, day)
    today = _latest(ratings, day)
    ease_off = rise_matters(today_baseline, today)
    yesterday = day - timedelta(days=1)
    yesterday_baseline = baseline(ratings, yesterday)
    rose_yesterday = rise_matters(yesterday_baseline, _latest(ratings, yesterday))
    reason: GpReason | None = None
    if severe_days(ratings, day) >= 2:
        reason = GpReason.SEVERE_TWICE
    elif rose_yesterday and rise_matters(yesterday_baseline, today):
        reason = GpReason.NOT_SETTLED
    elif trend_rose_twice(ratings, day):
        reason = GpReason.RISING_TREND
    return PainAdvice(
        baseline=today_baseline,
        ease_off=ease_off,
        gp_reason=reason,
        ask_tomorrow=ease_off and not rose_yesterday,
    )
