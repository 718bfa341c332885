"""The pain log: record a rating, and attach a short note to it afterwards."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.onboarding import Step
from bot.domain.pain import rating_needs_warning
from bot.domain.pain_entry import clip_note
from bot.domain.pending import Expecting
from bot.domain.progress import CONTEXT_ANY
from bot.services.pending import Reader, answers, begin_wait, end_wait, live_awaiting, not_answered
from storage.pain import add_rating, average_since, rating_from_keyboard, user_rating
from storage.users import get_user, upsert_user

log = logging.getLogger(__name__)

AWAITING_NOTE = "pain_note"
"""users.awaiting while the next plain message is a note for rating users.awaiting_ref."""
AVERAGE_WINDOW = timedelta(days=7)


@dataclass(frozen=True, slots=True)
class Recorded:
    """A rating just stored, and what the reply should say about it."""

    rating_id: int
    score: int
    has_note: bool
    note_clipped: bool
    recent_average: float | None
    needs_warning: bool
    already_saved: bool = False
    """A second tap on the same keyboard: nothing new was stored."""


@dataclass(frozen=True, slots=True)
class NoteSaved:
    """The note went onto the rating (``score``); ``clipped`` when it was cut to length."""

    score: int | None
    clipped: bool

    @property
    def saved(self) -> bool:
        return self.score is not None


async def record_rating(
    session: AsyncSession,
    *,
    user_id: int,
    chat_id: int,
    language_code: str | None,
    score: int,
    now: datetime,
    note: str | None = None,
    keyboard_message_id: int | None = None,
) -> Recorded:
    """Store a rating logged with /pain (context "any"); warn if severe or well above the
    user's average of the past 7 days (the new rating not included).

    A rating tapped on a keyboard (``keyboard_message_id``) is stored once: a second tap on
    the same keyboard returns the first rating, ``already_saved``.
    """
    if keyboard_message_id is not None:
        earlier = await rating_from_keyboard(session, user_id, keyboard_message_id)
        if earlier is not None:
            log.info("pain rating %s tapped again: user=%s", earlier.id, user_id)
            return Recorded(
                rating_id=earlier.id,
                score=earlier.score,
                has_note=earlier.note is not None,
                note_clipped=False,
                recent_average=None,
                needs_warning=False,
                already_saved=True,
            )
    user = await upsert_user(
        session, user_id=user_id, chat_id=chat_id, language_code=language_code, now=now
    )
    average = await average_since(session, user_id, now - AVERAGE_WINDOW)
    text, clipped = clip_note(note)
    rating = await add_rating(
        session,
        user_id=user_id,
        score=score,
        rated_at=now,
        context=CONTEXT_ANY,
        note=text,
        keyboard_message_id=keyboard_message_id,
    )
    if user.awaiting == AWAITING_NOTE:
        end_wait(user)  # a new rating ends a pending note for an older one
    await session.commit()
    log.info("pain rating %s recorded: user=%s", rating.id, user_id)
    return Recorded(
        rating_id=rating.id,
        score=score,
        has_note=text is not None,
        note_clipped=clipped,
        recent_average=average,
        needs_warning=rating_needs_warning(score, average),
    )


NoteStart = Literal["accepted", "stale", "finish_safety"]


async def start_note(
    session: AsyncSession, *, user_id: int, rating_id: int, now: datetime
) -> NoteStart:
    """Expect the user's next plain message as the note for ``rating_id``.

    "stale" when the rating is not this user's (a forged button) or no longer exists;
    "finish_safety" while /start's safety check is open: it keeps its question in
    ``users.awaiting_ref`` too, and a note must not overwrite it (the user would lose
    their place in the check).
    """
    rating = await user_rating(session, user_id, rating_id)
    user = await get_user(session, user_id)
    if rating is None or user is None:
        log.warning("note refused: rating %s is not user %s's (or is gone)", rating_id, user_id)
        return "stale"
    if user.onboarding_step in (Step.SAFETY, Step.URGENT):
        return "finish_safety"
    begin_wait(user, AWAITING_NOTE, now, ref=rating.id)
    await session.commit()
    return "accepted"


@dataclass(frozen=True, slots=True)
class NotANote:
    """The text is something else (a new score, a question): its own route answers it, and
    the note for the ``score``/10 rating is asked again after it, once."""

    score: int | None


async def take_note(
    session: AsyncSession, *, user_id: int, text: str, now: datetime, read: Reader
) -> NoteSaved | NotANote | None:
    """Store ``text`` as the awaited note; None when no note is awaited (the text is for
    someone else) or the wait has expired; NotANote when the text is clearly not a note
    (``bot.domain.pending``)."""
    user = await get_user(session, user_id)
    if user is None or user.awaiting != AWAITING_NOTE:
        return None
    rating_id = user.awaiting_ref
    if live_awaiting(user, now) is None:
        await session.commit()
        return None
    rating = None if rating_id is None else await user_rating(session, user_id, rating_id)
    if not answers(Expecting.NOTE, text, read):
        repeat = not_answered(user)
        await session.commit()
        return NotANote(rating.score if rating is not None else None) if repeat else None
    end_wait(user)
    if rating is None:
        await session.commit()
        return NoteSaved(score=None, clipped=False)
    note, clipped = clip_note(text)
    rating.note = note
    user.updated_at = now
    await session.commit()
    log.info("note saved on pain rating %s: user=%s clipped=%s", rating.id, user_id, clipped)
    return NoteSaved(score=rating.score, clipped=clipped)
