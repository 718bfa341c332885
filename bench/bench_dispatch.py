"""Dispatch pipeline: reminders per second end to end (claim, render, send, record).

    .venv/bin/python bench/bench_dispatch.py [--count 10000] [--backend sqlite postgresql]
        [--repeat 3] [--history-days 7] [--pg-url postgresql+asyncpg://postgres@127.0.0.1:5432/test]
        [--profile FILE]

``--count`` subscriptions are all due at the same minute; each already has ``--history-days``
days of sent prompts (a bot that has been running a while), and the tables are ANALYZEd as
autovacuum would have done. The real Application is built with the in-process fake Bot API
(it answers at once) and the rate limiter off, and the sweep runs as the JobQueue runs it
(``run_sweep``, the job's body) until nothing more is due. Every prompt must end as exactly
one ``sendMessage`` and one "sent" delivery row, or the run fails.

Each of ``--repeat`` runs gets a fresh database; the best and the median are printed (the
speed of a shared machine varies from run to run). On PostgreSQL the benchmark creates its
own database on the ``--pg-url`` server and drops it afterwards. ``--profile FILE`` writes a
cProfile of the last run's sweep, for ``python -m pstats FILE``.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

if __package__ in (None, ""):  # run as a file: python bench/bench_dispatch.py
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.support import (
    DEFAULT_PG_URL,
    bench_settings,
    count_rows,
    database,
    insert_history,
    insert_subscribers,
    machine,
    median,
    postgres_available,
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

DUE_AT = datetime(2026, 3, 2, 6, 30, tzinfo=UTC)  # 07:30 in Berlin, a Monday
SWEEP_AT = DUE_AT + timedelta(seconds=15)  # the sweep runs every ≤ 30 s
TARGET = 1_000


@dataclass(frozen=True)
class DispatchRun:
    backend: str
    count: int
    seconds: float
    sweeps: int

    @property
    def per_second(self) -> float:
        return self.count / self.seconds if self.seconds > 0 else float("inf")


@dataclass(frozen=True)
class BackendFigures:
    backend: str
    runs: list[DispatchRun]

    @property
    def best(self) -> float:
        return max(run.per_second for run in self.runs)

    @property
    def median(self) -> float:
        return median([run.per_second for run in self.runs])


async def dispatch(
    backend: str,
    count: int,
    *,
    pg_url: str = DEFAULT_PG_URL,
    history_days: int = 7,
    profile: Path | None = None,
) -> DispatchRun:
    """Set up ``count`` due prompts on a fresh database and time the sweep sending them."""
    async with database(backend, pg_url) as url:
        users = await insert_subscribers(
            url, count, now=DUE_AT - timedelta(days=history_days + 1), due_at=DUE_AT
        )
        await insert_history(url, before=DUE_AT, days=history_days)
        clock = ManualClock(SWEEP_AT)
        fake = FakeTelegram(clock)
        app = build_application(bench_settings(url), load_content(), request=fake, clock=clock)
        freeze_startup_objects()  # as `sciatica-bot run` does
        await app.initialize()
        await open_runtime(app)
        runtime = runtime_of(app)
        profiler = cProfile.Profile() if profile else None
        try:
            sweeps = 0
            started = time.perf_counter()
            if profiler:
                profiler.enable()
            while True:  # the job runs again while there is more (MAX_BATCHES per run)
                sweeps += 1
                report = await run_sweep(runtime, app.bot)
                if report.claimed == 0:
                    break
            seconds = time.perf_counter() - started
            if profiler and profile:
                profiler.disable()
                profiler.dump_stats(profile)
        finally:
            await close_runtime(app)
            await app.shutdown()
        sent_rows = await count_rows(
            url,
            ReminderDelivery,
            ReminderDelivery.status == DeliveryStatus.SENT,
            ReminderDelivery.local_date == SWEEP_AT.date(),
        )
    prompts = sorted(call.chat_id or 0 for call in fake.calls if call.method == "sendMessage")
    if prompts != users or sent_rows != count:
        raise AssertionError(
            f"{backend}: {len(prompts)} prompts sent ({len(set(prompts))} chats) and "
            f"{sent_rows} sent rows for {count} subscribers"
        )
    return DispatchRun(backend, count, seconds, sweeps)


async def measure(
    backends: list[str],
    count: int,
    *,
    repeat: int = 3,
    pg_url: str = DEFAULT_PG_URL,
    history_days: int = 7,
    profile: Path | None = None,
) -> list[BackendFigures]:
    figures = []
    for backend in backends:
        if backend == "postgresql" and not await postgres_available(pg_url):
            print(f"PostgreSQL at {pg_url} does not answer: skipped")
            continue
        runs = [
            await dispatch(
                backend,
                count,
                pg_url=pg_url,
                history_days=history_days,
                profile=profile if number == repeat else None,
            )
            for number in range(1, repeat + 1)
        ]
        figures.append(BackendFigures(backend, runs))
    return figures


def report(figures: list[BackendFigures], count: int, history_days: int) -> str:
    rows = [
        [
            figure.backend,
            f"{count:,}",
            f"{figure.median:,.0f}/s",
            f"{figure.best:,.0f}/s",
            ", ".join(f"{run.per_second:,.0f}" for run in figure.runs),
            "met" if figure.median >= TARGET else "NOT met",
        ]
        for figure in figures
    ]
    return "\n".join(
        [
            f"Dispatch: {count:,} prompts due at the same minute; in-process fake Bot API, "
            f"rate limiter off, {history_days} days of history",
            machine(),
            table(
                ["backend", "prompts", "median", "best", "each run (/s)", f"≥ {TARGET:,}/s"],
                rows,
            ),
        ]
    )


def main(argv: list[str] | None = None) -> list[BackendFigures]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument(
        "--backend", nargs="+", choices=["sqlite", "postgresql"], default=["sqlite", "postgresql"]
    )
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--history-days", type=int, default=7)
    parser.add_argument("--pg-url", default=DEFAULT_PG_URL)
    parser.add_argument("--profile", type=Path, default=None)
    args = parser.parse_args(argv)
    quiet_logging()
    figures = asyncio.run(
        measure(
            args.backend,
            args.count,
            repeat=args.repeat,
            pg_url=args.pg_url,
            history_days=args.history_days,
            profile=args.profile,
        )
    )
    print(report(figures, args.count, args.history_days))
    return figures


if __name__ == "__main__":
    main()
