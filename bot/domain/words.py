"""Words from what people type: normalising, light stemming and typo-tolerant word lookup.

Everything that reads free text (the exercise matcher, the question matcher and the red-flag
check) goes through these few functions, so a phrase in the content and a message are always
cut into words the same way. Typo tolerance comes from rapidfuzz, never from our own edit
distance.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

from rapidfuzz import fuzz, process

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'", "′": "'"})
_NOT_WORD = re.compile(r"[^a-z0-9]+")
_SENTENCE_END = re.compile(r"[.!?;\n]+")
_VOWELS = frozenset("aeiouy")
_KEEP_DOUBLE = _VOWELS | frozenset("ls")  # "feeling" → "feel", "pressed" → "press"

# Typo tolerance: words this short must be spelt exactly ("pee" must never become "pea");
# longer ones may be one or two keystrokes off, and must start with the same letter (people
# rarely mistype the first letter, and it stops "fridge" from turning into "bridge").
EXACT_UP_TO = 4
MIN_SIMILARITY = 80.0
MIN_SIMILARITY_LONG = 75.0
LONG_WORD = 8


def normalise(text: str) -> str:
    """Lowercase ASCII words separated by single spaces: accents, apostrophes, punctuation gone.

    Curly apostrophes count as straight ones and are dropped inside a word, so "can’t",
    "can't" and "cant" are the same word, and "child's" is "childs".
    """
    lowered = text.translate(_APOSTROPHES).lower()
    if lowered.isascii():  # most texts: nothing to decompose (and start-up reads thousands)
        plain = lowered
    else:
        decomposed = unicodedata.normalize("NFKD", lowered)
        plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(_NOT_WORD.sub(" ", plain.replace("'", "")).split())


def words(text: str) -> list[str]:
    """The normalised words of ``text``."""
    return normalise(text).split()


def sentences(text: str) -> list[list[str]]:
    """The normalised words of each sentence (split at . ! ? ; and line breaks)."""
    return [found for part in _SENTENCE_END.split(text) if (found := words(part))]


def stem(word: str) -> str:
    """A crude, consistent stem: plurals and -ing/-ed endings off ("stretches" → "stretch").

    Not linguistics: content and messages are stemmed the same way, which is all matching needs.
    """
    if len(word) > 4 and word.endswith(("ches", "shes", "sses", "xes")):
        word = word[:-2]
    elif len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    for ending in ("ing", "ed"):
        root = word[: -len(ending)]
        if word.endswith(ending) and len(root) >= 3 and any(c in _VOWELS for c in root):
            doubled = root[-1] == root[-2] and root[-1] not in _KEEP_DOUBLE
            return root[:-1] if doubled else root  # "sitting" → "sit", "falling" → "fall"
    return word


def phrase_spans(
    typed: Sequence[str], phrase: Sequence[str], max_gap: int
) -> list[tuple[int, int]]:
    """Every (first, last) position where ``phrase`` occurs in ``typed``: its words in order,
    with at most ``max_gap`` other words between two of them."""
    found: list[tuple[int, int]] = []
    if not phrase:
        return found
    for start, word in enumerate(typed):
        if word != phrase[0]:
            continue
        position = start
        for item in phrase[1:]:
            window = list(typed[position + 1 : position + 2 + max_gap])
            if item not in window:
                break
            position += 1 + window.index(item)
        else:
            found.append((start, position))
    return found


class Vocabulary:
    """The words some content uses, and the closest of them to a typed (mistyped) word."""

    def __init__(self, known: Iterable[str]) -> None:
        self.words: frozenset[str] = frozenset(known)
        self._choices: tuple[str, ...] = tuple(sorted(word for word in self.words if word))

    def correct(self, word: str) -> str:
        """``word`` itself if known or too short to guess at, else the known word it resembles."""
        if word in self.words or len(word) <= EXACT_UP_TO:
            return word
        cutoff = MIN_SIMILARITY_LONG if len(word) >= LONG_WORD else MIN_SIMILARITY
        candidates = process.extract(
            word, self._choices, scorer=fuzz.ratio, score_cutoff=cutoff, limit=5
        )
        for candidate, _score, _index in candidates:
            if candidate[0] == word[0]:
                return candidate
        return word

    def correct_all(self, typed: Sequence[str]) -> list[str]:
        return [self.correct(word) for word in typed]
