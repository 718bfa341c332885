"""The reader on the held-out DEV set (tests/heldout/free_text_*.yaml).

Written by someone who never saw the reader's examples (content/answers.yaml,
content/phrasings/), but looked at during tuning: the assertion here guards against regressions.
The honest figure comes from the final sets in bench/heldout/, never tuned on
(``python -m bench.bench_heldout``). Prints accuracy per intent and overall, how often the reader
was unsure, and the pairs it confuses most; asserts the overall figure and that every symptom
description gets the symptom answer.

    bash scripts/test tests/test_reader_heldout.py -s
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.heldout_eval import load_items, score_reader
from bot.domain.reading import Library
from content import load_content

HELDOUT = Path(__file__).resolve().parent / "heldout"
REQUIRED_ACCURACY = 0.97


@pytest.fixture(scope="module")
def library() -> Library:
    return Library(load_content())


def test_heldout_accuracy_per_intent_and_overall(
    library: Library, capsys: pytest.CaptureFixture[str]
) -> None:
    paths = sorted(HELDOUT.glob("free_text_*.yaml"))
    assert paths, "the dev set tests/heldout/free_text_en_dev.yaml is missing"
    score = score_reader(library, load_items(paths, "intent"))
    with capsys.disabled():
        names = ", ".join(path.name for path in paths)
        print("\n" + "\n".join(score.lines(f"held-out reading ({names})")))
    assert score.symptom_misses == [], "symptom descriptions must get the symptom answer"
    assert score.accuracy >= REQUIRED_ACCURACY
