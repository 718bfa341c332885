"""One small data set whose figures are worked out by hand in test_progress_domain.py."""

from __future__ import annotations

from datetime import date

from bot.domain.progress import CONTEXT_AFTER, CONTEXT_ANY, CONTEXT_BEFORE, Rating

TODAY = date(2026, 3, 10)  # a Tuesday


def d(day: int, month: int = 3) -> date:
    return date(2026, month, day)


# Seven days, 4-10 March. The 3 March rating is outside the period. Before and after
# ratings belong to that day's routine (session_id: the day of March).
RATINGS = [
    Rating(d(3), 9, CONTEXT_ANY),
    Rating(d(4), 6, CONTEXT_BEFORE, session_id=4),
    Rating(d(4), 4, CONTEXT_AFTER, session_id=4),
    Rating(d(5), 5, CONTEXT_ANY),
    Rating(d(7), 6, CONTEXT_BEFORE, session_id=7),
    Rating(d(7), 3, CONTEXT_AFTER, session_id=7),
    Rating(d(9), 4, CONTEXT_ANY),
    Rating(d(10), 4, CONTEXT_BEFORE, session_id=10),
    Rating(d(10), 2, CONTEXT_AFTER, session_id=10),
]
# A six-day run in February (the best streak) and four days running up to today.
ROUTINE_DAYS = {d(day, 2) for day in range(18, 24)} | {d(1), d(4), d(7), d(8), d(9), d(10)}
