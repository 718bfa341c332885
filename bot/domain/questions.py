"""What a free-text message is about: kept as the name the handlers import; the reader itself
lives in ``bot.domain.reading`` (a classifier over the content's example phrasings, with the
stretch-name matcher of ``bot.domain.exercise_lookup``)."""

from __future__ import annotations

from bot.domain.reading import (
    MAX_CHARS,
    MEDICATION_TOPIC,
    NOTHING,
    Library,
    Reading,
    ReadingKind,
)

__all__ = ["MAX_CHARS", "MEDICATION_TOPIC", "NOTHING", "Library", "Reading", "ReadingKind"]
