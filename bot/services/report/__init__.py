"""The one-page report for a clinician: figures from the database, then an A4 PDF.

``gather_report`` (async, needs a session) returns plain data; ``render_report`` (CPU work:
run it with ``asyncio.to_thread``) turns that data into PDF bytes.
"""

from __future__ import annotations

from bot.services.report.data import (
    ExerciseLine,
    Note,
    PairedChange,
    Reminders,
    ReportData,
    ScreeningEvent,
    WeekFigure,
    gather_report,
)
from bot.services.report.pdf import render_report

__all__ = [
    "ExerciseLine",
    "Note",
    "PairedChange",
    "Reminders",
    "ReportData",
    "ScreeningEvent",
    "WeekFigure",
    "gather_report",
    "render_report",
]
