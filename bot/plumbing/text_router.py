"""One router for plain text messages: each feature adds a route with a priority.

Routes run from the lowest priority number up; the first that returns True has handled the
message. Safety screening (priority 10) comes before anything else. Features add routes with
``runtime.add_text_route``; the fallback (basics) answers what nothing else understood.

A route that waits for a typed answer and finds the text is something else (a pain score, a
question) passes it on and asks, with ``after_reply``, to repeat its question once the route
that takes the text has answered.
Edited messages are not routed here: the safety feature screens them (and does nothing else).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import Update
from telegram.ext import MessageHandler, filters

from bot.plumbing.mapping import sender_of
from bot.runtime import BotApp, BotContext

PRIORITY_SAFETY = 10
PRIORITY_AWAITING = 20
PRIORITY_COMMAND_LIKE = 30
PRIORITY_QUESTIONS = 40
PRIORITY_FALLBACK = 1000

FollowUp = Callable[[], Awaitable[None]]
_FOLLOW_UPS = "_text_follow_ups"


def after_reply(context: BotContext, follow_up: FollowUp) -> None:
    """Run ``follow_up`` after this message's reply (from the route that takes it)."""
    follow_ups: list[FollowUp] | None = getattr(context, _FOLLOW_UPS, None)
    if follow_ups is None:
        raise RuntimeError("after_reply is only for text routes (called from on_text)")
    follow_ups.append(follow_up)


async def on_text(update: Update, context: BotContext) -> None:
    sender = sender_of(update)
    if sender is None or sender.text is None:
        return
    follow_ups: list[FollowUp] = []
    setattr(context, _FOLLOW_UPS, follow_ups)
    for _, route in context.runtime.text_routes:
        if await route(update, context, sender):
            break
    for follow_up in follow_ups:
        await follow_up()


def register(app: BotApp) -> None:
    app.add_handler(
        MessageHandler(
            filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND & filters.ChatType.PRIVATE,
            on_text,
        ),
    )
