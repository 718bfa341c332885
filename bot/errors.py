"""The Application's one error handler."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import BadRequest, Forbidden, TelegramError

from bot.runtime import BotContext
from bot.telegram_map import sender_of

log = logging.getLogger(__name__)


BENIGN_BAD_REQUESTS = (
    "message is not modified",  # a double tap re-rendered the same screen
    "query is too old",  # the tap was answered too late for Telegram to show it
    "query id is invalid",
    "message to edit not found",  # the user deleted the message
    "message to delete not found",
    "message can't be edited",
)


def is_benign(error: BaseException | None) -> bool:
    """Telegram refusals that change nothing for the user: logged quietly, never shown."""
    return isinstance(error, BadRequest) and any(
        phrase in error.message.lower() for phrase in BENIGN_BAD_REQUESTS
    )


async def on_error(update: object, context: BotContext) -> None:
    """Log the failure with its update and user, and tell the user briefly what to do."""
    sender = sender_of(update)
    update_id = update.update_id if isinstance(update, Update) else None
    user_id = sender.user_id if sender else None
    if is_benign(context.error):
        log.info("update %s for user %s: Telegram said %s", update_id, user_id, context.error)
        return
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
