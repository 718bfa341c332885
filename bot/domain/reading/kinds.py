"""The reader's answer, ``Reading``, and the intent labels it uses.

An intent label is shared with the test sets: ``exercise:<id>``, ``exercise_hurts:<id>`` (or
``exercise_hurts:`` when no stretch is named), an answer id from answers.yaml (``symptom``,
``dose_hold``, ``activity_walking``...), ``pain_log``, ``list``, ``greeting``, ``thanks`` or
``nothing``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.domain.pain_entry import PlainRating

MEDICATION_TOPIC = "medication"
SYMPTOM = "symptom"
EXERCISE_HURTS = "exercise_hurts"
PAIN_LOG = "pain_log"
# Intents without an answer text, and the kind of reading each gives.
SMALL_TALK = {"list": "list", "greeting": "greeting", "thanks": "thanks", "nothing": "nothing"}


class ReadingKind(StrEnum):
    EXERCISE = "exercise"  # one stretch: show its card
    CHOICE = "choice"  # one of a few stretches: ask which
    TOPIC = "topic"  # a question with an answer in answers.yaml (symptoms and doses too)
    EXERCISE_HURTS = "exercise_hurts"  # a stretch hurts: ease-off advice (and which stretch)
    PAIN_LOG = "pain_log"  # a pain score: log it (or ask, when ``pain.clear`` is False)
    LIST = "list"  # the stretches in general: show all seven
    GREETING = "greeting"
    THANKS = "thanks"
    NOTHING = "nothing"  # nothing close: the caller shows the menu


@dataclass(frozen=True, slots=True)
class Reading:
    """One reading of a message.

    ``intent`` is the label (see the module docstring); ``confidence`` the classifier's score
    for it (above 0: it claims the message; 1.0 when a rule decided). ``choices``, when not
    empty, are the two most likely intent labels, best first: the reader is unsure, and the
    caller should offer both. ``topic_id`` is the answer to show (TOPIC and EXERCISE_HURTS).
    """

    kind: ReadingKind
    exercise_ids: tuple[str, ...] = ()
    topic_id: str | None = None
    intent: str = "nothing"
    confidence: float = 0.0
    choices: tuple[str, ...] = ()
    pain: PlainRating | None = None

    @property
    def unsure(self) -> bool:
        return bool(self.choices)


NOTHING = Reading(ReadingKind.NOTHING)
