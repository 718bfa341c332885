"""The safety screens' texts and buttons: the tier texts, the yes/no clarifying question, the
doctor's-check question, and the re-screen ("any new warning signs?")."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain.safety import Screening, Tier
from bot.plumbing.callbacks import Action, encode
from content import Content

YES, NO = "y", "n"


def _row(*buttons: tuple[str, str]) -> list[InlineKeyboardButton]:
    return [InlineKeyboardButton(label, callback_data=data) for label, data in buttons]


def tier_text(content: Content, tier: Tier) -> str:
    """The text of a warning tier, or of ordinary sciatica."""
    return content.safety.warning_text(tier.value)


def clarify(content: Content, screening: Screening) -> tuple[str, InlineKeyboardMarkup]:
    """An unclear message: one yes/no question; the buttons carry what "no" would mean."""
    question_id = screening.question or ""
    question = content.safety.clarifying(question_id).question
    if_no = screening.if_no.value
    keyboard = InlineKeyboardMarkup(
        [
            _row(
                (
                    content.t("safety.clarify_yes"),
                    encode(Action.SAFETY_CLARIFY, question_id, YES, if_no),
                ),
                (
                    content.t("safety.clarify_no"),
                    encode(Action.SAFETY_CLARIFY, question_id, NO, if_no),
                ),
            )
        ]
    )
    return content.t("safety.clarify_intro", question=question), keyboard


def answered(content: Content, question: str, yes: bool) -> str:
    """The question as it stays in the chat once answered."""
    answer = content.t("safety.clarify_yes") if yes else content.t("safety.clarify_no")
    return content.t("safety.answered", question=question, answer=answer)


def checked_question(content: Content) -> tuple[str, InlineKeyboardMarkup]:
    """After an emergency answer: has a doctor checked you since?"""
    keyboard = InlineKeyboardMarkup(
        [
            _row((content.t("safety.button_checked"), encode(Action.SAFETY_CHECKED))),
            _row((content.t("safety.button_not_yet"), encode(Action.SAFETY_NOT_YET))),
        ]
    )
    return content.t("safety.routine_blocked_emergency").strip(), keyboard


def start_check(content: Content) -> tuple[str, InlineKeyboardMarkup]:
    """No safety check answered yet: a button that starts it."""
    keyboard = InlineKeyboardMarkup(
        [_row((content.t("safety.button_start_check"), encode(Action.RESCREEN_START)))]
    )
    return content.t("safety.routine_blocked_unscreened").strip(), keyboard


def rescreen_button(content: Content) -> InlineKeyboardButton:
    return InlineKeyboardButton(
        content.t("safety.button_rescreen"), callback_data=encode(Action.RESCREEN_START)
    )


def rescreen_offer(content: Content) -> tuple[str, InlineKeyboardMarkup]:
    return content.t("safety.rescreen_offer"), InlineKeyboardMarkup([[rescreen_button(content)]])


def rescreen_question(content: Content, index: int) -> tuple[str, InlineKeyboardMarkup]:
    """One of the screening questions (the same as at /start), asked again."""
    questions = content.safety.red_flag_questions
    text = content.t(
        "safety.rescreen_question",
        number=index + 1,
        total=len(questions),
        question=questions[index].question,
    )
    keyboard = InlineKeyboardMarkup(
        [
            _row(
                (content.t("onboard.yes"), encode(Action.RESCREEN_ANSWER, index, YES)),
                (content.t("onboard.no"), encode(Action.RESCREEN_ANSWER, index, NO)),
            )
        ]
    )
    return text, keyboard
