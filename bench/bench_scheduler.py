"""Scheduler cost: start-up time and memory with many subscribers, sweep versus a job each.

    .venv/bin/python bench/bench_scheduler.py [--sizes 1000 10000 100000] [--repeat 3]
        [--backend sqlite|postgresql] [--pg-url ...] [--parallel]

For each size the subscriptions are bulk-inserted into a fresh database. Then, in a fresh
process per measurement (so memory is that process's alone), the bot starts as it does in
production: settings and content, ``build_application``, ``Application.initialize``, the
post_init work (``open_runtime``: the database and every feature's start-up hook) and
``Application.start`` (the JobQueue's scheduler running, holding its jobs). Updates come from
the in-process fake Bot API, so no network is involved.

Two ways of scheduling the same subscribers are compared:

* **sweep** (this bot): nothing per subscriber at start; one repeating job reads what is due.
* **job each** (python-telegram-bot's examples, e.g. timerbot.py): at start every subscription
  is read and given its own ``JobQueue.run_daily`` job, with its time and zone and days.

Start-up time is the median of ``--repeat`` runs; memory is the process's resident set (VmRSS)
once started, and its peak (VmHWM), each minus the same for the bot with no subscribers.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

if __package__ in (None, ""):  # run as a file: python bench/bench_scheduler.py
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import select

from bench.support import (
    DEFAULT_PG_URL,
    bench_settings,
    database,
    insert_subscribers,
    machine,
    median,
    quiet_logging,
    table,
)
from bot.composition import build_application, close_runtime, open_runtime
from bot.entry.fake_telegram import FakeTelegram
from bot.runtime import BotApp, BotContext, runtime_of
from content import load_content
from storage.models import Subscription

SWEEP = "sweep"
JOB_EACH = "job-each"
MB = 1024 * 1024


@dataclass(frozen=True)
class Measurement:
    seconds: float
    rss: int  # bytes
    peak: int  # bytes
    jobs: int


@dataclass(frozen=True)
class Row:
    size: int
    sweep: Measurement
    job_each: Measurement


@dataclass(frozen=True)
class SchedulerResult:
    empty: Measurement
    rows: list[Row]


# --- the child: one start-up, measured ------------------------------------------------------


def _ptb_days(mask: int) -> tuple[int, ...]:
    """Our day mask (Monday = bit 0) as PTB's run_daily days (0 = Sunday ... 6 = Saturday)."""
    return tuple((bit + 1) % 7 for bit in range(7) if mask & (1 << bit))


async def _daily_prompt(context: BotContext) -> None:
    """What a per-subscriber job would do when it fires (never fires in this benchmark)."""
    job = context.job
    if job is not None and job.chat_id is not None:
        await context.bot.send_message(job.chat_id, "Time for your stretches")


async def _schedule_each(app: BotApp) -> None:
    """The examples' way: one run_daily job per subscription, set up at start."""
    assert app.job_queue is not None
    async with runtime_of(app).session() as session:
        rows = (
            await session.execute(
                select(
                    Subscription.chat_id,
                    Subscription.local_time,
                    Subscription.timezone,
                    Subscription.days,
                ).where(Subscription.status == "active")
            )
        ).all()
    for chat_id, local_time, zone, days in rows:
        app.job_queue.run_daily(
            _daily_prompt,
            time=local_time.replace(tzinfo=ZoneInfo(zone)),
            days=_ptb_days(days),
            chat_id=chat_id,
            name=str(chat_id),
        )


