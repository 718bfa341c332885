"""Every Bot API call through the one send budget (``bot.runtime.budget``), with its priority.

``PacedRateLimiter`` is PTB's rate limiter for the whole bot: a call that puts something in a
chat (``send*``, ``edit*``, copies and forwards) waits for a slot of the budget; anything else
(answering a button's spinner, reading updates, settings) goes straight through. The caller's
priority comes from a context variable: the default is an answer to a user; the reminder
sweep marks its sends ``sending_as(Priority.REMINDER)`` and the hold timer its countdown edits
``sending_as(Priority.COUNTDOWN, max_wait=...)``. A countdown edit that finds no slot in time
is given up as ``SendSkipped`` (it would show a stale count).

Each answer's round trip is measured for the pipeline's width (``SendBudget.window``). A 429
pauses the bucket it came from for ``retry_after`` (``BudgetFlood``, told by the request
layer, ``bot.plumbing.retry``, of every 429, whoever sent it: an answer's 429 holds back the
reminders and countdowns too) and is counted (``BudgetStats.held_off``). A reply's 429 is
retried by the request layer, after a fresh slot; a prompt's reaches the sweep at once (it
reschedules the prompt; it never sleeps on it).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Coroutine, Iterator
from contextvars import ContextVar
from typing import Any

from telegram.error import TelegramError
from telegram.ext import BaseRateLimiter

from bot.runtime.budget import Expired, Priority, SendBudget

log = logging.getLogger(__name__)

COUNTED_PREFIXES = ("send", "edit", "copyMessage", "forwardMessage")
NOT_COUNTED = frozenset({"sendChatAction"})

_priority: ContextVar[Priority] = ContextVar("send_priority", default=Priority.ANSWER)
_max_wait: ContextVar[float | None] = ContextVar("send_max_wait", default=None)
# Set when a call was sent again after a 429: its time is no round trip to learn from.
_resent: ContextVar[bool] = ContextVar("send_resent", default=False)

Result = bool | dict[str, Any] | list[dict[str, Any]]


class SendSkipped(TelegramError):
    """A call that may wait only so long found no free slot: it was not sent."""


@contextlib.contextmanager
def sending_as(priority: Priority, *, max_wait: float | None = None) -> Iterator[None]:
    """Within this block (this task and the tasks it starts), calls take ``priority``."""
    token = _priority.set(priority)
    wait_token = _max_wait.set(max_wait)
    try:
        yield
    finally:
        _max_wait.reset(wait_token)
        _priority.reset(token)


def counted(endpoint: str) -> bool:
    """Whether a Bot API method counts against Telegram's message limits."""
    return endpoint.startswith(COUNTED_PREFIXES) and endpoint not in NOT_COUNTED


class PacedRateLimiter(BaseRateLimiter[None]):
    """PTB's rate limiter backed by the bot's ``SendBudget`` (see the module doc)."""

    def __init__(self, budget: SendBudget) -> None:
        self.budget = budget

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Result]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: None,
    ) -> Result:
        if not counted(endpoint):
            return await callback(*args, **kwargs)
        chat = data.get("chat_id")
        paid = bool(data.get("allow_paid_broadcast"))
        try:
            await self.budget.acquire(
                _priority.get(),
                chat if isinstance(chat, int | str) else None,
                paid=paid,
                max_wait=_max_wait.get(),
            )
        except Expired:
            raise SendSkipped(f"{endpoint}: no free slot in time") from None
        started = self.budget.now()
        token = _resent.set(False)
        try:
            result = await callback(*args, **kwargs)  # a 429 is told to BudgetFlood on its way
            if not _resent.get():
                self.budget.observe_rtt(self.budget.now() - started)
        finally:
            _resent.reset(token)
        return result


class BudgetFlood:
    """The request layer's flood listener (``bot.plumbing.retry.FloodListener``): a 429 pauses
    the send budget; a retried call takes a slot again, with the caller's priority."""

    def __init__(self, budget: SendBudget) -> None:
        self.budget = budget

    def refused(self, api_method: str, chat_id: object, retry_after: float, *, paid: bool) -> None:
        log.warning(
            "Telegram's flood control (429) on %s for chat %s: %s sends paused for %.0f s",
            api_method,
            chat_id,
            "paid" if paid else "all",
            retry_after,
        )
        self.budget.hold_off(retry_after, paid=paid)

    async def before_resend(self, api_method: str, chat_id: object, *, paid: bool) -> None:
        _resent.set(True)
        if counted(api_method):
            chat = chat_id if isinstance(chat_id, int | str) else None
            await self.budget.acquire(_priority.get(), chat, paid=paid)
