"""Two instances on one PostgreSQL database sharing the due reminders: each sent exactly once.

    .venv/bin/python bench/bench_two_instances.py [--count 10000] [--instances 1 2]
        [--history-days 7] [--pg-url postgresql+asyncpg://postgres@127.0.0.1:5432/test]

For each number of instances: a fresh PostgreSQL database with ``--count`` subscriptions due
at the same minute (and ``--history-days`` of sent prompts, ANALYZEd). Then that many separate
processes each build the real Application with an in-process fake Bot API and a clock set
just after the due minute, and, on a common start signal, run the reminder sweep
(``run_sweep``, the JobQueue job's body) until a run finds nothing due. Each process reports
the chats it sent a prompt to.

The run fails unless every subscriber got exactly one prompt across all processes, and the
database holds exactly one "sent" delivery per subscriber. Printed: each process's share and
the time from the start signal until the last process finished, with one instance alongside
for comparison. The instances coordinate only through the database (``FOR UPDATE SKIP
LOCKED`` on the rows they claim).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

if __package__ in (None, ""):  # run as a file: python bench/bench_two_instances.py
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.support import (
    DEFAULT_PG_URL,
    bench_settings,
    count_rows,
    insert_history,
    insert_subscribers,
    machine,
    postgres_available,
    postgres_database,
    quiet_logging,
    table,
)
from bot.composition import build_application, close_runtime, freeze_startup_objects, open_runtime
from bot.domain.statuses import DeliveryStatus
from bot.entry.fake_telegram import FakeTelegram
from bot.features.reminders.jobs import run_sweep
from bot.runtime import runtime_of
from bot.runtime.clock import ManualClock
from content import load_content
from storage.models import ReminderDelivery

DUE_AT = datetime(2026, 3, 2, 6, 30, tzinfo=UTC)
SWEEP_AT = DUE_AT + timedelta(seconds=15)
HISTORY_DAYS = 7
SCRIPT = str(Path(__file__).resolve())


@dataclass(frozen=True)
class InstanceReport:
    sent: list[int]  # chat ids
    seconds: float  # from the start signal to this process's last sweep ending


@dataclass(frozen=True)
class SharedRun:
    count: int
    instances: list[InstanceReport]
    seconds: float  # from the start signal until the last process finished

    @property
    def per_second(self) -> float:
        return self.count / self.seconds if self.seconds > 0 else float("inf")


# --- one instance (a child process) ---------------------------------------------------------


async def _instance(url: str) -> None:
    clock = ManualClock(SWEEP_AT)
    fake = FakeTelegram(clock)
    app = build_application(bench_settings(url), load_content(), request=fake, clock=clock)
    freeze_startup_objects()  # as `sciatica-bot run` does
    await app.initialize()
    await open_runtime(app)
    runtime = runtime_of(app)
    print("ready", flush=True)
    await asyncio.to_thread(sys.stdin.readline)  # the start signal
    started = time.perf_counter()
    try:
        while (await run_sweep(runtime, app.bot)).claimed:
            pass
        seconds = time.perf_counter() - started
    finally:
        await close_runtime(app)
        await app.shutdown()
    sent = [call.chat_id or 0 for call in fake.calls if call.method == "sendMessage"]
    print(json.dumps({"sent": sent, "seconds": seconds}), flush=True)


def child(url: str) -> None:
    quiet_logging()
    asyncio.run(_instance(url))


# --- the parent: database, processes, checks ------------------------------------------------


async def _spawn(url: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        SCRIPT,
        "--child",
        "--url",
        url,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )


async def _ready(process: asyncio.subprocess.Process) -> None:
    assert process.stdout is not None
    line = await process.stdout.readline()
    if line.strip() != b"ready":
        raise RuntimeError(f"instance did not start: {line!r}")


async def _finish(process: asyncio.subprocess.Process) -> InstanceReport:
    assert process.stdout is not None
    output = await process.stdout.read()
    if await process.wait() != 0:
        raise RuntimeError("an instance failed")
    data = json.loads(output.decode().strip().splitlines()[-1])
    return InstanceReport(sent=[int(chat) for chat in data["sent"]], seconds=data["seconds"])


async def shared_run(
    count: int, instances: int, pg_url: str, history_days: int = HISTORY_DAYS
) -> SharedRun:
    async with postgres_database(pg_url) as url:
        users = await insert_subscribers(
            url, count, now=DUE_AT - timedelta(days=history_days + 1), due_at=DUE_AT
        )
        await insert_history(url, before=DUE_AT, days=history_days)
        processes = [await _spawn(url) for _ in range(instances)]
        await asyncio.gather(*(_ready(process) for process in processes))
        started = time.perf_counter()
        for process in processes:
            assert process.stdin is not None
            process.stdin.write(b"go\n")
            await process.stdin.drain()
        reports = await asyncio.gather(*(_finish(process) for process in processes))
        seconds = time.perf_counter() - started
        sent_rows = await count_rows(
            url,
            ReminderDelivery,
            ReminderDelivery.status == DeliveryStatus.SENT,
            ReminderDelivery.local_date == SWEEP_AT.date(),
        )
        other_rows = await count_rows(
            url,
            ReminderDelivery,
            ReminderDelivery.status != DeliveryStatus.SENT,
            ReminderDelivery.local_date == SWEEP_AT.date(),
        )
    sends = Counter(chat for report in reports for chat in report.sent)
    twice = [chat for chat, times in sends.items() if times > 1]
    missing = set(users) - set(sends)
    if twice or missing or sent_rows != count or other_rows:
        raise AssertionError(
            f"{instances} instances: {len(twice)} chats prompted twice, {len(missing)} never; "
            f"{sent_rows} sent rows and {other_rows} others for {count} subscribers"
        )
    return SharedRun(count, list(reports), seconds)


async def measure(
    count: int, instance_counts: list[int], pg_url: str, history_days: int = HISTORY_DAYS
) -> list[SharedRun]:
    if not await postgres_available(pg_url):
        raise SystemExit(f"PostgreSQL at {pg_url} does not answer; this benchmark needs it")
    return [
        await shared_run(count, instances, pg_url, history_days) for instances in instance_counts
    ]


def report(runs: list[SharedRun]) -> str:
    rows = [
        [
            len(run.instances),
            f"{run.count:,}",
            " + ".join(f"{len(instance.sent):,}" for instance in run.instances),
            "0",
            f"{run.seconds:.2f} s",
            f"{run.per_second:,.0f}/s",
        ]
        for run in runs
    ]
    return "\n".join(
        [
            f"Instances sharing one PostgreSQL database: {runs[0].count:,} prompts due at the "
            "same minute, in-process fake Bot API in each, rate limiter off",
            machine(),
            table(
                ["instances", "prompts", "sent by each", "sent twice", "time", "prompts/s"],
                rows,
            ),
            "every subscriber got exactly one prompt, and has exactly one sent delivery row",
        ]
    )


def main(argv: list[str] | None = None) -> list[SharedRun] | None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--instances", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--history-days", type=int, default=HISTORY_DAYS)
    parser.add_argument("--pg-url", default=DEFAULT_PG_URL)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.url)
        return None
    quiet_logging()
    runs = asyncio.run(measure(args.count, args.instances, args.pg_url, args.history_days))
    print(report(runs))
    return runs


if __name__ == "__main__":
    main()
