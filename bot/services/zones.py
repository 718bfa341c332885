"""The user's time zone, as every service reads it."""

from __future__ import annotations

import logging
from datetime import tzinfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.zones import zone_for
from storage.activity import user_zone_key

log = logging.getLogger(__name__)


async def user_zone(session: AsyncSession, user_id: int) -> tuple[tzinfo, str | None]:
    """The user's zone (from the reminder subscription) and its key; UTC when there is none."""
    key = await user_zone_key(session, user_id)
    try:
        return zone_for(key), key
    except ValueError:
        log.warning("user %s has an unknown time zone key; using UTC", user_id)
        return zone_for(None), None
