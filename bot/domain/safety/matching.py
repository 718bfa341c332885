"""Compiled safety rules and how one sentence is matched against them.

A sentence is cut into normalised words, each tagged with its clause (split at commas and at
"but", "although" ...), so a negation only reaches the words of its own clause: "no pain, but
my groin is numb" is a sign, "no numbness in my groin" is not (it is asked about).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.domain.words import Vocabulary, phrase_spans, words

MAX_GAP = 2  # words allowed between two words of one phrase ("can't really pee")
NEAR = 2  # words either side of a match where an "unless" phrase cancels it
NEGATION_REACH = 5  # a negation denies matched words up to this many words after it

_SENTENCE_END = re.compile(r"[.!?;\n]+")
_CLAUSE_MARK = re.compile(r"[,:()\u2013\u2014]+| - ")
_NUMBER_UNIT = re.compile(r"(\d)([^\W\d_])")  # "6kg" -> "6 kg"
CLAUSE_WORDS = frozenset({"but", "however", "although", "though", "except", "whereas", "yet"})

Phrase = tuple[str, ...]
Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Sentence:
    words: tuple[str, ...]
    clauses: tuple[int, ...]  # the clause number of each word


def split_sentences(text: str) -> list[Sentence]:
    """The sentences of ``text``, each as words with their clause numbers."""
    found: list[Sentence] = []
    for part in _SENTENCE_END.split(_NUMBER_UNIT.sub(r"\1 \2", text)):
        typed: list[str] = []
        clauses: list[int] = []
        clause = 0
        for piece in _CLAUSE_MARK.split(part):
            for word in words(piece):
                if word in CLAUSE_WORDS:
                    clause += 1
                typed.append(word)
                clauses.append(clause)
            clause += 1
        if typed:
            found.append(Sentence(tuple(typed), tuple(clauses)))
    return found


def phrases_of(texts: Iterable[str]) -> tuple[Phrase, ...]:
    """Phrases cut into words exactly as messages are ("50s" is "50 s" in both)."""
    cut = (words(_NUMBER_UNIT.sub(r"\1 \2", text)) for text in texts)
    return tuple(dict.fromkeys(tuple(found) for found in cut if found))


def spans_of(typed: Sequence[str], phrases: Iterable[Phrase]) -> list[Span]:
    return [span for phrase in phrases for span in phrase_spans(typed, phrase, MAX_GAP)]


def covered(spans: Iterable[Span]) -> set[int]:
    return {position for first, last in spans for position in range(first, last + 1)}


@dataclass(frozen=True, slots=True)
class CompiledRule:
    """A rule from ``content/safety.yaml`` with its phrases cut into words."""

    rule_id: str
    tier: str
    ask: str | None
    phrases: tuple[Phrase, ...]
    combinations: tuple[tuple[tuple[Phrase, ...], ...], ...]
    window: int
    unless: tuple[Phrase, ...]
    unless_sentence: bool
    doubt: tuple[Phrase, ...]

    def vocabulary(self) -> set[str]:
        every = [*self.phrases, *self.unless, *self.doubt]
        every += [phrase for combo in self.combinations for group in combo for phrase in group]
        return {word for phrase in every for word in phrase}

    def matches(self, typed: Sequence[str]) -> list[list[Span]]:
        """Each way the rule matches: the spans of its words (one span for a phrase)."""
        found: list[list[Span]] = [[span] for span in spans_of(typed, self.phrases)]
        for combination in self.combinations:
            found.extend(self._combined(typed, combination))
        if not found or not self.unless:
            return found
        cancelling = spans_of(typed, self.unless)
        if self.unless_sentence:
            return [] if cancelling else found
        return [match for match in found if not _near(match, cancelling)]

    def _combined(
        self, typed: Sequence[str], combination: tuple[tuple[Phrase, ...], ...]
    ) -> list[list[Span]]:
        groups = [spans_of(typed, group) for group in combination]
        if not all(groups):
            return []
        found: list[list[Span]] = []
        for start in sorted({first for group in groups for first, _ in group}):
            inside = [
                [span for span in group if start <= span[0] and span[1] < start + self.window]
                for group in groups
            ]
            chosen = _disjoint(inside, [])
            if chosen is not None:
                found.append(chosen)
        return found


def _disjoint(groups: Sequence[Sequence[Span]], chosen: list[Span]) -> list[Span] | None:
    """One span from each group, no two overlapping ("all night" is not also "night")."""
    if not groups:
        return chosen
    for span in groups[0]:
        if not any(_overlap(span, taken) for taken in chosen):
            result = _disjoint(groups[1:], [*chosen, span])
            if result is not None:
                return result
    return None


def _overlap(one: Span, other: Span) -> bool:
    return one[0] <= other[1] and other[0] <= one[1]


def _near(match: Sequence[Span], others: Iterable[Span]) -> bool:
    low = min(first for first, _ in match) - NEAR
    high = max(last for _, last in match) + NEAR
    return any(first <= high and last >= low for first, last in others)


def negated(sentence: Sentence, match: Sequence[Span], cues: Sequence[int]) -> bool:
    """A negation cue in the same clause shortly before any word of the match."""
    positions = covered(match)
    return any(
        0 < position - cue <= NEGATION_REACH and sentence.clauses[cue] == sentence.clauses[position]
        for cue in cues
        for position in positions
        if cue not in positions
    )


def build_vocabulary(rules: Iterable[CompiledRule], extra: Iterable[Phrase]) -> Vocabulary:
    known: set[str] = set()
    for rule in rules:
        known |= rule.vocabulary()
    known.update(word for phrase in extra for word in phrase)
    return Vocabulary(known)
