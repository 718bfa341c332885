"""Schema only through Alembic: the stairway, and the same tables on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from storage.db import create_engine
from storage.migrate import (
    DatabaseTooNewError,
    alembic_config,
    current_revision,
    downgrade,
    head_revision,
    upgrade,
)
from storage.models import Base


def _revisions() -> list[str]:
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    return [revision.revision for revision in reversed(list(script.walk_revisions()))]


async def _schema(url: str) -> dict[str, Any]:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(_describe)
    finally:
        await engine.dispose()


def _describe(connection: Any) -> dict[str, Any]:
    inspector = inspect(connection)
    schema: dict[str, Any] = {}
    for table in sorted(inspector.get_table_names()):
        columns = {
            column["name"]: (type(column["type"]).__name__.upper(), column["nullable"])
            for column in inspector.get_columns(table)
        }
        uniques = sorted(unique["name"] or "" for unique in inspector.get_unique_constraints(table))
        # PostgreSQL also lists the index behind each unique constraint; SQLite does not.
        indexes = sorted(
            index["name"] or ""
            for index in inspector.get_indexes(table)
            if index["name"] not in uniques
        )
        foreign = sorted(fk["name"] or "" for fk in inspector.get_foreign_keys(table))
        schema[table] = {"columns": columns, "indexes": indexes, "uniques": uniques, "fks": foreign}
    return schema


def _normalise_types(schema: dict[str, Any]) -> dict[str, Any]:
    """The dialects name some types differently; compare the kind, not the spelling."""
    same = {
        "TIMESTAMP": "DATETIME",
        "VARCHAR": "STRING",
        "BIGINT": "BIGINTEGER",
        "SMALLINT": "SMALLINTEGER",
        "INTEGER": "INTEGER",
        "BOOLEAN": "BOOLEAN",
        "JSON": "JSON",
        "DATE": "DATE",
        "TIME": "TIME",
        "DATETIME": "DATETIME",
    }
    return {
        table: {
            **info,
            "columns": {
                name: (same.get(kind, kind), nullable)
                for name, (kind, nullable) in info["columns"].items()
            },
        }
        for table, info in schema.items()
    }


def test_stairway_up_down_up_every_revision(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'stairway.sqlite3'}"
    revisions = _revisions()
    previous = "base"
    for revision in revisions:
        upgrade(url, revision)
        downgrade(url, previous)
        upgrade(url, revision)
        assert current_revision(url) == revision
        previous = revision
    assert current_revision(url) == head_revision()


def test_migrated_schema_matches_the_models(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'models.sqlite3'}"
    upgrade(url)
    schema = asyncio.run(_schema(url))

    expected = {table.name for table in Base.metadata.sorted_tables} | {"alembic_version"}
    assert set(schema) == expected
    for table in Base.metadata.sorted_tables:
        assert set(schema[table.name]["columns"]) == {column.name for column in table.columns}


def test_ids_are_64_bit(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'ids.sqlite3'}"
    upgrade(url)
    schema = asyncio.run(_schema(url))
    for table, info in schema.items():
        for column in ("user_id", "chat_id", "message_id"):
            if column in info["columns"]:
                assert info["columns"][column][0] == "BIGINT", (table, column)
    assert schema["users"]["columns"]["id"][0] == "BIGINT"


def test_sqlite_and_postgresql_get_the_same_tables(
    tmp_path: Path, postgres_database: str | None
) -> None:
    if postgres_database is None:
        pytest.skip("TEST_DATABASE_URL is not set")
    url = f"sqlite+aiosqlite:///{tmp_path / 'compare.sqlite3'}"
    upgrade(url)

    sqlite_schema = _normalise_types(asyncio.run(_schema(url)))
    postgres_schema = _normalise_types(asyncio.run(_schema(postgres_database)))

    assert sqlite_schema == postgres_schema


def test_a_database_newer_than_the_code_is_refused(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'newer.sqlite3'}"
    upgrade(url)
    asyncio.run(_set_version(url, "9999_from_the_future"))

    with pytest.raises(DatabaseTooNewError, match="9999_from_the_future"):
        upgrade(url)


async def _set_version(url: str, version: str) -> None:
    engine = create_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.execute(
                text("UPDATE alembic_version SET version_num = :v"), {"v": version}
            )
    finally:
        await engine.dispose()
