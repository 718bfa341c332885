"""Keyboards shared by several screens. Each screen's own keyboard lives with its handler."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.callbacks import Action, encode
from bot.domain.pain import PAIN_MAX, PAIN_MIN


def pain_scale_keyboard(
    action: Action, *args: int | str, skip_label: str | None = None
) -> InlineKeyboardMarkup:
    """0-10 buttons in two rows (0-5, 6-10), each sending ``action, *args, score``.

    With ``skip_label``, a last row sends ``action, *args, "skip"``.
    """
    scores = range(PAIN_MIN, PAIN_MAX + 1)
    buttons = [
        InlineKeyboardButton(str(score), callback_data=encode(action, *args, score))
        for score in scores
    ]
    rows = [buttons[:6], buttons[6:]]
    if skip_label is not None:
        rows.append([InlineKeyboardButton(skip_label, callback_data=encode(action, *args, "skip"))])
    return InlineKeyboardMarkup(rows)
