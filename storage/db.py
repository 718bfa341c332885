"""Engine and session setup for SQLite (default) and PostgreSQL."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

SQLITE_BUSY_TIMEOUT_SECONDS = 15.0


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def prepare_sqlite_file(url: str) -> None:
    """Create the SQLite file's folder and the file itself, readable by its owner only.

    Blocking file calls: from async code run this through ``asyncio.to_thread``.
    """
    database = make_url(url).database
    if not database or database == ":memory:":
        return
    path = Path(database)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    if not path.exists():
        descriptor = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
        os.close(descriptor)
    path.chmod(0o600)


def _configure_sqlite(engine: AsyncEngine, busy_timeout: float) -> None:
    """WAL, foreign keys, a busy timeout, ``secure_delete``, and ``BEGIN IMMEDIATE`` for every
    transaction.

    ``secure_delete`` overwrites deleted content with zeros, so a note erased with /delete is
    not left in freed pages of the file (``wipe_deleted`` then checkpoints the WAL).

    pysqlite's own transaction handling starts transactions lazily and deferred, which can
    fail at once with "database is locked" when two writers meet; taking the write lock at
    BEGIN makes a second writer wait for the busy timeout instead.
    """

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={round(busy_timeout * 1000)}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        if connection.get_execution_options().get("isolation_level") == "AUTOCOMMIT":
            return  # each statement is its own transaction (``Runtime.autocommit_connection``)
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def create_engine(
    url: str, *, echo: bool = False, busy_timeout: float = SQLITE_BUSY_TIMEOUT_SECONDS
) -> AsyncEngine:
    """An async engine configured for a long-running service on either backend.

    ``busy_timeout`` (SQLite): how long a write waits for another writer's lock before it
    fails with "database is locked". PostgreSQL connections are checked before use
    (``pool_pre_ping``), so a database restart costs the updates in flight, not the pool.
    Statement parameters are kept out of error messages (``hide_parameters``): they hold
    users' notes and answers, and error messages end up in logs.
    """
    if is_sqlite(url):
        engine = create_async_engine(
            url,
            echo=echo,
            hide_parameters=True,
            pool_size=5,
            max_overflow=5,
            connect_args={"timeout": busy_timeout},
        )
        _configure_sqlite(engine, busy_timeout)
        return engine
    return create_async_engine(
        url,
        echo=echo,
        hide_parameters=True,
        pool_size=10,
        max_overflow=10,
        pool_pre_ping=True,
        pool_recycle=1800,
    )


@asynccontextmanager
async def autocommit_connection(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    """A connection on which each statement commits by itself: one round trip per write, with
    no BEGIN and COMMIT around it. For single-statement writes that run very often.

    Its commits are as durable on PostgreSQL as on SQLite (WAL with ``synchronous=NORMAL``):
    a commit is visible at once and survives the bot being killed, but a crash of the database
    server or the machine can forget the last fraction of a second of them
    (``synchronous_commit = off``: no wait for the disk on each commit). Never torn, never
    half-written; so this is only for writes whose loss is harmless to repeat (the reminder
    sweep's "sent" marks: a forgotten one means that prompt is sent again).
    """
    async with engine.connect() as connection:
        autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
        postgresql = connection.dialect.name == "postgresql"
        if postgresql:
            await autocommit.exec_driver_sql("SET synchronous_commit = off")
        try:
            yield autocommit
        finally:
            if postgresql:  # a pooled connection keeps its settings: put it back as it was
                await _reset_or_discard(autocommit, "RESET synchronous_commit")


async def wipe_deleted(engine: AsyncEngine) -> None:
    """After an erase: on SQLite, copy the WAL into the file (where ``secure_delete`` has
    zeroed the deleted rows) and truncate the WAL, so no old page with the rows stays in
    either file. PostgreSQL frees dead rows with VACUUM (autovacuum; README "Erasing")."""
    if engine.dialect.name != "sqlite":
        return
    async with autocommit_connection(engine) as connection:
        await connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


async def _reset_or_discard(connection: AsyncConnection, statement: str) -> None:
    """Run ``statement``; a connection that cannot (it died meanwhile) leaves the pool."""
    try:
        await connection.exec_driver_sql(statement)
    except Exception:  # whatever broke the connection, it is not reused
        await connection.invalidate()


async def execute_autocommit(url: str, *statements: str) -> None:
    """Run statements that cannot run inside a transaction (``CREATE DATABASE``), each on its
    own, on a short-lived engine (tests and benchmarks set up databases with it)."""
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
            for statement in statements:
                await autocommit.exec_driver_sql(statement)
    finally:
        await engine.dispose()


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)
