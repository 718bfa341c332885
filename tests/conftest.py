"""Fixtures: a migrated database on SQLite always and on PostgreSQL when TEST_DATABASE_URL is
set (required under CI=true), and a running bot on it."""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from storage.db import execute_autocommit
from storage.migrate import upgrade
from storage.models import Base
from tests.harness import BotHarness, make_settings

BACKENDS = ["sqlite", "postgresql"]


def _postgres_admin_url() -> str | None:
    url = os.environ.get("TEST_DATABASE_URL")
    if not url and os.environ.get("CI") == "true":
        raise pytest.UsageError("CI=true needs TEST_DATABASE_URL for the PostgreSQL run")
    return url or None


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    upgrade(f"sqlite+aiosqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str | None]:
    """A fresh PostgreSQL database for this test run, migrated to head, dropped at the end."""
    admin_url = _postgres_admin_url()
    if admin_url is None:
        yield None
        return
    name = f"sciatica_test_{uuid.uuid4().hex[:10]}"
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    asyncio.run(execute_autocommit(admin_url, f'CREATE DATABASE "{name}"'))
    try:
        upgrade(url)
        yield url
    finally:
        asyncio.run(execute_autocommit(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


async def truncate_all(url: str) -> None:
    tables = ", ".join(f'"{table.name}"' for table in Base.metadata.sorted_tables)
    await execute_autocommit(url, f"TRUNCATE {tables} RESTART IDENTITY CASCADE")


@pytest.fixture(params=BACKENDS)
async def database_url(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    sqlite_template: Path,
    postgres_database: str | None,
) -> AsyncIterator[str]:
    """A migrated, empty database on each backend."""
    if request.param == "sqlite":
        path = tmp_path / "bot.sqlite3"
        shutil.copyfile(sqlite_template, path)
        path.chmod(0o600)
        yield f"sqlite+aiosqlite:///{path}"
        return
    if postgres_database is None:
        pytest.skip("TEST_DATABASE_URL is not set: PostgreSQL run skipped")
    await truncate_all(postgres_database)
    yield postgres_database


@pytest.fixture
async def bot(database_url: str) -> AsyncIterator[BotHarness]:
    """The real Application on a migrated database; fails the test on any unhandled error."""
    harness = await BotHarness.start(make_settings(database_url))
    try:
        yield harness
    finally:
        await harness.stop()
    if harness.errors:
        raise AssertionError(f"unhandled errors in handlers or jobs: {harness.errors!r}")
