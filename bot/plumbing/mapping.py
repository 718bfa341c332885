"""The one place where Telegram objects become plain values for the rest of the code."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import Update

MAX_TEXT = 4096


@dataclass(frozen=True, slots=True)
class Sender:
    """Who sent an update, in which private chat, and what they typed (if anything)."""

    user_id: int
    chat_id: int
    language_code: str | None
    text: str | None
    update_id: int


def sender_of(update: object) -> Sender | None:
    """Plain sender data, or None for updates without a user and chat (channel posts, polls)."""
    if not isinstance(update, Update):
        return None
    user = update.effective_user
    chat = update.effective_chat
    if user is None or chat is None or user.is_bot:
        return None
    message = update.effective_message
    text = message.text if message is not None and message.text else None
    return Sender(
        user_id=user.id,
        chat_id=chat.id,
        language_code=user.language_code,
        text=text[:MAX_TEXT] if text else None,
        update_id=update.update_id,
    )
