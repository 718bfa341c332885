"""The user's own data: a copy for their clinician (/export), and erasing it all (/delete)."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, TypeVar

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bot.domain.export_csv import (
    ExportFile,
    HoldRecord,
    Kind,
    PainRecord,
    RoutineRecord,
    export_files,
    period_of,
)
from bot.services.progress import History, load_history
from bot.services.zones import user_zone
from storage.db import wipe_deleted
from storage.pain import erase_user, holds_of, ratings_since, routine_sessions_of

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

log = logging.getLogger(__name__)
Record = TypeVar("Record", bound="DataclassInstance")

EXPORT_PERIOD = 90
ERASE_CONFIRM_WINDOW = timedelta(minutes=10)
"""A "Yes, erase" button works for this long after /delete; later it asks again."""


@dataclass(frozen=True, slots=True)
class ExportBundle:
    files: tuple[tuple[str, ExportFile], ...]
    """(file name, file) for each kind of record: pain ratings, routines, exercise steps."""
    ratings: int
    routines: int
    holds: int
    """Timed holds (one each); sets of repetitions are counted in ``sets``."""
    sets: int
    history: History


async def export_data(
    session: AsyncSession,
    *,
    user_id: int,
    now: datetime,
    titles: Mapping[Kind, str] | None = None,
    names: Mapping[str, str] | None = None,
) -> ExportBundle:
    """The user's pain ratings, routines and exercise steps as one CSV each, and the 90-day
    picture's data. ``titles``: each file's first line, a template with {start}, {end} and
    {zone}; ``names``: exercise ids to their names."""
    zone, zone_key = await user_zone(session, user_id)
    pain = _records(PainRecord, await ratings_since(session, user_id))
    routines = _records(RoutineRecord, await routine_sessions_of(session, user_id))
    holds = _records(HoldRecord, await holds_of(session, user_id))
    history = await load_history(session, user_id=user_id, days=EXPORT_PERIOD, now=now)
    log.info(
        "export: user=%s ratings=%s routines=%s holds=%s",
        user_id,
        len(pain),
        len(routines),
        len(holds),
    )
    start, end = period_of(pain, routines, zone, now.astimezone(zone).date())
    lines: dict[Kind, str] = {
        kind: (titles or {})
        .get(kind, "{start} to {end} ({zone})")
        .format(start=start.isoformat(), end=end.isoformat(), zone=zone_key or "UTC")
        for kind in ("pain", "routines", "steps")
    }
    day = f"{now.astimezone(zone):%Y-%m-%d}"
    files = export_files(pain, routines, holds, zone, lines, names)
    return ExportBundle(
        files=tuple((f"sciatica-{file.kind}-{day}.csv", file) for file in files),
        ratings=len(pain),
        routines=len(routines),
        holds=sum(1 for hold in holds if not hold.is_set),
        sets=sum(1 for hold in holds if hold.is_set),
        history=history,
    )


def _records(record: type[Record], rows: Iterable[object]) -> list[Record]:
    """One plain record per row: each of the record's fields read from the row's column of
    the same name."""
    names = [field.name for field in fields(record)]
    return [record(**{name: getattr(row, name) for name in names}) for row in rows]


def confirmation_is_fresh(asked_at: int, now: datetime) -> bool:
    """Whether a confirmation button made at ``asked_at`` (Unix seconds) still works."""
    age = now.timestamp() - asked_at
    return 0 <= age <= ERASE_CONFIRM_WINDOW.total_seconds()


async def erase_everything(
    session: AsyncSession, *, user_id: int, asked_at: int, now: datetime
) -> bool:
    """Erase every row of the user if the confirmation is fresh; False if it has expired."""
    if not confirmation_is_fresh(asked_at, now):
        return False
    removed = await erase_user(session, user_id)
    await session.commit()
    engine = session.bind
    if isinstance(engine, AsyncEngine):
        await wipe_deleted(engine)
    log.info("erased user %s: %s", user_id, removed)
    return True
