"""/help, and what nothing else took: unknown commands, buttons this bot does not recognise,
and text no other route understood.

``register_last`` runs after every other feature's ``register``, so they get the first look.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.features.questions.views import exercises_keyboard
from bot.features.safety.handlers import explained
from bot.plumbing.callbacks import CallbackDataError, decode
from bot.plumbing.mapping import Sender
from bot.plumbing.senders import for_sender
from bot.plumbing.text_router import PRIORITY_FALLBACK
from bot.runtime import BotApp, BotContext, runtime_of

log = logging.getLogger(__name__)


@for_sender
async def help_command(sender: Sender, context: BotContext) -> None:
    await context.bot.send_message(sender.chat_id, context.runtime.content.t("help"))


@for_sender
async def unknown_command(sender: Sender, context: BotContext) -> None:
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


async def unknown_text(update: Update, context: BotContext, sender: Sender) -> bool:
    """Nothing else understood the message: say so, and offer the stretches and the questions
    (not after the ordinary-sciatica explanation: that was the answer)."""
    if explained(context, sender.update_id):
        return True
    content = context.runtime.content
    await context.bot.send_message(
        sender.chat_id,
        content.t("text_fallback"),
        reply_markup=exercises_keyboard(content, with_topics=True),
    )
    return True


def register(app: BotApp) -> None:
    app.add_handler(CommandHandler("help", help_command))


def register_last(app: BotApp) -> None:
    app.add_handler(MessageHandler(filters.COMMAND, unknown_command))
    app.add_handler(CallbackQueryHandler(unknown_button))
    runtime_of(app).add_text_route(PRIORITY_FALLBACK, unknown_text)
