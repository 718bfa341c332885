"""Rate-limited delivery: a fake Bot API enforcing 30 messages a second, over real HTTP.

    .venv/bin/python bench/bench_rate_limited.py [--count 3000] [--backend sqlite|postgresql]
        [--pg-url ...] [--limit 30]

The fake Bot API runs as an HTTP server on loopback (``tests.fakes.http_server``) and answers
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
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

if __package__ in (None, ""):  # run as a file: python bench/bench_rate_limited.py
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.entry.fake_records import ApiCall, FakeMessage
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
from bot.entry.fake_telegram import FakeTelegram
from bot.features.reminders.jobs import JOB_NAME
from bot.runtime import BotApp
from content import load_content
from storage.db import create_engine
from storage.models import ReminderDelivery, Subscription
from tests.fakes.http_server import FakeTelegramServer

TARGET_RATE = 28.5


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

    @property
    def rate(self) -> float:
        return (self.delivered - 1) / self.first_to_last if self.first_to_last > 0 else 0.0

    @property
    def overall_rate(self) -> float:
        return self.delivered / self.sweep_to_last if self.sweep_to_last > 0 else 0.0


async def _lost(url: str, day: datetime) -> int:
    """Subscriptions with no sent delivery for the day."""
    engine = create_engine(url)
    try:
        sent = exists().where(
            ReminderDelivery.subscription_id == Subscription.id,
            ReminderDelivery.status == DeliveryStatus.SENT,
            ReminderDelivery.local_date == day.date(),
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


async def deliver(
    count: int, *, backend: str = "sqlite", pg_url: str = DEFAULT_PG_URL, limit: int = 30
) -> RateLimitedResult:
    fake = FakeTelegram()
    prompt_times: list[float] = []
    prompted: Counter[int] = Counter()
    all_arrived = asyncio.Event()

    def on_call(call: ApiCall, _message: FakeMessage | None) -> None:
        if call.method == "sendMessage" and call.chat_id is not None:
            prompt_times.append(time.monotonic())
            prompted[call.chat_id] += 1
            if len(prompted) >= count:
                all_arrived.set()

    fake.listeners.append(on_call)
    server = FakeTelegramServer(fake, max_per_second=limit)
    base_url = await server.start()
    try:
        async with database(backend, pg_url) as url:
            now = datetime.now(UTC).replace(microsecond=0)
            await insert_subscribers(url, count, now=now - timedelta(days=1), due_at=now)
            settings = bench_settings(url, telegram_api_base_url=base_url, rate_limit_enabled=True)
            app = build_application(settings, load_content())
            freeze_startup_objects()  # as `sciatica-bot run` does
            await app.initialize()
            await open_runtime(app)
            await app.start()  # the JobQueue runs the sweep every REMINDER_SWEEP_SECONDS
            started = time.monotonic()
            _sweep_now(app)
            timeout = count / (limit * 0.9) + 3 * settings.reminder_sweep_seconds + 30
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(all_arrived.wait(), timeout)
            await asyncio.sleep(1)  # let the last results be recorded
            await app.stop()
            await close_runtime(app)
            await app.shutdown()
            lost = await _lost(url, now)
    finally:
        await server.stop()
    times = prompt_times
    rejected = server.window.rejected if server.window else 0
    return RateLimitedResult(
        count=count,
        limit=limit,
        delivered=len(prompted),
        rejected=rejected,
        lost=lost,
        duplicated=sum(1 for sends in prompted.values() if sends > 1),
        first_to_last=times[-1] - times[0] if len(times) > 1 else 0.0,
        sweep_to_last=times[-1] - started if times else 0.0,
    )


def report(result: RateLimitedResult) -> str:
    met = (
        result.rate >= TARGET_RATE
        and result.rejected == 0
        and result.lost == 0
        and result.duplicated == 0
    )
    return "\n".join(
        [
            f"Rate-limited delivery: {result.count:,} prompts due now, fake Bot API over HTTP "
            f"enforcing {result.limit} sends/s, PTB's rate limiter on",
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
                    ]
                ],
            ),
            f"target: ≥ {TARGET_RATE} msg/s, zero 429s, zero lost: {'met' if met else 'NOT met'}",
        ]
    )


def main(argv: list[str] | None = None) -> RateLimitedResult:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=3_000)
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--pg-url", default=DEFAULT_PG_URL)
    parser.add_argument("--limit", type=int, default=30, help="the fake's sends per second")
    args = parser.parse_args(argv)
    quiet_logging()
    result = asyncio.run(
        deliver(args.count, backend=args.backend, pg_url=args.pg_url, limit=args.limit)
    )
    print(report(result))
    return result


if __name__ == "__main__":
    main()
