"""The reader on phrasings its examples don't spell out (issue 17, accuracy): plural and
partial stretch names in "it hurts when...", everyday words that are not typos of a name or a
medicine, a score "at" a number; and the benches that measure it (cross-validation on the dev
sets, a final set given by path)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import bench_heldout, bench_reader
from bot.domain.questions import Library
from bot.domain.reading import MEDICATION_TOPIC, ReadingKind
from content import Content, load_content

DEV_SET = Path(__file__).resolve().parent / "heldout" / "free_text_en_dev.yaml"


@pytest.fixture(scope="module")
def content() -> Content:
    return load_content()


@pytest.fixture(scope="module")
def library(content: Content) -> Library:
    return Library(content)


@pytest.mark.parametrize(
    ("text", "stretch"),
    [
        ("bridges hurt my lower back", "glute_bridge"),  # a plural is the same name
        ("the child poses make my knees ache", "childs_pose"),
        ("the tilt thing is hurting my back", "pelvic_tilt"),  # partly named; "thing" no typo
        ("pulling my knees in hurts my back", "knees_to_chest"),  # described
    ],
)
def test_a_stretch_that_hurts_is_named_when_named_in_part_or_plural(
    library: Library, text: str, stretch: str
) -> None:
    reading = library.read(text)
    assert (reading.kind, reading.exercise_ids) == (ReadingKind.EXERCISE_HURTS, (stretch,))


def test_a_stretch_that_hurts_named_by_no_more_than_stretch_names_none(
    library: Library,
) -> None:
    reading = library.read("the last stretch made my leg hurt")
    assert (reading.kind, reading.exercise_ids) == (ReadingKind.EXERCISE_HURTS, ())


def test_a_table_is_not_a_tablet(library: Library) -> None:
    reading = library.read("i sit at a table all day, is that bad")
    assert (reading.kind, reading.topic_id) == (ReadingKind.TOPIC, "activity_sitting")
    assert library.read("can i take a tablet for it").topic_id == MEDICATION_TOPIC


@pytest.mark.parametrize("text", ["my pain is at 6", "pain at 6 today"])
def test_pain_at_a_number_is_a_score(library: Library, text: str) -> None:
    reading = library.read(text)
    assert reading.kind is ReadingKind.PAIN_LOG
    assert reading.pain is not None
    assert (reading.pain.score, reading.pain.clear) == (6, True)


def test_the_cross_validation_bench_reports_per_intent_and_confusions(
    capsys: pytest.CaptureFixture[str],
) -> None:
    figures = bench_reader.main(["--cv", "--repeat", "1", "--folds", "2", "--seeds", "1"])

    printed = capsys.readouterr().out
    assert 0 < figures["train_cpu_s"] <= figures["train_s"] * 2 + 1
    assert 0.8 < figures["cv"] <= 1
    assert "cross-validation, content + 1 of 2 folds" in printed
    assert "exercise:glute_bridge" in printed
    assert "most confused (expected -> got):" in printed


def test_the_heldout_bench_reads_the_free_text_set_it_is_given(
    capsys: pytest.CaptureFixture[str],
) -> None:
    bench_heldout.main(["--free-text", str(DEV_SET)])

    printed = capsys.readouterr().out
    assert f"reader on {DEV_SET.name}:" in printed
    assert "reader on free_text_en_test.yaml" not in printed
