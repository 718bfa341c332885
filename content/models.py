"""Frozen, validated models of the content files."""

from __future__ import annotations

import re
import string
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from content.poses import Poses


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class Range(_Frozen):
    """An inclusive range of whole numbers: where progression starts and where it stops."""

    start: int = Field(ge=1)
    max: int = Field(ge=1)

    @model_validator(mode="after")
    def _ordered(self) -> Range:
        if self.start > self.max:
            raise ValueError(f"start ({self.start}) is greater than max ({self.max})")
        return self


class Seconds(_Frozen):
    min: int = Field(ge=1, le=600)
    max: int = Field(ge=1, le=600)

    @model_validator(mode="after")
    def _ordered(self) -> Seconds:
        if self.min > self.max:
            raise ValueError(f"hold min ({self.min}) is greater than hold max ({self.max})")
        return self


class Exercise(_Frozen):
    """One stretch or exercise, as a physiotherapist would write it down."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]{1,30}$")
    order: int = Field(ge=1)
    name: str = Field(min_length=3)
    aliases: tuple[str, ...] = Field(min_length=1)
    targets: str = Field(min_length=10)
    mode: Literal["hold", "reps"]
    start_position: str = Field(min_length=10)
    steps: tuple[str, ...] = Field(min_length=2)
    hold_seconds: Seconds
    reps: Range
    sets: Range
    per_side: bool
    side_word: Literal["leg", "side"] | None = None
    cautions: tuple[str, ...] = Field(min_length=1)
    why: str = Field(min_length=10)
    poses: Poses | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Exercise:
        if any(not step for step in self.steps):
            raise ValueError("a step is empty")
        if self.per_side and self.side_word is None:
            raise ValueError("per_side exercises need side_word (leg or side)")
        if not self.per_side and self.side_word is not None:
            raise ValueError("side_word is only for per_side exercises")
        lowered = [alias.lower() for alias in self.aliases]
        if lowered != list(self.aliases):
            raise ValueError("aliases must be lowercase")
        if len(set(lowered)) != len(lowered):
            raise ValueError("an alias is listed twice")
        return self

    def estimated_seconds(self) -> int:
        """Rough time for the exercise at its starting level, moving between reps included."""
        sides = 2 if self.per_side else 1
        per_rep = self.hold_seconds.min + (3 if self.mode == "reps" else 10)
        return sides * self.reps.start * self.sets.start * per_rep + 20


MIN_EXAMPLES = 8
"""The fewest example phrasings an intent of the free-text reader may have."""

EXERCISE_INTENT = "exercise:"
"""An exercise's intent is this prefix and its id: "exercise:seated_pigeon"."""

CHAT_INTENTS = ("pain_log", "list", "greeting", "thanks", "nothing")
"""The reader's intents without an answer in answers.yaml (content/phrasings/chat.yaml)."""

_NOT_WORD = re.compile(r"[^a-z0-9]+")


def phrasing_key(text: str) -> str:
    """A phrasing as compared for duplicates: lowercase words, no apostrophes or punctuation."""
    lowered = text.lower().replace("'", "").replace("’", "")
    return " ".join(_NOT_WORD.sub(" ", lowered).split())


class Answer(_Frozen):
    """A short answer about sciatica and the phrasings that ask for it.

    ``keywords`` are words that always mean this topic, whatever else the message says (only
    the medicines topic has them); ``examples`` are what the free-text reader learns from.
    """

    id: str = Field(pattern=r"^[a-z][a-z0-9_]{1,40}$")
    title: str = Field(min_length=3)
    menu: bool = False  # listed in the questions menu (the others are reached by typing)
    keywords: tuple[str, ...] = ()
    examples: tuple[str, ...] = Field(min_length=MIN_EXAMPLES)
    text: str = Field(min_length=20)

    @model_validator(mode="after")
    def _filled(self) -> Answer:
        if any(not phrasing_key(item) for item in (*self.keywords, *self.examples)):
            raise ValueError("a keyword or an example is empty")
        return self


class Answers(_Frozen):
    topics: tuple[Answer, ...] = Field(min_length=1)


