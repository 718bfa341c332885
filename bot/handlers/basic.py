"""/start and /help."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from bot.runtime import BotApp, BotContext
from bot.services.users import greet_user
from bot.telegram_map import sender_of


async def start(update: Update, context: BotContext) -> None:
    sender = sender_of(update)
    if sender is None:
        return
    runtime = context.runtime
    async with runtime.session() as session:
        await greet_user(
            session,
            user_id=sender.user_id,
            chat_id=sender.chat_id,
            language_code=sender.language_code,
            now=runtime.clock.now(),
        )
    content = runtime.content
    text = content.t("welcome", disclaimer=content.safety.disclaimer.strip())
    await context.bot.send_message(sender.chat_id, text)


async def help_command(update: Update, context: BotContext) -> None:
    sender = sender_of(update)
    if sender is None:
        return
    await context.bot.send_message(sender.chat_id, context.runtime.content.t("help"))


def register(app: BotApp) -> None:
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CommandHandler("help", help_command))
