"""The pain log: record a rating, and attach a short note to it afterwards."""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import Literal

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.onboarding import Step
from bot.domain.pain import DayRating, PainAdvice, pain_advice
from bot.domain.pain_entry import clip_note
from bot.domain.pending import Expecting
from bot.domain.progress import CONTEXT_ANY
from bot.services.pending import Reader, answers, begin_wait, end_wait, live_awaiting, not_answered
from bot.services.zones import user_zone
from storage.pain import (
    add_rating,
    average_since,
    rating_from_keyboard,
    ratings_of_users_since,
    ratings_since,
    user_rating,
)
from storage.users import get_user, upsert_user

log = logging.getLogger(__name__)

AWAITING_NOTE = "pain_note"
"""users.awaiting while the next plain message is a note for rating users.awaiting_ref."""
AVERAGE_WINDOW = timedelta(days=7)
EASE_OFF = "pain.ease_off"
"""The catalog key of "ease off, keep moving gently" (bot.domain.pain.PainAdvice)."""
ADVICE_WINDOW = timedelta(days=22)
"""The ratings the pain rule reads: three weekly averages and the baseline before them."""


async def _day_ratings(
    session: AsyncSession, user_id: int, now: datetime
) -> tuple[list[DayRating], date]:
    """The recent ratings on the user's own calendar days, and today there."""
    zone, _ = await user_zone(session, user_id)
    rows = await ratings_since(session, user_id, now - ADVICE_WINDOW)
    ratings = [DayRating(row.rated_at.astimezone(zone).date(), row.score) for row in rows]
    return ratings, now.astimezone(zone).date()


async def advice_now(session: AsyncSession, user_id: int, now: datetime) -> PainAdvice:
    """The pain rule (bot.domain.pain.pain_advice) after the user's latest rating, on the
    user's own calendar days."""
    ratings, today = await _day_ratings(session, user_id, now)
    return pain_advice(ratings, today)


async def easier_after_rise(session: AsyncSession, user_id: int, now: datetime) -> bool:
    """A rise that matters today or yesterday: the next routine is the easier one."""
    ratings, today = await _day_ratings(session, user_id, now)
    return any(pain_advice(ratings, day).ease_off for day in (today, today - timedelta(days=1)))


def _asks_how_it_settled(ratings: list[DayRating], today: date) -> bool:
    """Yesterday's rating rose by a change that matters, and nothing is rated today yet."""
    if any(rating.day == today for rating in ratings):
        return False  # already rated today
    return pain_advice(ratings, today - timedelta(days=1)).ask_tomorrow


async def ask_how_it_settled(session: AsyncSession, user_id: int, now: datetime) -> bool:
    """Today's prompt asks how yesterday's rise settled (``_asks_how_it_settled``)."""
    ratings, today = await _day_ratings(session, user_id, now)
    return _asks_how_it_settled(ratings, today)


async def users_to_ask_how_it_settled(
    session: AsyncSession, zones: dict[int, tzinfo], now: datetime
) -> set[int]:
    """``ask_how_it_settled`` for many users (their zones given), in one query."""
    if not zones:
        return set()
    rows = await ratings_of_users_since(session, zones, now - ADVICE_WINDOW)
    ratings: dict[int, list[DayRating]] = defaultdict(list)
    for row in rows:
        ratings[row.user_id].append(
            DayRating(row.rated_at.astimezone(zones[row.user_id]).date(), row.score)
        )
    return {
        user_id
        for user_id, days in ratings.items()
        if _asks_how_it_settled(days, now.astimezone(zones[user_id]).date())
    }


@dataclass(frozen=True, slots=True)
class Recorded:
    """A rating just stored, and what the reply should say about it."""

    rating_id: int
    score: int
    has_note: bool
    note_clipped: bool
    recent_average: float | None
    advice_keys: tuple[str, ...]
    """The pain rule's texts (catalog keys): "ease off, keep moving", and when sustained the
    GP advice; none for an ordinary rating."""
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
    """Store a rating logged with /pain (context "any") and apply the pain rule to it
    (``advice_keys``: ease off after a rise that matters; the GP advice when sustained).

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
                advice_keys=(),
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
    await session.flush()
    advice = await advice_now(session, user_id, now)
    await session.commit()
    log.info("pain rating %s recorded: user=%s", rating.id, user_id)
    return Recorded(
        rating_id=rating.id,
        score=score,
        has_note=text is not None,
        note_clipped=clipped,
        recent_average=average,
        advice_keys=advice.message_keys,
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
