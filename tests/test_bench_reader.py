"""bench/bench_reader.py runs and reports sane figures at a tiny size."""

from __future__ import annotations

from bench import bench_reader


def test_the_reader_bench_reports_training_reading_and_cross_validation() -> None:
    figures = bench_reader.main(["--repeat", "1", "--folds", "2", "--messages", "20"])

    assert 0 < figures["train_s"] < 5
    assert 0 < figures["read_ms_median"] <= figures["read_ms_p99"]
    assert 0.5 < figures["cross_validation"] <= 1
