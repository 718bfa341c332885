"""The database failing under the bot: PostgreSQL restarted or gone for a while, SQLite busy,
and the database unreachable at start.

Whatever the failure, an update that meets it fails as one unit (nothing half-written: a
routine's cursor stays where it was), the user is told to try again, the failure is logged
with the update and user ids and without the user's words, and once the database answers
again the same running bot serves the next update and the next sweep.
"""

from __future__ import annotations

import asyncio
import logging
import re
import shutil
import sqlite3
from collections.abc import AsyncIterator
from datetime import UTC, datetime, time
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import OperationalError as SAOperationalError

from bot.domain.statuses import DeliveryStatus
from storage.db import create_engine, execute_autocommit
from storage.models import Hold, PainRating, ReminderDelivery, RoutineSession
from tests.conftest import _postgres_admin_url, truncate_all
from tests.harness import BotHarness, make_settings
from tests.reminder_flow import delivered_prompts, insert_subscribers
from tests.routine_helpers import SKIP_PAIN, START_HOLD, keep_only
from tests.test_cli import _run

ALICE = 7_400_000_001
USERS = tuple(range(7_400_000_101, 7_400_000_113))
NOTE = "walked the dog by the canal"
DUE = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)


@pytest.fixture
async def postgres_url(postgres_database: str | None) -> str:
    if postgres_database is None:
        pytest.skip("TEST_DATABASE_URL is not set: PostgreSQL run skipped")
    await truncate_all(postgres_database)
    return postgres_database


def _admin_url() -> str:
    url = _postgres_admin_url()
    assert url is not None
    return url


async def _admin_scalar(query: str, **values: object) -> int:
    engine = create_engine(_admin_url())
    try:
        async with engine.connect() as connection:
            return int((await connection.execute(text(query), values)).scalar_one())
    finally:
        await engine.dispose()


async def _terminate_backends(url: str, keep: int = 0) -> int:
    """What a PostgreSQL restart does to the bot: every connection to its database dropped."""
    return await _admin_scalar(
        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
        "WHERE datname = :name AND pid <> pg_backend_pid() AND pid <> :keep",
        name=make_url(url).database,
        keep=keep,
    )


async def _until_waiting(url: str, count: int) -> None:
    """Until ``count`` sessions of the bot wait for a lock (real time: another server, so it
    is asked again every 10 ms; the deadline only turns a hang into a failure)."""
    deadline = asyncio.get_running_loop().time() + 60
    while asyncio.get_running_loop().time() < deadline:
        waiting = await _admin_scalar(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = :name "
            "AND wait_event_type = 'Lock'",
            name=make_url(url).database,
        )
        if waiting >= count:
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"the updates did not reach the lock ({waiting} of {count} waiting)")


async def _allow_connections(url: str, allowed: bool) -> None:
    name = make_url(url).database
    value = "true" if allowed else "false"
    await execute_autocommit(
        _admin_url(), f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS {value}'
    )


def _told_to_retry(bot: BotHarness, user_id: int) -> int:
    text_ = bot.content.t("error_generic")
    return sum(1 for call in bot.sent_to(user_id, "sendMessage") if call.text == text_)


