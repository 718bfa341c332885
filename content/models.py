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


WarningTier = Literal["emergency", "see_doctor"]
RuleTier = Literal["emergency", "see_doctor", "ask", "ordinary_sciatica"]
_ID = r"^[a-z][a-z0-9_]{1,40}$"


class RedFlagQuestion(_Frozen):
    """An onboarding screening question; "yes" means its tier."""

    id: str = Field(pattern=_ID)
    tier: WarningTier
    question: str = Field(min_length=10)


class ClarifyingQuestion(_Frozen):
    """A yes/no question the screen asks when a message is unclear; "yes" means its tier."""

    id: str = Field(pattern=_ID)
    tier: WarningTier
    question: str = Field(min_length=10)


class SafetyRule(_Frozen):
    """Wording that suggests one sign: phrases alone, or one phrase from each group close by."""

    id: str = Field(pattern=_ID)
    tier: RuleTier
    ask: str | None = None
    phrases: tuple[str, ...] = ()
    combinations: tuple[tuple[tuple[str, ...], ...], ...] = ()
    window: int = Field(default=8, ge=2, le=30)
    unless: tuple[str, ...] = ()
    unless_scope: Literal["near", "sentence"] = "near"
    doubt: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _filled(self) -> SafetyRule:
        if not self.phrases and not self.combinations:
            raise ValueError("a rule needs phrases or combinations")
        if any(not phrase for phrase in (*self.phrases, *self.unless, *self.doubt)):
            raise ValueError("a phrase is empty")
        for combination in self.combinations:
            if len(combination) < 2:
                raise ValueError("a combination needs at least two groups")
            if any(not group or any(not phrase for phrase in group) for group in combination):
                raise ValueError("a group or a phrase in a group is empty")
        if self.tier != "ordinary_sciatica" and self.ask is None:
            raise ValueError(f"a {self.tier} rule needs 'ask' (a clarifying question id)")
        return self


class Safety(_Frozen):
    """Disclaimer, screening questions, the screen's rules, and the warning texts."""

    disclaimer: str = Field(min_length=20)
    red_flag_questions: tuple[RedFlagQuestion, ...] = Field(min_length=1)
    urgent_care: str = Field(min_length=20)  # the emergency text
    see_doctor: str = Field(min_length=20)
    ordinary_sciatica: str = Field(min_length=20)
    clarifying_questions: tuple[ClarifyingQuestion, ...] = Field(min_length=1)
    negations: tuple[str, ...] = Field(min_length=1)
    not_negations: tuple[str, ...] = ()
    hypothetical: tuple[str, ...] = ()
    keep_words: tuple[str, ...] = ()
    spellings: dict[str, str] = Field(default_factory=dict)
    word_groups: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    rules: tuple[SafetyRule, ...] = Field(min_length=1)
    pain_warning: str = Field(min_length=20)

    @model_validator(mode="after")
    def _consistent(self) -> Safety:
        for kind, ids in (
            ("red_flag_questions", [question.id for question in self.red_flag_questions]),
            ("clarifying_questions", [question.id for question in self.clarifying_questions]),
            ("rules", [rule.id for rule in self.rules]),
        ):
            twice = sorted({item for item in ids if ids.count(item) > 1})
            if twice:
                raise ValueError(f"{kind}: id '{twice[0]}' is used twice")
        asks = {question.id for question in self.clarifying_questions}
        for rule in self.rules:
            if rule.ask is not None and rule.ask not in asks:
                raise ValueError(f"rules: '{rule.id}' asks '{rule.ask}', not a clarifying question")
        return self

    def warning_text(self, tier: str) -> str:
        """The text for a tier: "emergency", "see_doctor" or "ordinary_sciatica"."""
        texts = {
            "emergency": self.urgent_care,
            "see_doctor": self.see_doctor,
            "ordinary_sciatica": self.ordinary_sciatica,
        }
        return texts[tier].strip()

    def clarifying(self, question_id: str) -> ClarifyingQuestion:
        return next(item for item in self.clarifying_questions if item.id == question_id)


class HandsFree(_Frozen):
    """The hands-free routine's pauses (content/routine.yaml), in seconds."""

    position_seconds: int = Field(default=8, ge=3, le=60)
    rest_seconds: int = Field(default=10, ge=3, le=120)
    switch_seconds: int = Field(default=10, ge=3, le=120)
    between_seconds: int = Field(default=15, ge=3, le=180)
    up_seconds: int = Field(default=2, ge=1, le=10)
    down_seconds: int = Field(default=2, ge=1, le=10)
    slow_factor: int = Field(default=2, ge=1, le=4)


class RoutineSettings(_Frozen):
    """content/routine.yaml."""

    hands_free: HandsFree = HandsFree()


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
        routine: RoutineSettings | None = None,
    ) -> None:
        self.exercises = tuple(sorted(exercises, key=lambda exercise: exercise.order))
        self.all_answers = answers
        self.answers = tuple(answer for answer in answers if answer.menu)  # the menu's topics
        self.safety = safety
        self.messages = messages
        self.phrasings = phrasings or Phrasings({}, {})
        self.routine = routine or RoutineSettings()
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
