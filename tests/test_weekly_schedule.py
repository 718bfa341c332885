"""When the weekly summary falls due, across time zones and DST changes."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from bot.domain.weekly import next_weekly_at, parse_time_of_day

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
SUNDAY = 6


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_next_sunday_evening_in_berlin_winter() -> None:
    now = utc(2026, 3, 2, 6, 0)  # Monday
    assert next_weekly_at(now, BERLIN, SUNDAY, time(18)) == utc(2026, 3, 8, 17, 0)


def test_same_day_before_and_after_the_time() -> None:
    sunday_morning = utc(2026, 3, 8, 9, 0)
    assert next_weekly_at(sunday_morning, BERLIN, SUNDAY, time(18)) == utc(2026, 3, 8, 17, 0)
    at_the_time = utc(2026, 3, 8, 17, 0)
    assert next_weekly_at(at_the_time, BERLIN, SUNDAY, time(18)) == utc(2026, 3, 15, 17, 0)


def test_the_week_after_the_spring_change_keeps_local_time() -> None:
    # Europe moves to summer time on Sunday 29 March 2026.
    after_the_22nd = utc(2026, 3, 22, 17, 0)
    assert next_weekly_at(after_the_22nd, BERLIN, SUNDAY, time(18)) == utc(2026, 3, 29, 16, 0)


def test_a_time_in_the_spring_gap_happens_just_after_it() -> None:
    # 02:30 does not exist in Berlin on 29 March 2026; it becomes 03:30 CEST (01:30 UTC).
    now = utc(2026, 3, 28, 12, 0)
    due = next_weekly_at(now, BERLIN, SUNDAY, time(2, 30))
    assert due == utc(2026, 3, 29, 1, 30)
    assert due.astimezone(BERLIN).hour == 3


def test_a_time_in_the_autumn_fold_happens_once_the_first_time() -> None:
    # 02:30 happens twice in Berlin on 25 October 2026; the first is 00:30 UTC.
    now = utc(2026, 10, 24, 12, 0)
    first = next_weekly_at(now, BERLIN, SUNDAY, time(2, 30))
    assert first == utc(2026, 10, 25, 0, 30)
    # Once it has passed (even inside the repeated hour) the next one is a week on.
    assert next_weekly_at(first, BERLIN, SUNDAY, time(2, 30)) == utc(2026, 11, 1, 1, 30)
    assert next_weekly_at(first + timedelta(hours=1), BERLIN, SUNDAY, time(2, 30)) == utc(
        2026, 11, 1, 1, 30
    )


def test_the_local_weekday_decides_not_the_utc_one() -> None:
    # Monday 01:00 in Berlin is still Sunday in UTC.
    now = utc(2026, 3, 8, 23, 30)  # Monday 00:30 Berlin
    assert next_weekly_at(now, BERLIN, 0, time(1)) == utc(2026, 3, 9, 0, 0)
    assert next_weekly_at(now, NEW_YORK, SUNDAY, time(20)) == utc(2026, 3, 9, 0, 0)


def test_fixed_offset_zones() -> None:
    kolkata = timezone(timedelta(hours=5, minutes=30), "UTC+05:30")
    now = utc(2026, 3, 2, 6, 0)
    assert next_weekly_at(now, kolkata, 2, time(7)) == utc(2026, 3, 4, 1, 30)


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        next_weekly_at(datetime(2026, 3, 2), BERLIN, SUNDAY, time(18))  # noqa: DTZ001
    with pytest.raises(ValueError, match="weekday"):
        next_weekly_at(utc(2026, 3, 2), BERLIN, 7, time(18))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("19:30", time(19, 30)),
        ("7:05", time(7, 5)),
        ("07.45", time(7, 45)),
        ("19h", time(19)),
        ("19h30", time(19, 30)),
        ("9", time(9)),
        ("7pm", time(19)),
        ("7:30 pm", time(19, 30)),
        ("12 am", time(0)),
        ("12pm", time(12)),
        ("8 a.m.", time(8)),
        (" 0:00 ", time(0)),
    ],
)
def test_times_people_type(text: str, expected: time) -> None:
    assert parse_time_of_day(text) == expected


@pytest.mark.parametrize(
    "text", ["24:00", "19:60", "13pm", "0am", "tomorrow", "", "7:5", "19:30:00"]
)
def test_times_that_are_not_times(text: str) -> None:
    assert parse_time_of_day(text) is None
