"""The progress figures, checked against sums done by hand."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.domain.progress import (
    Rating,
    Trend,
    chart_data,
    daily_averages,
    least_squares,
    period_start,
    summarise,
    trend_direction,
)
from tests.progress_sample import RATINGS, ROUTINE_DAYS, TODAY, d


def test_summary_figures_match_the_hand_sums() -> None:
    summary = summarise(RATINGS, ROUTINE_DAYS, TODAY, 7)

    assert (summary.start, summary.end, summary.days) == (d(4), d(10), 7)
    # 6+4+5+6+3+4+4+2 = 34 over 8 ratings
    assert summary.ratings == 8
    assert summary.days_rated == 5
    assert summary.average == pytest.approx(34 / 8)
    assert (summary.lowest, summary.highest) == (2, 6)
    assert summary.before_average == pytest.approx(16 / 3)
    assert summary.after_average == pytest.approx(3.0)
    # Daily means at day indexes 0, 1, 3, 5, 6: 5, 5, 4.5, 4, 3.
    # x̄ = 3, ȳ = 4.3, Sxx = 26, Sxy = -8 → slope -8/26 a day.
    assert summary.trend is not None
    assert summary.trend.slope_per_day == pytest.approx(-8 / 26)
    assert summary.trend.per_week == pytest.approx(-56 / 26)
    assert summary.trend.intercept == pytest.approx(4.3 + 3 * 8 / 26)
    assert (summary.current_streak, summary.best_streak) == (4, 6)
    assert summary.routine_days == 5
    assert summary.routine_share == pytest.approx(5 / 7)
    assert summary.has_data


def test_an_empty_period_has_no_figures_but_keeps_the_streaks() -> None:
    summary = summarise([], {d(9)}, TODAY, 30)

    assert summary.ratings == 0
    assert summary.average is None
    assert summary.lowest is None
    assert summary.highest is None
    assert summary.before_average is None
    assert summary.after_average is None
    assert summary.trend is None
    assert (summary.current_streak, summary.best_streak, summary.routine_days) == (1, 1, 1)
    assert summary.has_data
    assert not summarise([], set(), TODAY, 7).has_data


def test_one_rated_day_has_no_trend() -> None:
    ratings = [Rating(TODAY, 5), Rating(TODAY, 7)]
    summary = summarise(ratings, set(), TODAY, 7)

    assert summary.trend is None
    assert summary.average == 6.0
    assert summary.days_rated == 1


def test_chart_data_uses_day_indexes_within_the_period() -> None:
    chart = chart_data(RATINGS, ROUTINE_DAYS, TODAY, 7)

    assert chart.start == d(4)
    assert chart.end == d(10)
    assert chart.daily == ((0, 5.0), (1, 5.0), (3, 4.5), (5, 4.0), (6, 3.0))
    assert chart.before == ((0, 6.0), (3, 6.0), (6, 4.0))
    assert chart.after == ((0, 4.0), (3, 3.0), (6, 2.0))
    assert chart.routine_days == (0, 3, 4, 5, 6)
    assert chart.trend == least_squares(chart.daily)
    assert chart.day(5) == d(9)


def test_least_squares_on_a_perfect_line_and_degenerate_input() -> None:
    trend = least_squares([(0, 8.0), (7, 6.0), (14, 4.0)])
    assert trend is not None
    assert trend.per_week == pytest.approx(-2.0)
    assert trend.at(0) == pytest.approx(8.0)
    assert least_squares([]) is None
    assert least_squares([(2, 5.0), (2, 7.0)]) is None


@pytest.mark.parametrize(
    ("per_week", "direction"),
    [(-1.0, "better"), (-0.25, "better"), (-0.24, "steady"), (0.0, "steady"), (0.3, "worse")],
)
def test_trend_direction_thresholds(per_week: float, direction: str) -> None:
    assert trend_direction(Trend(slope_per_day=per_week / 7, intercept=5)) == direction


def test_trend_direction_without_a_trend() -> None:
    assert trend_direction(None) is None


def test_daily_averages_are_means_per_day_in_order() -> None:
    ratings = [Rating(d(6), 3), Rating(d(5), 4), Rating(d(6), 6)]
    assert daily_averages(ratings, d(5)) == ((0, 4.0), (1, 4.5))


def test_period_start_counts_today() -> None:
    assert period_start(TODAY, 1) == TODAY
    assert period_start(TODAY, 90) == TODAY - timedelta(days=89)
    with pytest.raises(ValueError, match="at least one day"):
        period_start(TODAY, 0)
