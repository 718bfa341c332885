"""The two-tier safety screen against the phrasing table, and its rules one by one.

Run with ``-s`` to see the figures: recall and precision per tier, and how many
ordinary-sciatica phrasings got either warning.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterable
from pathlib import Path

import pytest

from bot.domain.questions import Library
from bot.domain.safety import SafetyScreen, Screening, Tier
from bot.domain.words import words
from content import Content, ContentError, load_content
from content.loader import CONTENT_DIR
from tests.safety_table import ASK, EMERGENCY, ORDINARY, SEE_DOCTOR, UNRELATED

WARNINGS = (Tier.EMERGENCY, Tier.SEE_DOCTOR)


@pytest.fixture(scope="module")
def content() -> Content:
    return load_content()


@pytest.fixture(scope="module")
def screen(content: Content) -> SafetyScreen:
    return SafetyScreen.from_content(content)


def _tiers(screen: SafetyScreen, texts: Iterable[str]) -> list[Tier]:
    return [screen.screen(text).tier for text in texts]


def _ratio(hits: int, total: int) -> float:
    return hits / total if total else 1.0


def test_the_table_is_big_and_varied() -> None:
    total = len(EMERGENCY) + len(SEE_DOCTOR) + len(ASK) + len(ORDINARY) + len(UNRELATED)
    assert total >= 150
    assert min(len(EMERGENCY), len(SEE_DOCTOR), len(ORDINARY), len(UNRELATED)) >= 20
    everything = [*EMERGENCY, *SEE_DOCTOR, *(text for text, _ in ASK), *ORDINARY, *UNRELATED]
    assert len(set(everything)) == len(everything)


def test_recall_and_precision_per_tier(screen: SafetyScreen) -> None:
    emergency = _tiers(screen, EMERGENCY)
    see_doctor = _tiers(screen, SEE_DOCTOR)
    ordinary = _tiers(screen, ORDINARY)
    unrelated = _tiers(screen, UNRELATED)
    asked = _tiers(screen, (text for text, _ in ASK))
    every = [*emergency, *see_doctor, *ordinary, *unrelated, *asked]

    emergency_recall = _ratio(emergency.count(Tier.EMERGENCY), len(emergency))
    emergency_precision = _ratio(emergency.count(Tier.EMERGENCY), every.count(Tier.EMERGENCY))
    # An emergency text for a see-a-doctor sign is more cautious, so it counts as found.
    doctor_found = sum(tier in WARNINGS for tier in see_doctor)
    doctor_recall = _ratio(doctor_found, len(see_doctor))
    doctor_precision = _ratio(see_doctor.count(Tier.SEE_DOCTOR), every.count(Tier.SEE_DOCTOR))
    ordinary_warned = sum(tier in WARNINGS for tier in ordinary)
    ordinary_emergency = ordinary.count(Tier.EMERGENCY)
    ordinary_explained = ordinary.count(Tier.ORDINARY_SCIATICA)
    unrelated_flagged = sum(tier is not Tier.NONE for tier in unrelated)
    print(
        f"\nsafety screen on {len(every)} phrasings:"
        f"\n  emergency:  recall {emergency_recall:.0%} ({len(emergency)}), "
        f"precision {emergency_precision:.0%}"
        f"\n  see doctor: recall {doctor_recall:.0%} ({len(see_doctor)}), "
        f"precision {doctor_precision:.0%}"
        f"\n  ordinary sciatica ({len(ordinary)}): {ordinary_warned} got a warning "
        f"({ordinary_emergency} the emergency text), {ordinary_explained} the explanation"
        f"\n  unrelated ({len(unrelated)}): {unrelated_flagged} got a warning or a question"
    )

    assert emergency_recall == 1.0, [
        t for t, k in zip(EMERGENCY, emergency, strict=True) if k is not Tier.EMERGENCY
    ]
    assert doctor_recall == 1.0, [
        t for t, k in zip(SEE_DOCTOR, see_doctor, strict=True) if k not in WARNINGS
    ]
    assert ordinary_emergency == 0
    assert ordinary_warned == 0, [
        t for t, k in zip(ORDINARY, ordinary, strict=True) if k in WARNINGS
    ]
    assert unrelated_flagged == 0, [
        t for t, k in zip(UNRELATED, unrelated, strict=True) if k is not Tier.NONE
    ]


@pytest.mark.parametrize(("text", "question"), ASK)
def test_a_denied_or_unclear_sign_gets_one_yes_no_question(
    screen: SafetyScreen, text: str, question: str
) -> None:
    screening = screen.screen(text)
    assert (screening.tier, screening.question) == (Tier.ASK, question)


@pytest.mark.parametrize("text", ORDINARY)
def test_one_sided_sciatica_gets_the_explanation(screen: SafetyScreen, text: str) -> None:
    assert screen.screen(text).tier is Tier.ORDINARY_SCIATICA


def test_negation_is_read_per_clause(screen: SafetyScreen) -> None:
    assert screen.screen("no numbness in my groin").tier is Tier.ASK
    assert screen.screen("no pain today, but my groin is numb").tier is Tier.EMERGENCY
    assert screen.screen("I haven't been able to pee").tier is Tier.EMERGENCY
    assert screen.screen("I don't have a fever. I can't pee.").tier is Tier.EMERGENCY


def test_a_yes_gives_the_question_tier_and_a_no_the_fallback(screen: SafetyScreen) -> None:
    asked = screen.screen("I have a fever and no numbness in my groin")
    assert (asked.tier, asked.question, asked.if_no) == (Tier.ASK, "saddle_check", Tier.SEE_DOCTOR)

    assert screen.answer(asked, yes=True).tier is Tier.EMERGENCY
    assert screen.answer(asked, yes=False).tier is Tier.SEE_DOCTOR
    plain = screen.screen("no numbness in my groin")
    assert screen.answer(plain, yes=False) == Screening(Tier.NONE)


def test_onboarding_answers_give_the_most_serious_tier(
    content: Content, screen: SafetyScreen
) -> None:
    questions = content.safety.red_flag_questions
    none = {question.id: False for question in questions}
    assert screen.onboarding(none).tier is Tier.NONE
    for question in questions:
        result = screen.onboarding({**none, question.id: True})
        assert (result.tier.value, result.signs) == (question.tier, (question.id,))
    everything = screen.onboarding({question.id: True for question in questions})
    assert everything.tier is Tier.EMERGENCY


def test_the_onboarding_questions_cover_both_tiers_in_short_sentences(content: Content) -> None:
    questions = content.safety.red_flag_questions
    assert {question.tier for question in questions} == {"emergency", "see_doctor"}
    for question in questions:
        for sentence in question.question.replace("?", ".").split("."):
            assert len(words(sentence)) <= 30, (question.id, sentence)


def _syllables(word: str) -> int:
    """A rough syllable count (vowel groups, a silent final e dropped): enough for a grade."""
    word = re.sub(r"[^a-z]", "", word.lower())
    if len(word) <= 3:
        return 1
    return max(1, len(re.findall(r"[aeiouy]+", re.sub(r"(?:es|ed|e)$", "", word))))


def _grade(text: str) -> float:
    """Flesch-Kincaid grade level: grade 7 is about a reading age of 12."""
    sentences = [part for part in re.split(r"[.?!]+", text) if part.strip()]
    found = re.findall(r"[A-Za-z']+", text)
    syllables = sum(_syllables(word) for word in found)
    return 0.39 * len(found) / len(sentences) + 11.8 * syllables / len(found) - 15.59


def test_the_grade_formula_tells_plain_from_hard_text() -> None:
    assert _grade("Do you have a fever? Is it new for you?") < 3
    assert _grade("Immunosuppression necessitates comprehensive clinical evaluation.") > 12


def test_no_screening_question_needs_a_reading_age_above_twelve(content: Content) -> None:
    questions = [*content.safety.red_flag_questions, *content.safety.clarifying_questions]
    hard = [(question.id, round(_grade(question.question), 1)) for question in questions]
    assert [item for item in hard if item[1] > 7.5] == []


def test_signs_are_rule_ids_never_the_users_words(content: Content, screen: SafetyScreen) -> None:
    rule_ids = {rule.id for rule in content.safety.rules}
    for text in [*EMERGENCY, *SEE_DOCTOR, *(text for text, _ in ASK), *ORDINARY]:
        assert set(screen.screen(text).signs) <= rule_ids, text


def test_every_phrase_of_a_rule_fires_on_its_own(content: Content, screen: SafetyScreen) -> None:
    missed = [
        (rule.id, phrase)
        for rule in content.safety.rules
        for phrase in rule.phrases
        if rule.id not in screen.rules_found(phrase)
    ]
    assert missed == []


def test_every_phrase_of_a_combination_fires_with_the_other_groups(
    content: Content, screen: SafetyScreen
) -> None:
    missed = []
    for rule in content.safety.rules:
        for combination in rule.combinations:
            for index, group in enumerate(combination):
                others = [
                    other[0] for position, other in enumerate(combination) if position != index
                ]
                for phrase in group:
                    text = " ".join([phrase, *others])
                    if rule.id not in screen.rules_found(text):
                        missed.append((rule.id, text))
    assert missed == []


def test_the_library_screens_with_the_same_rules(content: Content, screen: SafetyScreen) -> None:
    library = Library(content)
    for text in [*EMERGENCY[:10], *SEE_DOCTOR[:10], *ORDINARY[:5]]:
        assert library.screen(text) == screen.screen(text)


def test_a_sign_at_the_end_of_a_long_message_is_found(screen: SafetyScreen) -> None:
    assert screen.screen("I did my stretches. " * 150 + "Now I can't pee.").tier is Tier.EMERGENCY


def test_each_tier_has_its_own_text(content: Content) -> None:
    texts = {
        tier: content.safety.warning_text(tier)
        for tier in ("emergency", "see_doctor", "ordinary_sciatica")
    }
    assert len(set(texts.values())) == 3
    for number in ("112", "999", "911", "000"):
        assert number in texts["emergency"]
    assert "drive" in texts["emergency"]
    assert "GP (family doctor)" in texts["see_doctor"]


def test_a_rule_asking_an_unknown_question_stops_start_up(tmp_path: Path) -> None:
    root = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, root, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    safety = root / "safety.yaml"
    text = safety.read_text(encoding="utf-8")
    safety.write_text(
        text.replace("ask: fever_check", "ask: no_such_question", 1), encoding="utf-8"
    )

    with pytest.raises(ContentError, match=r"safety\.yaml.*no_such_question"):
        load_content(root)
