"""Apply Alembic migrations and compare the database's revision with the code's."""

from __future__ import annotations

import asyncio
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from alembic.script.revision import ResolutionError
from alembic.util.exc import CommandError
from sqlalchemy import text

from storage.db import create_engine, is_sqlite, prepare_sqlite_file

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


class DatabaseTooNewError(Exception):
    """The database was migrated by a newer version of the bot than this one."""


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["database_url"] = url
    config.attributes["configure_logging"] = False
    return config


def head_revision() -> str:
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    head = script.get_current_head()
    if head is None:
        raise RuntimeError("the migrations folder has no head revision")
    return head


def current_revision(url: str) -> str | None:
    """The revision the database is at, or None for an empty database. Blocking."""
    if is_sqlite(url):
        prepare_sqlite_file(url)
    return asyncio.run(_current_revision_async(url))


async def _current_revision_async(url: str) -> str | None:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            has_table = await connection.run_sync(
                lambda sync: sync.dialect.has_table(sync, "alembic_version")
            )
            if not has_table:
                return None
            row = (
                await connection.execute(text("SELECT version_num FROM alembic_version"))
            ).first()
            return None if row is None else str(row[0])
    finally:
        await engine.dispose()


def _known(script: ScriptDirectory, revision: str) -> bool:
    try:
        return script.get_revision(revision) is not None
    except (ResolutionError, CommandError):
        return False


def upgrade(url: str, revision: str = "head") -> None:
    """Bring the database to ``revision``; refuse if it is newer than this code. Blocking."""
    current = current_revision(url)
    script = ScriptDirectory.from_config(alembic_config(url))
    if current is not None and not _known(script, current):
        raise DatabaseTooNewError(
            f"the database is at migration {current}, which this version of the bot does not "
            "know; it was upgraded by a newer version. Run that version, or restore a backup."
        )
    command.upgrade(alembic_config(url), revision)


def downgrade(url: str, revision: str) -> None:
    """Step the database back to ``revision``. Blocking."""
    command.downgrade(alembic_config(url), revision)
