"""Queries for safety screenings and the user's safety gate.

Every screening is kept (``safety_screenings``); the user row holds the gate the routine reads:
``safety_tier`` ("none", "see_doctor" or "emergency") and ``safety_cleared_at`` (when the user
confirmed a doctor had checked them). Sign ids are rule names, never the user's words.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import RoutineSession, SafetyScreening, User

Source = Literal["onboarding", "rescreen", "message"]
GateTier = Literal["none", "see_doctor", "emergency"]

CHECK_SOURCES: tuple[Source, ...] = ("onboarding", "rescreen")
"""The sources that count as answering the safety questions (a typed message does not)."""
GATE_TIERS: tuple[GateTier, ...] = ("none", "see_doctor", "emergency")
SIGNS_MAX = 200


@dataclass(frozen=True, slots=True)
class SafetyState:
    """The gate as the routine sees it."""

    tier: GateTier
    cleared_at: datetime | None
    last_screened_at: datetime | None

    @property
    def screened(self) -> bool:
        return self.last_screened_at is not None

    @property
    def blocked(self) -> bool:
        """No routine: never screened, or an emergency answer not yet cleared by a doctor."""
        return not self.screened or (self.tier == "emergency" and self.cleared_at is None)


def _signs_text(signs: Iterable[str]) -> str:
    text = ",".join(dict.fromkeys(sign for sign in signs if sign))
    return text if len(text) <= SIGNS_MAX else text[: SIGNS_MAX - 1].rsplit(",", 1)[0]


def _gate_tier(tier: str) -> GateTier | None:
    for known in GATE_TIERS:
        if known == tier:
            return known
    return None


async def record_screening(
    session: AsyncSession,
    *,
    user_id: int,
    taken_at: datetime,
    source: Source,
    tier: str,
    signs: Iterable[str] = (),
) -> SafetyScreening:
    """Store one screening; a warning tier (see_doctor, emergency) also sets the user's gate.

    ``tier`` is the screen's tier value (e.g. "emergency", "see_doctor", "ordinary_sciatica",
    "none"). A higher warning replaces a lower one and re-opens the gate; a calmer result never
    lowers it: only ``clear_safety`` (a doctor has checked the user) or ``reset_safety`` does.
    """
    screening = SafetyScreening(
        user_id=user_id, taken_at=taken_at, source=source, tier=tier, signs=_signs_text(signs)
    )
    session.add(screening)
    user = await session.get(User, user_id)
    gate = _gate_tier(tier)
    if user is not None and gate is not None and gate != "none":
        current = _gate_tier(user.safety_tier) or "none"
        if user.safety_cleared_at is None and GATE_TIERS.index(current) > GATE_TIERS.index(gate):
            gate = current  # still waiting for a doctor's check for something more serious
        user.safety_tier = gate
        user.safety_cleared_at = None
        user.updated_at = taken_at
    await session.flush()
    return screening


async def clear_safety(session: AsyncSession, user_id: int, now: datetime) -> None:
    """The user says a doctor has checked them: the gate opens (the tier stays, for the record)."""
    user = await session.get(User, user_id)
    if user is not None:
        user.safety_cleared_at = now
        user.updated_at = now


async def reset_safety(session: AsyncSession, user_id: int, now: datetime) -> None:
    """A fresh start (``/start`` again after a check): tier back to none."""
    user = await session.get(User, user_id)
    if user is not None:
        user.safety_tier = "none"
        user.safety_cleared_at = None
        user.updated_at = now


async def safety_state(session: AsyncSession, user_id: int) -> SafetyState:
    """The user's gate and when they last answered the safety questions (at /start or in a
    re-screen; a warning found in a typed message sets the gate but is not an answer to
    them). A user not found is never screened."""
    user = await session.get(User, user_id)
    last = await session.scalar(
        select(SafetyScreening.taken_at)
        .where(SafetyScreening.user_id == user_id, SafetyScreening.source.in_(CHECK_SOURCES))
        .order_by(SafetyScreening.taken_at.desc(), SafetyScreening.id.desc())
        .limit(1)
    )
    tier = (_gate_tier(user.safety_tier) if user is not None else None) or "none"
    return SafetyState(
        tier=tier,
        cleared_at=user.safety_cleared_at if user is not None else None,
        last_screened_at=last,
    )


async def user_screenings(
    session: AsyncSession, user_id: int, *, limit: int = 100
) -> Sequence[SafetyScreening]:
    """The user's screenings, newest first (for a report or the data export)."""
    query = (
        select(SafetyScreening)
        .where(SafetyScreening.user_id == user_id)
        .order_by(SafetyScreening.taken_at.desc(), SafetyScreening.id.desc())
        .limit(limit)
    )
    return (await session.scalars(query)).all()


async def last_routine_started(session: AsyncSession, user_id: int) -> datetime | None:
    """When the user's latest routine started (None: never), for "back after a while"."""
    latest: datetime | None = await session.scalar(
        select(func.max(RoutineSession.started_at)).where(RoutineSession.user_id == user_id)
    )
    return latest
