"""The /start screens of the safety check: each question, and the urgent-care answer."""

from __future__ import annotations

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
)

from bot.plumbing.callbacks import Action, encode
from content import Content


def safety_question(content: Content, index: int) -> tuple[str, InlineKeyboardMarkup]:
    questions = content.safety.red_flag_questions
    text = content.t(
        "onboard.safety_question",
        number=index + 1,
        total=len(questions),
        question=questions[index].question,
    )
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    content.t("onboard.yes"), callback_data=encode(Action.SAFETY_ANSWER, index, "y")
                ),
                InlineKeyboardButton(
                    content.t("onboard.no"), callback_data=encode(Action.SAFETY_ANSWER, index, "n")
                ),
            ]
        ]
    )
    return text, keyboard


def urgent(content: Content) -> tuple[str, InlineKeyboardMarkup]:
    button = InlineKeyboardButton(
        content.t("onboard.urgent_ack"), callback_data=encode(Action.URGENT_ACK)
    )
    return content.safety.urgent_care.strip(), InlineKeyboardMarkup([[button]])
