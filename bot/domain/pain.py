"""Pain rules on the 0-10 numeric rating scale.

A change of about 2 points is the smallest that matters to patients (Farrar et al. 2001;
Ostelo et al. 2008); 8 or more is severe.
"""

from __future__ import annotations

PAIN_MIN = 0
PAIN_MAX = 10
SEVERE = 8
MEANINGFUL_CHANGE = 2


def is_valid_score(score: int) -> bool:
    return PAIN_MIN <= score <= PAIN_MAX


def rose_meaningfully(before: int | None, after: int | None) -> bool:
    return before is not None and after is not None and after - before >= MEANINGFUL_CHANGE


def routine_needs_warning(before: int | None, after: int | None) -> bool:
    """After a routine: pain rose by 2+ points, or is severe."""
    return rose_meaningfully(before, after) or (after is not None and after >= SEVERE)


def rating_needs_warning(score: int, recent_average: float | None) -> bool:
    """A single rating: severe, or 2+ points above the recent (7-day) average."""
    if score >= SEVERE:
        return True
    return recent_average is not None and score - recent_average >= MEANINGFUL_CHANGE
