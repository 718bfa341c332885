"""The safety gate and the screenings, for the handlers: plain values in, plain data out.

Every screening the bot shows a result for is stored (``storage.safety``): at /start, in a
re-screen, or found in something the user typed. The gate the routine reads: never screened,
or an emergency answer not yet cleared, means no routine; a see-a-doctor answer means a
caution on every routine until it is cleared.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.onboarding import Step
from bot.domain.schedule import local_date
from storage.reminders import get_subscription
from storage.safety import (
    Source,
    clear_safety,
    last_routine_started,
    record_screening,
    safety_state,
)
from storage.users import get_user, upsert_user

__all__ = [
    "Gate",
    "Source",
    "confirm_checked",
    "explain_sciatica_today",
    "needs_check_first",
    "record",
    "routine_gate",
]

log = logging.getLogger(__name__)

AWAY_FOR_RESCREEN = timedelta(days=14)
"""The first routine after this long without one offers a re-screen."""

GateVerdict = Literal["open", "unscreened", "emergency"]


@dataclass(frozen=True, slots=True)
class Gate:
    """May a routine start, and what it shows with it."""

    verdict: GateVerdict
    caution: bool = False  # a see-a-doctor answer not yet cleared: a caution on the routine
    offer_rescreen: bool = False  # back after 14+ days: offer "any new warning signs?"

    @property
    def open(self) -> bool:
        return self.verdict == "open"


async def routine_gate(session: AsyncSession, user_id: int, now: datetime) -> Gate:
    """Whether ``user_id`` may start a routine now (nothing is written)."""
    state = await safety_state(session, user_id)
    if not state.screened:
        return Gate("unscreened")
    if state.tier == "emergency" and state.cleared_at is None:
        return Gate("emergency")
    caution = state.tier == "see_doctor" and state.cleared_at is None
    last = await last_routine_started(session, user_id)
    screened_at = state.last_screened_at
    away = last is not None and now - last >= AWAY_FOR_RESCREEN
    recent_screen = screened_at is not None and last is not None and screened_at > last
    return Gate("open", caution=caution, offer_rescreen=away and not recent_screen)


async def record(
    session: AsyncSession,
    *,
    user_id: int,
    chat_id: int,
    language_code: str | None,
    now: datetime,
    source: Source,
    tier: str,
    signs: Iterable[str] = (),
) -> None:
    """Store one screening's result (and the gate it sets), and commit."""
    await upsert_user(
        session, user_id=user_id, chat_id=chat_id, language_code=language_code, now=now
    )
    await record_screening(
        session, user_id=user_id, taken_at=now, source=source, tier=tier, signs=signs
    )
    await session.commit()
    log.info("safety screening recorded: user=%s source=%s tier=%s", user_id, source, tier)


CheckedResult = Literal["cleared", "restart_onboarding", "stale"]


async def confirm_checked(session: AsyncSession, user_id: int, now: datetime) -> CheckedResult:
    """The user says a doctor has checked them since the emergency answer: the gate opens.

    "restart_onboarding" when /start stopped at the emergency answer: its questions start
    again from the first (the user is asked afresh, now that they have been checked).
    """
    user = await get_user(session, user_id)
    if user is None:
        return "stale"
    await clear_safety(session, user_id, now)
    if user.safety_acknowledged_at is None:
        user.onboarding_step = Step.SAFETY
        user.awaiting_ref = 0
        user.awaiting = None
        await session.commit()
        return "restart_onboarding"
    await session.commit()
    return "cleared"


async def needs_check_first(session: AsyncSession, user_id: int) -> bool:
    """An emergency answer not yet cleared: /start asks about the doctor's check first."""
    state = await safety_state(session, user_id)
    return state.tier == "emergency" and state.cleared_at is None


async def explain_sciatica_today(
    session: AsyncSession, *, user_id: int, chat_id: int, language_code: str | None, now: datetime
) -> bool:
    """Whether the whole "this is how sciatica usually feels" explanation is due: at most once
    a day (the user's local day, by their reminder's zone; UTC without one). True records it
    as shown now; False: it was shown earlier today (a one-line reminder does instead)."""
    user = await upsert_user(
        session, user_id=user_id, chat_id=chat_id, language_code=language_code, now=now
    )
    subscription = await get_subscription(session, user_id)
    zone = subscription.timezone if subscription is not None else "UTC"
    last = user.sciatica_explained_at
    if last is not None and local_date(last, zone) == local_date(now, zone):
        await session.commit()
        return False
    user.sciatica_explained_at = now
    await session.commit()
    return True
