"""The routine's settings: length, timers, pictures, exercises left out."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.routine import LENGTHS, available_exercises, estimated_seconds, short_selection
from bot.services.routine.results import SettingsChange, SettingsView
from content import Exercise
from storage.routine import excluded_ids, preference
from storage.users import upsert_user

log = logging.getLogger(__name__)


async def routine_settings(
    db: AsyncSession,
    *,
    user_id: int,
    chat_id: int,
    language_code: str | None,
    now: datetime,
    exercises: Sequence[Exercise],
    change: SettingsChange | None = None,
    hands_free_default: bool = False,
) -> SettingsView:
    """The routine settings, after applying ``change`` (if any)."""
    change = change or SettingsChange()
    length, timers, bring_back = change.length, change.timers, change.bring_back
    known = {exercise.id for exercise in exercises}
    user = await upsert_user(
        db, user_id=user_id, chat_id=chat_id, language_code=language_code, now=now
    )
    if length in LENGTHS and user.routine_length != length:
        user.routine_length = length
        user.updated_at = now
    if timers is not None and user.timers_enabled != timers:
        user.timers_enabled = timers
        user.updated_at = now
    if change.hands_free is not None and user.hands_free != change.hands_free:
        user.hands_free = change.hands_free
        user.updated_at = now
    if change.slow_pace is not None and user.slow_pace != change.slow_pace:
        user.slow_pace = change.slow_pace
        user.updated_at = now
    if change.pictures is not None and user.pictures_enabled != change.pictures:
        user.pictures_enabled = change.pictures
        user.updated_at = now
    if bring_back is not None and bring_back in known:
        pref = await preference(db, user_id, bring_back)
        pref.excluded = False
    if change.leave_out is not None and change.leave_out in known:
        pref = await preference(db, user_id, change.leave_out)
        pref.excluded = True
        log.info("user %s left exercise %s out of routines", user_id, change.leave_out)
    excluded = await excluded_ids(db, user_id)
    await db.commit()
    available = available_exercises(exercises, excluded)
    short = short_selection(available, 0)
    return SettingsView(
        length=user.routine_length,
        timers=user.timers_enabled,
        excluded=tuple(exercise.id for exercise in exercises if exercise.id in excluded),
        full_minutes=_minutes(estimated_seconds(available)),
        short_minutes=_minutes(estimated_seconds(short)),
        pictures=user.pictures_enabled,
        hands_free=user.hands_free if user.hands_free is not None else hands_free_default,
        slow_pace=user.slow_pace,
    )


def _minutes(seconds: int) -> int:
    return max(1, round(seconds / 60))
