"""Wiring of the reminder feature: the command menu, the sweep job, the migration, layering."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.composition import MENU_COMMANDS
from bot.entry.fake_telegram import FakeTelegram
from bot.features.reminders.jobs import JOB_NAME
from storage.db import create_engine
from storage.migrate import downgrade, upgrade
from tests.harness import BotHarness, make_settings
from tests.reminder_flow import subscribe

ROOT = Path(__file__).resolve().parent.parent


async def test_the_command_menu_is_registered_at_start(database_url: str) -> None:
    harness = await BotHarness.start(make_settings(database_url))
    try:
        (call,) = harness.fake.sent(method="setMyCommands")
        assert [command["command"] for command in call.params["commands"]] == list(MENU_COMMANDS)
        described = {
            command["command"]: command["description"] for command in call.params["commands"]
        }
        assert described["settings"] == harness.content.t("cmd.settings")
        assert {"time", "timezone", "pause", "resume", "stop", "settings"} <= set(described)
    finally:
        await harness.stop()


async def test_a_failing_set_my_commands_is_logged_not_fatal(
    database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    fake = FakeTelegram()
    fake.fail(500, "Internal Server Error", method="setMyCommands")
    with caplog.at_level(logging.WARNING, logger="bot.composition"):
        harness = await BotHarness.start(make_settings(database_url), fake=fake)
    try:
        assert "could not register the command menu" in caplog.text
        calls = await harness.send(42, "/help")
        assert [call.text for call in calls] == [harness.content.t("help")]
    finally:
        await harness.stop()
    assert harness.errors == []


async def test_one_repeating_sweep_job_however_many_subscribers(bot: BotHarness) -> None:
    assert bot.app.job_queue is not None
    sweeps = [job for job in bot.app.job_queue.jobs() if job.name == JOB_NAME]
    assert len(sweeps) == 1
    assert (
        sweeps[0].job.trigger.interval.total_seconds()
        == bot.runtime.settings.reminder_sweep_seconds
    )
    jobs_before = sorted(str(job.name) for job in bot.app.job_queue.jobs())
    await subscribe(bot, 1)
    await subscribe(bot, 2)
    assert sorted(str(job.name) for job in bot.app.job_queue.jobs()) == jobs_before


def _columns(connection: object) -> set[str]:
    return {column["name"] for column in inspect(connection).get_columns("reminder_deliveries")}  # type: ignore[arg-type]


async def _delivery_columns(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            assert isinstance(connection, AsyncConnection)
            return await connection.run_sync(_columns)
    finally:
        await engine.dispose()


async def test_the_reminder_migration_goes_down_and_up_again(tmp_path: Path) -> None:
    import asyncio

    url = f"sqlite+aiosqlite:///{tmp_path / 'stairway.sqlite3'}"
    await asyncio.to_thread(upgrade, url)
    assert "retry_at" in await _delivery_columns(url)
    await asyncio.to_thread(downgrade, url, "0001")
    assert "retry_at" not in await _delivery_columns(url)
    await asyncio.to_thread(upgrade, url)
    assert "retry_at" in await _delivery_columns(url)
