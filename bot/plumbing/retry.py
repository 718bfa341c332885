"""Retries at the Bot API's HTTP boundary: what is safe to send again is sent again, briefly.

``RetryingRequest`` wraps the real ``BaseRequest`` (httpx, or the fake in tests) and decides per
answer, in one place for every handler and job:

- **429 Too Many Requests**: Telegram did not deliver; wait ``retry_after`` and send again, if
  that is at most ``max_wait`` seconds (else give up: the caller's error handling logs it).
  Every 429, retried or not, is first told to the ``flood`` listener (the send budget: it
  pauses every send for ``retry_after``, so reminders and countdowns back off too, and counts
  it), and a retry takes a fresh slot from it before it goes (it is one more send).
- **502/503/504** (Telegram's front could not reach its servers) and **requests that never
  left** (connection refused, no free connection): back off 0.5 s, 1 s and send again.
- **Timeouts after the request was sent**: retried only for methods that are safe to repeat
  (edits, deletes, reads). A ``sendMessage`` that timed out may have been delivered, so it is
  not repeated: the user is told something went wrong rather than getting a message twice.
- **answerCallbackQuery** only stops the button's spinner, and Telegram refuses it once the tap
  is ~15 s old ("query is too old", e.g. after a restart). Its failure must never stop the tap's
  work, so any failure is logged and reported to the caller as ``result: false``; it is never
  retried (a late answer is useless).

A handler waits at most ``max_wait`` plus the back-offs for one reply; other users are not held
up meanwhile (bot/plumbing/update_processor.py runs different users' updates concurrently).
The daily prompts opt out (``no_retries``): the reminder sweep records a 429 or a timeout and
sends again from a later run, without holding a send slot.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Awaitable, Callable, Iterator
from contextvars import ContextVar
from typing import Any, Protocol

import httpx
from telegram.error import NetworkError, TelegramError, TimedOut
from telegram.request import BaseRequest, RequestData

log = logging.getLogger(__name__)

Sleep = Callable[[float], Awaitable[None]]

RETRY_STATUSES = frozenset({502, 503, 504})
BACKOFF = (0.5, 1.0)
MAX_WAIT = 5.0
"""The longest 429 ``retry_after`` a reply waits out; longer ones are given up at once."""

# Methods that change nothing when repeated: a repeated edit is "not modified", a repeated
# delete "not found" (both benign); reads and settings are idempotent.
SAFE_TO_REPEAT = frozenset(
    {
        "editMessageText",
        "editMessageCaption",
        "editMessageReplyMarkup",
        "deleteMessage",
        "getMe",
        "getMyCommands",
        "setMyCommands",
        "deleteMyCommands",
        "deleteWebhook",
        "setWebhook",
        "getWebhookInfo",
        "getChat",
        "sendChatAction",
    }
)
CALLBACK_ANSWER = "answerCallbackQuery"
NOT_ANSWERED = json.dumps({"ok": True, "result": False}).encode()


class FloodListener(Protocol):
    """Who hears of Telegram's 429s (``bot.plumbing.pace.BudgetFlood``: the send budget)."""

    def refused(self, api_method: str, chat_id: object, retry_after: float, *, paid: bool) -> None:
        """Telegram answered 429 to this call: nothing more for ``retry_after`` seconds."""

    async def before_resend(self, api_method: str, chat_id: object, *, paid: bool) -> None:
        """A 429'd call is about to go again: wait for its slot."""


_retries_off: ContextVar[bool] = ContextVar("telegram_retries_off", default=False)


@contextlib.contextmanager
def no_retries() -> Iterator[None]:
    """Within this block (this task), every Bot API answer reaches the caller at once."""
    token = _retries_off.set(True)
    try:
        yield
    finally:
        _retries_off.reset(token)


def _never_sent(error: TelegramError) -> bool:
    """The request did not leave this machine (so sending it again cannot duplicate it)."""
    cause = error.__cause__
    return isinstance(cause, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout)


