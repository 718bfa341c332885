"""Reading a tapped button: the one step every button handler starts with."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from telegram import CallbackQuery, Update

from bot.plumbing.callbacks import CallbackData, CallbackDataError, decode
from bot.plumbing.mapping import Sender, sender_of
from bot.runtime import BotContext

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Tap:
    """A button press, already answered: who, where, and the decoded data."""

    sender: Sender
    query: CallbackQuery
    data: CallbackData

    @property
    def user_id(self) -> int:
        return self.sender.user_id

    @property
    def chat_id(self) -> int:
        return self.sender.chat_id

    @property
    def language_code(self) -> str | None:
        return self.sender.language_code

    @property
    def message_id(self) -> int | None:
        """The message the button was on (None for buttons on inline-mode messages)."""
        message = self.query.message
        return message.message_id if message is not None else None


Check = Callable[[CallbackData], object]
"""Checks a tap's arguments: returning False or raising CallbackDataError rejects it."""


def whole_number(index: int) -> Check:
    """A check that argument ``index`` is a whole number."""
    return lambda data: data.int_arg(index)


async def read_tap(
    update: Update,
    context: BotContext,
    check: Check | None = None,
    *,
    stale: Callable[[CallbackData], bool] | None = None,
) -> Tap | None:
    """Decode the tap and answer it at once, before any database work.

    None (after a short answer) for data we did not make or that fails ``check`` (logged as
    rejected), or that ``stale`` says points at something no longer there.
    """
    query = update.callback_query
    sender = sender_of(update)
    if query is None or sender is None:
        return None
    content = context.runtime.content
    try:
        data = decode(query.data)
        if check is not None and check(data) is False:
            raise CallbackDataError(f"{data.action}: arguments out of range")
    except CallbackDataError as error:
        log.warning(
            "rejected button: user=%s update=%s reason=%s", sender.user_id, sender.update_id, error
        )
        await query.answer(content.t("button_forged"))
        return None
    if stale is not None and stale(data):
        await query.answer(content.t("button_stale"))
        return None
    await query.answer()
    return Tap(sender, query, data)
