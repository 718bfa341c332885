"""Typed answers to the reminder's questions: a zone or a time typed while the bot waits for
one (after /timezone, /time, a settings button, or in /start), and text typed while /start's
safety check waits for a button. Whether a text is the answer at all: ``bot.domain.pending``."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Literal

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.onboarding import Awaiting, Step
from bot.domain.pending import Expecting
from bot.domain.timeparse import parse_time
from bot.domain.zoneparse import ZoneDirectory, ZoneMatchKind
from bot.services.pending import Reader, answers, live_awaiting, not_answered
from bot.services.reminders import (
    Changed,
    SafetyPending,
    TimeNotUnderstood,
    TypedOutcome,
    UrgentPending,
    ZoneNotUnderstood,
    _echo,
    choose_time,
    choose_zone,
)
from storage.models import User
from storage.users import get_user


@dataclass(frozen=True, slots=True)
class NotAnAnswer:
    """Typed text that is something else (a pain score, a question): it goes to its normal
    route, and ``what`` is asked again after it, briefly: "zone", "time", or "safety" (the
    /start safety question ``index``; -1: the urgent-care advice)."""

    what: Literal["zone", "time", "safety"]
    index: int = 0


async def typed(
    session: AsyncSession,
    user_id: int,
    text: str,
    now: datetime,
    directory: ZoneDirectory,
    read: Reader,
) -> TypedOutcome | NotAnAnswer | None:
    """Handle typed text if the user is in the middle of /start or was asked for a zone or a
    time; None when this feature is not waiting for anything from them (or the text is for
    another route and the question was already repeated once)."""
    user = await get_user(session, user_id)
    if user is None:
        return None
    awaiting = live_awaiting(user, now)
    if awaiting is not None and awaiting not in (Awaiting.ZONE, Awaiting.TIME):
        return None  # another feature waits for this text (a pain note): its route takes it
    step = user.onboarding_step
    if step in (Step.SAFETY, Step.URGENT):
        index = user.awaiting_ref or 0 if step == Step.SAFETY else -1
        if answers(Expecting.BUTTON, text, read):
            return SafetyPending(index) if step == Step.SAFETY else UrgentPending()
        return await _not_an_answer(session, user, NotAnAnswer("safety", index))
    onboarding = step in (Step.ZONE, Step.TIME)
    if step == Step.ZONE or (step in (None, Step.TIME) and awaiting == Awaiting.ZONE):
        match = directory.resolve(text)
        if match.kind == ZoneMatchKind.ZONE and match.key is not None:
            return await choose_zone(session, user_id, match.key, now)
        if awaiting is None:  # /start's wait was ended: only a clear zone still counts
            await session.commit()
            return None
        if answers(Expecting.VALUE, text, read, parses=match.kind != ZoneMatchKind.UNKNOWN):
            return ZoneNotUnderstood(match, _echo(text), onboarding)
        return await _not_an_answer(session, user, NotAnAnswer("zone"))
    if step == Step.TIME or (step is None and awaiting == Awaiting.TIME):
        parsed = parse_time(text)
        if parsed is not None:
            asked_in = user.awaiting_ref if awaiting == Awaiting.TIME else None
            changed = await choose_time(session, user_id, parsed, now)
            return replace(changed, asked_in=asked_in) if isinstance(changed, Changed) else changed
        if awaiting is None:
            await session.commit()
            return None
        if answers(Expecting.VALUE, text, read):
            return TimeNotUnderstood(_echo(text), onboarding)
        return await _not_an_answer(session, user, NotAnAnswer("time"))
    await session.commit()  # an expired wait was ended
    return None


async def _not_an_answer(
    session: AsyncSession, user: User, outcome: NotAnAnswer
) -> NotAnAnswer | None:
    repeat = not_answered(user)
    await session.commit()
    return outcome if repeat else None


async def remember_question(session: AsyncSession, user_id: int, message_id: int) -> None:
    """The message that asks for a typed time: its buttons go once the time is typed."""
    user = await get_user(session, user_id)
    if user is not None and user.awaiting == Awaiting.TIME:
        user.awaiting_ref = message_id
        await session.commit()
