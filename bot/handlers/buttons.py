"""Reading a tapped button: the one step every button handler starts with."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from telegram import CallbackQuery, Update

from bot.callbacks import CallbackData, CallbackDataError, decode
from bot.runtime import BotContext
from bot.telegram_map import Sender, sender_of

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Tap:
    sender: Sender
    query: CallbackQuery
    data: CallbackData


Check = Callable[[CallbackData], bool]


def whole_number(index: int) -> Check:
    """A check that argument ``index`` is a whole number."""
    return lambda data: isinstance(data.int_arg(index), int)


async def read_tap(update: Update, context: BotContext, check: Check | None = None) -> Tap | None:
    """Decode the tap and answer it at once; None (after a short answer) for data we did not
    make, or that fails ``check`` (which may also raise CallbackDataError)."""
    query = update.callback_query
    sender = sender_of(update)
    if query is None or sender is None:
        return None
    try:
        data = decode(query.data)
        if check is not None and not check(data):
            raise CallbackDataError(f"{data.action}: arguments out of range")
    except CallbackDataError as error:
        log.warning(
            "rejected button: user=%s update=%s reason=%s", sender.user_id, sender.update_id, error
        )
        await query.answer(context.runtime.content.t("button_forged"))
        return None
    await query.answer()
    return Tap(sender, query, data)
