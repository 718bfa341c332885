"""What nothing else took: unknown commands and buttons this bot does not recognise.

Registered last, so every feature's handlers get the first look.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import CallbackQueryHandler, MessageHandler, filters

from bot.callbacks import CallbackDataError, decode
from bot.runtime import BotApp, BotContext
from bot.telegram_map import sender_of

log = logging.getLogger(__name__)


async def unknown_command(update: Update, context: BotContext) -> None:
    sender = sender_of(update)
    if sender is None:
        return
    await context.bot.send_message(sender.chat_id, context.runtime.content.t("unknown_command"))


async def unknown_button(update: Update, context: BotContext) -> None:
    """A button no handler matched: data we never made (forged) or an action no longer offered."""
    query = update.callback_query
    if query is None:
        return
    content = context.runtime.content
    try:
        decode(query.data)
    except CallbackDataError as error:
        log.warning(
            "rejected callback data: user=%s update=%s reason=%s",
            query.from_user.id,
            update.update_id,
            error,
        )
        await query.answer(content.t("button_forged"))
        return
    await query.answer(content.t("button_stale"))


def register(app: BotApp) -> None:
    app.add_handler(MessageHandler(filters.COMMAND, unknown_command))
    app.add_handler(CallbackQueryHandler(unknown_button))
