"""The free-text reader on its own (pure: no Telegram, no database).

Measures the reader on the project's phrasing table (a tuning set: see tests/reading_table.py;
the honest figure is tests/test_reader_heldout.py), checks that no red-flag phrasing is missed
and that harmless mentions of legs are not flagged, and checks the content against the reader
(its own examples, every alias as its exercise, every red-flag rule fires alone).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.domain.exercise_lookup import Certainty, ExerciseIndex, exact_exercise
from bot.domain.questions import MEDICATION_TOPIC, Library, Reading, ReadingKind
from bot.domain.safety import SafetyScreen, Tier
from bot.domain.words import Vocabulary, normalise, phrase_spans, sentences, stem
from content import Content, ContentError, load_content
from content.loader import CONTENT_DIR
from tests.reading_table import NOT_RED_FLAGS, PHRASINGS, RED_FLAGS

REQUIRED_ACCURACY = 0.95
DOMAIN = Path(__file__).resolve().parents[1] / "bot" / "domain"

# Medicine names people ask about. The reader must send every one to the medication answer,
# and no text the bot shows may contain any of them.
DRUG_NAMES = (
    "ibuprofen",
    "paracetamol",
    "acetaminophen",
    "naproxen",
    "aspirin",
    "codeine",
    "diclofenac",
    "tramadol",
    "gabapentin",
    "pregabalin",
    "amitriptyline",
    "duloxetine",
    "morphine",
    "tylenol",
    "advil",
    "nurofen",
    "aleve",
)


@pytest.fixture(scope="module")
def content() -> Content:
    return load_content()


@pytest.fixture(scope="module")
def library(content: Content) -> Library:
    return Library(content)


def label(reading: Reading) -> str:
    """A reading in the table's notation."""
    if reading.kind is ReadingKind.CHOICE:
        return "choice:" + ",".join(sorted(reading.exercise_ids))
    return reading.intent


# --- the phrasing table -------------------------------------------------------------------


def test_the_table_is_big_and_covers_every_exercise_and_topic(content: Content) -> None:
    expected = {answer for _, answer in PHRASINGS}
    assert len(PHRASINGS) >= 80
    assert {f"exercise:{exercise.id}" for exercise in content.exercises} <= expected
    topics = {answer.id for answer in content.all_answers} - {"exercise_hurts"}
    assert topics <= expected
    assert any(answer.startswith("exercise_hurts:") for answer in expected)
    assert {"list", "greeting", "thanks", "nothing", "pain_log"} <= expected
    assert any(answer.startswith("choice:") for answer in expected)


def test_phrasings_read_as_expected_with_at_least_95_percent_accuracy(
    library: Library, capsys: pytest.CaptureFixture[str]
) -> None:
    misses = [
        (text, expected, got)
        for text, expected in PHRASINGS
        if (got := label(library.read(text))) != expected
    ]
    accuracy = 1 - len(misses) / len(PHRASINGS)
    with capsys.disabled():
        correct = len(PHRASINGS) - len(misses)
        print(f"\nfree-text reading accuracy: {accuracy:.1%} ({correct}/{len(PHRASINGS)})")
        for text, expected, got in misses:
            print(f"  miss: {text!r}: expected {expected}, got {got}")
    assert accuracy >= REQUIRED_ACCURACY, misses


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("piegon", "seated_pigeon"),
        ("child pose", "childs_pose"),
        ("knee to chest stretch", "knees_to_chest"),
        ("glute bridge", "glute_bridge"),
        ("seated twist", "seated_twist"),
        ("hamstring", "standing_hamstring"),
        ("how do I do the pigeon?", "seated_pigeon"),
    ],
)
def test_the_issues_own_examples_give_the_right_card(
    library: Library, text: str, expected: str
) -> None:
    reading = library.read(text)
    assert (reading.kind, reading.exercise_ids) == (ReadingKind.EXERCISE, (expected,))


def test_every_name_and_alias_reads_as_its_own_exercise(content: Content, library: Library) -> None:
    wrong = [
        (exercise.id, name, label(reading))
        for exercise in content.exercises
        for name in (exercise.name, *exercise.aliases)
        if ((reading := library.read(name)).kind, reading.exercise_ids)
        != (ReadingKind.EXERCISE, (exercise.id,))
    ]
    assert wrong == []


