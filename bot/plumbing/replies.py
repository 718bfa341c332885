"""The one edit-or-send helper: change a message in place, or send anew when Telegram won't.

"Message is not modified" (a double tap, the same countdown twice) counts as done. An edit that
Telegram refuses (too old, deleted) or kept failing (already retried, ``bot/plumbing/retry.py``)
counts as not done and is logged; it never aborts the caller.
"""

from __future__ import annotations

import logging
from typing import Any

from telegram import Bot, InlineKeyboardMarkup
from telegram.error import BadRequest, NetworkError, RetryAfter

from bot.plumbing.taps import Tap

log = logging.getLogger(__name__)


def _not_modified(error: BadRequest) -> bool:
    return "not modified" in error.message.lower()


async def edit_text(
    bot: Bot,
    chat_id: int,
    message_id: int | None,
    text: str,
    markup: InlineKeyboardMarkup | None = None,
) -> bool:
    """Edit a message's text and buttons; True when it shows ``text`` now."""
    if not message_id:
        return False
    try:
        await bot.edit_message_text(
            text, chat_id=chat_id, message_id=message_id, reply_markup=markup
        )
    except BadRequest as error:
        if _not_modified(error):
            return True
        log.info("could not edit message %s in chat %s: %s", message_id, chat_id, error.message)
        return False
    except (NetworkError, RetryAfter) as error:
        log.warning("gave up editing message %s in chat %s: %s", message_id, chat_id, error)
        return False
    return True


async def edit_or_send(
    bot: Bot,
    chat_id: int,
    message_id: int | None,
    text: str,
    markup: InlineKeyboardMarkup | None = None,
) -> None:
    """Replace the message's text and buttons; if Telegram will not, send ``text`` anew."""
    if not await edit_text(bot, chat_id, message_id, text, markup):
        await bot.send_message(chat_id, text, reply_markup=markup)


async def drop_buttons(bot: Bot, chat_id: int, message_id: int | None) -> None:
    """Take the buttons off a message (they no longer apply); a failure is only logged."""
    if not message_id:
        return
    try:
        await bot.edit_message_reply_markup(chat_id=chat_id, message_id=message_id)
    except BadRequest as error:
        if not _not_modified(error):
            log.debug("no buttons to drop on %s in chat %s: %s", message_id, chat_id, error.message)
    except (NetworkError, RetryAfter) as error:
        log.warning("gave up dropping the buttons of %s in chat %s: %s", message_id, chat_id, error)


async def replace_tapped(
    bot: Bot, tap: Tap[Any], text: str, markup: InlineKeyboardMarkup | None = None
) -> None:
    """``edit_or_send`` for the message whose button was just tapped."""
    await edit_or_send(bot, tap.chat_id, tap.message_id, text, markup)


async def drop_tapped_buttons(bot: Bot, tap: Tap[Any]) -> None:
    """``drop_buttons`` for the tapped message, if it still shows any."""
    if tap.has_markup:
        await drop_buttons(bot, tap.chat_id, tap.message_id)
