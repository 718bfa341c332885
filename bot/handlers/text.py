"""One router for plain text messages: each feature adds a route with a priority.

Routes run from the lowest priority number up; the first that returns True has handled the
message. Red-flag wording (priority 10) comes before anything else.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import Update
from telegram.ext import MessageHandler, filters

from bot.keyboards import exercises_keyboard
from bot.runtime import BotApp, BotContext
from bot.telegram_map import Sender, sender_of

TextRoute = Callable[[Update, BotContext, Sender], Awaitable[bool]]

ROUTES_KEY = "text_routes"

PRIORITY_SAFETY = 10
PRIORITY_AWAITING = 20
PRIORITY_COMMAND_LIKE = 30
PRIORITY_QUESTIONS = 40
PRIORITY_FALLBACK = 1000


def add_text_route(app: BotApp, priority: int, route: TextRoute) -> None:
    routes: list[tuple[int, TextRoute]] = app.bot_data.setdefault(ROUTES_KEY, [])
    routes.append((priority, route))
    routes.sort(key=lambda item: item[0])


async def on_text(update: Update, context: BotContext) -> None:
    sender = sender_of(update)
    if sender is None or sender.text is None:
        return
    routes: list[tuple[int, TextRoute]] = context.application.bot_data.get(ROUTES_KEY, [])
    for _, route in routes:
        if await route(update, context, sender):
            return


async def _fallback(update: Update, context: BotContext, sender: Sender) -> bool:
    """Nothing else understood the message: say so, and offer the stretches and the questions."""
    content = context.runtime.content
    await context.bot.send_message(
        sender.chat_id,
        content.t("text_fallback"),
        reply_markup=exercises_keyboard(content, with_topics=True),
    )
    return True


def register(app: BotApp) -> None:
    app.add_handler(
        MessageHandler(filters.TEXT & ~filters.COMMAND & filters.ChatType.PRIVATE, on_text),
    )
    add_text_route(app, PRIORITY_FALLBACK, _fallback)
