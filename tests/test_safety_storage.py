"""Safety screenings in the database: every screening kept, and the routine gate."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import create_engine, create_sessionmaker
from storage.pain import erase_user
from storage.safety import (
    clear_safety,
    record_screening,
    reset_safety,
    safety_state,
    user_screenings,
)
from storage.users import upsert_user

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
USER = 4242


@pytest.fixture
async def session(database_url: str) -> AsyncIterator[AsyncSession]:
    engine = create_engine(database_url)
    try:
        async with create_sessionmaker(engine)() as session:
            await upsert_user(session, user_id=USER, chat_id=USER, language_code="en", now=NOW)
            yield session
    finally:
        await engine.dispose()


async def test_a_user_never_screened_is_blocked(session: AsyncSession) -> None:
    state = await safety_state(session, USER)
    assert (state.screened, state.blocked, state.tier) == (False, True, "none")


async def test_an_emergency_blocks_until_a_doctor_has_checked(session: AsyncSession) -> None:
    await record_screening(
        session, user_id=USER, taken_at=NOW, source="onboarding", tier="emergency",
        signs=["bladder", "saddle_numbness"],
    )  # fmt: skip
    state = await safety_state(session, USER)
    assert (state.tier, state.blocked) == ("emergency", True)

    await clear_safety(session, USER, NOW + timedelta(days=2))
    state = await safety_state(session, USER)
    assert (state.tier, state.blocked) == ("emergency", False)
    assert state.cleared_at == NOW + timedelta(days=2)


async def test_a_calmer_result_never_lowers_the_gate(session: AsyncSession) -> None:
    await record_screening(session, user_id=USER, taken_at=NOW, source="message", tier="emergency")
    later = NOW + timedelta(hours=1)
    await record_screening(
        session, user_id=USER, taken_at=later, source="message", tier="see_doctor"
    )
    await record_screening(session, user_id=USER, taken_at=later, source="rescreen", tier="none")
    assert (await safety_state(session, USER)).tier == "emergency"

    await clear_safety(session, USER, later)
    await record_screening(
        session, user_id=USER, taken_at=later, source="message", tier="see_doctor"
    )
    state = await safety_state(session, USER)
    assert (state.tier, state.cleared_at, state.blocked) == ("see_doctor", None, False)

    await reset_safety(session, USER, later)
    assert (await safety_state(session, USER)).tier == "none"


async def test_screenings_are_listed_newest_first_with_sign_ids(session: AsyncSession) -> None:
    for hours, tier in enumerate(["none", "ordinary_sciatica", "see_doctor"]):
        await record_screening(
            session, user_id=USER, taken_at=NOW + timedelta(hours=hours), source="message",
            tier=tier, signs=[f"sign_{hours}", f"sign_{hours}"],
        )  # fmt: skip
    rows = await user_screenings(session, USER)
    assert [(row.tier, row.signs) for row in rows] == [
        ("see_doctor", "sign_2"),
        ("ordinary_sciatica", "sign_1"),
        ("none", "sign_0"),
    ]
    # Warnings found in typed messages set the gate but are not answers to the questions.
    assert (await safety_state(session, USER)).last_screened_at is None
    await record_screening(
        session, user_id=USER, taken_at=NOW + timedelta(hours=3), source="rescreen", tier="none"
    )
    assert (await safety_state(session, USER)).last_screened_at == NOW + timedelta(hours=3)


async def test_erasing_a_user_removes_their_screenings(session: AsyncSession) -> None:
    await record_screening(session, user_id=USER, taken_at=NOW, source="onboarding", tier="none")
    removed = await erase_user(session, USER)
    assert removed["safety_screenings"] == 1
    assert await user_screenings(session, USER) == []