def _retry_after(payload: bytes) -> float | None:
    try:
        body = json.loads(payload)
        value = body["parameters"]["retry_after"]
    except (ValueError, KeyError, TypeError):
        return None
    return float(value) if isinstance(value, int | float) else None


class RetryingRequest(BaseRequest):
    """A ``BaseRequest`` that sends again what is safe to send again (see the module doc)."""

    def __init__(
        self,
        inner: BaseRequest,
        *,
        sleep: Sleep = asyncio.sleep,
        max_wait: float = MAX_WAIT,
        backoff: tuple[float, ...] = BACKOFF,
        flood: FloodListener | None = None,
    ) -> None:
        self.inner = inner
        self.flood = flood
        self._sleep = sleep
        self._max_wait = max_wait
        self._backoff = backoff

    @property
    def read_timeout(self) -> float | None:
        return self.inner.read_timeout

    async def initialize(self) -> None:
        await self.inner.initialize()

    async def shutdown(self) -> None:
        await self.inner.shutdown()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        api_method = url.rsplit("/", 1)[-1]
        parameters = request_data.parameters if request_data else {}
        chat_id = parameters.get("chat_id")
        paid = parameters.get("allow_paid_broadcast") in (True, "true", "True")
        attempt = 0
        while True:
            retry_after: float | None = None  # a 429's, told to the flood listener
            try:
                code, payload = await self.inner.do_request(
                    url,
                    method,
                    request_data,
                    read_timeout=read_timeout,
                    write_timeout=write_timeout,
                    connect_timeout=connect_timeout,
                    pool_timeout=pool_timeout,
                )
            except TelegramError as error:
                if api_method == CALLBACK_ANSWER:
                    return self._unanswered(f"{type(error).__name__}: {error}")
                wait = self._wait_after_error(api_method, error, attempt)
                if wait is None:
                    raise
                reason = f"{type(error).__name__}: {error}"
            else:
                if code == 429 and self.flood is not None:
                    retry_after = _retry_after(payload)
                    if retry_after is not None:
                        self.flood.refused(api_method, chat_id, retry_after, paid=paid)
                if api_method == CALLBACK_ANSWER and code != 200:
                    return self._unanswered(_description(payload, code))
                wait = self._wait_after_answer(code, payload, attempt)
                if wait is None:
                    return code, payload
                reason = _description(payload, code)
            attempt += 1
            log.info(
                "Telegram %s for chat %s: %s; sending again in %.1f s (retry %s)",
                api_method,
                chat_id,
                reason,
                wait,
                attempt,
            )
            await self._sleep(wait)
            if self.flood is not None and retry_after is not None:
                await self.flood.before_resend(api_method, chat_id, paid=paid)

    def _wait_after_answer(self, code: int, payload: bytes, attempt: int) -> float | None:
        if _retries_off.get() or attempt >= len(self._backoff):
            return None
        if code == 429:
            retry_after = _retry_after(payload)
            if retry_after is None or retry_after > self._max_wait:
                return None
            return max(retry_after, 0.0)
        if code in RETRY_STATUSES:
            return self._backoff[attempt]
        return None

    def _wait_after_error(
        self, api_method: str, error: TelegramError, attempt: int
    ) -> float | None:
        if _retries_off.get() or attempt >= len(self._backoff):
            return None
        if not isinstance(error, NetworkError):
            return None
        if _never_sent(error) or (isinstance(error, TimedOut) and api_method in SAFE_TO_REPEAT):
            return self._backoff[attempt]
        return None

    @staticmethod
    def _unanswered(reason: str) -> tuple[int, bytes]:
        log.info("a button tap's answer was not delivered (%s); the tap goes on", reason)
        return 200, NOT_ANSWERED


def _description(payload: bytes, code: int) -> str:
    try:
        description = json.loads(payload).get("description")
    except (ValueError, AttributeError):
        description = None
    return f"{code} {description}" if description else str(code)
