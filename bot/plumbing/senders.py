"""Handlers that start from who sent the update: ``for_sender``."""

from __future__ import annotations

import functools
from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Update

from bot.plumbing.mapping import Sender, sender_of
from bot.runtime import BotContext

SenderHandler = Callable[[Sender, BotContext], Coroutine[Any, Any, None]]


def for_sender(
    handler: SenderHandler,
) -> Callable[[Update, BotContext], Coroutine[Any, Any, None]]:
    """A command or message handler that starts from the plain sender (updates without one, such
    as channel posts, are left alone)."""

    @functools.wraps(handler)
    async def from_update(update: Update, context: BotContext) -> None:
        sender = sender_of(update)
        if sender is not None:
            await handler(sender, context)

    return from_update
