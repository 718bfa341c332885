"""The /pain screen: the 0-10 keyboard, the confirmation with its note button, the warning."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain.pain import PAIN_MAX, PAIN_MIN
from bot.domain.pain_entry import Problem
from bot.features.progress.views import one_decimal
from bot.plumbing.callbacks import Action, encode
from bot.services.pain import Recorded
from content import Content


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


NOTE_START_KEYS = {
    "accepted": "pain.note_ask",
    "stale": "button_stale",
    "finish_safety": "remind.finish_safety",
}


PROBLEM_KEYS = {
    Problem.OUT_OF_RANGE: "pain.out_of_range",
    Problem.NOT_WHOLE: "pain.not_whole",
    Problem.UNCLEAR: "pain.unclear",
}


def recorded_text(content: Content, recorded: Recorded) -> str:
    key = "pain.logged_with_note" if recorded.has_note else "pain.logged"
    lines = [content.t(key, score=recorded.score)]
    if recorded.recent_average is not None:
        average = one_decimal(recorded.recent_average)
        lines.append(content.t("pain.recent_average", average=average))
    if recorded.note_clipped:
        lines.append(content.t("pain.note_clipped"))
    return "\n".join(lines)


def note_button(content: Content, recorded: Recorded) -> InlineKeyboardMarkup | None:
    if recorded.has_note:
        return None
    label = content.t("pain.button_add_note")
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=encode(Action.PAIN_NOTE, recorded.rating_id))]]
    )


def confirm_keyboard(content: Content, score: int) -> InlineKeyboardMarkup:
    """Under "Shall I log 6 out of 10?": yes records it like the /pain keyboard (once)."""
    yes = content.t("questions.pain.button.yes", score=score)
    no = content.t("questions.pain.button.no")
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(yes, callback_data=encode(Action.PAIN_SCORE, score))],
            [InlineKeyboardButton(no, callback_data=encode(Action.PAIN_DECLINE))],
        ]
    )


def advice_texts(content: Content, recorded: Recorded) -> list[str]:
    """The pain rule's texts after a rating (bot.domain.pain: ease off, the GP advice)."""
    return [content.t(key).strip() for key in recorded.advice_keys]
