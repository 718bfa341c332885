"""Interaction latency: many users tapping hold buttons and rating pain at the same time.

    .venv/bin/python bench/bench_interaction.py [--users 200] [--holds 4] [--backend sqlite]
        [--think-ms 0] [--pg-url ...]

Each simulated user, all of them at once (``asyncio.gather``), goes through the real
Application (``Application.process_update``) on a fresh database: ``/routine``, taps "5" for
the pain before, then ``--holds`` times "Start hold" and "Finish hold" (or "Start set" and
"Set done" on a reps exercise), then types ``/pain 5``. Buttons are found on the messages the
fake Bot API holds, as a person would find them. The app's clock is a manual one (no hold
timer fires); latency is wall time (``time.perf_counter``).

Printed: answerCallbackQuery latency p50/p99/max (from ``process_update`` starting to the
answerCallbackQuery request reaching the fake Bot API), the time to process whole updates
(taps and typed messages), updates per second, and the rows written. With ``--think-ms 0``
every user taps again the moment the bot has answered: the heaviest load 200 people can make.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a file: python bench/bench_interaction.py
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine
from telegram import Update

from bench.support import (
    DEFAULT_PG_URL,
    bench_settings,
    count_rows,
    database,
    machine,
    percentile,
    quiet_logging,
    table,
    user_ids,
)
from bot.composition import build_application, close_runtime, freeze_startup_objects, open_runtime
from bot.entry.fake_records import ApiCall, FakeMessage
from bot.entry.fake_telegram import FakeTelegram
from bot.plumbing.errors import is_benign
from bot.runtime import BotApp, BotContext, runtime_of
from bot.runtime.clock import ManualClock
from content import load_content
from storage.models import Hold, PainRating, RoutineSession, User

_t = load_content().t
START = (_t("routine.button_start_hold"), _t("routine.button_start_set"))
FINISH = (_t("routine.button_finish"), _t("routine.button_set_done"))
PAIN_BEFORE = "5"
TARGET_P99_MS = 50.0
NOW = datetime(2026, 3, 2, 17, 0, tzinfo=UTC)


@dataclass
class Timings:
    answer: list[float] = field(default_factory=list)  # seconds, per tap
    tap: list[float] = field(default_factory=list)  # whole update, per tap
    message: list[float] = field(default_factory=list)  # whole update, per typed message
    unanswered: int = 0


@dataclass(frozen=True)
class InteractionResult:
    backend: str
    users: int
    holds: int
    seconds: float
    timings: Timings
    rows: dict[str, int]
    errors: int
    statements: int

    @property
    def updates(self) -> int:
        return len(self.timings.tap) + len(self.timings.message)


class Simulation:
    """The Application, its fake Bot API, and the wall-clock time each answer was made."""

    def __init__(self, app: BotApp, fake: FakeTelegram, think: float) -> None:
        self.app = app
        self.fake = fake
        self.think = think
        self.timings = Timings()
        self.answered: dict[str, float] = {}
        self.rng = random.Random(7)
        content = runtime_of(app).content
        self.questions = len(content.safety.red_flag_questions)
        self.no = content.t("onboard.no")
        fake.listeners.append(self._on_call)

    def _on_call(self, call: ApiCall, _message: FakeMessage | None) -> None:
        if call.method == "answerCallbackQuery":
            self.answered[str(call.params["callback_query_id"])] = time.perf_counter()

    async def _process(self, update: dict[str, Any]) -> float:
        started = time.perf_counter()
        await self.app.process_update(Update.de_json(update, self.app.bot))
        return started

    async def _pause(self) -> None:
        if self.think:
            await asyncio.sleep(self.rng.uniform(0, 2 * self.think))

    async def type(self, user_id: int, text: str) -> None:
        await self._pause()
        started = await self._process(self.fake.message_update(user_id, text))
        self.timings.message.append(time.perf_counter() - started)

    async def tap(self, user_id: int, labels: tuple[str, ...]) -> None:
        await self._pause()
        message, data = self._button(user_id, labels)
        update = self.fake.callback_update(user_id, message.message_id, data)
        query_id = str(update["callback_query"]["id"])
        started = await self._process(update)
        self.timings.tap.append(time.perf_counter() - started)
        answered = self.answered.pop(query_id, None)
        if answered is None:
            self.timings.unanswered += 1
        else:
            self.timings.answer.append(answered - started)

    def _button(self, user_id: int, labels: tuple[str, ...]) -> tuple[FakeMessage, str]:
        """The newest message in the chat with one of these buttons, and that button's data."""
        for message in sorted(self.fake.messages[user_id].values(), key=lambda m: -m.message_id):
            if message.deleted:
                continue
            for row in (message.reply_markup or {}).get("inline_keyboard") or []:
                for button in row:
                    if button.get("text") in labels and "callback_data" in button:
                        return message, str(button["callback_data"])
        raise AssertionError(f"user {user_id} has no message with a button in {labels}")

    async def safety_check(self, user_id: int) -> None:
        """/start's safety questions, all "no" (no routine starts before them); not timed."""
        await self._process(self.fake.message_update(user_id, "/start"))
        for _ in range(self.questions):
            message, data = self._button(user_id, (self.no,))
            update = self.fake.callback_update(user_id, message.message_id, data)
            await self._process(update)
            self.answered.pop(str(update["callback_query"]["id"]), None)

    async def user(self, user_id: int, holds: int) -> None:
        await self.safety_check(user_id)
        await self.type(user_id, "/routine")
        await self.tap(user_id, (PAIN_BEFORE,))
        for _ in range(holds):
            await self.tap(user_id, START)
            await self.tap(user_id, FINISH)
        await self.type(user_id, "/pain 5")


