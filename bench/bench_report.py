"""How long the clinician report takes: gathering the figures, then drawing the PDF.

    .venv/bin/python bench/bench_report.py [--days 90] [--runs 9] [--backend sqlite]
        [--pg-url ...]

A fresh database gets ``--days`` days of the sample history (``bench.report_sample``:
a routine on most days with one hold row per step, ratings before and after, ratings on their
own with notes, a prompt a day); the set-up is not measured. Each run opens a new session,
gathers the report (``gather_report``) and renders it (``render_report``), as /report does.
Prints the cold first run (fonts and caches loading) apart from the warm median, which is
what a running bot pays per report. Target: under 1 s for 90 days.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import statistics
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):  # run as a file: python bench/bench_report.py
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pypdf import PdfReader

from bench.report_sample import gather_sample, seed_history
from bench.support import DEFAULT_PG_URL, count_rows, database, machine
from bot.features.report.pdf import render_report
from content import Content, load_content
from storage.db import create_engine, create_sessionmaker
from storage.models import Hold, PainRating, RoutineSession

TARGET_SECONDS = 1.0


@dataclass(frozen=True, slots=True)
class Result:
    gather: list[float]
    render: list[float]
    pages: int
    ratings: int
    holds: int
    routines: int
    pdf_bytes: int

    @property
    def total(self) -> list[float]:
        return [g + r for g, r in zip(self.gather, self.render, strict=True)]


async def _run(url: str, content: Content, days: int, runs: int) -> Result:
    engine = create_engine(url)
    try:
        sessions = create_sessionmaker(engine)
        async with sessions() as session:
            await seed_history(session, content.exercises, days=days)
        gather: list[float] = []
        render: list[float] = []
        pdf = b""
        for _ in range(runs + 1):  # the first run is the cold one
            started = time.perf_counter()
            async with sessions() as session:
                data = await gather_sample(session, content, days=days)
            gathered = time.perf_counter()
            pdf = await asyncio.to_thread(render_report, data, content)
            gather.append(gathered - started)
            render.append(time.perf_counter() - gathered)
    finally:
        await engine.dispose()
    return Result(
        gather=gather,
        render=render,
        pages=len(PdfReader(io.BytesIO(pdf)).pages),
        ratings=await count_rows(url, PainRating),
        holds=await count_rows(url, Hold),
        routines=await count_rows(url, RoutineSession),
        pdf_bytes=len(pdf),
    )


async def _main(arguments: argparse.Namespace) -> Result:
    content = load_content()
    async with database(arguments.backend, arguments.pg_url) as url:
        return await _run(url, content, arguments.days, arguments.runs)


def _ms(values: Sequence[float]) -> str:
    return f"{statistics.median(values) * 1000:.0f} ms"


def main(argv: Sequence[str] | None = None) -> Result:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--pg-url", default=DEFAULT_PG_URL)
    arguments = parser.parse_args(argv)
    result = asyncio.run(_main(arguments))
    warm = slice(1, None)
    print(machine())
    print(
        f"{arguments.days}-day report on {arguments.backend}: {result.ratings} ratings, "
        f"{result.routines} routines, {result.holds} holds; "
        f"{result.pages} page, {result.pdf_bytes:,} bytes PDF"
    )
    print(
        f"first run (cold): gather {result.gather[0] * 1000:.0f} ms + "
        f"render {result.render[0] * 1000:.0f} ms"
    )
    total = result.total[warm]
    print(
        f"median of {arguments.runs} warm runs: gather {_ms(result.gather[warm])} + "
        f"render {_ms(result.render[warm])} = {_ms(total)} "
        f"(max {max(total) * 1000:.0f} ms; target under {TARGET_SECONDS * 1000:.0f} ms)"
    )
    return result


if __name__ == "__main__":
    main()
