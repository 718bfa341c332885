"""Shared pieces of the benchmarks: databases made for one run, bulk subscribers, tables.

Every benchmark makes its own database (a SQLite file in a temporary folder, or a PostgreSQL
database created on the server named by ``--pg-url`` and dropped at the end), migrated by
Alembic like the product's, and fills it with plain bulk INSERTs: the set-up is not measured.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import os
import platform
import re
import statistics
import sys
import tempfile
import uuid
from collections.abc import AsyncIterator, Sequence
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.domain.schedule import EVERY_DAY
from bot.runtime.logs import ExpectedNoiseFilter
from bot.runtime.settings import Settings
from storage.db import create_engine, execute_autocommit
from storage.migrate import upgrade
from storage.models import ReminderDelivery, Subscription, User

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_PG_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
BENCH_TOKEN = "123456:BENCH-token-for-the-fake-bot-api-xyz"
FIRST_USER_ID = 5_000_000_000  # well clear of real-looking ids; chat id = user id
INSERT_CHUNK = 5_000

# Zones and times the bulk subscribers are spread over (the schedule code works per row).
ZONES = ("Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Sydney", "UTC")
TIMES = (time(7, 0), time(7, 30), time(8, 0), time(12, 15), time(19, 45))


def bench_settings(database_url: str, **overrides: Any) -> Settings:
    """The bot's settings for a benchmark run: no .env file, rate limiter off unless asked."""
    values: dict[str, Any] = {
        "telegram_bot_token": BENCH_TOKEN,
        "database_url": database_url,
        "rate_limit_enabled": False,
        "log_level": "WARNING",
        "pictures_enabled": False,  # no drawing at start-up sharing the CPU with the figures
        "hands_free_default": False,  # the benchmarks tap each hold, as they measure taps
        "_env_file": None,
    }
    values.update(overrides)
    return Settings(**values)


def quiet_logging(level: int = logging.WARNING) -> None:
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    for handler in logging.getLogger().handlers:
        handler.addFilter(ExpectedNoiseFilter())  # as the bot's own logging does
    for name in ("httpx", "httpcore", "apscheduler", "uvicorn", "alembic"):
        logging.getLogger(name).setLevel(max(level, logging.WARNING))


# --- databases ---------------------------------------------------------------------------


