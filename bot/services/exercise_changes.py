"""Changing one exercise of the routine from outside a session: "this stretch hurts" in free
text offers to make it easier (one step of the routine's own progression down) or to leave
it out (the routine settings' "leave out")."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.progression import Occurrence, clamp_level, decide_level
from bot.services.routine.progressing import apply_level
from content import Exercise
from storage.routine import preference, preferences
from storage.users import upsert_user

log = logging.getLogger(__name__)

# What "it hurts" counts as for the progression rule: the exercise was done and hurt.
_HURT = Occurrence(done_any=True, completed=False, pain_rose=False, hurt=True)

Eased = Literal["eased", "easiest", "already"]
"""One step down; already at the start of its ladder; or this button was used already."""


@dataclass(frozen=True, slots=True)
class ExerciseState:
    """One exercise for one user: its progression level and whether it is left out."""

    level: int
    excluded: bool


async def exercise_state(db: AsyncSession, *, user_id: int, exercise: Exercise) -> ExerciseState:
    """The user's level for ``exercise`` (0 when they never had one) and whether it is out."""
    pref = (await preferences(db, user_id)).get(exercise.id)
    if pref is None:
        return ExerciseState(0, excluded=False)
    return ExerciseState(clamp_level(exercise, pref.level), pref.excluded)


async def make_easier(
    db: AsyncSession,
    *,
    user_id: int,
    chat_id: int,
    language_code: str | None,
    exercise: Exercise,
    shown_level: int,
    now: datetime,
) -> Eased:
    """One step down the exercise's dose ladder, as the routine's own "It hurts" does.

    ``shown_level`` is the level when the button was made: a second tap on the same button
    (the level has already moved) changes nothing.
    """
    await upsert_user(db, user_id=user_id, chat_id=chat_id, language_code=language_code, now=now)
    pref = await preference(db, user_id, exercise.id)
    level = clamp_level(exercise, pref.level)
    if level != clamp_level(exercise, shown_level):
        await db.rollback()
        return "already"
    change = decide_level(exercise, level, [_HURT])
    if change is None:
        await db.rollback()
        return "easiest"
    apply_level(pref, change, now)
    await db.commit()
    log.info("user %s made exercise %s easier: level %s", user_id, exercise.id, change.new_level)
    return "eased"
