"""The long-lived resources a running bot shares, reached from handlers via ``context.runtime``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker
from telegram.ext import Application, CallbackContext, ContextTypes, ExtBot

from bot.clock import Clock
from bot.settings import Settings
from content import Content
from storage.db import autocommit_connection

RUNTIME_KEY = "runtime"


@dataclass
class Runtime:
    settings: Settings
    content: Content
    clock: Clock
    engine: AsyncEngine | None = None
    sessionmaker: async_sessionmaker[AsyncSession] | None = field(default=None, repr=False)

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


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """The callback context with typed access to the runtime."""

    @property
    def runtime(self) -> Runtime:
        runtime = self.application.bot_data[RUNTIME_KEY]
        if not isinstance(runtime, Runtime):
            raise TypeError("bot_data has no Runtime")
        return runtime


CONTEXT_TYPES = ContextTypes(context=BotContext)

BotApp = Application[ExtBot[None], BotContext, dict[Any, Any], dict[Any, Any], dict[Any, Any], Any]


def runtime_of(app: BotApp) -> Runtime:
    runtime = app.bot_data[RUNTIME_KEY]
    if not isinstance(runtime, Runtime):
        raise TypeError("bot_data has no Runtime")
    return runtime
