"""The /export files: one CSV per kind of record (pain ratings, routines, exercise steps), each
a plain table a clinician can read, opening with a line that names the user's period and zone.

UTF-8 with a byte-order mark so spreadsheet programs show accents right. Times are the user's
local times (the zone is named in the first line). Free text that a spreadsheet would run as a
formula is prefixed with ``'``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import Literal

Kind = Literal["pain", "routines", "steps"]
KINDS: tuple[Kind, ...] = ("pain", "routines", "steps")

COLUMNS: Mapping[Kind, tuple[str, ...]] = {
    "pain": ("date", "time", "pain_0_to_10", "when", "note", "routine_number"),
    "routines": (
        "routine_number",
        "date",
        "started",
        "finished",
        "status",
        "length",
        "pain_before",
        "pain_after",
    ),
    "steps": (
        "routine_number",
        "date",
        "time",
        "exercise",
        "side",
        "repetition",
        "set",
        "kind",
        "target_seconds",
        "target_reps",
        "seconds_taken",
        "outcome",
    ),
}

WHEN = {"any": "on its own", "before": "before a routine", "after": "after a routine"}
"""pain_ratings.context in words (the file never says ``any``)."""

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True, slots=True)
class PainRecord:
    id: int
    rated_at: datetime
    score: int
    context: str
    note: str | None
    session_id: int | None


@dataclass(frozen=True, slots=True)
class RoutineRecord:
    id: int
    started_at: datetime
    finished_at: datetime | None
    status: str
    kind: str
    pain_before: int | None
    pain_after: int | None


@dataclass(frozen=True, slots=True)
class HoldRecord:
    id: int
    session_id: int
    started_at: datetime
    ended_at: datetime | None
    exercise_id: str
    side: str | None
    rep: int
    set_no: int
    target_seconds: int
    target_reps: int | None
    actual_seconds: int | None
    outcome: str

    @property
    def is_set(self) -> bool:
        """A set of repetitions (a "reps" exercise), not one timed hold."""
        return self.target_reps is not None


@dataclass(frozen=True, slots=True)
class ExportFile:
    kind: Kind
    data: bytes
    rows: int


def safe_text(text: str | None) -> str:
    """Free text as a cell that no spreadsheet will run as a formula."""
    if not text:
        return ""
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def _num(value: int | None) -> str:
    return "" if value is None else str(value)


def _day(instant: datetime, zone: tzinfo) -> str:
    return instant.astimezone(zone).strftime("%Y-%m-%d")


def _clock(instant: datetime | None, zone: tzinfo) -> str:
    return "" if instant is None else instant.astimezone(zone).strftime("%H:%M")


def period_of(
    pain: Sequence[PainRecord], routines: Sequence[RoutineRecord], zone: tzinfo, today: date
) -> tuple[date, date]:
    """From the first local day with a record to today."""
    instants = [r.rated_at for r in pain] + [r.started_at for r in routines]
    first = min((instant.astimezone(zone).date() for instant in instants), default=today)
    return min(first, today), today


def _pain_rows(pain: Iterable[PainRecord], zone: tzinfo) -> Iterable[list[str]]:
    for rating in sorted(pain, key=lambda r: (r.rated_at, r.id)):
        yield [
            _day(rating.rated_at, zone),
            _clock(rating.rated_at, zone),
            str(rating.score),
            WHEN.get(rating.context, rating.context),
            safe_text(rating.note),
            _num(rating.session_id),
        ]


def _routine_rows(routines: Iterable[RoutineRecord], zone: tzinfo) -> Iterable[list[str]]:
    for routine in sorted(routines, key=lambda r: (r.started_at, r.id)):
        yield [
            str(routine.id),
            _day(routine.started_at, zone),
            _clock(routine.started_at, zone),
            _clock(routine.finished_at, zone),
            routine.status,
            routine.kind,
            _num(routine.pain_before),
            _num(routine.pain_after),
        ]


def _step_rows(
    holds: Iterable[HoldRecord], zone: tzinfo, names: Mapping[str, str]
) -> Iterable[list[str]]:
    for hold in sorted(holds, key=lambda h: (h.started_at, h.id)):
        yield [
            str(hold.session_id),
            _day(hold.started_at, zone),
            _clock(hold.started_at, zone),
            names.get(hold.exercise_id, hold.exercise_id),
            hold.side or "",
            str(hold.rep),
            str(hold.set_no),
            "set" if hold.is_set else "hold",
            str(hold.target_seconds),
            _num(hold.target_reps),
            _num(hold.actual_seconds),
            hold.outcome,
        ]


def _table(title: str, columns: Sequence[str], rows: Iterable[list[str]]) -> tuple[bytes, int]:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([title])
    writer.writerow(columns)
    count = 0
    for row in rows:
        writer.writerow(row)
        count += 1
    return buffer.getvalue().encode("utf-8-sig"), count


def export_files(
    pain: Sequence[PainRecord],
    routines: Sequence[RoutineRecord],
    holds: Sequence[HoldRecord],
    zone: tzinfo,
    titles: Mapping[Kind, str],
    names: Mapping[str, str] | None = None,
) -> list[ExportFile]:
    """One file per kind, each: its ``titles`` line (the period and zone), the column names,
    then its records by time. ``names``: exercise ids to the names the user sees."""
    rows: dict[Kind, Iterable[list[str]]] = {
        "pain": _pain_rows(pain, zone),
        "routines": _routine_rows(routines, zone),
        "steps": _step_rows(holds, zone, names or {}),
    }
    files = []
    for kind in KINDS:
        data, count = _table(titles[kind], COLUMNS[kind], rows[kind])
        files.append(ExportFile(kind, data, count))
    return files
