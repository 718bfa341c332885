"""How long the exercise pictures take to draw from scratch, and to find a stored file_id.

    .venv/bin/python bench/bench_media.py [--only glute_bridge] [--lookups 2000]
        [--sends 40] [--rtt-ms 100]

Draws every animation and still (each side of a per-side exercise) into an empty folder, as
a first start-up does in its worker thread, and prints each animation's frames and size.
Then times the per-send database cost once a picture is uploaded: one file_id lookup by key
on a migrated SQLite file. Last, the whole send of a card with its picture through the real
Application (``bot.plumbing.pictures.send_card``) to the fake Bot API answering after a
modelled round trip: the first send (an upload) and then sends with the cached file_id, with
the bot's own share (the time beyond the round trip).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from imageio_ffmpeg import count_frames_and_secs

from bot.composition import build_application, close_runtime, open_runtime
from bot.entry.fake_records import JSONDict
from bot.entry.fake_telegram import FakeTelegram
from bot.pictures.cache import render_missing
from bot.plumbing.pictures import send_card, start_drawing
from bot.runtime import runtime_of
from bot.runtime.settings import Settings
from content import Content, load_content
from storage.db import create_engine, create_sessionmaker
from storage.media import file_id_for, save_file_id
from storage.migrate import upgrade

CHAT = 555_000_001


@dataclass(frozen=True)
class Animation:
    exercise_id: str
    side: str
    frames: int
    seconds: float
    size: int


@dataclass(frozen=True)
class Result:
    render_seconds: float
    pictures: int
    animations: list[Animation]
    lookup_median_us: float
    send: SendTimes | None = None


@dataclass(frozen=True)
class SendTimes:
    rtt_ms: float
    upload_ms: float
    cached_median_ms: float
    cached_overhead_ms: float
    sends: int


class SlowFake(FakeTelegram):
    """The fake Bot API answering each call after a modelled network round trip."""

    def __init__(self, rtt: float) -> None:
        super().__init__()
        self.rtt = rtt
        self.waited = 0.0  # seconds spent in the modelled round trips (as slept, not as asked)

    async def handle(
        self,
        api_method: str,
        params: JSONDict,
        files: dict[str, bytes] | None = None,
        file_names: dict[str, str] | None = None,
    ) -> tuple[int, bytes]:
        started = time.perf_counter()
        await asyncio.sleep(self.rtt)
        self.waited += time.perf_counter() - started
        return await super().handle(api_method, params, files, file_names)


async def _sends(
    url: str, folder: Path, content: Content, exercise_id: str, count: int, rtt: float
) -> SendTimes:
    """Cards with their animation through the real Application, against ``SlowFake``; the
    pictures are drawn already (the start-up drawing is left out, not to share the CPU)."""
    settings = Settings(
        telegram_bot_token="123456:BENCH-token-for-the-fake-bot-api",
        database_url=url,
        rate_limit_enabled=False,
        pictures_dir=folder,
        _env_file=None,
    )
    fake = SlowFake(rtt)
    app = build_application(settings, content, request=fake, with_updater=False)
    runtime = runtime_of(app)
    runtime.startup_hooks.remove(start_drawing)
    await app.initialize()
    await open_runtime(app)
    text = exercise_id  # a short caption: the send, not the card, is measured

    async def one() -> tuple[float, float]:
        """The send's wall time, and the part of it not spent in the round trip."""
        started, waited = time.perf_counter(), fake.waited
        await send_card(
            app.bot, runtime, CHAT, exercise_id=exercise_id, side=None, text=text, user_id=CHAT
        )
        wall = time.perf_counter() - started
        return wall, wall - (fake.waited - waited)

    try:
        upload, _ = await one()
        cached = [await one() for _ in range(count)]
    finally:
        await close_runtime(app)
        await app.shutdown()
    assert len(fake.files.uploads) == 1, "a cached send uploaded again"
    # Each send makes one Bot API call; the user's setting and the file_id are two queries.
    median = statistics.median(wall for wall, _ in cached)
    own = statistics.median(own for _, own in cached)
    return SendTimes(rtt * 1e3, upload * 1e3, median * 1e3, own * 1e3, count)


async def _lookups(url: str, count: int) -> list[float]:
    engine = create_engine(url)
    sessions = create_sessionmaker(engine)
    try:
        async with sessions() as session:
            await save_file_id(
                session,
                key="bench",
                kind="animation",
                exercise_id="glute_bridge",
                side="both",
                file_id="FILE",
                now=datetime(2026, 12, 1, tzinfo=UTC),
            )
            await session.commit()
        timings = []
        for _ in range(count):
            started = time.perf_counter()
            async with sessions() as session:
                assert await file_id_for(session, "bench") == "FILE"
            timings.append(time.perf_counter() - started)
        return timings
    finally:
        await engine.dispose()


def main(argv: list[str] | None = None) -> Result:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--only", nargs="*", default=None, help="exercise ids (default: all)")
    parser.add_argument("--lookups", type=int, default=2000)
    parser.add_argument("--sends", type=int, default=40, help="sends with the cached file_id")
    parser.add_argument("--rtt-ms", type=float, default=100.0, help="modelled round trip")
    args = parser.parse_args(argv)
    content = full = load_content()
    if args.only:
        chosen = tuple(e for e in content.exercises if e.id in args.only)
        content = Content(chosen, content.answers, content.safety, content.messages)

    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "pictures"
        started = time.perf_counter()
        drawn = render_missing(folder, content)
        render_seconds = time.perf_counter() - started
        animations = []
        for item in drawn:
            if item.kind == "animation":
                frames, seconds = count_frames_and_secs(str(item.path))
                animations.append(
                    Animation(
                        item.exercise_id, item.side, frames, seconds, item.path.stat().st_size
                    )
                )
        rtt = args.rtt_ms / 1e3
        url = f"sqlite+aiosqlite:///{Path(scratch) / 'bench.sqlite3'}"
        upgrade(url)
        timings = asyncio.run(_lookups(url, args.lookups))
        send = (
            asyncio.run(_sends(url, folder, full, animations[0].exercise_id, args.sends, rtt))
            if args.sends and animations
            else None
        )

    print(f"drew {len(drawn)} pictures from scratch in {render_seconds:.1f} s")
    print(f"{'exercise':<20} {'side':<6} {'frames':>6} {'seconds':>7} {'bytes':>9}")
    for row in animations:
        print(
            f"{row.exercise_id:<20} {row.side:<6} {row.frames:>6} {row.seconds:>7.1f} "
            f"{row.size:>9,}"
        )
    median = statistics.median(timings) * 1e6
    print(
        f"file_id lookup (cached send, database part): median {median:.0f} µs "
        f"over {len(timings)} lookups"
    )
    if send is not None:
        print(
            f"card with its picture, round trip modelled at {send.rtt_ms:.0f} ms: first send "
            f"(upload) {send.upload_ms:.0f} ms; with the cached file_id median "
            f"{send.cached_median_ms:.1f} ms over {send.sends} sends, "
            f"{send.cached_overhead_ms:.1f} ms of it the bot's own"
        )
    return Result(render_seconds, len(drawn), animations, median, send)


if __name__ == "__main__":
    main()
