"""Find an exercise by the words a person uses for it, typos and word order included.

Each exercise is known by its id, its name and its aliases (all from the content). A message
scores against every such phrase by how much of the phrase it contains, word by word; words
that several exercises share ("stretch", "pose", "seated") count for less than words only one
exercise has ("pigeon", "hamstring"). Mistyped words are first corrected to the closest word
the content uses (rapidfuzz, see ``bot.domain.words``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from bot.domain.words import Vocabulary, normalise, stem, words
from content import Content, Exercise

__all__ = [
    "Certainty",
    "ExerciseIndex",
    "ExerciseMatch",
    "exact_exercise",
    "normalise",
]

# Filler inside names and aliases ("knee to chest", "hug my knees"): carries no meaning.
PHRASE_FILLER = frozenset({"a", "an", "the", "to", "my", "of", "on", "in", "and", "or", "for"})

# How much of a phrase a message must contain: at least SURE for a card straight away (when
# no other exercise comes within MARGIN); at least MAYBE to be offered as a choice.
SURE = 0.75
MAYBE = 0.3
MARGIN = 0.2
MAX_CHOICES = 4
# A partial match is only worth asking about in a short message: in a long one, a single word
# like "sit" is more likely chance than a request (the caller then shows all seven anyway).
MAYBE_MAX_WORDS = 12


class Certainty(StrEnum):
    SURE = "sure"  # one exercise, clearly: show its card
    SEVERAL = "several"  # more than one clearly named ("pigeon or bridge?"): offer those
    MAYBE = "maybe"  # only partly named ("seated", "tilt"): ask which one


@dataclass(frozen=True, slots=True)
class ExerciseMatch:
    """The exercises a text is about, best first, and how sure the match is."""

    exercise_ids: tuple[str, ...]
    certainty: Certainty


@dataclass(frozen=True, slots=True)
class _Phrase:
    exercise_id: str
    stems: tuple[str, ...]


class ExerciseIndex:
    """Every name and alias of the exercises, ready to score messages against."""

    def __init__(self, exercises: Iterable[Exercise], keep: Iterable[str] = ()) -> None:
        """``keep``: words never "corrected" into a word of a name ("thing" is not "thigh")."""
        self._keep = frozenset(keep)
        self._order: dict[str, int] = {}
        phrases: list[_Phrase] = []
        surface: set[str] = set()
        for exercise in exercises:
            self._order[exercise.id] = exercise.order
            names = {exercise.id.replace("_", " "), exercise.name, *exercise.aliases}
            for name in sorted(names):
                kept = [word for word in words(name) if word not in PHRASE_FILLER]
                surface.update(kept)
                stems = tuple(dict.fromkeys(stem(word) for word in kept))
                if stems:
                    phrases.append(_Phrase(exercise.id, stems))
        owners: dict[str, set[str]] = defaultdict(set)
        for phrase in phrases:
            for item in phrase.stems:
                owners[item].add(phrase.exercise_id)
        self._phrases = tuple(phrases)
        self._weight = {item: 1.0 / len(ids) for item, ids in owners.items()}
        self._stems = frozenset(owners)
        self.vocabulary = Vocabulary(surface)

    def message_stems(self, typed: Iterable[str]) -> set[str]:
        """The stems of the typed words, each mistyped word corrected to a known one first."""
        found: set[str] = set()
        for word in typed:
            stemmed = stem(word)
            if stemmed in self._stems or word in self._keep:
                found.add(stemmed)
            else:
                found.add(stem(self.vocabulary.correct(word)))
        return found

    def scores(self, typed: Iterable[str]) -> dict[str, float]:
        """Exercise id → how much of its best-matching name or alias the words contain (0-1)."""
        present = self.message_stems(typed)
        best: dict[str, float] = {}
        for phrase in self._phrases:
            total = sum(self._weight[item] for item in phrase.stems)
            found = sum(self._weight[item] for item in phrase.stems if item in present)
            score = found / total
            if score > best.get(phrase.exercise_id, 0.0):
                best[phrase.exercise_id] = score
        return best

    def match(self, text: str) -> ExerciseMatch | None:
        """The exercise(s) ``text`` names, or None when it names none closely enough."""
        return self.match_words(words(text))

    def match_words(self, typed: list[str]) -> ExerciseMatch | None:
        ranked = sorted(
            self.scores(typed).items(), key=lambda item: (-item[1], self._order[item[0]])
        )
        if not ranked:
            return None
        top = ranked[0][1]
        if top >= SURE:
            close = tuple(item for item, score in ranked if score >= top - MARGIN)
            if len(close) == 1:
                return ExerciseMatch(close, Certainty.SURE)
            return ExerciseMatch(close[:MAX_CHOICES], Certainty.SEVERAL)
        possible = tuple(item for item, score in ranked if score >= MAYBE)
        if not possible or len(possible) > MAX_CHOICES or len(typed) > MAYBE_MAX_WORDS:
            return None
        return ExerciseMatch(possible, Certainty.MAYBE)


def exact_exercise(content: Content, query: str) -> Exercise | None:
    """The exercise whose id, name or an alias is exactly ``query`` (after normalising)."""
    wanted = normalise(query)
    for exercise in content.exercises:
        names = {normalise(exercise.id.replace("_", " ")), normalise(exercise.name)}
        names.update(normalise(alias) for alias in exercise.aliases)
        if wanted in names:
            return exercise
    return None
