"""Rate-limited delivery: a fake Bot API enforcing 30 messages a second, over real HTTP.

    .venv/bin/python bench/bench_rate_limited.py [--count 3000] [--backend sqlite|postgresql]
        [--pg-url ...] [--limit 30] [--rtt-ms 0] [--rtt-jump-ms MS] [--paid]

The fake Bot API runs as an HTTP server on loopback, in a process of its own
(``tests.fakes.fake_process``: the bot's process is measured alone, as in production), and answers
429 with ``retry_after`` to any send past ``--limit`` in a sliding one-second window, as
Telegram does past its bulk limit. The bot is the real Application configured as in
production: ``TELEGRAM_API_BASE_URL`` pointing at the fake, PTB's HTTP client, the rate limiter
on, and the JobQueue running the reminder sweep every ``REMINDER_SWEEP_SECONDS`` (20 s by
default) in real time, its first run brought forward to the start. ``--count`` subscriptions
are due now.

Printed: messages per second achieved (first to last prompt, and from the first sweep to the
last prompt), the number of 429 answers, and the reminders lost: subscriptions with no sent
delivery when the run ends (it ends when every prompt has arrived, or after a generous
timeout). Any chat that got two prompts is reported too. It runs in real time: about
``count / 29`` seconds.

``--rtt-ms`` holds every answer of the fake that long (a real network's round trip);
``--rtt-jump-ms`` changes it to that once half the prompts have arrived, and the pace before
and after is printed. ``--paid`` sends the prompts as paid broadcasts (``allow_paid_broadcast``)
against a fake allowing 1,000 of those a second (``--paid-limit``), with the in-flight bound
raised to ``--max-in-flight`` (default 250). ``--profile FILE`` writes a cProfile of the bot's
process from the first sweep to the last prompt (``python -m pstats FILE``). Also printed:
the round trip the bot measured, the most prompts it had in flight at once (the crash window
actually used), and the CPU the bot's process used per prompt.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import resource
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

if __package__ in (None, ""):  # run as a file: python bench/bench_rate_limited.py
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import exists, func, select

from bench.support import (
    DEFAULT_PG_URL,
    bench_settings,
    database,
    insert_subscribers,
    machine,
    quiet_logging,
    table,
)
from bot.composition import build_application, close_runtime, freeze_startup_objects, open_runtime
from bot.domain.statuses import DeliveryStatus
from bot.features.reminders.jobs import JOB_NAME
from bot.runtime import BotApp, runtime_of
from content import load_content
from storage.db import create_engine
from storage.models import ReminderDelivery, Subscription
from tests.fakes.fake_process import FakeProcess

TARGET_RATE = 28.5
PAID_TARGET_RATE = 900.0


@dataclass(frozen=True)
class RateLimitedResult:
    count: int
    limit: int
    delivered: int
    rejected: int  # 429 answers
    lost: int
    duplicated: int
    first_to_last: float  # seconds from the first prompt to the last
    sweep_to_last: float  # seconds from the first sweep starting to the last prompt
    rtt_ms: float = 0.0
    jump_ms: float | None = None
    paid: bool = False
    measured_rtt_ms: float = 0.0  # the bot's own estimate at the end
    peak_in_flight: int = 0
    before_jump: float = 0.0  # msg/s over the first half (with --rtt-jump-ms)
    after_jump: float = 0.0  # msg/s over the second half
    cpu_seconds: float = 0.0  # the bot's process, from the first sweep to the end
    system_seconds: float = 0.0  # of which in the kernel (sockets, mostly)

    @property
    def cpu_ms_per_prompt(self) -> float:
        return self.cpu_seconds * 1000 / self.delivered if self.delivered else 0.0

    @property
    def rate(self) -> float:
        return (self.delivered - 1) / self.first_to_last if self.first_to_last > 0 else 0.0

    @property
    def overall_rate(self) -> float:
        return self.delivered / self.sweep_to_last if self.sweep_to_last > 0 else 0.0


async def _lost(url: str, day: datetime) -> int:
    """Subscriptions with no sent delivery due on ``day`` (due at that instant: the local
    date would depend on the subscribers' zone and the hour the benchmark runs)."""
    engine = create_engine(url)
    try:
        sent = exists().where(
            ReminderDelivery.subscription_id == Subscription.id,
            ReminderDelivery.status == DeliveryStatus.SENT,
            ReminderDelivery.due_at == day,
        )
        async with engine.connect() as connection:
            query = select(func.count()).select_from(Subscription).where(~sent)
            return int((await connection.execute(query)).scalar_one())
    finally:
        await engine.dispose()


def _sweep_now(app: BotApp) -> None:
    """Bring the sweep's first run forward from FIRST_SWEEP (5 s after start) to now."""
    assert app.job_queue is not None
    for job in app.job_queue.get_jobs_by_name(JOB_NAME):
        job.job.modify(next_run_time=datetime.now(UTC))


def _pace(times: list[float]) -> float:
    return (len(times) - 1) / (times[-1] - times[0]) if len(times) > 1 else 0.0


async def _wait_for_prompts(fake: FakeProcess, count: int, seconds: float) -> None:
    """Until ``count`` chats got a prompt (asked of the fake twice a second; the benchmark's
    own polling, not the bot's), or ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if (await fake.stats())["chats"] >= count:
            return
        await asyncio.sleep(0.5)


async def deliver(
    count: int,
    *,
    backend: str = "sqlite",
    pg_url: str = DEFAULT_PG_URL,
    limit: int = 30,
    rtt_ms: float = 0.0,
    jump_ms: float | None = None,
    paid: bool = False,
    paid_limit: int = 1000,
    max_in_flight: int | None = None,
    profile: str | None = None,
) -> RateLimitedResult:
    profiler = cProfile.Profile() if profile else None
    fake = FakeProcess(
        limit=limit,
        paid_limit=paid_limit,
        delay_ms=rtt_ms,
        jump_after=count // 2 if jump_ms is not None else None,
        jump_ms=jump_ms or 0.0,
    )
    try:
        base_url = await fake.start()
        async with database(backend, pg_url) as url:
            now = datetime.now(UTC).replace(microsecond=0)
            await insert_subscribers(url, count, now=now - timedelta(days=1), due_at=now)
            extra: dict[str, object] = {}
            if paid:
                extra = {"reminder_paid_broadcast": True, "reminder_send_concurrency": 250}
            if max_in_flight is not None:
                extra["reminder_send_concurrency"] = max_in_flight
            settings = bench_settings(
                url, telegram_api_base_url=base_url, rate_limit_enabled=True, **extra
            )
            app = build_application(settings, load_content())
            freeze_startup_objects()  # as `sciatica-bot run` does
            await app.initialize()
            await open_runtime(app)
            await app.start()  # the JobQueue runs the sweep every REMINDER_SWEEP_SECONDS
            started = time.monotonic()
            cpu_started = time.process_time()
            system_started = resource.getrusage(resource.RUSAGE_SELF).ru_stime
            if profiler is not None:
                profiler.enable()
            _sweep_now(app)
            pace = paid_limit if paid else limit
            timeout = count / (pace * 0.9) + 3 * settings.reminder_sweep_seconds + 30
            await _wait_for_prompts(fake, count, timeout)
            await asyncio.sleep(1 + max(rtt_ms, jump_ms or 0) / 1000)  # the last records
            if profiler is not None:
                profiler.disable()
                profiler.dump_stats(str(profile))
            cpu = time.process_time() - cpu_started
            system = resource.getrusage(resource.RUSAGE_SELF).ru_stime - system_started
            budget = runtime_of(app).budget
            await app.stop()
            await close_runtime(app)
            await app.shutdown()
            lost = await _lost(url, now)
        stats = await fake.stats()
        times = await fake.times()
        await fake.close()
    finally:
        fake.stop()
    half = stats["jumped_at"] or len(times) // 2
    return RateLimitedResult(
        count=count,
        limit=limit,
        delivered=stats["chats"],
        rejected=stats["rejected"],
        lost=lost,
        duplicated=stats["twice"],
        first_to_last=times[-1] - times[0] if len(times) > 1 else 0.0,
        sweep_to_last=times[-1] - started if times else 0.0,
        rtt_ms=rtt_ms,
        jump_ms=jump_ms,
        paid=paid,
        measured_rtt_ms=budget.rtt * 1000,
        peak_in_flight=budget.stats.peak_in_flight,
        before_jump=_pace(times[:half]),
        after_jump=_pace(times[half:]),
        cpu_seconds=cpu,
        system_seconds=system,
    )


def target(result: RateLimitedResult) -> float:
    return PAID_TARGET_RATE if result.paid else TARGET_RATE


def report(result: RateLimitedResult) -> str:
    met = (
        result.rate >= target(result)
        and result.rejected == 0
        and result.lost == 0
        and result.duplicated == 0
    )
    network = f"answers delayed {result.rtt_ms:.0f} ms"
    if result.jump_ms is not None:
        network += f", then {result.jump_ms:.0f} ms from the middle on"
    sends = (
        "paid broadcasts, fake allowing 1,000/s"
        if result.paid
        else (f"fake enforcing {result.limit} sends/s")
    )
    lines = [
        f"Rate-limited delivery: {result.count:,} prompts due now, fake Bot API over HTTP, "
        f"{sends}, {network}",
        machine(),
        table(
            [
                "prompts",
                "delivered",
                "msg/s (first→last)",
                "msg/s (sweep start→last)",
                "429s",
                "lost",
                "twice",
                "rtt measured",
                "peak in flight",
            ],
            [
                [
                    f"{result.count:,}",
                    f"{result.delivered:,}",
                    f"{result.rate:.2f}",
                    f"{result.overall_rate:.2f}",
                    result.rejected,
                    result.lost,
                    result.duplicated,
                    f"{result.measured_rtt_ms:.0f} ms",
                    result.peak_in_flight,
                ]
            ],
        ),
    ]
    if result.jump_ms is not None:
        lines.append(
            f"first half {result.before_jump:.2f} msg/s, second half {result.after_jump:.2f} "
            f"msg/s (round trip {result.rtt_ms:.0f} → {result.jump_ms:.0f} ms)"
        )
    if result.cpu_ms_per_prompt > 0:
        lines.append(
            f"the bot's process used {result.cpu_seconds:.1f} s of CPU "
            f"({result.system_seconds:.1f} s in the kernel): "
            f"{result.cpu_ms_per_prompt:.2f} ms a prompt (one free core: at most "
            f"{1000 / result.cpu_ms_per_prompt:,.0f} prompts/s)"
        )
    lines.append(
        f"target: ≥ {target(result)} msg/s, zero 429s, zero lost, none twice: "
        f"{'met' if met else 'NOT met'}"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> RateLimitedResult:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=3_000)
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--pg-url", default=DEFAULT_PG_URL)
    parser.add_argument("--limit", type=int, default=30, help="the fake's sends per second")
    parser.add_argument("--rtt-ms", type=float, default=0.0, help="the fake's answer delay")
    parser.add_argument("--rtt-jump-ms", type=float, default=None, help="the delay from halfway")
    parser.add_argument("--paid", action="store_true", help="send as paid broadcasts")
    parser.add_argument("--paid-limit", type=int, default=1000)
    parser.add_argument("--max-in-flight", type=int, default=None)
    parser.add_argument("--profile", default=None, help="cProfile the bot's run into this file")
    args = parser.parse_args(argv)
    quiet_logging()
    result = asyncio.run(
        deliver(
            args.count,
            backend=args.backend,
            pg_url=args.pg_url,
            limit=args.limit,
            rtt_ms=args.rtt_ms,
            jump_ms=args.rtt_jump_ms,
            paid=args.paid,
            paid_limit=args.paid_limit,
            max_in_flight=args.max_in_flight,
            profile=args.profile,
        )
    )
    print(report(result))
    return result


if __name__ == "__main__":
    main()
