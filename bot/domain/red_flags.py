"""Red-flag wording in a message: signs that need urgent medical care, not stretching.

Two kinds of rule, both from ``content/safety.yaml``:

* a phrase (``red_flag_phrases``) is a red flag on its own: its words in this order, with at
  most two other words between them ("can't pee", "can't really pee");
* a combination (``red_flag_combinations``) is a red flag when every one of its groups has a
  phrase in the same sentence, close together, in any order: "both legs" only with pain,
  numbness or weakness wording, so "my groin is numb" is caught and "stretch both legs" is not.

Words are normalised (lowercase, straight apostrophes, no punctuation) and each word of five or
more letters may be mistyped a little ("numbnes", "bladdr"). Negation is deliberately not read:
"no numbness in my groin" still gets the urgent-care text, because missing a real red flag
costs far more than one unneeded warning.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.domain.words import Vocabulary, phrase_spans, sentences, words
from content import Safety

MAX_GAP = 2
WINDOW = 20  # words: a combination's parts must all fall within this many words


@dataclass(frozen=True, slots=True)
class _Combination:
    rule_id: str
    groups: tuple[tuple[tuple[str, ...], ...], ...]


class RedFlagRules:
    """The red-flag phrases and combinations, ready to check messages against."""

    def __init__(
        self,
        phrases: Iterable[str],
        combinations: Iterable[tuple[str, Iterable[Iterable[str]]]],
    ) -> None:
        self._phrases = tuple(
            dict.fromkeys(tuple(found) for phrase in phrases if (found := words(phrase)))
        )
        self._combinations = tuple(
            _Combination(
                rule_id,
                tuple(
                    tuple(tuple(found) for phrase in group if (found := words(phrase)))
                    for group in groups
                ),
            )
            for rule_id, groups in combinations
        )
        known = {word for phrase in self._phrases for word in phrase}
        known.update(
            word
            for combination in self._combinations
            for group in combination.groups
            for phrase in group
            for word in phrase
        )
        self.vocabulary = Vocabulary(known)

    @classmethod
    def from_safety(cls, safety: Safety) -> RedFlagRules:
        return cls(
            safety.red_flag_phrases,
            ((rule.id, rule.groups) for rule in safety.red_flag_combinations),
        )

    def find(self, text: str) -> str | None:
        """A label for the first rule ``text`` triggers (safe to log: no user words), or None."""
        for sentence in sentences(text):
            typed = self.vocabulary.correct_all(sentence)
            for phrase in self._phrases:
                if phrase_spans(typed, phrase, MAX_GAP):
                    return "phrase:" + " ".join(phrase)
            for combination in self._combinations:
                if self._combined(typed, combination):
                    return combination.rule_id
        return None

    @staticmethod
    def _combined(typed: Sequence[str], combination: _Combination) -> bool:
        found = [
            [span for phrase in group for span in phrase_spans(typed, phrase, MAX_GAP)]
            for group in combination.groups
        ]
        if not all(found):
            return False
        starts = sorted({start for group in found for start, _ in group})
        return any(
            all(
                any(start <= first and last < start + WINDOW for first, last in group)
                for group in found
            )
            for start in starts
        )
