"""/start: the welcome, the safety check, then time zone and time (``bot.services.reminders``).

The step lives in ``users.onboarding_step`` (and the open question in ``users.awaiting_ref``),
so a restart in the middle of /start loses nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.onboarding import Awaiting, Step
from bot.domain.statuses import SubscriptionStatus
from bot.services.pending import begin_wait, end_wait
from bot.services.reminders import Refusal, Schedule, next_free_due, schedule_of
from storage.models import User
from storage.reminders import get_subscription
from storage.safety import record_screening
from storage.users import get_user, upsert_user


@dataclass(frozen=True, slots=True)
class StartOutcome:
    """What follows the welcome: a step of /start, or the existing reminder's schedule."""

    step: Step | None
    question_index: int = 0
    schedule: Schedule | None = None
    turned_back_on: bool = False


@dataclass(frozen=True, slots=True)
class SafetyStep:
    """After a safety answer: the next ``question``; ``emergency`` (no set-up: /start again
    once a doctor has checked them); ``see_doctor`` (then the ``zone``, with a caution on the
    routine); the ``zone``; or (an old "I understand" button) the ``urgent`` advice read."""

    kind: Literal["question", "emergency", "see_doctor", "urgent", "zone"]
    index: int = 0


async def begin(
    session: AsyncSession,
    *,
    user_id: int,
    chat_id: int,
    language_code: str | None,
    now: datetime,
) -> StartOutcome:
    """Record the user and decide where /start takes them."""
    user = await upsert_user(
        session, user_id=user_id, chat_id=chat_id, language_code=language_code, now=now
    )
    subscription = await get_subscription(session, user_id)
    if (
        user.onboarding_step is None
        and subscription is not None
        and subscription.status != SubscriptionStatus.SETUP
    ):
        turned_back_on = subscription.status in (
            SubscriptionStatus.STOPPED,
            SubscriptionStatus.BLOCKED,
        )
        if turned_back_on:
            subscription.status = SubscriptionStatus.ACTIVE
            subscription.paused_until = None
            subscription.next_due_at = await next_free_due(session, subscription, now)
            subscription.updated_at = now
        subscription.chat_id = chat_id
        await session.commit()
        return StartOutcome(None, schedule=schedule_of(subscription), turned_back_on=turned_back_on)
    outcome = _resume_onboarding(user, has_zone=subscription is not None, now=now)
    user.updated_at = now
    await session.commit()
    return outcome


def _resume_onboarding(user: User, *, has_zone: bool, now: datetime) -> StartOutcome:
    if user.safety_acknowledged_at is None:
        if user.onboarding_step == Step.URGENT:  # from before the two tiers
            return StartOutcome(Step.URGENT)
        user.onboarding_step = Step.SAFETY
        end_wait(user)
        user.awaiting_ref = 0
        user.awaiting_repeated = False
        return StartOutcome(Step.SAFETY, question_index=0)
    step = Step.TIME if has_zone else Step.ZONE
    user.onboarding_step = step
    begin_wait(user, Awaiting.TIME if has_zone else Awaiting.ZONE, now)
    return StartOutcome(step)


async def answer_safety(
    session: AsyncSession,
    user_id: int,
    *,
    index: int,
    yes: bool,
    question_id: str,
    tier: str,
    question_count: int,
    now: datetime,
) -> SafetyStep | Refusal:
    """A yes/no answer to safety question ``index`` (``question_id``, whose "yes" means
    ``tier``). The emergency questions come first, so the first "yes" decides the tier: an
    emergency stops /start (no reminder is set up); see-a-doctor goes on to the time zone.
    The result is stored as a screening (``safety_screenings``), which opens the routine gate.
    """
    user = await get_user(session, user_id)
    if user is None or user.onboarding_step != Step.SAFETY or (user.awaiting_ref or 0) != index:
        return Refusal.STALE
    user.updated_at = now
    if yes:
        await record_screening(
            session,
            user_id=user_id,
            taken_at=now,
            source="onboarding",
            tier=tier,
            signs=(question_id,),
        )
        if tier == "emergency":
            user.onboarding_step = None  # /start again starts the questions afresh
            user.awaiting_ref = None
            user.awaiting = None
            await session.commit()
            return SafetyStep("emergency")
        _safety_done(user, now)
        await session.commit()
        return SafetyStep("see_doctor")
    user.awaiting_repeated = False
    if index + 1 < question_count:
        user.awaiting_ref = index + 1
        await session.commit()
        return SafetyStep("question", index + 1)
    await record_screening(session, user_id=user_id, taken_at=now, source="onboarding", tier="none")
    _safety_done(user, now)
    await session.commit()
    return SafetyStep("zone")


async def acknowledge_urgent(
    session: AsyncSession, user_id: int, now: datetime
) -> SafetyStep | Refusal:
    """An "I understand" button from before the two tiers (a user mid-/start at the upgrade):
    the answer is stored as an emergency screening and /start stops, as it does today."""
    user = await get_user(session, user_id)
    if user is None or user.onboarding_step != Step.URGENT:
        return Refusal.STALE
    await record_screening(
        session, user_id=user_id, taken_at=now, source="onboarding", tier="emergency"
    )
    user.onboarding_step = None
    user.awaiting_ref = None
    user.updated_at = now
    await session.commit()
    return SafetyStep("emergency")


def _safety_done(user: User, now: datetime) -> None:
    user.safety_acknowledged_at = now
    user.onboarding_step = Step.ZONE
    begin_wait(user, Awaiting.ZONE, now)
