"""``python -m bench.bench_heldout --red-flags PATH`` scores the safety screen on another file
(a fresh final set) without editing code; without it, the sets in bench/heldout/."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import bench_heldout

DEV = Path(__file__).resolve().parent / "heldout" / "red_flags_en_dev.yaml"


def test_red_flags_path_scores_that_file_instead(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    fresh = tmp_path / "fresh.yaml"
    fresh.write_text(
        "- {text: my groin has gone numb, tier: emergency}\n"
        "- {text: tingling down my left leg, tier: ordinary}\n",
        encoding="utf-8",
    )

    bench_heldout.main(["--red-flags", str(fresh), "--red-flags", str(DEV)])

    printed = capsys.readouterr().out
    assert "safety screen on fresh.yaml:" in printed
    assert "  emergency: recall 100.0% (1/1)" in printed
    assert "safety screen on red_flags_en_dev.yaml:" in printed
    assert "red_flags_en_test.yaml" not in printed


def test_without_it_the_bench_sets_are_scored(capsys: pytest.CaptureFixture[str]) -> None:
    bench_heldout.main([])

    printed = capsys.readouterr().out
    for path in sorted(bench_heldout.FOLDER.glob("red_flags_*.yaml")):
        assert f"safety screen on {path.name}:" in printed
