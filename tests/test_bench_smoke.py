"""Every benchmark under bench/ runs, at a tiny size, and its own checks hold.

No timing is asserted here (the figures belong in the README's "Benchmarks"); what is
asserted is what each benchmark proves: every prompt sent once, nothing lost, no 429, taps
answered, no job per subscriber. The PostgreSQL parts run when TEST_DATABASE_URL names a
server (each benchmark creates and drops its own database there).
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator

import pytest

from bench import (
    bench_dispatch,
    bench_interaction,
    bench_mixed_load,
    bench_rate_limited,
    bench_scheduler,
    bench_two_instances,
)


@pytest.fixture(autouse=True)
def _unfreeze() -> Iterator[None]:
    """The benchmarks freeze start-up objects as a long-running bot does; a test process is
    not one, so it lets them go again."""
    yield
    gc.unfreeze()


def _postgres_url() -> str | None:
    return os.environ.get("TEST_DATABASE_URL") or None


def test_scheduler_benchmark_adds_no_job_per_subscriber_unlike_a_job_each() -> None:
    result = bench_scheduler.main(["--sizes", "40", "--repeat", "1", "--parallel"])

    assert result is not None
    (row,) = result.rows
    assert row.sweep.jobs == result.empty.jobs
    assert row.job_each.jobs == result.empty.jobs + 40


def test_dispatch_benchmark_sends_every_prompt_once_on_each_backend() -> None:
    backends = ["sqlite", "postgresql"] if _postgres_url() else ["sqlite"]
    pg_url = _postgres_url() or bench_dispatch.DEFAULT_PG_URL
    args = ["--count", "60", "--repeat", "1", "--history-days", "1", "--pg-url", pg_url]

    figures = bench_dispatch.main([*args, "--backend", *backends])

    assert [figure.backend for figure in figures] == backends
    assert all(run.count == 60 and run.seconds > 0 for f in figures for run in f.runs)


def test_rate_limited_benchmark_delivers_all_without_a_429() -> None:
    result = bench_rate_limited.main(["--count", "24"])

    assert (result.delivered, result.rejected, result.lost, result.duplicated) == (24, 0, 0, 0)


def test_rate_limited_benchmark_over_a_round_trip_and_when_it_jumps() -> None:
    result = bench_rate_limited.main(["--count", "24", "--rtt-ms", "5", "--rtt-jump-ms", "40"])

    assert (result.delivered, result.rejected, result.lost, result.duplicated) == (24, 0, 0, 0)
    assert result.jump_ms == 40
    assert result.peak_in_flight >= 1


def test_rate_limited_benchmark_with_paid_broadcasts() -> None:
    result = bench_rate_limited.main(["--count", "60", "--paid", "--rtt-ms", "10"])

    assert (result.delivered, result.rejected, result.lost, result.duplicated) == (60, 0, 0, 0)
    assert result.paid


def test_mixed_load_benchmark_sends_every_prompt_and_answers_every_tap() -> None:
    # --after 6: the holds' timers, given back at start-up, first run 5 s later.
    args = ["--prompts", "30", "--holders", "20", "--taps-per-second", "2", "--after", "6"]
    result = bench_mixed_load.main(args)

    assert (result.rejected, result.lost, result.duplicated) == (0, 0, 0)
    assert result.replies
    assert len(result.answers) == len(result.replies)  # every tap answered
    assert sum(result.cadence_during.values()) + sum(result.cadence_after.values()) > 0


def test_interaction_benchmark_answers_every_tap() -> None:
    result = bench_interaction.main(["--users", "6", "--holds", "1"])

    assert result.errors == 0
    assert result.timings.unanswered == 0
    assert len(result.timings.answer) == 6 * 3  # pain before, start, finish
    assert result.rows == {"users": 6, "routine_sessions": 6, "holds": 6, "pain_ratings": 12}


def test_two_instances_benchmark_shares_the_prompts_without_sending_twice() -> None:
    pg_url = _postgres_url()
    if pg_url is None:
        pytest.skip("TEST_DATABASE_URL is not set: the shared-database benchmark needs PostgreSQL")

    args = ["--count", "80", "--instances", "2", "--history-days", "1", "--pg-url", pg_url]
    runs = bench_two_instances.main(args)

    assert runs is not None
    (run,) = runs
    sent = [chat for instance in run.instances for chat in instance.sent]
    assert len(sent) == len(set(sent)) == 80
