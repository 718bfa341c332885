"""Reading a routine session's row: its plan and its cursor."""

from __future__ import annotations

from bot.domain.routine import Cursor, Plan
from storage.models import RoutineSession


def cursor_of(routine: RoutineSession) -> Cursor:
    return Cursor.from_json(routine.cursor)


def plan_of(routine: RoutineSession) -> Plan:
    return Plan.from_json(routine.plan)
