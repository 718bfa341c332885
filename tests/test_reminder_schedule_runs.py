"""Long runs through the real Application: exactly one prompt per local day, across DST."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain.schedule import next_due
from bot.domain.statuses import DeliveryStatus
from storage.models import ReminderDelivery
from tests.harness import BotHarness
from tests.reminder_flow import (
    advance_to_next_due,
    delivered_prompts,
    deliveries,
    local_stamps,
    prompts,
    subscribe,
    subscription,
)

ALICE = 111_111_111_111


@pytest.mark.slow
async def test_berlin_0730_gets_one_prompt_per_local_day_for_400_days(bot: BotHarness) -> None:
    await subscribe(bot, ALICE, zone="Berlin", at="07:30")  # Monday 2 March 2026, 07:00 local

    # Each step goes to a minute before the next 07:30 (nothing may come early), then to
    # 07:30 itself. The step is computed here; what arrives, and when, is checked below.
    for _ in range(400):
        due = next_due(bot.runtime.clock.now(), "Europe/Berlin", time(7, 30))
        early = await bot.advance_to(due - timedelta(minutes=1))
        assert prompts(early) == []
        on_time = await bot.advance_to(due)
        assert len(prompts(on_time, ALICE)) == 1
    assert (await subscription(bot, ALICE)).next_due_at == next_due(
        bot.runtime.clock.now(), "Europe/Berlin", time(7, 30)
    )

    stamps = local_stamps(delivered_prompts(bot, ALICE), "Europe/Berlin")
    first = date(2026, 3, 2)
    assert [day for day, _ in stamps] == [first + timedelta(days=n) for n in range(400)]
    assert {wall for _, wall in stamps} == {time(7, 30)}
    # Both changes of 2026 and the spring one of 2027 are inside the run.
    assert stamps[-1][0] == date(2027, 4, 5)
    rows = await deliveries(bot, ALICE)
    assert len(rows) == 400
    assert {row.status for row in rows} == {DeliveryStatus.SENT}
    assert len({row.local_date for row in rows}) == 400
    assert not any(row.late for row in rows)


# (place typed, zone, time typed, start of the run, days, {local date: expected wall time})
# Gap days fire later by the gap; fold days fire once, at the first occurrence.
DST_RUNS = [
    (
        "Berlin",
        "Europe/Berlin",
        "02:30",
        datetime(2026, 3, 26, 12, tzinfo=UTC),
        7,
        {date(2026, 3, 29): time(3, 30)},
    ),
    ("Berlin", "Europe/Berlin", "02:30", datetime(2026, 10, 22, 12, tzinfo=UTC), 7, {}),
    (
        "new york",
        "America/New_York",
        "02:30",
        datetime(2026, 3, 5, 12, tzinfo=UTC),
        7,
        {date(2026, 3, 8): time(3, 30)},
    ),
    ("new york", "America/New_York", "01:30", datetime(2026, 10, 29, 12, tzinfo=UTC), 7, {}),
    ("Mumbai", "Asia/Kolkata", "07:30", datetime(2026, 3, 2, 12, tzinfo=UTC), 20, {}),
    ("Adelaide", "Australia/Adelaide", "02:30", datetime(2026, 4, 2, 0, tzinfo=UTC), 7, {}),
    (
        "Adelaide",
        "Australia/Adelaide",
        "02:30",
        datetime(2026, 10, 1, 0, tzinfo=UTC),
        7,
        {date(2026, 10, 4): time(3, 30)},
    ),
    ("Chatham", "Pacific/Chatham", "03:00", datetime(2026, 4, 2, 0, tzinfo=UTC), 7, {}),
    (
        "Chatham",
        "Pacific/Chatham",
        "03:00",
        datetime(2026, 9, 24, 0, tzinfo=UTC),
        7,
        {date(2026, 9, 27): time(4, 0)},
    ),
    ("Lord Howe", "Australia/Lord_Howe", "01:45", datetime(2026, 4, 2, 0, tzinfo=UTC), 7, {}),
    (
        "Lord Howe",
        "Australia/Lord_Howe",
        "02:15",
        datetime(2026, 10, 1, 0, tzinfo=UTC),
        7,
        {date(2026, 10, 4): time(2, 45)},
    ),
]
# The fold days, and the UTC offset of the first occurrence (the one that must fire).
FOLDS = {
    "Europe/Berlin": (date(2026, 10, 25), timedelta(hours=2)),
    "America/New_York": (date(2026, 11, 1), timedelta(hours=-4)),
    "Australia/Adelaide": (date(2026, 4, 5), timedelta(hours=10, minutes=30)),
    "Pacific/Chatham": (date(2026, 4, 5), timedelta(hours=13, minutes=45)),
    "Australia/Lord_Howe": (date(2026, 4, 5), timedelta(hours=11)),
}


@pytest.mark.parametrize(
    ("place", "zone", "at", "start", "days", "shifted"),
    DST_RUNS,
    ids=[f"{run[1]}-{run[2]}-{run[3]:%m}" for run in DST_RUNS],
)
async def test_one_prompt_per_local_day_across_each_zones_dst_change(
    bot: BotHarness,
    place: str,
    zone: str,
    at: str,
    start: datetime,
    days: int,
    shifted: dict[date, time],
) -> None:
    await bot.advance_to(start)
    await subscribe(bot, ALICE, zone=place, at=at)
    assert (await subscription(bot, ALICE)).timezone == zone

    for _ in range(days):
        calls = await advance_to_next_due(bot, ALICE)
        assert len(prompts(calls, ALICE)) == 1
    # Up to just before the next one: nothing extra.
    following = (await subscription(bot, ALICE)).next_due_at
    assert following is not None
    assert prompts(await bot.advance_to(following - timedelta(minutes=1))) == []

    messages = delivered_prompts(bot, ALICE)
    stamps = local_stamps(messages, zone)
    dates = [day for day, _ in stamps]
    assert dates == [dates[0] + timedelta(days=n) for n in range(len(dates))]
    wanted = time.fromisoformat(at)
    for day, wall in stamps:
        assert wall == shifted.get(day, wanted), day
    tz = ZoneInfo(zone)
    fold = FOLDS.get(zone)
    if fold is not None and fold[0] in dates:
        message = messages[dates.index(fold[0])]
        assert datetime.fromtimestamp(message.date, tz).utcoffset() == fold[1]
    rows = await bot.rows(ReminderDelivery)
    assert len(rows) == len(messages) == len({row.local_date for row in rows})
