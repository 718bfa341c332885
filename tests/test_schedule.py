"""The one "next due instant" function, across daylight-saving gaps and folds in many zones."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.schedule import (
    EVERY_DAY,
    MONDAY_TO_FRIDAY,
    catch_up_from,
    day_in_mask,
    is_late,
    mask_of,
    next_due,
    occurrence,
    retry_delay,
    toggle_day,
    weekdays_of,
    within_grace,
)

ZONES = [
    "Europe/Berlin",
    "America/New_York",
    "Asia/Kolkata",
    "Australia/Adelaide",
    "Pacific/Chatham",
    "Australia/Lord_Howe",
]


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("zone", "now", "local_time", "expected", "why"),
    [
        # Europe/Berlin: 2026-03-29 02:00 CET → 03:00 CEST; 2026-10-25 03:00 CEST → 02:00 CET.
        ("Europe/Berlin", utc(2026, 3, 2, 6, 0), time(7, 30), utc(2026, 3, 2, 6, 30), "CET"),
        ("Europe/Berlin", utc(2026, 3, 2, 6, 30), time(7, 30), utc(2026, 3, 3, 6, 30), "strict"),
        ("Europe/Berlin", utc(2026, 3, 28, 12), time(7, 30), utc(2026, 3, 29, 5, 30), "CEST"),
        ("Europe/Berlin", utc(2026, 3, 28, 12), time(2, 30), utc(2026, 3, 29, 1, 30), "gap"),
        ("Europe/Berlin", utc(2026, 3, 28, 12), time(2, 0), utc(2026, 3, 29, 1, 0), "gap start"),
        ("Europe/Berlin", utc(2026, 3, 28, 12), time(3, 0), utc(2026, 3, 29, 1, 0), "gap end"),
        ("Europe/Berlin", utc(2026, 10, 24, 12), time(2, 30), utc(2026, 10, 25, 0, 30), "fold"),
        ("Europe/Berlin", utc(2026, 10, 25, 0, 30), time(2, 30), utc(2026, 10, 26, 1, 30), "once"),
        ("Europe/Berlin", utc(2026, 10, 24, 12), time(7, 30), utc(2026, 10, 25, 6, 30), "CET"),
        # America/New_York: 2026-03-08 02:00 → 03:00 EDT; 2026-11-01 02:00 EDT → 01:00 EST.
        ("America/New_York", utc(2026, 3, 7, 12), time(2, 30), utc(2026, 3, 8, 7, 30), "gap"),
        ("America/New_York", utc(2026, 3, 7, 18), time(7, 30), utc(2026, 3, 8, 11, 30), "EDT"),
        ("America/New_York", utc(2026, 10, 31, 12), time(1, 30), utc(2026, 11, 1, 5, 30), "fold"),
        ("America/New_York", utc(2026, 11, 1, 5, 30), time(1, 30), utc(2026, 11, 2, 6, 30), "once"),
        # Asia/Kolkata: +05:30 all year.
        ("Asia/Kolkata", utc(2026, 6, 1), time(7, 30), utc(2026, 6, 1, 2, 0), "half hour"),
        # Australia/Adelaide (+09:30/+10:30): 2026-04-05 03:00 → 02:00; 2026-10-04 02:00 → 03:00.
        ("Australia/Adelaide", utc(2026, 4, 4), time(2, 30), utc(2026, 4, 4, 16, 0), "fold"),
        ("Australia/Adelaide", utc(2026, 10, 3), time(2, 30), utc(2026, 10, 3, 17, 0), "gap"),
        # Pacific/Chatham (+12:45/+13:45): 2026-04-05 03:45 → 02:45; 2026-09-27 02:45 → 03:45.
        ("Pacific/Chatham", utc(2026, 4, 4), time(3, 0), utc(2026, 4, 4, 13, 15), "fold"),
        ("Pacific/Chatham", utc(2026, 9, 26), time(3, 0), utc(2026, 9, 26, 14, 15), "gap"),
        ("Pacific/Chatham", utc(2026, 9, 26), time(7, 30), utc(2026, 9, 26, 17, 45), "after"),
        # Australia/Lord_Howe (+10:30/+11, a 30-minute shift): 2026-04-05 02:00 → 01:30;
        # 2026-10-04 02:00 → 02:30.
        ("Australia/Lord_Howe", utc(2026, 4, 4), time(1, 45), utc(2026, 4, 4, 14, 45), "fold"),
        ("Australia/Lord_Howe", utc(2026, 10, 3), time(2, 15), utc(2026, 10, 3, 15, 45), "gap"),
        ("Australia/Lord_Howe", utc(2026, 10, 3), time(7, 30), utc(2026, 10, 3, 20, 30), "after"),
        # Fixed offsets as stored from "UTC+5:30" / "UTC-3".
        ("UTC+05:30", utc(2026, 6, 1), time(7, 30), utc(2026, 6, 1, 2, 0), "offset"),
        ("UTC-03:00", utc(2026, 6, 1), time(7, 30), utc(2026, 6, 1, 10, 30), "offset"),
    ],
)
def test_next_due_follows_the_documented_gap_and_fold_rules(
    zone: str, now: datetime, local_time: time, expected: datetime, why: str
) -> None:
    assert next_due(now, zone, local_time, EVERY_DAY) == expected, why


def test_a_gap_time_fires_later_by_the_gap_length_on_that_day_only() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    fired = next_due(utc(2026, 3, 28, 12), "Europe/Berlin", time(2, 30))
    day_after = next_due(fired, "Europe/Berlin", time(2, 30))

    assert _wall(fired.astimezone(berlin)) == (date(2026, 3, 29), time(3, 30))
    assert _wall(day_after.astimezone(berlin)) == (date(2026, 3, 30), time(2, 30))
    lord_howe = ZoneInfo("Australia/Lord_Howe")
    shifted = next_due(utc(2026, 10, 3), "Australia/Lord_Howe", time(2, 15))
    assert _wall(shifted.astimezone(lord_howe)) == (date(2026, 10, 4), time(2, 45))


def _wall(local: datetime) -> tuple[date, time]:
    return local.date(), local.time()


@pytest.mark.parametrize("zone", ZONES)
@pytest.mark.parametrize(
    "local_time", [time(0, 0), time(1, 45), time(2, 15), time(2, 30), time(3, 0), time(7, 30)]
)
def test_one_occurrence_per_local_day_all_year(zone: str, local_time: time) -> None:
    """Walking a whole year gives each local date exactly once, at the wall time asked for,
    except on a gap day, where it is later by the gap."""
    tz = ZoneInfo(zone)
    instant = utc(2025, 12, 31, 12)
    seen: list[date] = []
    while instant < utc(2027, 1, 1):
        following = next_due(instant, zone, local_time)
        assert following > instant
        local = following.astimezone(tz)
        if local.time() != local_time:
            # Only in a gap: the wall time does not exist, and it moved by the gap's length.
            wall = datetime.combine(local.date(), local_time, tzinfo=tz)
            assert wall.astimezone(UTC).astimezone(tz).replace(tzinfo=None) != wall.replace(
                tzinfo=None
            )
            gap = (wall + timedelta(hours=6)).utcoffset() - (wall - timedelta(hours=6)).utcoffset()  # type: ignore[operator]
            assert local.replace(tzinfo=None) - wall.replace(tzinfo=None) == gap
        seen.append(local.date())
        instant = following
    assert seen == sorted(set(seen))
    assert seen[1:] == [seen[1] + timedelta(days=n) for n in range(len(seen) - 1)]


def test_days_of_the_week_are_local_days() -> None:
    friday_after = utc(2026, 3, 6, 7)  # Friday 08:00 in Berlin, after the 07:30 prompt
    monday = next_due(friday_after, "Europe/Berlin", time(7, 30), MONDAY_TO_FRIDAY)
    assert monday == utc(2026, 3, 9, 6, 30)
    only_sunday = mask_of([6])
    assert next_due(friday_after, "Europe/Berlin", time(7, 30), only_sunday) == utc(
        2026, 3, 8, 6, 30
    )
    # 23:30 on Sunday in Chatham is still Sunday morning in UTC: the local day decides.
    chatham = next_due(utc(2026, 3, 6), "Pacific/Chatham", time(23, 30), only_sunday)
    assert chatham.astimezone(ZoneInfo("Pacific/Chatham")).weekday() == 6


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(ValueError, match="no day"):
        next_due(utc(2026, 3, 2), "Europe/Berlin", time(7, 30), 0)
    with pytest.raises(ValueError, match="aware"):
        next_due(datetime(2026, 3, 2), "Europe/Berlin", time(7, 30))  # noqa: DTZ001
    with pytest.raises(ValueError, match="unknown time zone"):
        next_due(utc(2026, 3, 2), "Mars/Olympus_Mons", time(7, 30))


@settings(max_examples=300, deadline=None)
@given(
    zone=st.sampled_from([*ZONES, "UTC", "UTC+05:45", "America/Santiago", "Asia/Tehran"]),
    now=st.datetimes(
        # hypothesis takes naive bounds and attaches the zone itself
        min_value=datetime(2026, 1, 1),  # noqa: DTZ001
        max_value=datetime(2027, 12, 31),  # noqa: DTZ001
        timezones=st.just(UTC),
    ),
    local_time=st.times().map(lambda value: value.replace(second=0, microsecond=0)),
    days=st.integers(min_value=1, max_value=EVERY_DAY),
)
def test_next_due_is_the_earliest_occurrence_after_now(
    zone: str, now: datetime, local_time: time, days: int
) -> None:
    from bot.domain.zones import zone_for

    tz = zone_for(zone)
    due = next_due(now, zone, local_time, days)
    assert now < due <= now + timedelta(days=8)
    assert day_in_mask(due.astimezone(tz).date(), days)
    day = now.astimezone(tz).date() - timedelta(days=1)
    while day < due.astimezone(tz).date():
        if day_in_mask(day, days):
            assert occurrence(day, local_time, tz) <= now, "an earlier occurrence was skipped"
        day += timedelta(days=1)


def test_grace_lateness_and_catching_up() -> None:
    due = utc(2026, 3, 2, 6, 30)
    grace = timedelta(hours=2)
    assert within_grace(due, due + timedelta(minutes=119), grace)
    assert not within_grace(due, due + grace, grace)
    assert not is_late(due, due + timedelta(seconds=30))
    assert is_late(due, due + timedelta(minutes=5))
    assert catch_up_from(due, due + timedelta(minutes=5), grace) == due
    three_days = due + timedelta(days=3, hours=1)
    assert catch_up_from(due, three_days, grace) == three_days - grace


def test_retry_backoff_is_bounded() -> None:
    delays = [retry_delay(attempt).total_seconds() for attempt in range(1, 9)]
    assert delays == [30, 60, 120, 240, 480, 600, 600, 600]
    assert retry_delay(10_000) == timedelta(minutes=10)
    with pytest.raises(ValueError, match="start at 1"):
        retry_delay(0)


def test_weekday_masks() -> None:
    assert mask_of(range(5)) == MONDAY_TO_FRIDAY
    assert weekdays_of(MONDAY_TO_FRIDAY) == [0, 1, 2, 3, 4]
    assert toggle_day(EVERY_DAY, 6) == 0b0111111
    assert toggle_day(0b0111111, 6) == EVERY_DAY
    with pytest.raises(ValueError, match="0-6"):
        mask_of([7])
