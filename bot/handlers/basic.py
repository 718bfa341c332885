"""/help. (/start is in bot.handlers.onboarding, /exercise in bot.handlers.questions.)"""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from bot.runtime import BotApp, BotContext
from bot.telegram_map import sender_of


async def help_command(update: Update, context: BotContext) -> None:
    sender = sender_of(update)
    if sender is None:
        return
    await context.bot.send_message(sender.chat_id, context.runtime.content.t("help"))


def register(app: BotApp) -> None:
    app.add_handler(CommandHandler("help", help_command))
