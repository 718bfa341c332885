"""Crash safety: the bot as a real process, killed with SIGKILL mid-dispatch and mid-routine.

The bot runs as ``python -m bot run`` against the fake Bot API served over HTTP from this test
process, on a real database, in real time (sweep every second, a 2-second lease). 500
subscriptions fall due at once; the process is killed three times while it sends them: twice
in the worst instant (Telegram has accepted a prompt, the bot has not yet heard back), once
at a random moment. Three users are holding a stretch meanwhile. After each kill it is
started again. At the end:

- every subscription has exactly one delivery for the day, recorded as sent, and got exactly
  one prompt, except for prompts in flight at a kill: at most the number in flight per kill
  (the default REMINDER_SEND_CONCURRENCY, 16, bounds it), and at least one for each
  worst-instant kill;
- every routine goes on: a hold still running gets its timer back and ends on time, a hold
  that ended while the bot was down is closed at start-up with the next step shown, a tap
  made while the bot was down is processed when it comes back, and the buttons still work;
- the token never reaches the process's log.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.domain.statuses import DeliveryStatus
from bot.entry.fake_records import ApiCall, FakeMessage
from bot.entry.fake_telegram import FakeTelegram
from bot.runtime.settings import Settings
from content import load_content
from storage.db import create_engine, create_sessionmaker
from storage.models import ExercisePreference, Hold, ReminderDelivery, RoutineSession, Subscription
from storage.safety import record_screening
from storage.users import upsert_user
from tests.fakes.http_server import FakeTelegramServer
from tests.reminder_flow import add_subscribers
from tests.routine_helpers import WARM_UP

REPO = Path(__file__).resolve().parent.parent
TOKEN = "123456:CRASH-test-token-for-the-fake-api-xyz"
SUBSCRIBERS = list(range(8_000_001, 8_000_501))
SUBSCRIBER_SET = set(SUBSCRIBERS)
ANNA, BEN, CLARA = 9_000_001, 9_000_002, 9_000_003  # mid-hold when the first kill comes
HOLDERS = (ANNA, BEN, CLARA)
WINDOW: int = Settings.model_fields["reminder_send_concurrency"].default  # in flight at a kill
LEASE_SECONDS = 2
CONTENT = load_content()
START_NOW = CONTENT.t("remind.btn_start")
SKIP_PAIN = CONTENT.t("routine.pain_skip")
START_HOLD = CONTENT.t("routine.button_start_hold")
FINISH = CONTENT.t("routine.button_finish")
RECOVERED = CONTENT.t("routine.lead_recovered", seconds=20)


class BotProcess:
    """``python -m bot run`` in a child process, its output in a log file."""

    def __init__(self, env: dict[str, str], log_path: Path) -> None:
        self.log_path = log_path
        self._log = log_path.open("w")
        self.popen = subprocess.Popen(
            [sys.executable, "-m", "bot", "run"],
            cwd=env["HOME"],
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )

    def kill(self) -> None:
        """SIGKILL, and wait (a few milliseconds) until the process is gone: nothing it would
        do next happens."""
        os.kill(self.popen.pid, signal.SIGKILL)
        try:
            self.popen.wait(timeout=60)
        except subprocess.TimeoutExpired as error:
            raise AssertionError("the killed process did not go away") from error
        self._log.close()

    async def stop(self) -> int:
        """SIGTERM: the graceful way out; returns the exit code."""
        self.popen.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 60  # another process: asked every 20 ms until then
        while time.monotonic() < deadline:
            code = self.popen.poll()
            if code is not None:
                self._log.close()
                return code
            await asyncio.sleep(0.02)
        self.popen.kill()
        self.popen.wait()
        self._log.close()
        raise AssertionError("the bot did not stop within 60 s of SIGTERM")

    @property
    def alive(self) -> bool:
        return self.popen.poll() is None

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")


class Killer:
    """Listens to the fake: counts the prompts Telegram accepted and, when told, kills the
    bot at the instant the k-th one is accepted, before its answer goes back."""

    def __init__(self) -> None:
        self.process: BotProcess | None = None
        self.target: int | None = None
        self.accepted = 0
        self.kills_mid_request = 0
        self.times: list[float] = []  # when each prompt was accepted (monotonic)

    def after(self, count: int) -> None:
        self.target = self.accepted + count

    def on_call(self, call: ApiCall, message: FakeMessage | None) -> None:
        if call.method != "sendMessage" or call.chat_id not in SUBSCRIBER_SET or message is None:
            return
        self.accepted += 1
        self.times.append(time.monotonic())
        if self.target is not None and self.accepted >= self.target and self.process is not None:
            self.target = None
            self.process.kill()
            self.kills_mid_request += 1


@pytest.fixture
async def fake_server() -> AsyncIterator[tuple[FakeTelegram, str]]:
    fake = FakeTelegram()
    server = FakeTelegramServer(fake)
    base_url = await server.start()
    try:
        yield fake, base_url
    finally:
        await server.stop()


async def _until(
    check: Callable[[], Awaitable[bool]],
    what: str,
    process: BotProcess,
    seconds: float = 180.0,  # bounds a failure only: a busy machine starts slowly
) -> None:
    """Wait in real time (the bot is another process) until ``check`` holds."""
    deadline = time.monotonic() + seconds
    while not await check():
        if not process.alive:
            raise AssertionError(f"the bot died waiting for {what}:\n{process.output()[-3000:]}")
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}:\n{process.output()[-3000:]}")
        await asyncio.sleep(0.02)


def _newest_with(fake: FakeTelegram, user_id: int, label: str) -> FakeMessage | None:
    for message in sorted(fake.messages[user_id].values(), key=lambda m: -m.message_id):
        if message.deleted or not message.from_bot:
            continue
        buttons = {
            str(b["text"]): str(b.get("callback_data"))
            for row in (message.reply_markup or {}).get("inline_keyboard") or []
            for b in row
        }
        if label in buttons:
            return message
    return None


def _tap(fake: FakeTelegram, user_id: int, message: FakeMessage, label: str) -> str:
    data = next(
        str(b["callback_data"])
        for row in (message.reply_markup or {}).get("inline_keyboard") or []
        for b in row
        if b["text"] == label
    )
    fake.push_update(fake.callback_update(user_id, message.message_id, data))
    return data


def _prompts_per_chat(fake: FakeTelegram) -> Counter[int]:
    """Prompts that reached each chat (Telegram accepted them)."""
    return Counter(
        chat_id
        for chat_id in SUBSCRIBERS
        for message in fake.messages[chat_id].values()
        if message.from_bot and _has_start_now(message)
    )


def _has_start_now(message: FakeMessage) -> bool:
    rows = (message.reply_markup or {}).get("inline_keyboard") or []
    return any(button.get("text") == START_NOW for row in rows for button in row)


class Database:
    """The test's own view of the bot's database."""

    def __init__(self, url: str) -> None:
        self.engine: AsyncEngine = create_engine(url)
        self.sessions = create_sessionmaker(self.engine)

    async def scalar(self, query: Any) -> Any:
        async with self.sessions() as session:
            return await session.scalar(query)

    async def all(self, query: Any) -> list[Any]:
        async with self.sessions() as session:
            return list((await session.scalars(query)).all())

    async def running_hold(self, user_id: int) -> Hold | None:
        holds = await self.all(
            select(Hold).where(Hold.user_id == user_id, Hold.outcome == "running")
        )
        return holds[0] if holds else None

    async def sent(self) -> int:
        query = select(func.count()).select_from(ReminderDelivery)
        return int(await self.scalar(query.where(ReminderDelivery.status == DeliveryStatus.SENT)))


async def _start_holds(fake: FakeTelegram, db: Database, process: BotProcess) -> None:
    """Each holder: /routine, skip the pain question, start the first hold."""
    for user_id in HOLDERS:
        fake.push_update(fake.message_update(user_id, "/routine"))
    for user_id in HOLDERS:

        async def asked(user_id: int = user_id) -> bool:
            return _newest_with(fake, user_id, SKIP_PAIN) is not None

        await _until(asked, f"the pain question for {user_id}", process)
        message = _newest_with(fake, user_id, SKIP_PAIN)
        assert message is not None
        _tap(fake, user_id, message, SKIP_PAIN)
    for user_id in HOLDERS:

        async def ready(user_id: int = user_id) -> bool:
            return _newest_with(fake, user_id, START_HOLD) is not None

        await _until(ready, f"the first card for {user_id}", process)
        message = _newest_with(fake, user_id, START_HOLD)
        assert message is not None
        _tap(fake, user_id, message, START_HOLD)
    for user_id in HOLDERS:

        async def holding(user_id: int = user_id) -> bool:
            return await db.running_hold(user_id) is not None

        await _until(holding, f"{user_id}'s hold to start", process)


@pytest.mark.parametrize("seed", [8])
async def test_killed_mid_dispatch_and_mid_routine_nothing_lost_repeats_within_the_window(
    database_url: str,
    fake_server: tuple[FakeTelegram, str],
    tmp_path: Path,
    seed: int,
    capsys: pytest.CaptureFixture[str],
) -> None:
    started = time.monotonic()
    rng = random.Random(seed)
    fake, base_url = fake_server
    killer = Killer()
    fake.listeners.append(killer.on_call)
    db = Database(database_url)
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("TELEGRAM_", "DATABASE_", "REMINDER_", "LOG_", "WEBHOOK_"))
    }
    env.update(
        HOME=str(tmp_path),
        PYTHONPATH=str(REPO),
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE_URL=base_url,
        DATABASE_URL=database_url,
        REMINDER_SWEEP_SECONDS="1",
        REMINDER_SEND_LEASE_SECONDS=str(LEASE_SECONDS),
        RATE_LIMIT_ENABLED="false",
        LOG_LEVEL="INFO",
        PICTURES_ENABLED="false",  # each restart would draw the exercise pictures again
        HANDS_FREE_DEFAULT="false",  # these users tap each hold (the crash cases are taps)
    )
    processes: list[BotProcess] = []

    def launch() -> BotProcess:
        process = BotProcess(env, tmp_path / f"bot-{len(processes) + 1}.log")
        processes.append(process)
        killer.process = process
        return process

    try:
        async with db.sessions() as session:
            now = datetime.now(UTC)
            await add_subscribers(  # due only once the routines are under way
                session,
                SUBSCRIBERS,
                now=now,
                zone="UTC",
                at=now.time().replace(microsecond=0),
                due_at=now + timedelta(days=1),
            )
            for holder in HOLDERS:  # the routine starts at a hold: the warm-up left out
                await upsert_user(
                    session, user_id=holder, chat_id=holder, language_code="en", now=now
                )
                session.add(ExercisePreference(user_id=holder, exercise_id=WARM_UP, excluded=True))
                await record_screening(  # past the safety check
                    session, user_id=holder, taken_at=now, source="onboarding", tier="none"
                )
            await session.commit()

        # Run 1: three users start holding; then all 500 prompts fall due; killed in the
        # worst instant after k1 prompts.
        process = launch()
        await _start_holds(fake, db, process)
        holds_started = {u: await db.running_hold(u) for u in HOLDERS}
        due = datetime.now(UTC).replace(microsecond=0)
        async with db.sessions() as session:
            await session.execute(
                update(Subscription).values(next_due_at=due, local_time=due.time())
            )
            await session.commit()
        killer.after(rng.randint(40, 120))
        await _until(lambda: _async(not process.alive), "kill 1", process)

        # While it is down: Ben's hold ends (its 20 s pass), Clara taps "Finish hold".
        ben_hold = await db.running_hold(BEN)
        assert ben_hold is not None
        assert ben_hold.ends_at is not None
        clara_hold = await db.running_hold(CLARA)
        assert clara_hold is not None
        assert clara_hold.ends_at is not None
        async with db.sessions() as session:
            await session.execute(
                update(Hold)
                .where(Hold.id == ben_hold.id)
                .values(
                    started_at=ben_hold.started_at - timedelta(seconds=30),
                    ends_at=ben_hold.ends_at - timedelta(seconds=30),
                )
            )
            # Clara's hold runs long (real time passes in the other process): her tap below
            # is an early finish however slow the machine is.
            await session.execute(
                update(Hold)
                .where(Hold.id == clara_hold.id)
                .values(ends_at=clara_hold.ends_at + timedelta(minutes=10))
            )
            await session.commit()
        clara_card = _newest_with(fake, CLARA, FINISH)
        assert clara_card is not None
        _tap(fake, CLARA, clara_card, FINISH)

        # Run 2: killed in the worst instant after k2 more prompts.
        process = launch()
        killer.after(rng.randint(40, 120))
        await _until(lambda: _async(not process.alive), "kill 2", processes[-1])

        # Run 3: killed at a random moment once it has begun sending again.
        process = launch()
        first = killer.accepted
        await _until(lambda: _async(killer.accepted > first), "run 3 to send", process)
        await asyncio.sleep(rng.uniform(0.0, 0.2))  # real time: the bot is another process
        if process.alive:
            process.kill()
        kills = 3

        # Run 4: runs to the end.
        process = launch()
        last_run_from = killer.accepted

        async def all_sent() -> bool:
            return await db.sent() == len(SUBSCRIBERS)

        await _until(all_sent, "every prompt to be recorded as sent", process)

        async def anna_done() -> bool:
            hold = holds_started[ANNA]
            assert hold is not None
            row = await db.scalar(select(Hold).where(Hold.id == hold.id))
            return row is not None and row.outcome != "running"

        await _until(anna_done, "Anna's hold to end", process)

        # The buttons still work after three kills: Clara starts her next hold.
        clara_next = _newest_with(fake, CLARA, START_HOLD)
        assert clara_next is not None
        _tap(fake, CLARA, clara_next, START_HOLD)

        async def clara_holding() -> bool:
            return await db.running_hold(CLARA) is not None

        await _until(clara_holding, "Clara's second hold", process)
        exit_code = await process.stop()
        elapsed = time.monotonic() - started
        gaps = sorted(b - a for a, b in itertools.pairwise(killer.times[last_run_from:]))
        rate = 1 / gaps[len(gaps) // 2]  # the usual pace, leaving out waits for the lease

        # --- reminders: exactly one each, repeats only from the kills ------------------
        per_chat = _prompts_per_chat(fake)
        repeats = sum(count - 1 for count in per_chat.values())
        assert set(per_chat) == SUBSCRIBER_SET
        assert min(per_chat.values()) == 1
        assert killer.kills_mid_request == 2
        assert killer.kills_mid_request <= repeats <= kills * WINDOW
        deliveries = await db.all(select(ReminderDelivery))
        assert len(deliveries) == len(SUBSCRIBERS)
        assert Counter(row.user_id for row in deliveries) == Counter(SUBSCRIBERS)
        assert {row.status for row in deliveries} == {DeliveryStatus.SENT}
        assert {row.local_date for row in deliveries} == {due.date()}
        for row in deliveries:  # the recorded message is the one the user has last
            newest = max(
                m.message_id for m in fake.messages[row.user_id].values() if _has_start_now(m)
            )
            assert row.message_id == newest
        subscriptions = await db.all(select(Subscription).where(Subscription.user_id >= 8_000_001))
        assert {sub.next_due_at for sub in subscriptions if sub.user_id in SUBSCRIBER_SET} == {
            due + timedelta(days=1)
        }

        # --- routines: each goes on ----------------------------------------------------
        for user_id in HOLDERS:
            [routine] = await db.all(
                select(RoutineSession).where(RoutineSession.user_id == user_id)
            )
            assert routine.status == "active", user_id
        first_holds = {
            u: await db.scalar(select(Hold).where(Hold.id == h.id))
            for u, h in holds_started.items()
            if h is not None
        }
        anna, ben, clara = (first_holds[u] for u in HOLDERS)
        # Anna's timer came back after each restart and ended the hold on time.
        assert (anna.outcome, anna.actual_seconds) == ("completed", 20)
        assert _newest_with(fake, ANNA, START_HOLD) is not None  # her next step was shown
        # Ben's hold ended while the bot was down: closed at start-up, with the time known.
        assert (ben.outcome, ben.actual_seconds) == ("completed", 20)
        assert any(RECOVERED in (m.text or "") for m in fake.messages[BEN].values())
        assert _newest_with(fake, BEN, START_HOLD) is not None
        # Clara's tap while the bot was down counted once, as an early finish.
        assert clara.outcome == "stopped_early"
        clara_holds = await db.all(select(Hold).where(Hold.user_id == CLARA).order_by(Hold.id))
        assert [h.outcome for h in clara_holds] == ["stopped_early", "running"]

        # --- the process -----------------------------------------------------------------
        assert exit_code == 0
        logs = "".join(p.output() for p in processes)
        assert TOKEN not in logs
        assert TOKEN.split(":")[1] not in logs
        assert "Traceback" not in logs, logs[-3000:]
        with capsys.disabled():
            print(
                f"\ncrash safety ({database_url.split(':')[0]}): {len(SUBSCRIBERS)} prompts, "
                f"{kills} kills ({killer.kills_mid_request} in the accepted-not-recorded "
                f"instant), repeated prompts {repeats} ({repeats / kills:.1f} per kill, "
                f"at most {WINDOW} in flight), lost 0, 3 routines resumed, {len(processes)} "
                f"runs in {elapsed:.1f} s; over loopback HTTP: {rate:.0f} prompts/s"
            )
    finally:
        for process in processes:
            if process.alive:
                process.kill()
        await db.engine.dispose()


async def _async(value: bool) -> bool:
    return value
