"""How long the exercise pictures take to draw from scratch, and to find a stored file_id.

    .venv/bin/python bench/bench_media.py [--only glute_bridge] [--lookups 2000]

Draws every animation and still (each side of a per-side exercise) into an empty folder, as
a first start-up does in its worker thread, and prints each animation's frames and size.
Then times the per-send database cost once a picture is uploaded: one file_id lookup by key
on a migrated SQLite file (the Telegram round trip of the send itself is not included).
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

from bot.pictures.cache import render_missing
from content import Content, load_content
from storage.db import create_engine, create_sessionmaker
from storage.media import file_id_for, save_file_id
from storage.migrate import upgrade


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
    args = parser.parse_args(argv)
    content = load_content()
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
        url = f"sqlite+aiosqlite:///{Path(scratch) / 'bench.sqlite3'}"
        upgrade(url)
        timings = asyncio.run(_lookups(url, args.lookups))

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
    return Result(render_seconds, len(drawn), animations, median)


if __name__ == "__main__":
    main()
