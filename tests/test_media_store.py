"""file_ids of uploaded pictures: saved once, found again after a restart, dropped when refused."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.db import create_engine, create_sessionmaker
from storage.media import drop_file_id, file_id_for, save_file_id

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
async def sessions(database_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = create_engine(database_url)
    try:
        yield create_sessionmaker(engine)
    finally:
        await engine.dispose()


async def _save(sessions: async_sessionmaker[AsyncSession], key: str, file_id: str) -> None:
    async with sessions() as session:
        await save_file_id(
            session,
            key=key,
            kind="animation",
            exercise_id="glute_bridge",
            side="both",
            file_id=file_id,
            now=NOW,
        )
        await session.commit()


async def test_a_saved_file_id_is_found_in_a_new_session(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions() as session:
        assert await file_id_for(session, "k1") is None
    await _save(sessions, "k1", "FILE-1")

    async with sessions() as session:
        assert await file_id_for(session, "k1") == "FILE-1"
        assert await file_id_for(session, "k2") is None


async def test_saving_the_same_key_again_replaces_the_file_id(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await _save(sessions, "k1", "FILE-1")
    await _save(sessions, "k1", "FILE-2")

    async with sessions() as session:
        assert await file_id_for(session, "k1") == "FILE-2"


async def test_a_refused_file_id_is_dropped_but_a_newer_one_stays(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await _save(sessions, "k1", "FILE-NEW")
    async with sessions() as session:
        assert await drop_file_id(session, "k1", "FILE-OLD") is False
        await session.commit()
    async with sessions() as session:
        assert await file_id_for(session, "k1") == "FILE-NEW"
        assert await drop_file_id(session, "k1", "FILE-NEW") is True
        await session.commit()
    async with sessions() as session:
        assert await file_id_for(session, "k1") is None
