"""The long-lived resources a running bot shares, reached from handlers via ``context.runtime``.

Settings, clock and logging live beside this module (``bot.runtime.settings``, ``.clock``,
``.logs``). The composition root (``bot.composition``) builds one ``Runtime``; features read it
and add their start-up hooks and text routes to it, so nothing imports the composition root.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker
from telegram import Update
from telegram.ext import Application, CallbackContext, ContextTypes, ExtBot

from bot.domain.questions import Library
from bot.domain.zoneparse import ZoneDirectory
from bot.plumbing.mapping import Sender
from bot.runtime.budget import SendBudget
from bot.runtime.clock import Clock
from bot.runtime.settings import Settings
from bot.services.zone_lookup import ZoneLocator
from content import Content
from storage.db import autocommit_connection

RUNTIME_KEY = "runtime"

StartupHook = Callable[["BotApp"], Awaitable[None]]
TextRoute = Callable[[Update, "BotContext", Sender], Awaitable[bool]]
EraseHook = Callable[[int], Awaitable[None]]
"""Called with a user id after /delete erased the user's rows: removes what else was kept."""


@dataclass
class Runtime:
    settings: Settings
    content: Content
    clock: Clock
    library: Library
    budget: SendBudget = field(
        default_factory=lambda: SendBudget(rate=None, paid_rate=1000.0, max_in_flight=1)
    )
    """Every send and edit takes a slot of this (``bot.plumbing.pace``), answers first."""
    zone_locator: ZoneLocator = field(default_factory=ZoneLocator)
    zone_directory: ZoneDirectory | None = None  # loaded by a start-up hook, in a thread
    engine: AsyncEngine | None = None
    sessionmaker: async_sessionmaker[AsyncSession] | None = field(default=None, repr=False)
    startup_hooks: list[StartupHook] = field(default_factory=list, repr=False)
    text_routes: list[tuple[int, TextRoute]] = field(default_factory=list, repr=False)
    drawing: asyncio.Task[None] | None = field(default=None, repr=False)
    """The start-up drawing of the exercise pictures (a worker thread), while it runs."""
    erase_hooks: list[EraseHook] = field(default_factory=list, repr=False)

    def session(self) -> AsyncSession:
        """A new database session; one per update or job, never shared across tasks."""
        if self.sessionmaker is None:
            raise RuntimeError("the database is not open yet (post_init has not run)")
        return self.sessionmaker()

    @asynccontextmanager
    async def autocommit_connection(self) -> AsyncIterator[AsyncConnection]:
        """A connection for single-statement writes on a hot path (``storage.db.
        autocommit_connection``)."""
        if self.engine is None:
            raise RuntimeError("the database is not open yet (post_init has not run)")
        async with autocommit_connection(self.engine) as connection:
            yield connection

    def zones(self) -> ZoneDirectory:
        if self.zone_directory is None:
            raise RuntimeError("the zone directory is not loaded (start-up hook did not run)")
        return self.zone_directory

    def add_startup_hook(self, hook: StartupHook) -> None:
        """Run ``hook`` once the database is open, before updates are processed."""
        self.startup_hooks.append(hook)

    def add_erase_hook(self, hook: EraseHook) -> None:
        """Run ``hook(user_id)`` after /delete: whoever wrote files for a user removes them."""
        self.erase_hooks.append(hook)

    def add_text_route(self, priority: int, route: TextRoute) -> None:
        """Offer plain text messages to ``route``; lower priorities are asked first."""
        self.text_routes.append((priority, route))
        self.text_routes.sort(key=lambda item: item[0])


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """The callback context with typed access to the runtime."""

    @property
    def runtime(self) -> Runtime:
        return runtime_of(self.application)


CONTEXT_TYPES = ContextTypes(context=BotContext)

BotApp = Application[ExtBot[None], BotContext, dict[Any, Any], dict[Any, Any], dict[Any, Any], Any]


def runtime_of(app: Application[Any, Any, Any, Any, Any, Any]) -> Runtime:
    runtime = app.bot_data[RUNTIME_KEY]
    if not isinstance(runtime, Runtime):
        raise TypeError("bot_data has no Runtime")
    return runtime
