"""One router for plain text messages: each feature adds a route with a priority.

Routes run from the lowest priority number up; the first that returns True has handled the
message. Safety screening (priority 10) comes before anything else. Features add routes with
``runtime.add_text_route``; the fallback (basics) answers what nothing else understood.
Edited messages are not routed here: the safety feature screens them (and does nothing else).
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import MessageHandler, filters

from bot.plumbing.mapping import sender_of
from bot.runtime import BotApp, BotContext

PRIORITY_SAFETY = 10
PRIORITY_AWAITING = 20
PRIORITY_COMMAND_LIKE = 30
PRIORITY_QUESTIONS = 40
PRIORITY_FALLBACK = 1000


async def on_text(update: Update, context: BotContext) -> None:
    sender = sender_of(update)
    if sender is None or sender.text is None:
        return
    for _, route in context.runtime.text_routes:
        if await route(update, context, sender):
            return


def register(app: BotApp) -> None:
    app.add_handler(
        MessageHandler(
            filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND & filters.ChatType.PRIVATE,
            on_text,
        ),
    )
