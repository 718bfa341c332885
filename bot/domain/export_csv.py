"""The /export file: one CSV with a ``record`` column (pain, routine, hold), for a clinician.

UTF-8 with a byte-order mark so spreadsheet programs show accents right; every row has
every column (empty where it does not apply), so the csv module and spreadsheets read it
as one table. Free text that a spreadsheet would run as a formula is prefixed with ``'``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo

COLUMNS = (
    "record",
    "id",
    "local_time",
    "utc_time",
    "score",
    "context",
    "note",
    "session_id",
    "status",
    "kind",
    "pain_before",
    "pain_after",
    "exercise",
    "side",
    "rep",
    "set",
    "target_seconds",
    "target_reps",
    "actual_seconds",
    "end_utc",
)

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


def _utc(instant: datetime | None) -> str:
    return "" if instant is None else instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _local(instant: datetime, zone: tzinfo) -> str:
    return instant.astimezone(zone).strftime("%Y-%m-%d %H:%M")


def safe_text(text: str | None) -> str:
    """Free text as a cell that no spreadsheet will run as a formula."""
    if not text:
        return ""
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def _num(value: int | None) -> str:
    return "" if value is None else str(value)


def _rows(
    pain: Iterable[PainRecord],
    routines: Iterable[RoutineRecord],
    holds: Iterable[HoldRecord],
    zone: tzinfo,
) -> Iterable[dict[str, str]]:
    for rating in sorted(pain, key=lambda r: (r.rated_at, r.id)):
        yield {
            "record": "pain",
            "id": str(rating.id),
            "local_time": _local(rating.rated_at, zone),
            "utc_time": _utc(rating.rated_at),
            "score": str(rating.score),
            "context": rating.context,
            "note": safe_text(rating.note),
            "session_id": _num(rating.session_id),
        }
    for routine in sorted(routines, key=lambda r: (r.started_at, r.id)):
        yield {
            "record": "routine",
            "id": str(routine.id),
            "local_time": _local(routine.started_at, zone),
            "utc_time": _utc(routine.started_at),
            "session_id": str(routine.id),
            "status": routine.status,
            "kind": routine.kind,
            "pain_before": _num(routine.pain_before),
            "pain_after": _num(routine.pain_after),
            "end_utc": _utc(routine.finished_at),
        }
    for hold in sorted(holds, key=lambda h: (h.started_at, h.id)):
        yield {
            "record": "hold",
            "id": str(hold.id),
            "local_time": _local(hold.started_at, zone),
            "utc_time": _utc(hold.started_at),
            "session_id": str(hold.session_id),
            "status": hold.outcome,
            "exercise": hold.exercise_id,
            "side": hold.side or "",
            "rep": str(hold.rep),
            "set": str(hold.set_no),
            "target_seconds": str(hold.target_seconds),
            "target_reps": _num(hold.target_reps),
            "actual_seconds": _num(hold.actual_seconds),
            "end_utc": _utc(hold.ended_at),
        }


def export_csv(
    pain: Sequence[PainRecord],
    routines: Sequence[RoutineRecord],
    holds: Sequence[HoldRecord],
    zone: tzinfo,
) -> bytes:
    """The whole file: a header row, then pain ratings, routines and holds, each by time."""
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, restval="", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(_rows(pain, routines, holds, zone))
    return buffer.getvalue().encode("utf-8-sig")
