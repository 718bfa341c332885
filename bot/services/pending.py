"""The state of a typed answer the bot waits for (``users.awaiting``), shared by every wait.

Each feature keeps its own awaiting value (a zone, a time, a pain note, the weekly time);
this module starts, ends and ages the wait, and decides what a text that is not the answer
does to it (``bot.domain.pending`` holds the rule itself).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.onboarding import Step
from bot.domain.pending import Expecting, is_answer, is_expired
from bot.domain.reading.kinds import Reading
from storage.models import User
from storage.users import get_user

Reader = Callable[[str], Reading]
"""The free-text reader (``Library.read``), called only when a wait needs it."""


def begin_wait(user: User, what: str, now: datetime, ref: int | None = None) -> None:
    """Wait for the user's next text as ``what`` (the caller commits)."""
    user.awaiting = what
    user.awaiting_ref = ref
    user.awaiting_since = now
    user.awaiting_repeated = False
    user.updated_at = now


def end_wait(user: User) -> None:
    """No typed answer is awaited any more (the caller commits). The /start safety check
    keeps its question index in ``awaiting_ref`` (unless a wait held it: an old row)."""
    if user.awaiting is not None or user.onboarding_step != Step.SAFETY:
        user.awaiting_ref = None
    user.awaiting = None
    user.awaiting_since = None


def live_awaiting(user: User, now: datetime) -> str | None:
    """What the user's next text is awaited as, or None (none, or the wait expired: it is
    ended here; the caller commits)."""
    if user.awaiting is None:
        return None
    if is_expired(user.awaiting_since, now):
        end_wait(user)
        return None
    return user.awaiting


def answers(expecting: Expecting, text: str, read: Reader, *, parses: bool = False) -> bool:
    """The shared rule, reading ``text`` only when its form did not already decide."""
    if parses:
        return True
    return is_answer(expecting, text, read(text))


def not_answered(user: User) -> bool:
    """A text that is not the answer: True when the question should be repeated after it
    (the first time); the second time the wait ends. The caller commits."""
    if user.awaiting_repeated:
        end_wait(user)
        return False
    user.awaiting_repeated = True
    return True


async def end_wait_for_command(session: AsyncSession, user_id: int) -> bool:
    """Any command ends a pending wait (a command that asks again starts a new one).
    True when a wait was ended."""
    user = await get_user(session, user_id)
    if user is None or user.awaiting is None:
        return False
    end_wait(user)
    await session.commit()
    return True


async def still_waiting(session: AsyncSession, user_id: int, what: str, now: datetime) -> bool:
    """Whether ``what`` is still awaited (for repeating its question after another reply)."""
    user = await get_user(session, user_id)
    return user is not None and live_awaiting(user, now) == what


async def safety_still_open(session: AsyncSession, user_id: int, index: int) -> bool:
    """Whether /start's safety question ``index`` (or the urgent advice, -1) is still open."""
    user = await get_user(session, user_id)
    if user is None:
        return False
    if index < 0:
        return user.onboarding_step == Step.URGENT
    return user.onboarding_step == Step.SAFETY and (user.awaiting_ref or 0) == index
