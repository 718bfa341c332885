"""/delete erases on disk too: the SQLite file and its WAL hold none of the user's words
afterwards, and the files the console chat saved for the user are gone (issue 13 item 4)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from bot.entry.console import CONSOLE_USER_ID, ConsolePrinter
from storage.models import PainRating
from tests.harness import BotHarness

ALICE = 141_414_141_414
WORDS = "zanzibar-marmalade-quixotic"  # a note no other row could contain


def _database_files(bot: BotHarness) -> list[Path]:
    database = make_url(bot.settings.database_url).database
    assert database
    main = Path(database)
    return [path for path in (main, Path(f"{database}-wal")) if path.exists()]


def _found(bot: BotHarness) -> list[str]:
    """The database files that still contain the note's words (a grep of the raw bytes)."""
    return [path.name for path in _database_files(bot) if WORDS.encode() in path.read_bytes()]


async def _erase(bot: BotHarness, user_id: int = ALICE) -> None:
    await bot.send(user_id, "/delete")
    await bot.tap(user_id, bot.content.t("erase.button_yes"))


async def test_a_deleted_note_is_not_left_in_the_sqlite_file_or_its_wal(
    bot: BotHarness,
) -> None:
    if not bot.settings.database_url.startswith("sqlite"):
        pytest.skip("SQLite's files; PostgreSQL: README 'Erasing'")
    await bot.send(ALICE, f"/pain 5 {WORDS}")
    for score in range(3):  # more rows, so the note is not the last thing written
        await bot.send(ALICE, f"/pain {score}")
    assert WORDS in {row.note for row in await bot.rows(PainRating)}
    assert _found(bot)  # the grep can see it while the row is there

    await _erase(bot)

    assert await bot.rows(PainRating) == []
    assert _found(bot) == []


async def test_the_console_files_of_the_user_are_removed(bot: BotHarness, tmp_path: Path) -> None:
    printer = ConsolePrinter(io.StringIO(), files_dir=tmp_path)
    bot.fake.listeners.append(printer.on_call)
    bot.runtime.add_erase_hook(printer.forget_user)
    await bot.send(CONSOLE_USER_ID, "/pain 5 after a drive")
    await bot.send(CONSOLE_USER_ID, "/export")
    await bot.send(CONSOLE_USER_ID, "/export")
    folder = tmp_path / str(CONSOLE_USER_ID)
    saved = sorted(path.name for path in folder.iterdir())
    assert len(saved) == 10  # two exports of five files each, none overwritten

    await _erase(bot, CONSOLE_USER_ID)

    assert not folder.exists()
