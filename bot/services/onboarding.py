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
    """After a safety answer: the next ``question``, the ``urgent`` advice, or the ``zone``."""

    kind: Literal["question", "urgent", "zone"]
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
        if user.onboarding_step == Step.URGENT:
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
    question_count: int,
    now: datetime,
) -> SafetyStep | Refusal:
    """A yes/no answer to safety question ``index``; any "yes" stops at the urgent advice."""
    user = await get_user(session, user_id)
    if user is None or user.onboarding_step != Step.SAFETY or (user.awaiting_ref or 0) != index:
        return Refusal.STALE
    user.updated_at = now
    if yes:
        user.onboarding_step = Step.URGENT
        user.awaiting_ref = None
        await session.commit()
        return SafetyStep("urgent")
    user.awaiting_repeated = False
    if index + 1 < question_count:
        user.awaiting_ref = index + 1
        await session.commit()
        return SafetyStep("question", index + 1)
    _safety_done(user, now)
    await session.commit()
    return SafetyStep("zone")


async def acknowledge_urgent(
    session: AsyncSession, user_id: int, now: datetime
) -> SafetyStep | Refusal:
    """The user has read the urgent-care advice; /start goes on to the time zone."""
    user = await get_user(session, user_id)
    if user is None or user.onboarding_step != Step.URGENT:
        return Refusal.STALE
    _safety_done(user, now)
    await session.commit()
    return SafetyStep("zone")


def _safety_done(user: User, now: datetime) -> None:
    user.safety_acknowledged_at = now
    user.onboarding_step = Step.ZONE
    begin_wait(user, Awaiting.ZONE, now)