@contextlib.asynccontextmanager
async def postgres_database(admin_url: str) -> AsyncIterator[str]:
    """A fresh PostgreSQL database on the server of ``admin_url``, migrated, dropped at the end."""
    name = f"sciatica_bench_{uuid.uuid4().hex[:10]}"
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    await execute_autocommit(admin_url, f'CREATE DATABASE "{name}"')
    try:
        await asyncio.to_thread(upgrade, url)
        yield url
    finally:
        await execute_autocommit(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.asynccontextmanager
async def database(backend: str, admin_url: str = DEFAULT_PG_URL) -> AsyncIterator[str]:
    """A migrated, empty database on ``backend`` ("sqlite" or "postgresql") for one run."""
    if backend == "sqlite":
        with tempfile.TemporaryDirectory(prefix="sciatica-bench-") as folder:
            url = f"sqlite+aiosqlite:///{Path(folder) / 'bench'}.sqlite3"
            await asyncio.to_thread(upgrade, url)
            yield url
        return
    if backend != "postgresql":
        raise ValueError(f"unknown backend {backend!r}")
    async with postgres_database(admin_url) as url:
        yield url


async def postgres_available(admin_url: str) -> bool:
    try:
        await execute_autocommit(admin_url, "SELECT 1")
    except Exception:  # any failure means "not available"
        return False
    return True


# --- subscribers -------------------------------------------------------------------------


def user_ids(count: int) -> list[int]:
    return list(range(FIRST_USER_ID, FIRST_USER_ID + count))


async def insert_subscribers(
    url: str, count: int, *, now: datetime, due_at: datetime | None
) -> list[int]:
    """``count`` users, each with an active daily subscription, by bulk INSERT.

    ``due_at``: every subscription's next prompt is due then (all at the same minute); None
    spreads them over ZONES and TIMES with no next due instant computed (only the start-up
    benchmark uses that, and the product never reads them at start).
    """
    ids = user_ids(count)
    engine = create_engine(url)
    try:
        for start in range(0, count, INSERT_CHUNK):
            chunk = ids[start : start + INSERT_CHUNK]
            await _insert_chunk(engine, chunk, now=now, due_at=due_at)
    finally:
        await engine.dispose()
    return ids


async def _insert_chunk(
    engine: AsyncEngine, ids: Sequence[int], *, now: datetime, due_at: datetime | None
) -> None:
    users = [
        {
            "id": user_id,
            "chat_id": user_id,
            "language_code": "en",
            "created_at": now,
            "updated_at": now,
            "safety_acknowledged_at": now,
            "routine_length": "full",
            "timers_enabled": True,
            "weekly_summary_enabled": False,
            "weekly_summary_weekday": 6,
            "weekly_summary_time": time(18, 0),
        }
        for user_id in ids
    ]
    subscriptions = [
        {
            "user_id": user_id,
            "chat_id": user_id,
            "local_time": TIMES[user_id % len(TIMES)],
            "timezone": ZONES[user_id % len(ZONES)] if due_at is None else "Europe/Berlin",
            "days": EVERY_DAY,
            "status": "active",
            "next_due_at": due_at,
            "created_at": now,
            "updated_at": now,
        }
        for user_id in ids
    ]
    async with engine.begin() as connection:
        await connection.execute(insert(User), users)
        await connection.execute(insert(Subscription), subscriptions)


async def insert_history(url: str, *, before: datetime, days: int) -> int:
    """For every subscription, a "sent" delivery on each of the ``days`` local dates before
    ``before``: the table as a bot that has been running a while has it. Then ANALYZE, as
    autovacuum (PostgreSQL) would have done; the query planner then sees real sizes."""
    engine = create_engine(url)
    inserted = 0
    try:
        async with engine.connect() as connection:
            subscriptions = (
                await connection.execute(select(Subscription.id, Subscription.user_id))
            ).all()
        for back in range(1, days + 1):
            day = (before - timedelta(days=back)).date()
            rows = [
                {
                    "subscription_id": sub_id,
                    "user_id": user_id,
                    "local_date": day,
                    "due_at": before - timedelta(days=back),
                    "claimed_at": before - timedelta(days=back),
                    "sent_at": before - timedelta(days=back),
                    "status": "sent",
                    "late": False,
                    "attempts": 1,
                    "message_id": back,
                }
                for sub_id, user_id in subscriptions
            ]
            for start in range(0, len(rows), INSERT_CHUNK):
                async with engine.begin() as connection:
                    await connection.execute(
                        insert(ReminderDelivery), rows[start : start + INSERT_CHUNK]
                    )
            inserted += len(rows)
        async with engine.connect() as connection:
            connection = await connection.execution_options(isolation_level="AUTOCOMMIT")
            await connection.execute(text("ANALYZE"))
    finally:
        await engine.dispose()
    return inserted


async def count_rows(url: str, model: type[Any], *where: Any) -> int:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            query = select(func.count()).select_from(model).where(*where)
            return int((await connection.execute(query)).scalar_one())
    finally:
        await engine.dispose()


# --- output ------------------------------------------------------------------------------


def machine() -> str:
    """One line naming the machine the figures came from."""
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = ""
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f", {int(line.split()[1]) / 1024 / 1024:.0f} GB RAM"
                break
    return (
        f"{os.cpu_count()} CPUs ({cpu}){memory}; Python {platform.python_version()} "
        f"on {platform.system()} {platform.release()}"
    )


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A plain text table, numbers right-aligned."""
    cells = [[str(value) for value in row] for row in rows]
    widths = [
        max(len(header), *(len(row[index]) for row in cells)) if cells else len(header)
        for index, header in enumerate(headers)
    ]

    def line(values: Sequence[str]) -> str:
        parts = [
            value.rjust(width) if _numeric(value) else value.ljust(width)
            for value, width in zip(values, widths, strict=True)
        ]
        return "  ".join(parts).rstrip()

    rule = "  ".join("-" * width for width in widths)
    return "\n".join([line(list(headers)), rule, *(line(row) for row in cells)])


def _numeric(value: str) -> bool:
    return bool(re.fullmatch(r"[-+×x]?[\d,.]+\s*(ms|s|MB|/s|%|×)?", value.strip()))


def percentile(values: Sequence[float], fraction: float) -> float:
    """The ``fraction`` percentile (0..1) by the nearest-rank method."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), math.ceil(fraction * len(ordered))))
    return ordered[rank - 1]


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def python_executable() -> str:
    return sys.executable
