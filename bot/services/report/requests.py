"""What /report asks for: a report for one of the periods, and the name to print on it."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.report.data import ReportData, gather_report
from bot.services.zones import user_zone
from content import Exercise
from storage.users import get_user, upsert_user

log = logging.getLogger(__name__)

REPORT_PERIODS = (7, 30, 90)
DEFAULT_PERIOD = 30
MAX_NAME = 80


async def report_for(
    session: AsyncSession,
    *,
    user_id: int,
    days: int,
    include_notes: bool,
    now: datetime,
    exercises: Sequence[Exercise],
) -> ReportData | None:
    """The report's data for the last ``days`` days; None when nothing was logged in them."""
    zone, key = await user_zone(session, user_id)
    user = await get_user(session, user_id)
    data = await gather_report(
        session,
        user_id,
        days=days,
        now=now,
        zone=zone,
        zone_key=key,
        include_notes=include_notes,
        name=user.report_name if user is not None else None,
        exercises=exercises,
    )
    if not data.summary.has_data and data.routines_started == 0:
        return None
    return data


async def set_report_name(
    session: AsyncSession,
    *,
    user_id: int,
    chat_id: int,
    language_code: str | None,
    name: str,
    now: datetime,
) -> str | None:
    """Keep ``name`` (cut to 80 characters) for the report, or forget it when empty."""
    user = await upsert_user(
        session, user_id=user_id, chat_id=chat_id, language_code=language_code, now=now
    )
    cleaned = " ".join(name.split())[:MAX_NAME] or None
    user.report_name = cleaned
    user.updated_at = now
    await session.commit()
    log.info("report name %s: user=%s", "set" if cleaned else "cleared", user_id)
    return cleaned
