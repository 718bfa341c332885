"""SQLite is set up for a long-running service; datetimes round-trip aware on both backends."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, time, timedelta, timezone

from sqlalchemy import text

from storage.db import create_engine, create_sessionmaker
from storage.models import Subscription, User
from storage.users import upsert_user


async def test_sqlite_pragmas_for_a_long_running_service(database_url: str) -> None:
    if not database_url.startswith("sqlite"):
        return
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            journal = await connection.scalar(text("PRAGMA journal_mode"))
            foreign_keys = await connection.scalar(text("PRAGMA foreign_keys"))
            busy = await connection.scalar(text("PRAGMA busy_timeout"))
    finally:
        await engine.dispose()
    assert (journal, foreign_keys, busy) == ("wal", 1, 15000)


async def test_two_concurrent_writers_wait_instead_of_failing(database_url: str) -> None:
    engine = create_engine(database_url)
    sessions = create_sessionmaker(engine)
    now = datetime(2026, 1, 1, tzinfo=UTC)

    async def write(user_id: int) -> None:
        async with sessions() as session:
            await upsert_user(
                session, user_id=user_id, chat_id=user_id, language_code=None, now=now
            )
            await asyncio.sleep(0)  # let the other writer start its transaction meanwhile
            await session.commit()

    try:
        await asyncio.gather(*(write(user_id) for user_id in range(1, 21)))
        async with sessions() as session:
            count = await session.scalar(text("SELECT count(*) FROM users"))
    finally:
        await engine.dispose()
    assert count == 20


async def test_datetimes_come_back_aware_in_utc_and_ids_keep_64_bits(database_url: str) -> None:
    engine = create_engine(database_url)
    sessions = create_sessionmaker(engine)
    big_id = 2**40 + 7
    berlin_noon = datetime(2026, 7, 1, 12, 0, tzinfo=timezone(timedelta(hours=2)))
    try:
        async with sessions() as session:
            await upsert_user(
                session, user_id=big_id, chat_id=-(2**41), language_code="de", now=berlin_noon
            )
            session.add(
                Subscription(
                    user_id=big_id,
                    chat_id=big_id,
                    local_time=time(7, 30),
                    timezone="Europe/Berlin",
                    next_due_at=berlin_noon,
                    created_at=berlin_noon,
                    updated_at=berlin_noon,
                )
            )
            await session.commit()
        async with sessions() as session:
            user = await session.get(User, big_id)
            stored = await session.scalar(
                Subscription.__table__.select().with_only_columns(Subscription.next_due_at)
            )
    finally:
        await engine.dispose()
    assert user is not None
    assert user.chat_id == -(2**41)
    assert user.created_at == datetime(2026, 7, 1, 10, 0, tzinfo=UTC)
    assert user.created_at.tzinfo is not None
    assert stored == datetime(2026, 7, 1, 10, 0, tzinfo=UTC)