class Examples(_Frozen):
    """The example phrasings of one intent in content/phrasings/*.yaml."""

    examples: tuple[str, ...] = Field(min_length=MIN_EXAMPLES)

    @model_validator(mode="after")
    def _filled(self) -> Examples:
        if any(not phrasing_key(item) for item in self.examples):
            raise ValueError("an example is empty")
        return self


class Phrasings:
    """Example phrasings kept apart from answers.yaml: per exercise id, and per chat intent."""

    def __init__(
        self, exercises: dict[str, tuple[str, ...]], chat: dict[str, tuple[str, ...]]
    ) -> None:
        self.exercises = dict(exercises)
        self.chat = dict(chat)


class RedFlagQuestion(_Frozen):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]{1,40}$")
    question: str = Field(min_length=10)


class RedFlagCombination(_Frozen):
    """Red-flag wording in parts: every group needs one of its phrases in the same sentence."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]{1,40}$")
    groups: tuple[tuple[str, ...], ...] = Field(min_length=2)

    @model_validator(mode="after")
    def _filled(self) -> RedFlagCombination:
        if any(not group or any(not phrase for phrase in group) for group in self.groups):
            raise ValueError("a group or a phrase in a group is empty")
        return self


class Safety(_Frozen):
    """Disclaimer, red-flag questions and phrases, and the urgent-care texts."""

    disclaimer: str = Field(min_length=20)
    red_flag_questions: tuple[RedFlagQuestion, ...] = Field(min_length=1)
    urgent_care: str = Field(min_length=20)
    red_flag_phrases: tuple[str, ...] = Field(min_length=1)
    red_flag_combinations: tuple[RedFlagCombination, ...] = ()
    pain_warning: str = Field(min_length=20)

    @model_validator(mode="after")
    def _unique_rules(self) -> Safety:
        ids = [rule.id for rule in self.red_flag_combinations]
        if len(set(ids)) != len(ids):
            raise ValueError("two red_flag_combinations share an id")
        return self


class Messages:
    """The message catalog: every user-facing string the code shows, by key."""

    def __init__(self, entries: dict[str, str]) -> None:
        self._entries = dict(entries)

    def __contains__(self, key: str) -> bool:
        return key in self._entries

    def keys(self) -> list[str]:
        return sorted(self._entries)

    def get(self, key: str, /, **values: object) -> str:
        """The text for ``key`` with ``{placeholders}`` filled in."""
        template = self._entries[key]
        return template.format(**values) if values else template

    def placeholders(self, key: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(self._entries[key]) if name}


class Content:
    """Everything under ``content/``, loaded and cross-checked."""

    def __init__(
        self,
        exercises: tuple[Exercise, ...],
        answers: tuple[Answer, ...],
        safety: Safety,
        messages: Messages,
        phrasings: Phrasings | None = None,
    ) -> None:
        self.exercises = tuple(sorted(exercises, key=lambda exercise: exercise.order))
        self.all_answers = answers
        self.answers = tuple(answer for answer in answers if answer.menu)  # the menu's topics
        self.safety = safety
        self.messages = messages
        self.phrasings = phrasings or Phrasings({}, {})
        self._by_id = {exercise.id: exercise for exercise in self.exercises}
        self._answers_by_id = {answer.id: answer for answer in answers}

    def exercise(self, exercise_id: str) -> Exercise | None:
        return self._by_id.get(exercise_id)

    def answer(self, answer_id: str) -> Answer | None:
        return self._answers_by_id.get(answer_id)

    def intent_examples(self) -> dict[str, tuple[str, ...]]:
        """Every intent of the free-text reader and the phrasings it is learnt from.

        An exercise's are its name, its aliases and its phrasings; a topic's are its examples.
        """
        found: dict[str, tuple[str, ...]] = {}
        for exercise in self.exercises:
            found[EXERCISE_INTENT + exercise.id] = (
                exercise.name,
                *exercise.aliases,
                *self.phrasings.exercises.get(exercise.id, ()),
            )
        for answer in self.all_answers:
            found[answer.id] = answer.examples
        found.update(self.phrasings.chat)
        return found

    def t(self, key: str, /, **values: object) -> str:
        """Shorthand for ``messages.get``."""
        return self.messages.get(key, **values)
