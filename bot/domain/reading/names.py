"""Stretch names hidden behind one placeholder word, for the intent classifier.

"The bridge makes my leg worse" and "the pigeon makes my leg worse" are the same intent; what
the stretch is called must not decide it. So the classifier that decides the intent reads
every name and alias (typos corrected first, with rapidfuzz) as the same made-up word, and
learns "how long do I hold the <stretch>" once for all seven; a second classifier, which sees
the names, decides which stretch.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.domain.words import Vocabulary, normalise
from content import Exercise

# A word no message contains, whose character n-grams no other word shares.
PLACEHOLDER = "qzq"


class NameMask:
    """Replaces every stretch name or alias in a text with PLACEHOLDER."""

    def __init__(self, exercises: Iterable[Exercise], known: Iterable[str] = ()) -> None:
        """``known``: texts whose words are never "corrected" into a name ("tingling" must not
        become "tilting"); any other word close to a word of a name is taken as a typo of it."""
        names: set[str] = set()
        for exercise in exercises:
            for name in (exercise.name, exercise.id.replace("_", " "), *exercise.aliases):
                if found := normalise(name):
                    names.add(found)
        ordered = sorted(names, key=lambda name: (-len(name), name))  # longest first
        # A plural is the same name ("pelvic tilts", "bridges").
        self._pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, ordered)) + r")(?:e?s)?\b")
        self._vocabulary = Vocabulary({word for name in names for word in name.split()})
        self.known = frozenset(word for text in known for word in normalise(text).split())

    def __call__(self, text: str) -> str:
        corrected = " ".join(
            word if word in self.known else self._vocabulary.correct(word)
            for word in normalise(text).split()
        )
        return self._pattern.sub(PLACEHOLDER, corrected)
