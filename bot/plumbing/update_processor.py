"""Concurrent across users, in order for each user: how the Application processes updates.

PTB processes updates one at a time by default, so one user's slow reply (Telegram timing out
after 5 s, a 429 being waited out, a database lock) holds up every other user. Here each
user's updates still run one at a time and in the order they came (a routine's taps must not
overtake each other), while different users' updates run side by side, at most
``max_working`` doing work at once.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import Application, BaseUpdateProcessor

log = logging.getLogger(__name__)

MAX_PENDING = 4096
"""Updates accepted from the fetcher at once (most of them wait for their user's turn)."""
MAX_WORKING = 16
"""Updates doing work at once: within the database pool, so sessions rarely wait."""


def user_key(update: object) -> int | None:
    """Whose turn an update waits for: the user's id, else the chat's; None for neither."""
    if not isinstance(update, Update):
        return None
    if update.effective_user is not None:
        return update.effective_user.id
    if update.effective_chat is not None:
        return update.effective_chat.id
    return None


class PerUserUpdateProcessor(BaseUpdateProcessor):
    """One lock per user with updates in flight (dropped when none are left), and one bound
    on the work done at once, taken only once it is the user's turn: a user sending a flood
    holds one working slot, not all of them."""

    def __init__(self, max_working: int = MAX_WORKING, max_pending: int = MAX_PENDING) -> None:
        super().__init__(max_pending)
        self._working = asyncio.Semaphore(max_working)
        self._locks: dict[int, asyncio.Lock] = {}
        self._waiting: dict[int, int] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = user_key(update)
        if key is None:
            async with self._working:
                await coroutine
            return
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._waiting[key] = self._waiting.get(key, 0) + 1
        try:
            async with lock, self._working:
                await coroutine
        finally:
            self._waiting[key] -= 1
            if not self._waiting[key]:
                del self._waiting[key]
                del self._locks[key]

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None


DRAIN_SECONDS = 30.0


class DrainingApplication(Application[Any, Any, Any, Any, Any, Any]):
    """An Application whose ``stop()`` first lets every update already received finish.

    PTB's own ``stop()`` marks the Application stopped before it hands the queued updates to
    the processor; with concurrent processing those would then run unawaited, after the
    database is closed. Waiting for the queue to be processed first (updates stopped coming:
    the updater or the webhook server is stopped before this) keeps every one of them.
    """

    async def stop(self) -> None:
        if self.running:
            try:
                await asyncio.wait_for(self.update_queue.join(), DRAIN_SECONDS)
            except TimeoutError:
                log.warning(
                    "stopping with %s updates unprocessed after %.0f s",
                    self.update_queue.qsize(),
                    DRAIN_SECONDS,
                )
        await super().stop()
