"""The two-tier safety screen: one function for every typed text and the screening answers.

::

    screen = SafetyScreen.from_safety(content.safety)
    screen.screen("I haven't been able to pee since this morning")
    # Screening(tier=EMERGENCY, signs=("bladder",), question=None, if_no=NONE)
    screen.screen("no numbness in my groin")
    # Screening(tier=ASK, signs=("saddle_numbness",), question="saddle_check", if_no=NONE)

Precedence: an emergency sign; then a yes/no question whose "yes" would be an emergency; then
a see-a-doctor sign; then a question whose "yes" would mean see a doctor; then ordinary
one-sided sciatica; else nothing. ``if_no`` is the tier to use if a question is answered no.
Signs are rule ids from ``content/safety.yaml``: safe to log, never the user's words.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from bot.domain.safety.matching import (
    CompiledRule,
    Sentence,
    build_vocabulary,
    covered,
    negated,
    phrases_of,
    spans_of,
    split_sentences,
)
from bot.domain.words import words
from content import Content, Safety

MAX_CHARS = 4096


class Tier(StrEnum):
    EMERGENCY = "emergency"
    SEE_DOCTOR = "see_doctor"
    ORDINARY_SCIATICA = "ordinary_sciatica"
    ASK = "ask"
    NONE = "none"


@dataclass(frozen=True, slots=True)
class Screening:
    """What the screen found: the tier, the sign ids, and for ASK the question to ask."""

    tier: Tier
    signs: tuple[str, ...] = ()
    question: str | None = None  # a clarifying_questions id, only when tier is ASK
    if_no: Tier = Tier.NONE  # for ASK: the tier if the answer is "no"

    @property
    def is_warning(self) -> bool:
        return self.tier in (Tier.EMERGENCY, Tier.SEE_DOCTOR)

    @property
    def signs_text(self) -> str:
        """The sign ids as one short string, for the log and storage."""
        return ",".join(self.signs)


NOTHING = Screening(Tier.NONE)

# Rank of each outcome when several are found (lower wins).
_SIGN, _ASK = "sign", "ask"


@dataclass(frozen=True, slots=True)
class _Found:
    rule: CompiledRule
    kind: str  # _SIGN or _ASK


# "No, I can't pee" typed without the comma: a "no" that starts a new statement denies nothing.
_STATEMENT_START = frozenset({"i", "im", "ive", "id", "my", "it", "its", "the", "this", "thats"})


def _interjection(typed: Sequence[str], position: int) -> bool:
    following = typed[position + 1] if position + 1 < len(typed) else ""
    return typed[position] == "no" and following in _STATEMENT_START


class SafetyScreen:
    """The safety rules, ready to screen any text, and the onboarding and yes/no answers."""

    def __init__(self, safety: Safety, known_words: Iterable[str] = ()) -> None:
        self._rules = tuple(
            CompiledRule(
                rule_id=rule.id,
                tier=rule.tier,
                ask=rule.ask,
                phrases=phrases_of(rule.phrases),
                combinations=tuple(
                    tuple(phrases_of(group) for group in combination)
                    for combination in rule.combinations
                ),
                window=rule.window,
                unless=phrases_of(rule.unless),
                unless_sentence=rule.unless_scope == "sentence",
                doubt=phrases_of(rule.doubt),
            )
            for rule in safety.rules
        )
        self._spellings = {typo: " ".join(words(word)) for typo, word in safety.spellings.items()}
        self._negations = phrases_of(safety.negations)
        self._not_negations = phrases_of(safety.not_negations)
        self._hypothetical = phrases_of(safety.hypothetical)
        self.vocabulary = build_vocabulary(
            self._rules,
            (
                *self._negations,
                *self._not_negations,
                *self._hypothetical,
                *phrases_of(safety.keep_words),
                *phrases_of(known_words),
            ),
        )
        self._question_tier = {
            question.id: Tier(question.tier) for question in safety.clarifying_questions
        }
        self._question_tier.update(
            (question.id, Tier(question.tier)) for question in safety.red_flag_questions
        )

    @classmethod
    def from_safety(cls, safety: Safety) -> SafetyScreen:
        return cls(safety)

    @classmethod
    def from_content(cls, content: Content) -> SafetyScreen:
        """The screen, with every word the bot's own texts use kept as typed (never "fixed"
        into a rule word: "bring" is not "burning")."""
        texts = [answer.text for answer in content.answers]
        texts += [answer.title for answer in content.answers]
        keys = content.messages.keys()  # a list: Messages is not iterable itself
        texts += [content.t(key) for key in keys]
        for exercise in content.exercises:
            texts += [exercise.name, exercise.targets, exercise.start_position, exercise.why]
            texts += [*exercise.steps, *exercise.cautions, *exercise.aliases]
        return cls(content.safety, (word for text in texts for word in words(text)))

    def screen(self, text: str) -> Screening:
        """Screen one typed text (a message, a pain note, an edited message)."""
        found: list[_Found] = []
        for sentence in split_sentences(text[:MAX_CHARS]):
            found.extend(self._screen_sentence(sentence))
        return self._decide(found)

    def rules_found(self, text: str) -> tuple[str, ...]:
        """Every rule the text matches, before precedence (for tests and debugging)."""
        found = [
            item
            for sentence in split_sentences(text[:MAX_CHARS])
            for item in self._screen_sentence(sentence)
        ]
        return tuple(dict.fromkeys(item.rule.rule_id for item in found))

    def answer(self, screening: Screening, yes: bool) -> Screening:
        """The result once the user answers the ASK question yes or no."""
        if screening.tier is not Tier.ASK or screening.question is None:
            return screening
        if not yes:
            kept = screening.signs if screening.if_no is not Tier.NONE else ()
            return Screening(screening.if_no, kept)
        return Screening(self._question_tier[screening.question], (screening.question,))

    def onboarding(self, answers: Mapping[str, bool]) -> Screening:
        """The onboarding questions answered (question id → yes): the most serious tier."""
        yes = tuple(question_id for question_id, said_yes in answers.items() if said_yes)
        tiers = [self._question_tier[question_id] for question_id in yes]
        for tier in (Tier.EMERGENCY, Tier.SEE_DOCTOR):
            if tier in tiers:
                return Screening(tier, yes)
        return NOTHING

    def _screen_sentence(self, sentence: Sentence) -> Iterable[_Found]:
        typed = self.vocabulary.correct_all(
            [self._spellings.get(word, word) for word in sentence.words]
        )
        shielded = covered(spans_of(typed, self._not_negations))
        cues = [
            first
            for first, _ in spans_of(typed, self._negations)
            if first not in shielded and not _interjection(typed, first)
        ]
        hypothetical = bool(spans_of(typed, self._hypothetical))
        for rule in self._rules:
            kinds = set()
            for match in rule.matches(typed):
                denied = negated(sentence, match, cues)
                if rule.tier in ("ask", "ordinary_sciatica"):
                    if not denied:
                        kinds.add(_ASK if rule.tier == "ask" else _SIGN)
                elif denied or hypothetical or spans_of(typed, rule.doubt):
                    kinds.add(_ASK)
                else:
                    kinds.add(_SIGN)
            if _SIGN in kinds:
                yield _Found(rule, _SIGN)
            elif kinds:
                yield _Found(rule, _ASK)

    def _decide(self, found: list[_Found]) -> Screening:
        def ask_tier(item: _Found) -> Tier:
            return self._question_tier[item.rule.ask] if item.rule.ask else Tier.NONE

        def ids(items: Iterable[_Found]) -> tuple[str, ...]:
            return tuple(dict.fromkeys(item.rule.rule_id for item in items))

        signs = [item for item in found if item.kind == _SIGN]
        asks = [item for item in found if item.kind == _ASK]
        by_tier = {tier: [item for item in signs if item.rule.tier == tier] for tier in Tier}
        emergency, see_doctor = by_tier[Tier.EMERGENCY], by_tier[Tier.SEE_DOCTOR]
        ordinary = by_tier[Tier.ORDINARY_SCIATICA]
        if emergency:
            return Screening(Tier.EMERGENCY, ids([*emergency, *see_doctor]))
        fallback = (
            Tier.SEE_DOCTOR if see_doctor else Tier.ORDINARY_SCIATICA if ordinary else Tier.NONE
        )
        for question_tier in (Tier.EMERGENCY, Tier.SEE_DOCTOR):
            if see_doctor and question_tier is Tier.SEE_DOCTOR:
                return Screening(Tier.SEE_DOCTOR, ids(see_doctor))
            pending = [item for item in asks if ask_tier(item) is question_tier]
            if pending:
                return Screening(
                    Tier.ASK,
                    ids([*pending, *see_doctor]),
                    question=pending[0].rule.ask,
                    if_no=fallback,
                )
        if ordinary:
            return Screening(Tier.ORDINARY_SCIATICA, ids(ordinary))
        return NOTHING
