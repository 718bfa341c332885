"""Rows for the pain, history, export and erase tests, written through storage/ and the models.

Routines and reminders belong to other features; these tests only need their rows.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from storage.models import (
    Base,
    ExercisePreference,
    Hold,
    ReminderDelivery,
    RoutineSession,
    Subscription,
)
from storage.pain import add_rating
from storage.safety import record_screening
from storage.users import upsert_user
from tests.harness import BotHarness


async def add_user(bot: BotHarness, user_id: int) -> None:
    async with bot.session() as session:
        await upsert_user(
            session,
            user_id=user_id,
            chat_id=user_id,
            language_code="en",
            now=bot.runtime.clock.now(),
        )
        await session.commit()


async def set_zone(bot: BotHarness, user_id: int, zone_key: str) -> int:
    """A reminder subscription, which is where the user's time zone lives."""
    await add_user(bot, user_id)
    now = bot.runtime.clock.now()
    async with bot.session() as session:
        subscription = Subscription(
            user_id=user_id,
            chat_id=user_id,
            local_time=time(8),
            timezone=zone_key,
            status="active",
            created_at=now,
            updated_at=now,
        )
        session.add(subscription)
        await session.commit()
        return subscription.id


async def rate(
    bot: BotHarness,
    user_id: int,
    score: int,
    at: datetime,
    context: str = "any",
    *,
    note: str | None = None,
    session_id: int | None = None,
) -> int:
    await add_user(bot, user_id)
    async with bot.session() as session:
        rating = await add_rating(
            session,
            user_id=user_id,
            score=score,
            rated_at=at,
            context=context,
            note=note,
            session_id=session_id,
        )
        await session.commit()
        return rating.id


async def add_routine(
    bot: BotHarness,
    user_id: int,
    finished_at: datetime,
    *,
    status: str = "completed",
    pain_before: int | None = None,
    pain_after: int | None = None,
    delivery_id: int | None = None,
    holds: int = 0,
) -> int:
    """A routine session (and ``holds`` finished holds) that ended at ``finished_at``."""
    await add_user(bot, user_id)
    started = finished_at - timedelta(minutes=12)
    async with bot.session() as session:
        routine = RoutineSession(
            user_id=user_id,
            chat_id=user_id,
            delivery_id=delivery_id,
            kind="full",
            status=status,
            plan={"exercises": ["knees_to_chest"]},
            cursor={},
            step_no=holds,
            pain_before=pain_before,
            pain_after=pain_after,
            started_at=started,
            updated_at=finished_at,
            finished_at=finished_at if status == "completed" else None,
        )
        session.add(routine)
        await session.flush()
        for number in range(1, holds + 1):
            begun = started + timedelta(minutes=number)
            session.add(
                Hold(
                    session_id=routine.id,
                    user_id=user_id,
                    exercise_id="knees_to_chest",
                    side="left" if number % 2 else "right",
                    rep=number,
                    set_no=1,
                    target_seconds=30,
                    actual_seconds=30,
                    outcome="done",
                    started_at=begun,
                    ends_at=begun + timedelta(seconds=30),
                    ended_at=begun + timedelta(seconds=30),
                )
            )
        await session.commit()
        return routine.id


async def add_everything(bot: BotHarness, user_id: int) -> None:
    """At least one row of this user in every table."""
    subscription_id = await set_zone(bot, user_id, "Europe/Berlin")
    now = bot.runtime.clock.now()
    async with bot.session() as session:
        delivery = ReminderDelivery(
            subscription_id=subscription_id,
            user_id=user_id,
            local_date=now.astimezone(ZoneInfo("Europe/Berlin")).date(),
            due_at=now,
            claimed_at=now,
            sent_at=now,
            status="sent",
        )
        session.add(delivery)
        session.add(ExercisePreference(user_id=user_id, exercise_id="seated_pigeon", excluded=True))
        await record_screening(
            session, user_id=user_id, taken_at=now, source="onboarding", tier="none"
        )
        await session.commit()
        delivery_id = delivery.id
    routine_id = await add_routine(
        bot, user_id, now, pain_before=5, pain_after=4, delivery_id=delivery_id, holds=2
    )
    await rate(bot, user_id, 5, now, "before", session_id=routine_id)
    await rate(bot, user_id, 4, now, "after", note="felt looser", session_id=routine_id)


def user_columns(table: Any) -> list[Any]:
    """The columns of a table that hold a user's (or their private chat's) id."""
    names = {"user_id", "chat_id"} | ({"id"} if table.name == "users" else set())
    return [column for column in table.c if column.name in names]


async def rows_per_table(bot: BotHarness, user_id: int) -> dict[str, int]:
    """For every table, how many rows hold ``user_id`` in any user-id column."""
    counts: dict[str, int] = {}
    async with bot.session() as session:
        for table in Base.metadata.sorted_tables:
            total = 0
            for column in user_columns(table):
                query = select(func.count()).select_from(table).where(column == user_id)
                total += int(await session.scalar(query) or 0)
            counts[table.name] = total
    return counts


def local(day: date, hour: int, minute: int = 0, zone: str = "Europe/Berlin") -> datetime:
    """A local wall-clock time as an aware UTC instant."""
    return datetime.combine(day, time(hour, minute), tzinfo=ZoneInfo(zone)).astimezone(UTC)
