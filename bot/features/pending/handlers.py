"""What every wait for a typed answer shares on the Telegram side: any command ends the wait
(before the command's own handler runs, so a command that asks again starts a new one), and a
pending question repeated, briefly, after the reply to a text that was something else."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import MessageHandler, filters

from bot.plumbing.mapping import Sender, sender_of
from bot.plumbing.text_router import after_reply
from bot.runtime import BotApp, BotContext
from bot.services.pending import end_wait_for_command, still_waiting

log = logging.getLogger(__name__)

COMMAND_GROUP = -1
"""Handlers in this group run before every command's own handler (group 0)."""

StillOpen = Callable[[], Awaitable[bool]]


async def end_wait_on_command(update: Update, context: BotContext) -> None:
    """Before any command: no typed answer is awaited any more. A failure here (the database
    busy) is only logged: the command's own handler runs next and reports its own errors."""
    sender = sender_of(update)
    if sender is None:
        return
    try:
        async with context.runtime.session() as session:
            await end_wait_for_command(session, sender.user_id)
    except Exception:  # whatever it was, the command itself goes on
        log.warning("could not end a pending wait before a command: user=%s", sender.user_id)


def repeat_question(
    context: BotContext,
    sender: Sender,
    text: str,
    *,
    awaiting: str | None = None,
    still_open: StillOpen | None = None,
    markup: InlineKeyboardMarkup | None = None,
) -> None:
    """After this message's reply, send ``text`` (the pending question, briefly) if the wait
    for ``awaiting`` (or what ``still_open`` checks) is still on: the reply may have ended it."""
    runtime = context.runtime

    async def waiting() -> bool:
        async with runtime.session() as session:
            return await still_waiting(session, sender.user_id, awaiting or "", runtime.clock.now())

    check = still_open or waiting

    async def follow_up() -> None:
        if await check():
            await context.bot.send_message(sender.chat_id, text, reply_markup=markup)

    after_reply(context, follow_up)


def register(app: BotApp) -> None:
    app.add_handler(
        MessageHandler(filters.COMMAND & filters.ChatType.PRIVATE, end_wait_on_command),
        group=COMMAND_GROUP,
    )
