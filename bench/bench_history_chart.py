"""How long the 90-day progress picture takes to render (median of several runs).

    .venv/bin/python bench/bench_history_chart.py [--runs 9]

Ninety days with a rating before and after most routines and a few on their own: the
densest picture the bot draws. Prints the cold first render (fonts and caches loading)
separately from the warm median, which is what a running bot pays per picture.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from datetime import date, timedelta

from bot.domain.progress import (
    CONTEXT_AFTER,
    CONTEXT_ANY,
    CONTEXT_BEFORE,
    Rating,
    chart_data,
    summarise,
)
from bot.features.progress.charts import render_history_png
from bot.features.progress.views import chart_labels
from content import load_content

DAYS = 90


def sample(today: date) -> tuple[list[Rating], set[date]]:
    rng = random.Random(90)
    ratings: list[Rating] = []
    routine: set[date] = set()
    for index in range(DAYS):
        day = today - timedelta(days=DAYS - 1 - index)
        level = 7 - index * 0.045
        if rng.random() < 0.75:
            routine.add(day)
            before = round(min(10, max(0, level + rng.uniform(-1, 1))))
            ratings.append(Rating(day, before, CONTEXT_BEFORE))
            ratings.append(Rating(day, max(0, before - rng.choice((0, 1, 1, 2))), CONTEXT_AFTER))
        if rng.random() < 0.4:
            ratings.append(
                Rating(day, round(min(10, max(0, level + rng.uniform(-1.5, 1.5)))), CONTEXT_ANY)
            )
    return ratings, routine


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    runs = parser.parse_args().runs
    content = load_content()
    today = date(2026, 6, 1)
    ratings, routine = sample(today)
    data = chart_data(ratings, routine, today, DAYS)
    labels = chart_labels(content, summarise(ratings, routine, today, DAYS))

    started = time.perf_counter()
    png = render_history_png(data, labels)
    cold = time.perf_counter() - started

    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        render_history_png(data, labels)
        timings.append(time.perf_counter() - started)

    print(
        f"90-day picture: {len(ratings)} ratings, {len(routine)} routine days, "
        f"{len(png):,} bytes PNG"
    )
    print(f"first render (cold): {cold * 1000:.0f} ms")
    print(
        f"median of {runs} runs: {statistics.median(timings) * 1000:.0f} ms "
        f"(min {min(timings) * 1000:.0f} ms, max {max(timings) * 1000:.0f} ms)"
    )


if __name__ == "__main__":
    main()