# --- the exercise matcher -----------------------------------------------------------------


def test_find_exercise_is_sure_for_a_name_and_asks_when_unsure(library: Library) -> None:
    sure = library.find_exercise("pidgeon pose")
    assert (sure.kind, sure.exercise_ids) == (ReadingKind.EXERCISE, ("seated_pigeon",))
    unsure = library.find_exercise("seated")
    assert (unsure.kind, unsure.exercise_ids) == (
        ReadingKind.CHOICE,
        ("seated_pigeon", "seated_twist"),
    )
    assert library.find_exercise("what is sciatica") == Reading(ReadingKind.NOTHING)
    assert library.find_exercise("") == Reading(ReadingKind.NOTHING)


def test_two_exercises_named_clearly_are_both_offered(content: Content) -> None:
    index = ExerciseIndex(content.exercises)

    match = index.match("the bridge or the pigeon?")

    assert match is not None
    assert (set(match.exercise_ids), match.certainty) == (
        {"glute_bridge", "seated_pigeon"},
        Certainty.SEVERAL,
    )


def test_a_word_every_stretch_shares_is_not_a_match(content: Content) -> None:
    index = ExerciseIndex(content.exercises)

    assert index.match("stretch") is None
    assert index.match("pose") is None


def test_exact_exercise_still_finds_names_and_aliases_exactly(content: Content) -> None:
    found = exact_exercise(content, "Child’s pose")
    assert found is not None
    assert found.id == "childs_pose"
    assert exact_exercise(content, "piegon") is None


# --- words --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "normalised"),
    [
        ("Can’t PEE!!", "cant pee"),
        ("child's pose", "childs pose"),
        ("knee-to-chest", "knee to chest"),
        ("Pigéon   pose", "pigeon pose"),
        ("🙂🙂", ""),
        ("مرحبا", ""),
        ("\u200b", ""),
    ],
)
def test_normalise(typed: str, normalised: str) -> None:
    assert normalise(typed) == normalised


@pytest.mark.parametrize(
    ("word", "stemmed"),
    [
        ("stretches", "stretch"),
        ("stretching", "stretch"),
        ("bridges", "bridge"),
        ("sitting", "sit"),
        ("hugging", "hug"),
        ("knees", "knee"),
        ("tilted", "tilt"),
        ("pass", "pass"),
        ("legs", "leg"),
    ],
)
def test_stem(word: str, stemmed: str) -> None:
    assert stem(word) == stemmed


def test_vocabulary_corrects_typos_but_not_short_words_or_other_first_letters() -> None:
    vocabulary = Vocabulary(["pigeon", "bridge", "hamstring", "pee", "legs"])

    assert vocabulary.correct("piegon") == "pigeon"
    assert vocabulary.correct("hamstirng") == "hamstring"
    assert vocabulary.correct("brige") == "bridge"
    assert vocabulary.correct("fridge") == "fridge"  # not "bridge": another first letter
    assert vocabulary.correct("pea") == "pea"  # three letters: spelt exactly or not at all
    assert vocabulary.correct("less") == "less"  # four letters too: never "legs"
    assert vocabulary.correct("zzzzzz") == "zzzzzz"


def test_phrase_spans_allow_two_words_between() -> None:
    typed = ["i", "cant", "really", "ever", "pee"]

    assert phrase_spans(typed, ["cant", "pee"], 2) == [(1, 4)]
    assert phrase_spans(typed, ["cant", "pee"], 1) == []
    assert phrase_spans(typed, ["pee", "cant"], 2) == []


def test_sentences_split_at_punctuation_and_line_breaks() -> None:
    assert sentences("Both legs. They hurt!\nOK") == [["both", "legs"], ["they", "hurt"], ["ok"]]


# --- red flags ----------------------------------------------------------------------------


WARNING_OR_QUESTION = (Tier.EMERGENCY, Tier.SEE_DOCTOR, Tier.ASK)


