"""The /report screen: the PDF's caption and file name, and the buttons to change it."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.plumbing.callbacks import Action, encode
from bot.services.report.requests import REPORT_PERIODS
from content import Content


def report_filename(days: int) -> str:
    return f"sciatica-report-{days}-days.pdf"


def report_caption(content: Content, days: int, *, include_notes: bool, named: bool) -> str:
    lines = [content.t("report.caption", days=days)]
    lines.append(
        content.t("report.caption_notes_in" if include_notes else "report.caption_notes_out")
    )
    lines.append(content.t("report.caption_named" if named else "report.caption_name_how"))
    return "\n".join(lines)


def report_keyboard(content: Content, days: int, *, include_notes: bool) -> InlineKeyboardMarkup:
    """Other periods (the current one ticked), and notes in or out."""
    notes = 1 if include_notes else 0
    periods = [
        InlineKeyboardButton(
            content.t(
                "report.button_days_current" if period == days else "report.button_days",
                days=period,
            ),
            callback_data=encode(Action.REPORT, period, notes),
        )
        for period in REPORT_PERIODS
    ]
    toggle = InlineKeyboardButton(
        content.t("report.button_notes_out" if include_notes else "report.button_notes_in"),
        callback_data=encode(Action.REPORT, days, 1 - notes),
    )
    return InlineKeyboardMarkup([periods, [toggle]])


def report_button(content: Content, days: int) -> InlineKeyboardButton:
    """The button under the weekly summary (and wherever a report is offered)."""
    return InlineKeyboardButton(
        content.t("report.button_offer"), callback_data=encode(Action.REPORT, days, 1)
    )
