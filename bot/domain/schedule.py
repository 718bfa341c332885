"""When a daily prompt is due: pure functions of (now, zone, local time, days), no I/O.

Daylight-saving rules (the same as RFC 5545 §3.3.5, and what ``zoneinfo`` does with ``fold=0``):

* **Gap** (spring forward: the local time does not exist that day). The prompt is due at the
  local time read with the UTC offset from *before* the gap, so it comes later by the length of
  the gap: 02:30 on 29 March 2026 in Europe/Berlin (02:00 → 03:00) fires at 03:30 CEST; 02:15 on
  4 October 2026 on Australia/Lord_Howe (02:00 → 02:30) fires at 02:45. It still fires that day,
  exactly once.
* **Fold** (fall back: the local time happens twice). The prompt fires once, at the *first*
  occurrence (``fold=0``, the offset from before the change): 01:30 on 1 November 2026 in
  America/New_York fires at 01:30 EDT (05:30 UTC), not again at 01:30 EST.

Days of the week are the local calendar's days (Monday is bit 0 of the mask, Sunday bit 6), and
a delivery belongs to the local calendar date of its due instant.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from bot.domain.zones import zone_for

EVERY_DAY = 0b1111111
MONDAY_TO_FRIDAY = 0b0011111
WEEKEND = 0b1100000

LATE_AFTER = timedelta(minutes=2)
"""A prompt sent this long after its due instant is marked late (the sweep runs every ≤ 30 s,
so an on-time prompt is never this far behind)."""

SEND_LEASE = timedelta(minutes=2)
"""A claimed delivery not recorded as sent within this time (the process died while sending)
may be claimed again and sent by any dispatcher."""

MAX_SEND_ATTEMPTS = 5
"""Timeouts and server errors are retried this many times in all, then recorded as failed."""

FIRST_RETRY = timedelta(seconds=30)
MAX_RETRY = timedelta(minutes=10)

SNOOZE_MINUTES = (15, 60)
PAUSE_DAYS = (1, 3, 7)
MAX_PAUSE_DAYS = 365


def _require_aware(instant: datetime, name: str) -> None:
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime")


def occurrence(day: date, local_time: time, zone: tzinfo) -> datetime:
    """The UTC instant of ``local_time`` on local ``day``, by the gap and fold rules above."""
    wall = datetime.combine(day, local_time.replace(tzinfo=None, fold=0), tzinfo=zone)
    return wall.astimezone(UTC)


def day_in_mask(day: date, days: int) -> bool:
    return bool(days & (1 << day.weekday()))


def next_due(now: datetime, zone_key: str, local_time: time, days: int = EVERY_DAY) -> datetime:
    """The first due instant strictly after ``now``, in UTC.

    ``zone_key`` is a stored zone key (IANA name or "UTC+05:30"); ``days`` a weekday mask.
    ValueError for an empty mask or an unknown zone.
    """
    _require_aware(now, "now")
    if not days & EVERY_DAY:
        raise ValueError("the days mask selects no day of the week")
    zone = zone_for(zone_key)
    # Start a day early: a gap shift can move an occurrence past midnight into "today".
    day = now.astimezone(zone).date() - timedelta(days=1)
    for _ in range(9):
        if day_in_mask(day, days):
            candidate = occurrence(day, local_time, zone)
            if candidate > now:
                return candidate
        day += timedelta(days=1)
    raise AssertionError("unreachable: a non-empty mask has a day within nine days")


def local_date(instant: datetime, zone_key: str) -> date:
    """The local calendar date of ``instant`` in the zone."""
    _require_aware(instant, "instant")
    return instant.astimezone(zone_for(zone_key)).date()


def resume_after(now: datetime, pause_days: int) -> datetime:
    """When a pause of ``pause_days`` days taken at ``now`` ends (the first prompt after it)."""
    if not 1 <= pause_days <= MAX_PAUSE_DAYS:
        raise ValueError(f"a pause is 1 to {MAX_PAUSE_DAYS} days")
    return now + timedelta(days=pause_days)


def is_late(due_at: datetime, now: datetime) -> bool:
    return now - due_at >= LATE_AFTER


def within_grace(due_at: datetime, now: datetime, grace: timedelta) -> bool:
    """True while a prompt due at ``due_at`` may still be sent (late by less than ``grace``)."""
    return now - due_at < grace


def catch_up_from(due_at: datetime, now: datetime, grace: timedelta) -> datetime:
    """The instant after which to look for the next occurrence once ``due_at`` is handled.

    Normally the handled occurrence itself; after a long outage, ``now - grace``, so that the
    days in between are passed over (never sent in a burst) while today's prompt, if it is
    still within the grace period, comes next.
    """
    return max(due_at, now - grace)


def retry_delay(attempt: int) -> timedelta:
    """Back-off before retry number ``attempt`` (1, 2, ...): 30 s, 1 min, 2 min, ... ≤ 10 min."""
    if attempt < 1:
        raise ValueError("attempt numbers start at 1")
    delay: timedelta = FIRST_RETRY * (2 ** min(attempt - 1, 16))
    return min(delay, MAX_RETRY)


def mask_of(weekdays: Iterable[int]) -> int:
    """A mask from weekday numbers (Monday 0 ... Sunday 6)."""
    mask = 0
    for weekday in weekdays:
        if not 0 <= weekday <= 6:
            raise ValueError(f"weekday {weekday} is not 0-6")
        mask |= 1 << weekday
    return mask


def weekdays_of(days: int) -> list[int]:
    return [weekday for weekday in range(7) if days & (1 << weekday)]


def toggle_day(days: int, weekday: int) -> int:
    return (days ^ (1 << weekday)) & EVERY_DAY
