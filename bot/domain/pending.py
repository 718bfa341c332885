"""The one rule for a typed answer the bot waits for (``users.awaiting``): is this text the
answer to what we asked, or something else the user wants (a pain score, a question, a stretch)?

Every wait (a time zone, a time, a pain note, the weekly summary's time, the /start safety
question) asks it here. What the rule decides:

* a text that reads as the expected thing (a zone the directory knows or could suggest, a
  time, a number of days) is the answer;
* a clear pain score, a question, a stretch name, a greeting or thanks is NOT the answer: it
  goes to its normal route and the question is repeated once, briefly;
* anything else (a typo, a bad offset like "UTC+15") is a try at the answer: the bot says it
  could not read it and asks again;
* a note is free text, so only the clear cases above are not a note.

A wait ends with any command, and expires ``PENDING_FOR`` after it began.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from bot.domain.reading.kinds import Reading, ReadingKind

PENDING_FOR = timedelta(minutes=5)
"""How long a typed answer is waited for; after that, text goes to its normal route."""


class Expecting(StrEnum):
    """What kind of answer a wait expects (the rule differs for free text)."""

    VALUE = "value"  # a zone, a time, a number: something with a form
    NOTE = "note"  # free text: almost anything is the note
    BUTTON = "button"  # a question answered with buttons (the /start safety check)


NOT_ANSWERS = frozenset(
    {
        ReadingKind.EXERCISE,
        ReadingKind.TOPIC,
        ReadingKind.EXERCISE_HURTS,
        ReadingKind.LIST,
        ReadingKind.GREETING,
        ReadingKind.THANKS,
    }
)
"""Readings that are something else the user wants, when the reader is sure of them."""

_NOTE_NOT_ANSWERS = frozenset({ReadingKind.GREETING, ReadingKind.THANKS})


def is_expired(since: datetime | None, now: datetime) -> bool:
    """True when the wait began more than PENDING_FOR ago (or has no start: an old row)."""
    return since is None or now - since > PENDING_FOR


def is_answer(expecting: Expecting, text: str, reading: Reading, *, parses: bool = False) -> bool:
    """Whether ``text`` plausibly answers the pending question (see the module docstring).

    ``parses``: the text reads as the expected value (the caller's parser said so); that
    always wins. ``reading``: the free-text reader's reading of ``text``.
    """
    if parses:
        return True
    if reading.kind is ReadingKind.PAIN_LOG and reading.pain is not None and reading.pain.clear:
        return False
    if text.rstrip().endswith("?"):
        return False
    if reading.unsure:
        return True
    if expecting is Expecting.NOTE:
        if reading.kind in _NOTE_NOT_ANSWERS:
            return False
        # A stretch's name alone ("pigeon") asks for its card; a sentence naming it is a note.
        return not (reading.kind is ReadingKind.EXERCISE and len(text.split()) <= 3)
    return reading.kind not in NOT_ANSWERS
