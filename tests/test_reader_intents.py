"""The reader's intents beyond stretch names (issue 17): symptoms, a stretch that hurts, pain
scores, unsure readings, and the reader against its own examples."""

from __future__ import annotations

import pytest

from bot.domain.questions import Library
from bot.domain.reading import SYMPTOM, ReadingKind
from content import Content, load_content
from tests.reading_table import PHRASINGS

# The reader should reproduce nearly all of its own examples (a linear classifier need not fit
# every one; a figure below this means the examples contradict each other).
REQUIRED_OWN_EXAMPLES = 0.97


@pytest.fixture(scope="module")
def content() -> Content:
    return load_content()


@pytest.fixture(scope="module")
def library(content: Content) -> Library:
    return Library(content)


@pytest.mark.parametrize(
    "text",
    ["my foot is numb", "it shoots down my leg", "tingling down the back of my leg"],
)
def test_the_issues_symptoms_get_the_symptom_answer_never_a_stretch(
    library: Library, text: str
) -> None:
    reading = library.read(text)
    assert (reading.kind, reading.topic_id, reading.exercise_ids) == (
        ReadingKind.TOPIC,
        SYMPTOM,
        (),
    )


def test_a_stretch_that_hurts_names_the_stretch(library: Library) -> None:
    reading = library.read("I did the bridge and now my leg hurts more")
    assert (reading.kind, reading.topic_id, reading.exercise_ids) == (
        ReadingKind.EXERCISE_HURTS,
        "exercise_hurts",
        ("glute_bridge",),
    )
    unnamed = library.read("this stretch hurts")
    assert (unnamed.kind, unnamed.exercise_ids, unnamed.intent) == (
        ReadingKind.EXERCISE_HURTS,
        (),
        "exercise_hurts:",
    )


def test_a_pain_score_in_a_sentence_is_a_rating_with_its_note(library: Library) -> None:
    reading = library.read("pain 4 after walking")
    assert reading.kind is ReadingKind.PAIN_LOG
    assert reading.pain is not None
    assert (reading.pain.score, reading.pain.note, reading.pain.clear) == (4, "after walking", True)
    assert library.read("I walked 6 km").kind is not ReadingKind.PAIN_LOG


def test_an_unsure_reading_offers_the_two_most_likely_intents(library: Library) -> None:
    unsure = [reading for text, _ in PHRASINGS if (reading := library.read(text)).unsure]
    assert unsure, "the table should hold some messages the reader is unsure about"
    for reading in unsure:
        assert len(reading.choices) == 2
        assert reading.choices[0] == reading.intent
        assert reading.choices[0] != reading.choices[1]


def _family(intent: str) -> str:
    """exercise_hurts:<id> as exercise_hurts (its examples carry no id)."""
    return intent.split(":")[0] if intent.startswith("exercise_hurts") else intent


def test_the_reader_reproduces_its_own_examples(
    content: Content, library: Library, capsys: pytest.CaptureFixture[str]
) -> None:
    examples = content.intent_examples()
    wrong = [
        (intent, text, got)
        for intent, texts in examples.items()
        for text in texts
        if _family(got := library.read(text).intent) != _family(intent)
    ]
    total = sum(len(texts) for texts in examples.values())
    with capsys.disabled():
        print(f"\nown examples reproduced: {1 - len(wrong) / total:.1%} of {total}")
    assert 1 - len(wrong) / total >= REQUIRED_OWN_EXAMPLES, wrong


def test_a_number_inside_a_stretch_name_is_not_a_pain_score(library: Library) -> None:
    reading = library.read("the figure 4 stretch makes my bum hurt")
    assert reading.kind is ReadingKind.EXERCISE_HURTS
    assert reading.exercise_ids == ("seated_pigeon",)


def test_a_word_the_examples_use_in_another_form_is_not_a_medicine(library: Library) -> None:
    reading = library.read("the hamstring one pulls and my calf burns")
    assert reading.intent != "medication"


def test_a_stretch_described_not_named_is_the_one_that_hurts(library: Library) -> None:
    reading = library.read("lifting my hips off the floor hurts my back")
    assert (reading.kind, reading.exercise_ids) == (ReadingKind.EXERCISE_HURTS, ("glute_bridge",))


def test_a_dose_question_naming_a_stretch_shows_its_card_and_keeps_the_dose_intent(
    library: Library,
) -> None:
    reading = library.read("how long should I hold the pigeon?")
    assert (reading.kind, reading.exercise_ids) == (ReadingKind.EXERCISE, ("seated_pigeon",))
    assert reading.intent == "dose_hold"
    general = library.read("how long should I hold each stretch?")
    assert (general.kind, general.topic_id) == (ReadingKind.TOPIC, "dose_hold")
