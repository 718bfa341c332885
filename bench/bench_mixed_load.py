"""Mixed load: a morning's prompts while hundreds of people hold a stretch with a live countdown.

    .venv/bin/python bench/bench_mixed_load.py [--prompts 3000] [--holders 500] [--rtt-ms 100]
        [--taps-per-second 0.5] [--after 15] [--backend sqlite|postgresql] [--pg-url ...]

Set-up (not measured): ``--holders`` people each open /routine, skip the pain question and
start their first hold, through the real Application; their holds are then stretched in the
database to end after the run, and ``--prompts`` subscriptions fall due now. The measured
bot is the real Application as in production (PTB's HTTP client, the send budget at 28.8/s,
the JobQueue in real time) against the fake Bot API over HTTP enforcing 30 sends/s with every
answer delayed ``--rtt-ms``; at start-up it gives each running hold its timer back, and the
sweep starts. Meanwhile a random holder taps "Finish hold" ``--taps-per-second`` times a
second. The run ends ``--after`` seconds after the last prompt.

Printed: the reminders' pace, 429s, lost and repeated prompts; each tap's answer time (tap
to answerCallbackQuery) and reply time (tap to its last message) at p50/p99/max; the
countdown cadence the budget allowed while the prompts went out and after, and the
countdown edits actually sent.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

if __package__ in (None, ""):  # run as a file: python bench/bench_mixed_load.py
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import contextlib

from sqlalchemy import update
from telegram import Update

from bench.bench_interaction import FINISH, START, Simulation
from bench.bench_rate_limited import _lost, _sweep_now
from bench.support import (
    DEFAULT_PG_URL,
    FIRST_USER_ID,
    bench_settings,
    database,
    insert_subscribers,
    machine,
    percentile,
    quiet_logging,
    table,
)
from bot.composition import build_application, close_runtime, freeze_startup_objects, open_runtime
from bot.entry.fake_records import ApiCall, FakeMessage
from bot.entry.fake_telegram import FakeTelegram
from bot.runtime import runtime_of
from content import load_content
from storage.db import create_engine
from storage.models import Hold
from tests.fakes.http_server import FakeTelegramServer

HOLDER_BASE = FIRST_USER_ID + 1_000_000
SKIP_PAIN = ("Skip",)


@dataclass(frozen=True)
class MixedResult:
    prompts: int
    holders: int
    rtt_ms: float
    rate: float
    rejected: int
    lost: int
    duplicated: int
    answers: list[float]
    replies: list[float]
    cadence_during: Counter[str]
    cadence_after: Counter[str]
    edits_during: int
    edits_after: int
    burst_seconds: float
    after_seconds: float


async def _set_up_holds(url: str, fake: FakeTelegram, holders: list[int]) -> None:
    app = build_application(bench_settings(url), load_content(), request=fake)
    await app.initialize()
    await open_runtime(app)
    simulation = Simulation(app, fake, 0)

    async def start(user_id: int) -> None:
        await simulation.safety_check(user_id)  # no routine starts before it (not measured)
        await simulation.type(user_id, "/routine")
        await simulation.tap(user_id, SKIP_PAIN)
        await simulation.tap(user_id, START)

    try:
        for first in range(0, len(holders), 100):
            await asyncio.gather(*(start(user_id) for user_id in holders[first : first + 100]))
    finally:
        await close_runtime(app)
        await app.shutdown()


async def _stretch_holds(url: str, ends_from: datetime, spread: float) -> None:
    """Every running hold ends somewhere in [ends_from, ends_from + spread s]."""
    engine = create_engine(url)
    rng = random.Random(3)
    try:
        async with engine.begin() as connection:
            ids = (await connection.execute(Hold.__table__.select())).all()
            for row in ids:
                ends = ends_from + timedelta(seconds=rng.uniform(0, spread))
                await connection.execute(update(Hold).where(Hold.id == row.id).values(ends_at=ends))
    finally:
        await engine.dispose()


async def run(
    prompts: int,
    holders: int,
    *,
    rtt_ms: float = 100.0,
    taps_per_second: float = 0.5,
    after: float = 15.0,
    backend: str = "sqlite",
    pg_url: str = DEFAULT_PG_URL,
) -> MixedResult:
    fake = FakeTelegram()
    server = FakeTelegramServer(fake, max_per_second=30, delay=rtt_ms / 1000)
    holder_ids = [HOLDER_BASE + i for i in range(holders)]
    holder_set = set(holder_ids)
    prompt_times: list[float] = []
    prompted: Counter[int] = Counter()
    edits: list[float] = []
    answered: dict[str, float] = {}
    all_arrived = asyncio.Event()

    def on_call(call: ApiCall, _message: FakeMessage | None) -> None:
        now = time.monotonic()
        if call.method == "answerCallbackQuery":
            answered[str(call.params["callback_query_id"])] = now
        elif call.chat_id in holder_set and "seconds left" in (call.text or ""):
            edits.append(now)
        elif call.method == "sendMessage" and call.chat_id not in holder_set and call.chat_id:
            prompt_times.append(now)
            prompted[call.chat_id] += 1
            if len(prompted) >= prompts:
                all_arrived.set()

    base_url = await server.start()
    async with database(backend, pg_url) as url:
        now = datetime.now(UTC).replace(microsecond=0)
        await insert_subscribers(url, prompts, now=now - timedelta(days=1), due_at=now)
        await _set_up_holds(url, fake, holder_ids)
        burst = prompts / 28.8
        await _stretch_holds(url, datetime.now(UTC) + timedelta(seconds=burst + after + 10), 30)
        fake.listeners.append(on_call)
        settings = bench_settings(url, telegram_api_base_url=base_url, rate_limit_enabled=True)
        app = build_application(settings, load_content())
        freeze_startup_objects()
        budget = runtime_of(app).budget
        cadences: list[tuple[float, float | None]] = []
        asked = budget.countdown_every

        def countdown_every(chat: int | str) -> float | None:
            every = asked(chat)
            cadences.append((time.monotonic(), every))
            return every

        budget.countdown_every = countdown_every  # type: ignore[method-assign]
        await app.initialize()
        await open_runtime(app)  # gives every running hold its timer back
        await app.start()
        started = time.monotonic()
        _sweep_now(app)
        simulation = Simulation(app, fake, 0)
        answers: list[float] = []
        replies: list[float] = []
        tapping = list(holder_ids)
        random.Random(5).shuffle(tapping)

        async def tap(user_id: int) -> None:
            message, data = simulation._button(user_id, FINISH)
            update_json = fake.callback_update(user_id, message.message_id, data)
            query_id = str(update_json["callback_query"]["id"])
            pressed = time.monotonic()
            await app.process_update(Update.de_json(update_json, app.bot))
            replies.append(time.monotonic() - pressed)
            if query_id in answered:
                answers.append(answered[query_id] - pressed)

        async def taps() -> None:
            tasks = []
            while not all_arrived.is_set() and tapping:
                tasks.append(asyncio.create_task(tap(tapping.pop())))
                await asyncio.sleep(1 / taps_per_second)
            await asyncio.gather(*tasks)

        tapper = asyncio.create_task(taps())
        timeout = burst * 1.5 + 60
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(all_arrived.wait(), timeout)
        burst_end = time.monotonic()
        await tapper
        await asyncio.sleep(after)  # the countdowns once the prompts are out
        ended = time.monotonic()
        await app.stop()
        await close_runtime(app)
        await app.shutdown()
        lost = await _lost(url, now)
    await server.stop()

    def label(every: float | None) -> str:
        return "near the end only" if every is None else f"every {every:.0f} s"

    return MixedResult(
        prompts=prompts,
        holders=holders,
        rtt_ms=rtt_ms,
        rate=(len(prompt_times) - 1) / (prompt_times[-1] - prompt_times[0]),
        rejected=server.rejected,
        lost=lost,
        duplicated=sum(1 for n in prompted.values() if n > 1),
        answers=answers,
        replies=replies,
        cadence_during=Counter(label(e) for t, e in cadences if t <= burst_end),
        cadence_after=Counter(label(e) for t, e in cadences if t > burst_end),
        edits_during=sum(1 for t in edits if started <= t <= burst_end),
        edits_after=sum(1 for t in edits if t > burst_end),
        burst_seconds=burst_end - started,
        after_seconds=ended - burst_end,
    )


def _ms(values: list[float], fraction: float) -> str:
    return f"{percentile(values, fraction) * 1000:.0f} ms" if values else "-"


def report(result: MixedResult) -> str:
    met = (
        result.rate >= 27.0
        and result.rejected == 0
        and result.lost == 0
        and result.duplicated == 0
        and bool(result.answers)
        and percentile(result.answers, 0.99) < 1.0
    )
    cadence = "; ".join(
        f"{name}: " + ", ".join(f"{k} ×{v}" for k, v in counts.most_common())
        for name, counts in (
            ("while prompts went out", result.cadence_during),
            ("after", result.cadence_after),
        )
    )
    return "\n".join(
        [
            f"Mixed load: {result.prompts:,} prompts due now while {result.holders} people "
            f"hold a stretch; fake Bot API over HTTP, 30 sends/s, answers delayed "
            f"{result.rtt_ms:.0f} ms",
            machine(),
            table(
                ["reminders msg/s", "429s", "lost", "twice", "taps", "answer p50", "p99", "max"],
                [
                    [
                        f"{result.rate:.2f}",
                        result.rejected,
                        result.lost,
                        result.duplicated,
                        len(result.answers),
                        _ms(result.answers, 0.5),
                        _ms(result.answers, 0.99),
                        _ms(result.answers, 1.0),
                    ]
                ],
            ),
            f"tap to its last message: p50 {_ms(result.replies, 0.5)}, "
            f"p99 {_ms(result.replies, 0.99)}",
            f"countdown cadence asked: {cadence}",
            f"countdown edits sent: {result.edits_during} in {result.burst_seconds:.0f} s "
            f"while prompts went out, {result.edits_after} in the {result.after_seconds:.0f} s "
            "after",
            "target: reminders ≥ 27 msg/s, zero 429s, zero lost, taps answered < 1 s at p99: "
            + ("met" if met else "NOT met"),
        ]
    )


def main(argv: list[str] | None = None) -> MixedResult:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prompts", type=int, default=3_000)
    parser.add_argument("--holders", type=int, default=500)
    parser.add_argument("--rtt-ms", type=float, default=100.0)
    parser.add_argument("--taps-per-second", type=float, default=0.5)
    parser.add_argument("--after", type=float, default=15.0)
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--pg-url", default=DEFAULT_PG_URL)
    args = parser.parse_args(argv)
    quiet_logging()
    result = asyncio.run(
        run(
            args.prompts,
            args.holders,
            rtt_ms=args.rtt_ms,
            taps_per_second=args.taps_per_second,
            after=args.after,
            backend=args.backend,
            pg_url=args.pg_url,
        )
    )
    print(report(result))
    return result


if __name__ == "__main__":
    main()
