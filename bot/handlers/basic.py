"""/help and /exercise. (/start is in bot.handlers.onboarding.)"""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from bot.domain.exercise_lookup import exact_exercise
from bot.render import exercise_card
from bot.runtime import BotApp, BotContext
from bot.telegram_map import sender_of


async def help_command(update: Update, context: BotContext) -> None:
    sender = sender_of(update)
    if sender is None:
        return
    await context.bot.send_message(sender.chat_id, context.runtime.content.t("help"))


async def exercise_command(update: Update, context: BotContext) -> None:
    sender = sender_of(update)
    if sender is None:
        return
    content = context.runtime.content
    query = " ".join(context.args or [])[:200]
    if not query:
        await context.bot.send_message(sender.chat_id, content.t("exercise_usage"))
        return
    exercise = exact_exercise(content, query)
    if exercise is None:
        names = "\n".join(f"• {item.name}" for item in content.exercises)
        text = content.t("exercise_not_found", query=query, names=names)
        await context.bot.send_message(sender.chat_id, text)
        return
    await context.bot.send_message(sender.chat_id, exercise_card(content, exercise))


def register(app: BotApp) -> None:
    app.add_handler(CommandHandler("help", help_command))
    app.add_handler(CommandHandler("exercise", exercise_command))