def _status_bytes(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError(f"/proc/self/status has no {field}")


async def _start_once(mode: str, url: str) -> Measurement:
    started = time.perf_counter()
    content = load_content()
    app = build_application(
        bench_settings(url), content, request=FakeTelegram(), with_updater=False
    )
    if mode == JOB_EACH:
        runtime_of(app).add_startup_hook(_schedule_each)
    await app.initialize()
    await open_runtime(app)
    await app.start()
    seconds = time.perf_counter() - started
    assert app.job_queue is not None
    jobs = len(app.job_queue.jobs())
    measurement = Measurement(seconds, _status_bytes("VmRSS"), _status_bytes("VmHWM"), jobs)
    await app.stop()
    await close_runtime(app)
    await app.shutdown()
    return measurement


def child(mode: str, url: str) -> None:
    quiet_logging()
    measurement = asyncio.run(_start_once(mode, url))
    print(json.dumps(measurement.__dict__))


# --- the parent: databases, fresh processes, the table -------------------------------------


def _start_child(mode: str, url: str) -> subprocess.Popen[str]:
    return subprocess.Popen(  # noqa: S603 (our own script, our own arguments)
        [sys.executable, str(Path(__file__).resolve()), "--child", mode, "--url", url],
        stdout=subprocess.PIPE,
        text=True,
    )


def _result(child_process: subprocess.Popen[str]) -> Measurement:
    output, _ = child_process.communicate()
    if child_process.returncode != 0:
        raise RuntimeError(f"a measurement process failed ({child_process.returncode})")
    return Measurement(**json.loads(output.strip().splitlines()[-1]))


def _median(runs: list[Measurement]) -> Measurement:
    return Measurement(
        seconds=median([run.seconds for run in runs]),
        rss=round(median([run.rss for run in runs])),
        peak=round(median([run.peak for run in runs])),
        jobs=runs[0].jobs,
    )


Key = tuple[int, str]  # (subscribers, scheduling)


def _measure_all(
    plan: list[Key], urls: dict[int, str], repeat: int, parallel: bool
) -> dict[Key, Measurement]:
    """The median of ``repeat`` fresh processes for each (size, scheduling), one process after
    another; or all at once when ``parallel`` (quicker, but the timings then disturb each
    other: for checking that it works, not for figures)."""
    if parallel:
        started = {key: [_start_child(key[1], urls[key[0]]) for _ in range(repeat)] for key in plan}
        return {key: _median([_result(process) for process in started[key]]) for key in plan}
    return {
        key: _median([_result(_start_child(key[1], urls[key[0]])) for _ in range(repeat)])
        for key in plan
    }


async def measure_all(
    sizes: list[int], backend: str, pg_url: str, repeat: int, parallel: bool = False
) -> SchedulerResult:
    """A database per size (and an empty one), filled first; then the measurements."""
    async with contextlib.AsyncExitStack() as stack:
        urls: dict[int, str] = {}
        for size in [0, *sizes]:
            urls[size] = await stack.enter_async_context(database(backend, pg_url))
            if size:
                when = datetime(2026, 3, 1, tzinfo=UTC)
                await insert_subscribers(urls[size], size, now=when, due_at=None)
        plan: list[Key] = [(0, SWEEP)]
        plan += [(size, mode) for size in sizes for mode in (SWEEP, JOB_EACH)]
        measured = await asyncio.to_thread(_measure_all, plan, urls, repeat, parallel)
    rows = [Row(size, measured[size, SWEEP], measured[size, JOB_EACH]) for size in sizes]
    return SchedulerResult(measured[0, SWEEP], rows)


def _mb(value: float) -> str:
    megabytes = value / MB
    return f"{0.0 if abs(megabytes) < 0.05 else megabytes:+.1f} MB"


def _ratio(ours: float, theirs: float) -> str:
    return f"{theirs / ours:,.1f}×" if ours > 0 else "-"


def report(result: SchedulerResult, backend: str) -> str:
    empty = result.empty
    lines = [
        f"Scheduler cost on {backend}: start-up (median) and resident memory above the bot "
        "with no subscribers",
        machine(),
        f"empty bot: start-up {empty.seconds:.3f} s, RSS {empty.rss / MB:.1f} MB "
        f"(peak {empty.peak / MB:.1f} MB), {empty.jobs} jobs",
        "",
    ]
    rows = []
    for row in result.rows:
        for name, measured in ((SWEEP, row.sweep), (JOB_EACH, row.job_each)):
            rows.append(
                [
                    f"{row.size:,}",
                    name,
                    f"{measured.seconds:.3f} s",
                    _mb(measured.rss - empty.rss),
                    _mb(measured.peak - empty.peak),
                    f"{measured.jobs:,}",
                ]
            )
    lines.append(table(["subscribers", "scheduling", "start-up", "RSS", "peak RSS", "jobs"], rows))
    lines.append("")
    ratios = [
        [
            f"{row.size:,}",
            _ratio(row.sweep.seconds, row.job_each.seconds),
            f"{_mb(row.job_each.rss - empty.rss)} vs {_mb(row.sweep.rss - empty.rss)}",
        ]
        for row in result.rows
    ]
    lines.append(
        table(["subscribers", "job each / sweep start-up", "RSS job each vs sweep"], ratios)
    )
    largest = max(result.rows, key=lambda row: row.size)
    extra = (largest.sweep.rss - empty.rss) / MB
    verdict = "met" if largest.sweep.seconds < 1 and extra < 60 else "NOT met"
    lines.append(
        f"target at {largest.size:,}: start-up < 1 s and < 60 MB above the empty bot: {verdict} "
        f"({largest.sweep.seconds:.3f} s, {extra:+.1f} MB)"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> SchedulerResult | None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--pg-url", default=DEFAULT_PG_URL)
    parser.add_argument(
        "--parallel",
        action="store_true",
        help="start every measurement process at once: quick, but the timings disturb each other",
    )
    parser.add_argument("--child", choices=[SWEEP, JOB_EACH], help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child, args.url)
        return None
    quiet_logging()
    result = asyncio.run(
        measure_all(args.sizes, args.backend, args.pg_url, args.repeat, args.parallel)
    )
    print(report(result, args.backend))
    return result


if __name__ == "__main__":
    main()
