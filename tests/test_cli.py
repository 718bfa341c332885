"""The command line as a newcomer meets it: real subprocesses, real output."""

from __future__ import annotations

import gc
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.composition import freeze_startup_objects
from bot.runtime.settings import Settings
from content.loader import CONTENT_DIR

REPO = Path(__file__).resolve().parent.parent


def _run(
    args: list[str], cwd: Path, stdin: str = "", **env: str
) -> subprocess.CompletedProcess[str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "TELEGRAM_BOT_TOKEN",
            "DATABASE_URL",
            "LOG_LEVEL",
            "TELEGRAM_API_BASE_URL",
            "CONTENT_DIR",
        }
    }
    environment.update(env)
    environment["PYTHONPATH"] = str(REPO)
    return subprocess.run(  # noqa: S603 (our own interpreter and module)
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        env=environment,
        check=False,
    )


def test_console_chat_answers_start_help_and_shows_the_pigeon_card(tmp_path: Path) -> None:
    result = _run([], tmp_path, stdin="/start\n/help\n/exercise pigeon\n!quit\n")

    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Console chat with the bot" in out
    assert "I'm your sciatica stretching coach" in out
    assert "Here is what I can do" in out
    assert "Seated pigeon pose" in out
    assert "1. Bend your right leg" in out
    assert "Traceback" not in result.stderr
    database = tmp_path / "data" / "sciatica-bot.sqlite3"
    assert database.exists()
    assert database.stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"LOG_LEVEL": "LOUD"}, "configuration error: LOG_LEVEL: "),
        ({"DATABASE_URL": "mysql://x"}, "configuration error: DATABASE_URL: "),
        ({"TELEGRAM_BOT_TOKEN": "nonsense"}, "configuration error: TELEGRAM_BOT_TOKEN: "),
        ({"REMINDER_GRACE_MINUTES": "soon"}, "configuration error: REMINDER_GRACE_MINUTES: "),
        ({"SEND_RATE_PER_SECOND": "45"}, "configuration error: SEND_RATE_PER_SECOND: "),
    ],
)
def test_a_bad_setting_stops_start_with_one_clear_line(
    tmp_path: Path, env: dict[str, str], expected: str
) -> None:
    result = _run(["console"], tmp_path, **env)

    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"sciatica-bot: {expected}")


def test_run_without_a_token_says_what_to_do(tmp_path: Path) -> None:
    result = _run(["run"], tmp_path)

    assert result.returncode == 2
    assert "TELEGRAM_BOT_TOKEN is not set" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_unreachable_database_is_one_line_not_a_traceback(tmp_path: Path) -> None:
    result = _run(
        ["db", "upgrade"],
        tmp_path,
        DATABASE_URL="postgresql+asyncpg://nobody@127.0.0.1:1/none",
    )

    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("sciatica-bot: cannot open the database (127.0.0.1:1/none)")


def test_db_upgrade_migrates_a_new_database(tmp_path: Path) -> None:
    result = _run(["db", "upgrade"], tmp_path)

    assert result.returncode == 0, result.stderr
    assert "database is up to date" in result.stdout
    assert (tmp_path / "data" / "sciatica-bot.sqlite3").exists()


def test_a_broken_content_file_stops_start_naming_file_and_entry(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, content, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    bridge = content / "exercises" / "glute_bridge.yaml"
    bridge.write_text(
        bridge.read_text().replace(
            "hold_seconds: {min: 3, max: 5}", "hold_seconds: {min: 9, max: 5}"
        )
    )

    result = _run(["console"], tmp_path, CONTENT_DIR=str(content))

    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "sciatica-bot: content error: exercises/glute_bridge.yaml: entry 'glute_bridge': "
        "hold_seconds: Value error, hold min (9) is greater than hold max (5)"
    ]


def test_start_up_objects_are_left_out_of_later_collections() -> None:
    """What ``sciatica-bot run`` does before serving: a full collection then walks only what
    was made since, so it no longer stalls the event loop for tens of milliseconds."""
    gc.unfreeze()
    try:
        freeze_startup_objects()
        assert gc.get_freeze_count() > 10_000  # the libraries and content loaded so far
    finally:
        gc.unfreeze()


def test_every_setting_is_documented_in_the_env_example() -> None:
    example = (Path(__file__).resolve().parents[1] / ".env.example").read_text(encoding="utf-8")
    documented = {
        line.split("=", 1)[0].lstrip("# ") for line in example.splitlines() if "=" in line
    }

    missing = [name.upper() for name in Settings.model_fields if name.upper() not in documented]

    assert missing == []