async def test_postgresql_restarted_under_load_the_bot_recovers_without_a_restart(
    postgres_url: str, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    caplog.set_level(logging.INFO)
    bot = await BotHarness.start(make_settings(postgres_url))
    try:
        await insert_subscribers(bot, USERS, zone="UTC", at=time(7, 0), due_at=DUE)
        for user_id in USERS:  # warm up: the pool holds several connections now
            await bot.send(user_id, "/pain 3")

        # Under load: every user at once, each update inside its transaction (held at the
        # pain table by another session's lock) when the database "restarts".
        locker_engine = create_engine(postgres_url)
        try:
            async with locker_engine.connect() as locker:
                await locker.execute(text("LOCK TABLE pain_ratings IN EXCLUSIVE MODE"))
                locker_pid = int(await locker.scalar(text("SELECT pg_backend_pid()")))
                load = asyncio.gather(
                    *(bot.send(user_id, f"/pain 5 {NOTE}") for user_id in USERS),
                    return_exceptions=True,
                )
                waiting = asyncio.ensure_future(load)
                await _until_waiting(postgres_url, len(USERS))
                dropped = await _terminate_backends(postgres_url, keep=locker_pid)
                await locker.rollback()
            outcomes = await waiting
        finally:
            await locker_engine.dispose()
        failed_during = list(bot.errors)
        bot.errors.clear()

        # Once it is back, everything works, on the same Application: each user's next
        # update, and the sweep.
        for user_id in USERS:
            await bot.send(user_id, "/pain 7")
        sweep = await bot.advance_to(DUE)
        after = list(bot.errors)
        ratings = await bot.rows(PainRating)
        deliveries = await bot.rows(ReminderDelivery)
    finally:
        bot.errors.clear()
        await bot.stop()

    assert dropped >= len(USERS)
    assert all(not isinstance(outcome, BaseException) for outcome in outcomes)
    assert len(failed_during) == len(USERS)
    assert all(isinstance(error, DBAPIError) for error in failed_during), failed_during
    failed_users = {u for u in USERS if _told_to_retry(bot, u)}
    assert failed_users == set(USERS)
    assert after == []
    by_score: dict[int, set[int]] = {}
    for rating in ratings:
        by_score.setdefault(rating.score, set()).add(rating.user_id)
    assert by_score[3] == set(USERS)
    assert 5 not in by_score  # a failed update saved nothing
    assert by_score[7] == set(USERS)
    assert {d.status for d in deliveries} == {DeliveryStatus.SENT}
    assert len([c for c in sweep if c.method == "sendMessage"]) == len(USERS)
    failures = [r for r in caplog.records if r.name == "bot.plumbing.errors"]
    assert len(failures) == len(failed_during)
    for record in failures:
        assert "(command /pain) for user 74000001" in record.getMessage()
        assert NOTE not in record.getMessage()
    with capsys.disabled():
        print(
            f"\npostgresql restart under load: {dropped} connections dropped mid-load, "
            f"{len(failed_during)} of {len(USERS)} updates in flight failed cleanly (told to "
            f"retry), {len(USERS)}/{len(USERS)} next updates and {len(USERS)} prompts fine"
        )


async def test_postgresql_restarted_mid_dispatch_no_prompt_is_repeated_or_lost(
    postgres_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    """The database drops every connection while the sweep is between two sends, so the
    connection the sweep records "sent" on is dead: the next result is recorded through a
    new one, and so are the rest. Nothing is sent twice (a result that could not be recorded
    would be sent again after the lease) and nothing is lost."""
    caplog.set_level(logging.INFO)
    # One send in flight, so the next result after the stuck send is recorded on the dead
    # connection (with more in flight, the rest are recorded before the database drops them).
    bot = await BotHarness.start(make_settings(postgres_url, reminder_send_concurrency=1))
    try:
        await insert_subscribers(bot, USERS, zone="UTC", at=time(7, 0), due_at=DUE)
        stuck = USERS[4]
        bot.fake.hang(method="sendMessage", chat_id=stuck)  # the sweep waits here
        sweep = asyncio.ensure_future(bot.advance_to(DUE))
        await bot.fake.wait_until(lambda: bot.fake.hanging > 0)
        dropped = await _terminate_backends(postgres_url)
        bot.fake.release_hanging()  # that send times out; the rest go through
        await sweep
        first_pass = {row.user_id: row.status for row in await bot.rows(ReminderDelivery)}
        await bot.advance(minutes=5)  # the timed-out one is retried with back-off
        deliveries = await bot.rows(ReminderDelivery)
    finally:
        await bot.stop()

    assert dropped >= 1
    assert first_pass == {
        user_id: DeliveryStatus.CLAIMED if user_id == stuck else DeliveryStatus.SENT
        for user_id in USERS
    }
    assert {row.status for row in deliveries} == {DeliveryStatus.SENT}
    assert [len(delivered_prompts(bot, user_id)) for user_id in USERS] == [1] * len(USERS)
    switched = [r for r in caplog.records if "using a new session" in r.getMessage()]
    assert len(switched) == 1
    assert switched[0].levelno == logging.WARNING
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert bot.errors == []


async def test_postgresql_down_for_a_while_then_back(
    postgres_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    bot = await BotHarness.start(make_settings(postgres_url))
    await insert_subscribers(bot, [ALICE], zone="UTC", at=time(7, 0), due_at=DUE)
    try:
        await _allow_connections(postgres_url, False)
        try:
            await _terminate_backends(postgres_url)
            down = await bot.send(ALICE, f"/pain 4 {NOTE}")
            swept_while_down = await bot.advance_to(DUE)
        finally:
            await _allow_connections(postgres_url, True)
        down_errors = list(bot.errors)
        bot.errors.clear()

        back = await bot.send(ALICE, "/pain 6")
        swept_after = await bot.advance(minutes=1)
        ratings = await bot.rows(PainRating)
    finally:
        await bot.stop()

    assert [c.text for c in down] == [bot.content.t("error_generic")]
    # The update, and the weekly-summary job (it has no handler of its own: the error
    # handler logs it); the reminder sweep catches and logs its own failure.
    assert [type(e).__name__ for e in down_errors] == ["DBAPIError", "DBAPIError"]
    job_lines = [r.getMessage() for r in caplog.records if r.name == "bot.plumbing.errors"]
    assert job_lines[1].startswith("job weekly-summary-sweep failed: DBAPIError: ")
    assert not [c for c in swept_while_down if c.method == "sendMessage"]
    assert any("reminder sweep failed" in r.getMessage() for r in caplog.records)
    assert back[0].text is not None
    assert back[0].text.startswith("Logged: 6/10")
    assert [r.score for r in ratings] == [6]
    assert [c.chat_id for c in swept_after if c.method == "sendMessage"] == [ALICE]
    assert NOTE not in caplog.text


@pytest.fixture
async def busy_bot(tmp_path: Path, sqlite_template: Path) -> AsyncIterator[tuple[BotHarness, Path]]:
    path = tmp_path / "busy.sqlite3"
    await asyncio.to_thread(shutil.copyfile, sqlite_template, path)
    settings = make_settings(f"sqlite+aiosqlite:///{path}", sqlite_busy_timeout_seconds=0.2)
    bot = await BotHarness.start(settings)
    try:
        yield bot, path
    finally:
        await bot.stop()


def _lock(path: Path) -> sqlite3.Connection:
    """Another process's writer: holds SQLite's write lock until released."""
    locker = sqlite3.connect(path, isolation_level=None, timeout=0)
    locker.execute("BEGIN IMMEDIATE")
    return locker


async def test_sqlite_busy_fails_the_update_cleanly_and_the_next_succeeds(
    busy_bot: tuple[BotHarness, Path], caplog: pytest.LogCaptureFixture
) -> None:
    bot, path = busy_bot
    caplog.set_level(logging.INFO)
    await keep_only(bot, "knees_to_chest", user_id=ALICE)
    await bot.send(ALICE, "/routine")
    await bot.tap(ALICE, SKIP_PAIN)
    [before] = await bot.rows(RoutineSession)

    locker = _lock(path)
    try:
        tapped = await bot.tap(ALICE, START_HOLD)
        typed = await bot.send(ALICE, f"/pain 5 {NOTE}")
    finally:
        locker.rollback()
        locker.close()
    errors = list(bot.errors)
    bot.errors.clear()
    [during] = await bot.rows(RoutineSession)
    holds_during = await bot.rows(Hold)
    ratings_during = await bot.rows(PainRating)

    again = await bot.tap(ALICE, START_HOLD)
    [after] = await bot.rows(RoutineSession)

    assert [c.method for c in tapped] == ["answerCallbackQuery", "sendMessage"]
    assert tapped[1].text == bot.content.t("error_generic")
    assert [c.text for c in typed] == [bot.content.t("error_generic")]
    assert [type(e) for e in errors] == [SAOperationalError, SAOperationalError]
    assert all("database is locked" in str(e) for e in errors)
    # Nothing half-written: the cursor and step did not move, no hold, no rating.
    assert (during.cursor, during.step_no) == (before.cursor, before.step_no)
    assert holds_during == []
    assert ratings_during == []
    # The same button works once the lock is gone.
    assert [c.method for c in again] == ["answerCallbackQuery", "editMessageText"]
    assert after.cursor["phase"] == "holding"
    assert after.step_no == before.step_no + 1
    lines = [r.getMessage() for r in caplog.records if r.name == "bot.plumbing.errors"]
    assert len(lines) == 2
    assert re.match(
        rf"update \d+ \(button rth\) for user {ALICE} failed: OperationalError: ", lines[0]
    )
    assert "database is locked" in lines[0]
    assert f"(command /pain) for user {ALICE} failed" in lines[1]
    assert NOTE not in caplog.text


async def test_the_busy_timeout_is_a_setting(busy_bot: tuple[BotHarness, Path]) -> None:
    bot, _ = busy_bot
    assert bot.runtime.engine is not None
    async with bot.runtime.engine.connect() as connection:
        busy = await connection.scalar(text("PRAGMA busy_timeout"))
    assert busy == 200


@pytest.mark.parametrize("command", ["run", "console"])
def test_an_unreachable_database_at_start_is_one_line_for_run_and_console(
    tmp_path: Path, command: str
) -> None:
    result = _run(
        [command],
        tmp_path,
        TELEGRAM_BOT_TOKEN="123456:TEST-token-for-the-fake-bot-api-xyz",
        DATABASE_URL="postgresql+asyncpg://nobody@127.0.0.1:1/none",
    )

    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines[-1].startswith("sciatica-bot: cannot open the database (127.0.0.1:1/none): ")
    assert [line for line in lines if line.startswith("sciatica-bot:")] == lines[-1:]
    assert "TEST-token" not in result.stderr


def test_an_sqlite_file_that_cannot_be_created_is_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    result = _run(
        ["run"],
        tmp_path,
        TELEGRAM_BOT_TOKEN="123456:TEST-token-for-the-fake-bot-api-xyz",
        DATABASE_URL=f"sqlite+aiosqlite:///{blocker}/bot.sqlite3",
    )

    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert (
        result.stderr.strip().splitlines()[-1].startswith("sciatica-bot: cannot open the database")
    )


def test_an_unreachable_bot_api_at_start_is_one_line(tmp_path: Path) -> None:
    result = _run(
        ["run"],
        tmp_path,
        TELEGRAM_BOT_TOKEN="123456:TEST-token-for-the-fake-bot-api-xyz",
        TELEGRAM_API_BASE_URL="http://127.0.0.1:1/bot",
        LOG_LEVEL="WARNING",
    )

    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "sciatica-bot: cannot reach the Bot API at http://127.0.0.1:1/bot: "
        "httpx.ConnectError: All connection attempts failed"
    ]
