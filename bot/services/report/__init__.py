"""The one-page report for a clinician: its figures from the database, as plain data.

``gather_report`` (async, needs a session) returns ``ReportData``; the PDF is drawn from it by
``bot.features.report.pdf.render_report`` (CPU work: run it with ``asyncio.to_thread``).
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

__all__ = [
    "ExerciseLine",
    "Note",
    "PairedChange",
    "Reminders",
    "ReportData",
    "ScreeningEvent",
    "WeekFigure",
    "gather_report",
]
