"""Reading a tapped button: the one step every button handler starts with.

``read_tap`` decodes the button's data, parses its arguments once with the handler's parser,
and answers the query at once, before any database work. Data we did not make, or that the
parser refuses, is answered "forged" and logged; data that ``stale`` says points at something
no longer there is answered "stale".
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, overload

from telegram import CallbackQuery, Update

from bot.plumbing.callbacks import CallbackData, CallbackDataError, decode
from bot.plumbing.mapping import Sender, sender_of
from bot.runtime import BotContext

log = logging.getLogger(__name__)

T = TypeVar("T")

Parser = Callable[[CallbackData], T]
"""Parses a tap's arguments; raising CallbackDataError (or returning False) rejects the tap."""


def no_args(data: CallbackData) -> None:
    """The parser for buttons without arguments."""


def whole_number(index: int) -> Parser[int]:
    """A parser for argument ``index`` as a whole number."""
    return lambda data: data.int_arg(index)


@dataclass(frozen=True, slots=True)
class Tap(Generic[T]):
    """A button press, already answered: who, where, the decoded data and its parsed args."""

    sender: Sender
    query: CallbackQuery
    data: CallbackData
    args: T

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

    @property
    def text(self) -> str:
        """The text of the message the button was on ("" when Telegram did not send it)."""
        return getattr(self.query.message, "text", None) or ""

    @property
    def has_markup(self) -> bool:
        return getattr(self.query.message, "reply_markup", None) is not None


@overload
async def read_tap(
    update: Update,
    context: BotContext,
    *,
    stale: Callable[[CallbackData], bool] | None = None,
    answer_later: bool = False,
) -> Tap[None] | None: ...


@overload
async def read_tap(
    update: Update,
    context: BotContext,
    parse: Parser[T],
    *,
    stale: Callable[[CallbackData], bool] | None = None,
    answer_later: bool = False,
) -> Tap[T] | None: ...


async def read_tap(
    update: Update,
    context: BotContext,
    parse: Parser[Any] = no_args,
    *,
    stale: Callable[[CallbackData], bool] | None = None,
    answer_later: bool = False,
) -> Tap[Any] | None:
    """The tap, answered, with its arguments parsed once; None (after a short answer) when it
    is forged, refused by ``parse``, or ``stale``. With ``answer_later`` a good tap is left
    for the handler to answer (``tap.query.answer(text)``), e.g. "already saved"."""
    query = update.callback_query
    sender = sender_of(update)
    if query is None or sender is None:
        return None
    content = context.runtime.content
    try:
        data = decode(query.data)
        args = parse(data)
        if args is False:
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
    if not answer_later:
        await query.answer()
    return Tap(sender, query, data, args)