async def interact(
    users: int,
    *,
    holds: int = 4,
    backend: str = "sqlite",
    pg_url: str = DEFAULT_PG_URL,
    think_ms: float = 0,
) -> InteractionResult:
    async with database(backend, pg_url) as url:
        clock = ManualClock(NOW)
        fake = FakeTelegram(clock)
        app = build_application(bench_settings(url), load_content(), request=fake, clock=clock)
        freeze_startup_objects()  # as `sciatica-bot run` does
        errors: list[BaseException] = []

        async def record_error(_update: object, context: BotContext) -> None:
            if context.error is not None and not is_benign(context.error):
                errors.append(context.error)

        app.add_error_handler(record_error)
        await app.initialize()
        await open_runtime(app)
        simulation = Simulation(app, fake, think_ms / 1000)
        statements = count_statements(runtime_of(app).engine)
        try:
            started = time.perf_counter()
            await asyncio.gather(*(simulation.user(user_id, holds) for user_id in user_ids(users)))
            seconds = time.perf_counter() - started
        finally:
            await close_runtime(app)
            await app.shutdown()
        rows = {
            model.__tablename__: await count_rows(url, model)
            for model in (User, RoutineSession, Hold, PainRating)
        }
    return InteractionResult(
        backend,
        users,
        holds,
        seconds,
        simulation.timings,
        rows,
        errors=len(errors),
        statements=statements[0],
    )


def count_statements(engine: AsyncEngine | None) -> list[int]:
    """A one-item list that counts the SQL statements the engine sends from now on."""
    counter = [0]
    assert engine is not None

    @event.listens_for(engine.sync_engine, "before_cursor_execute")
    def _count(*_args: object) -> None:
        counter[0] += 1

    return counter


def _ms(values: list[float], fraction: float) -> str:
    return f"{percentile(values, fraction) * 1000:.1f} ms"


def report(result: InteractionResult, think_ms: float) -> str:
    timings = result.timings
    p99 = percentile(timings.answer, 0.99) * 1000
    rows = [
        [
            "answerCallbackQuery",
            f"{len(timings.answer):,}",
            _ms(timings.answer, 0.5),
            _ms(timings.answer, 0.99),
            _ms(timings.answer, 1.0),
        ],
        [
            "whole tap update",
            f"{len(timings.tap):,}",
            _ms(timings.tap, 0.5),
            _ms(timings.tap, 0.99),
            _ms(timings.tap, 1.0),
        ],
        [
            "whole typed message",
            f"{len(timings.message):,}",
            _ms(timings.message, 0.5),
            _ms(timings.message, 0.99),
            _ms(timings.message, 1.0),
        ],
    ]
    written = ", ".join(f"{name} {count:,}" for name, count in result.rows.items())
    verdict = "met" if p99 < TARGET_P99_MS and not timings.unanswered else "NOT met"
    return "\n".join(
        [
            f"Interaction on {result.backend}: {result.users} users at once, each /routine, "
            f"pain 5, {result.holds} × (start, finish), /pain 5; think time "
            f"{think_ms:g} ms (mean)",
            machine(),
            table(["latency", "samples", "p50", "p99", "max"], rows),
            f"{result.updates:,} updates in {result.seconds:.2f} s "
            f"({result.updates / result.seconds:,.0f} updates/s), "
            f"{result.statements / result.updates:.1f} SQL statements per update; "
            f"unanswered taps: {timings.unanswered}; handler errors: {result.errors}",
            f"rows written: {written}",
            f"target: answerCallbackQuery p99 < {TARGET_P99_MS:g} ms: {verdict} ({p99:.1f} ms)",
        ]
    )


def main(argv: list[str] | None = None) -> InteractionResult:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--holds", type=int, default=4)
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--pg-url", default=DEFAULT_PG_URL)
    parser.add_argument(
        "--think-ms", type=float, default=0, help="mean pause before each action (uniform)"
    )
    args = parser.parse_args(argv)
    quiet_logging()
    result = asyncio.run(
        interact(
            args.users,
            holds=args.holds,
            backend=args.backend,
            pg_url=args.pg_url,
            think_ms=args.think_ms,
        )
    )
    print(report(result, args.think_ms))
    return result


if __name__ == "__main__":
    main()
