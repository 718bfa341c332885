"""The free-text reader: a message's intent from a classifier trained on the content's example
phrasings, combined with the stretch-name matcher and a few precedence rules (reader.py)."""

from bot.domain.reading.classifier import Guess, IntentModel
from bot.domain.reading.kinds import (
    EXERCISE_HURTS,
    MEDICATION_TOPIC,
    NOTHING,
    PAIN_LOG,
    SYMPTOM,
    Reading,
    ReadingKind,
)
from bot.domain.reading.reader import MAX_CHARS, Library

__all__ = [
    "EXERCISE_HURTS",
    "MAX_CHARS",
    "MEDICATION_TOPIC",
    "NOTHING",
    "PAIN_LOG",
    "SYMPTOM",
    "Guess",
    "IntentModel",
    "Library",
    "Reading",
    "ReadingKind",
]
