"""When the weekly summary is due, and reading a time of day the user types."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta, tzinfo

DAYS_OF_WEEK = range(7)
"""Monday is 0, Sunday is 6 (as ``date.weekday()``)."""

_TIME = re.compile(
    r"""^\s*(?P<hour>\d{1,2})
        (?:\s*[:.]\s*(?P<minute>\d{2}) | \s*h(?P<h_minute>\d{2})?)?
        \s*(?P<half>am|pm|a\.m\.|p\.m\.)?\s*$""",
    re.IGNORECASE | re.VERBOSE,
)


def next_weekly_at(now: datetime, zone: tzinfo, weekday: int, at: time) -> datetime:
    """The first instant strictly after ``now`` that is ``weekday`` at ``at`` in ``zone`` (UTC).

    A local time that does not exist (a spring-forward gap) happens as many minutes after
    the gap as it would have been into it, e.g. 02:30 becomes 03:30; a time that happens
    twice (an autumn fold) is taken the first time.
    """
    if now.tzinfo is None:
        raise ValueError("now must be aware")
    if weekday not in DAYS_OF_WEEK:
        raise ValueError(f"weekday must be 0-6, not {weekday}")
    today = now.astimezone(zone).date()
    for ahead in range(8):
        day = today + timedelta(days=ahead)
        if day.weekday() != weekday:
            continue
        local = datetime.combine(day, at.replace(tzinfo=None, fold=0), tzinfo=zone)
        instant = local.astimezone(UTC)
        if instant > now:
            return instant
    raise AssertionError("a weekday comes round within eight days")  # pragma: no cover


def parse_time_of_day(text: str) -> time | None:
    """ "19:30", "7.30 pm", "7pm", "19h" → a time; None when it is not a valid time."""
    match = _TIME.match(text)
    if match is None:
        return None
    hour = int(match["hour"])
    minute = int(match["minute"] or match["h_minute"] or 0)
    half = (match["half"] or "").lower().replace(".", "")
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)