@pytest.mark.parametrize("text", RED_FLAGS)
def test_red_flag_phrasing_is_never_missed(library: Library, text: str) -> None:
    """A warning, or (only where the wording is unclear) one yes/no question about it."""
    assert library.screen(text).tier in WARNING_OR_QUESTION


@pytest.mark.parametrize("text", NOT_RED_FLAGS)
def test_harmless_mentions_of_legs_are_not_red_flags(library: Library, text: str) -> None:
    assert not library.screen(text).is_warning


def test_the_red_flag_table_is_big_enough() -> None:
    assert len(RED_FLAGS) >= 50
    assert len(NOT_RED_FLAGS) >= 20
    assert sum("leg" in text for text in NOT_RED_FLAGS) >= 10


def test_a_combination_needs_its_parts_in_one_sentence_and_close_together(
    content: Content,
) -> None:
    screen = SafetyScreen.from_content(content)

    assert screen.screen("both legs hurt").signs == ("both_legs",)
    assert screen.screen("I stretched both legs. Later my back was in pain.").tier is Tier.NONE
    far_apart = "both legs " + "and then I went for a long walk " * 5 + "with some pain"
    assert screen.screen(far_apart).tier is Tier.NONE


def test_red_flag_wording_is_found_in_a_very_long_message(library: Library) -> None:
    text = "I did my stretches. " * 150 + "Now I can't pee."

    assert library.screen(text).signs == ("bladder",)


# --- medication ---------------------------------------------------------------------------


@pytest.mark.parametrize("drug", DRUG_NAMES)
def test_every_medicine_name_gets_the_medication_answer(library: Library, drug: str) -> None:
    for text in (f"can I take {drug}?", f"is {drug} ok before the bridge", drug):
        reading = library.read(text)
        assert (reading.kind, reading.topic_id) == (ReadingKind.TOPIC, MEDICATION_TOPIC), text


def test_no_text_the_bot_shows_names_a_medicine(content: Content) -> None:
    keys = content.messages.keys()  # a list: Messages is not iterable itself
    shown = [content.t(key) for key in keys]
    shown += [answer.title for answer in content.all_answers]
    shown += [answer.text for answer in content.all_answers]
    safety = content.safety
    shown += [safety.disclaimer, safety.urgent_care, safety.see_doctor, safety.pain_warning]
    shown += [safety.ordinary_sciatica]
    shown += [question.question for question in safety.red_flag_questions]
    shown += [question.question for question in safety.clarifying_questions]
    for exercise in content.exercises:
        shown += [exercise.name, exercise.targets, exercise.start_position, exercise.why]
        shown += [*exercise.steps, *exercise.cautions]
    named = [(drug, text[:40]) for text in shown for drug in DRUG_NAMES if drug in text.lower()]
    assert named == []


# --- odd input ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "\u200b\u200b",
        "🙂" * 500,
        "مرحبا كيف حالك اليوم",
        "שלום, מה שלומך?",
        "x" * 10_000,
        "qwerty " * 1_500,
    ],
)
def test_odd_messages_read_as_nothing_without_error(library: Library, text: str) -> None:
    assert library.read(text) == Reading(ReadingKind.NOTHING)
    assert library.screen(text).tier is Tier.NONE


def test_text_copied_from_a_card_is_not_a_red_flag(content: Content, library: Library) -> None:
    """People paste the bot's own words back: no step, caution or title may set off a flag."""
    texts = [answer.title for answer in content.all_answers]
    for exercise in content.exercises:
        texts += [exercise.name, exercise.targets, exercise.start_position, exercise.why]
        texts += [*exercise.steps, *exercise.cautions, *exercise.aliases]
    flagged = [(text, found.signs) for text in texts if (found := library.screen(text)).is_warning]
    assert flagged == []


def test_a_broken_red_flag_rule_stops_start_up_naming_the_file(tmp_path: Path) -> None:
    root = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, root, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    safety = root / "safety.yaml"
    broken = safety.read_text(encoding="utf-8").replace(
        "      - [*sensation, *saddle_area]\n",
        "      - [*sensation, []]\n",
        1,
    )
    safety.write_text(broken, encoding="utf-8")

    with pytest.raises(ContentError, match=r"^safety\.yaml: entry 'safety': rules\.0"):
        load_content(root)
