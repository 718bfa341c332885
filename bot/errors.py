"""The Application's one error handler."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import Forbidden, TelegramError

from bot.runtime import BotContext
from bot.telegram_map import sender_of

log = logging.getLogger(__name__)


async def on_error(update: object, context: BotContext) -> None:
    """Log the failure with its update and user, and tell the user briefly what to do."""
    sender = sender_of(update)
    update_id = update.update_id if isinstance(update, Update) else None
    user_id = sender.user_id if sender else None
    log.error(
        "update %s for user %s failed: %s",
        update_id,
        user_id,
        type(context.error).__name__,
        exc_info=context.error,
    )
    if sender is None or isinstance(context.error, Forbidden):
        return
    try:
        await context.bot.send_message(sender.chat_id, context.runtime.content.t("error_generic"))
    except TelegramError as error:
        log.warning("could not tell user %s about the error: %s", user_id, error)
