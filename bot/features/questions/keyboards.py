"""Keyboards shared by several screens. Each screen's own keyboard lives with its handler."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain.pain import PAIN_MAX, PAIN_MIN
from bot.plumbing.callbacks import Action, encode
from content import Content, Exercise


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


def exercises_keyboard(content: Content, *, with_topics: bool = False) -> InlineKeyboardMarkup:
    """The seven exercises, one per row, each opening its card.

    With ``with_topics``, a last row opens the list of questions about sciatica (the menu for
    messages the bot could not read).
    """
    rows = [
        [
            InlineKeyboardButton(
                exercise.name, callback_data=encode(Action.SHOW_EXERCISE, exercise.id)
            )
        ]
        for exercise in content.exercises
    ]
    if with_topics:
        rows.append(
            [
                InlineKeyboardButton(
                    content.t("questions.button.topics"),
                    callback_data=encode(Action.QUESTION_TOPICS),
                )
            ]
        )
    return InlineKeyboardMarkup(rows)


def exercise_choice_keyboard(
    content: Content, exercises: Sequence[Exercise]
) -> InlineKeyboardMarkup:
    """A few exercises to choose from, and a way to see all seven."""
    rows = [
        [
            InlineKeyboardButton(
                exercise.name, callback_data=encode(Action.SHOW_EXERCISE, exercise.id)
            )
        ]
        for exercise in exercises
    ]
    rows.append(
        [
            InlineKeyboardButton(
                content.t("questions.button.all_stretches"),
                callback_data=encode(Action.EXERCISE_LIST),
            )
        ]
    )
    return InlineKeyboardMarkup(rows)


def exercise_card_keyboard(content: Content, exercise: Exercise) -> InlineKeyboardMarkup:
    """Under a card: run this one exercise now (handled by the routine feature)."""
    button = InlineKeyboardButton(
        content.t("questions.button.do_now"),
        callback_data=encode(Action.START_SINGLE, exercise.id),
    )
    return InlineKeyboardMarkup([[button]])


def topics_keyboard(content: Content) -> InlineKeyboardMarkup:
    """Every question topic, one per row, each opening its answer."""
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    answer.title, callback_data=encode(Action.SHOW_ANSWER, answer.id)
                )
            ]
            for answer in content.answers
        ]
    )
