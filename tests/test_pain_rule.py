"""The pain rule: 2 points and 30% over the baseline eases off; sustained signs mean a GP."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bot.domain.pain import (
    DayRating,
    GpReason,
    baseline,
    pain_advice,
    rating_needs_warning,
    rise_matters,
    routine_needs_warning,
)
from content import load_content

START = date(2026, 11, 2)


def _days(*scores: int, start: date = START) -> list[DayRating]:
    return [DayRating(start + timedelta(days=index), score) for index, score in enumerate(scores)]


@pytest.mark.parametrize(
    ("before", "after", "matters"),
    [
        (0, 2, True),  # 2 points, and any rise from 0 is over 30%
        (2, 3, False),  # 1 point
        (6, 8, True),  # 2 points, 33%
        (7, 9, False),  # 2 points but only 29%
        (7, 10, True),
        (4, 5, False),
        (None, 9, False),
    ],
)
def test_a_rise_must_be_two_points_and_thirty_percent(
    before: int | None, after: int, matters: bool
) -> None:
    assert rise_matters(before, after) is matters


def test_the_old_entry_points_use_the_same_rule() -> None:
    assert routine_needs_warning(7, 9) is True  # severe
    assert routine_needs_warning(2, 3) is False
    assert rating_needs_warning(5, 3.0) is True
    assert rating_needs_warning(9, 8.5) is True
    assert rating_needs_warning(7, 5.5) is False


def test_the_baseline_is_the_median_daily_average_of_the_week_before() -> None:
    ratings = [*_days(3, 3, 4, 2, 3, 9, 3), DayRating(START + timedelta(days=7), 6)]
    assert baseline(ratings, START + timedelta(days=7)) == 3.0
    assert baseline(ratings, START) is None


def test_a_rise_eases_off_without_a_gp_and_asks_tomorrow() -> None:
    ratings = _days(3, 3, 3, 3, 3, 3, 3, 6)
    advice = pain_advice(ratings, START + timedelta(days=7))
    assert (advice.ease_off, advice.gp_reason, advice.ask_tomorrow) == (True, None, True)
    assert advice.next_routine == "easier"
    assert advice.message_keys == ("pain.ease_off",)


def test_a_rise_that_settles_by_the_next_day_needs_nothing() -> None:
    ratings = _days(3, 3, 3, 3, 3, 3, 3, 6, 3)
    advice = pain_advice(ratings, START + timedelta(days=8))
    assert (advice.ease_off, advice.gp_reason, advice.message_keys) == (False, None, ())


def test_a_rise_not_settled_the_next_day_means_a_gp() -> None:
    ratings = _days(3, 3, 3, 3, 3, 3, 3, 6, 6)
    advice = pain_advice(ratings, START + timedelta(days=8))
    assert advice.gp_reason is GpReason.NOT_SETTLED
    assert advice.ask_tomorrow is False


def test_severe_pain_on_two_different_days_means_a_gp() -> None:
    once = pain_advice(_days(8, 8), START)  # two ratings, one day
    assert once.gp_reason is None
    twice = pain_advice(_days(8, 5, 5, 8), START + timedelta(days=3))
    assert twice.gp_reason is GpReason.SEVERE_TWICE


def test_a_weekly_average_rising_two_weeks_running_means_a_gp() -> None:
    ratings = _days(*[2] * 7, *[3] * 7, *[4] * 7)
    assert pain_advice(ratings, START + timedelta(days=20)).gp_reason is GpReason.RISING_TREND
    flat_then_up = _days(*[3] * 14, *[4] * 7)
    assert pain_advice(flat_then_up, START + timedelta(days=20)).gp_reason is None


def test_a_simulated_fortnight() -> None:
    """Two weeks of daily ratings: what the user would be told each day."""
    scores = [4, 4, 5, 4, 4, 4, 4, 7, 4, 4, 4, 7, 7, 4]
    ratings = _days(*scores)
    told = [
        pain_advice(ratings[: index + 1], START + timedelta(days=index)).message_keys
        for index in range(len(scores))
    ]
    assert told == [
        (), (), (), (), (), (), (),
        ("pain.ease_off",),  # day 8: 4 -> 7, ease off, no GP
        (),  # day 9: settled
        (), (),
        ("pain.ease_off",),  # day 12: up again
        ("pain.ease_off", "pain.see_gp_not_settled"),  # day 13: not settled
        (),
    ]  # fmt: skip


def test_every_message_key_is_in_the_catalog() -> None:
    content = load_content()
    for key in (
        "pain.ease_off",
        "pain.settle_check",
        *(f"pain.see_gp_{r.value}" for r in GpReason),
    ):
        assert content.t(key)
    assert "rest in" not in content.safety.pain_warning
    assert "ease off" in content.t("pain.ease_off").lower()
