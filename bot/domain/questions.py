"""What a free-text message is about: a stretch, a question about sciatica, or neither.

``Library`` is built once from the content and reads messages without side effects::

    library = Library(content)
    library.read("how do i do the piegon?")  # Reading(EXERCISE, ("seated_pigeon",))
    library.read("can i take ibuprofen")      # Reading(TOPIC, topic_id="medication")
    library.screen("both legs are numb")     # Screening(Tier.EMERGENCY, ("both_legs",))

Precedence, when a message could be read several ways: medicines first (we never let a
medicine question go unanswered behind a card), then a stretch named clearly, then a question
topic, then a stretch named only in part (offered as a choice), then "the stretches" in
general, then hello and thanks. Anything else is NOTHING, and the caller shows the menu.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from bot.domain.exercise_lookup import Certainty, ExerciseIndex
from bot.domain.safety import SafetyScreen, Screening
from bot.domain.words import Vocabulary, phrase_spans, stem, words
from content import Answer, Content

# Messages longer than Telegram allows are cut to this before reading.
MAX_CHARS = 4096

MEDICATION_TOPIC = "medication"

# Question words shape a keyword ("how long", "what is sciatica") but alone mean little; so
# does "sciatica", which every question is about ("is sciatica permanent" is about duration).
QUESTION_FILLER = frozenset(
    {
        "a", "an", "the", "i", "me", "my", "it", "is", "are", "am", "be", "do", "does", "did",
        "can", "could", "should", "would", "will", "what", "how", "why", "when", "which", "who",
        "or", "to", "of", "for", "in", "on", "at", "you", "your", "this", "that", "there",
        "sciatica",
    }
)  # fmt: skip
FILLER_WEIGHT = 0.25
MAX_GAP = 2  # words allowed between two words of a keyword ("what exactly is sciatica")

# "Which stretches are there?": the stretches in general, not one of them.
GENERAL_WORDS = frozenset({"exercise", "stretch", "workout", "pose"})
GENERAL_WORDS_STEMS = frozenset(stem(word) for word in GENERAL_WORDS)
GREETINGS = frozenset({"hi", "hello", "hey", "hiya", "howdy", "morning", "evening", "yo"})
THANKS = frozenset({"thanks", "thank", "thx", "ty", "cheers", "ta", "thankyou"})
MAX_GREETING_WORDS = 4


class ReadingKind(StrEnum):
    EXERCISE = "exercise"  # one stretch: show its card
    CHOICE = "choice"  # one of a few stretches: ask which
    TOPIC = "topic"  # a question about sciatica: answer it
    LIST = "list"  # the stretches in general: show all seven
    GREETING = "greeting"
    THANKS = "thanks"
    NOTHING = "nothing"  # nothing close: the caller shows the menu


@dataclass(frozen=True, slots=True)
class Reading:
    kind: ReadingKind
    exercise_ids: tuple[str, ...] = ()
    topic_id: str | None = None


NOTHING = Reading(ReadingKind.NOTHING)


@dataclass(frozen=True, slots=True)
class _Keyword:
    topic_id: str
    stems: tuple[str, ...]
    weight: float


class TopicIndex:
    """The question topics by their keywords."""

    def __init__(self, answers: Iterable[Answer]) -> None:
        keywords: list[_Keyword] = []
        surface: set[str] = set()
        for answer in answers:
            for keyword in answer.keywords:
                typed = words(keyword)
                surface.update(typed)
                weight = sum(FILLER_WEIGHT if word in QUESTION_FILLER else 1.0 for word in typed)
                keywords.append(_Keyword(answer.id, tuple(stem(word) for word in typed), weight))
        self._keywords = tuple(keywords)
        self._stems = frozenset(item for keyword in keywords for item in keyword.stems)
        self.vocabulary = Vocabulary(surface)

    def scores(self, typed: Sequence[str]) -> dict[str, float]:
        """Topic id → weight of its most specific keyword found in the words (0 = none)."""
        stems = []
        for word in typed:
            stemmed = stem(word)
            stems.append(stemmed if stemmed in self._stems else stem(self.vocabulary.correct(word)))
        best: dict[str, float] = {}
        for keyword in self._keywords:
            if keyword.weight > best.get(keyword.topic_id, 0.0) and phrase_spans(
                stems, keyword.stems, MAX_GAP
            ):
                best[keyword.topic_id] = keyword.weight
        return best


class Library:
    """The content's exercises, topics and red flags, indexed for reading messages."""

    def __init__(self, content: Content) -> None:
        self.exercises = ExerciseIndex(content.exercises)
        self.topics = TopicIndex(content.answers)
        self.safety = SafetyScreen.from_content(content)
        self._topic_order = {answer.id: index for index, answer in enumerate(content.answers)}

    def screen(self, text: str) -> Screening:
        """The safety screen of ``text``: tier, sign ids (for the log), question to ask."""
        return self.safety.screen(text[:MAX_CHARS])

    def find_exercise(self, text: str) -> Reading:
        """Read ``text`` as the name of a stretch only (for /exercise and inline queries)."""
        match = self.exercises.match(text[:MAX_CHARS])
        if match is None:
            return NOTHING
        if match.certainty is Certainty.SURE:
            return Reading(ReadingKind.EXERCISE, match.exercise_ids)
        return Reading(ReadingKind.CHOICE, match.exercise_ids)

    def read(self, text: str) -> Reading:
        """What a free-text message is about (see the module docstring for the precedence)."""
        typed = words(text[:MAX_CHARS])
        if not typed:
            return NOTHING
        topics = self.topics.scores(typed)
        if MEDICATION_TOPIC in topics:
            return Reading(ReadingKind.TOPIC, topic_id=MEDICATION_TOPIC)
        match = self.exercises.match_words(typed)
        if match is not None and match.certainty is Certainty.SURE:
            return Reading(ReadingKind.EXERCISE, match.exercise_ids)
        if match is not None and match.certainty is Certainty.SEVERAL:
            return Reading(ReadingKind.CHOICE, match.exercise_ids)
        if topics:
            topic = max(topics, key=lambda item: (topics[item], -self._topic_order[item]))
            return Reading(ReadingKind.TOPIC, topic_id=topic)
        if match is not None:
            return Reading(ReadingKind.CHOICE, match.exercise_ids)
        return _small_talk(typed)


def _small_talk(typed: Sequence[str]) -> Reading:
    if any(stem(word) in GENERAL_WORDS_STEMS for word in typed):
        return Reading(ReadingKind.LIST)
    if any(word in THANKS for word in typed):
        return Reading(ReadingKind.THANKS)
    if len(typed) <= MAX_GREETING_WORDS and any(word in GREETINGS for word in typed):
        return Reading(ReadingKind.GREETING)
    return NOTHING
