"""Reading a pain rating from what the user typed: ``/pain 6 after a long drive`` or "pain 6".

The plain-text form is deliberately strict: it must be the word "pain" and a number and
nothing else (a few filler words allowed), so "pain in my left leg for 6 weeks?" stays a
question for the questions feature.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from bot.domain.pain import PAIN_MAX, PAIN_MIN

NOTE_MAX = 500
"""The longest note kept (the column is 500 characters); longer notes are clipped."""


@dataclass(frozen=True, slots=True)
class Entry:
    """A valid rating, with the note typed after it (if any; not yet clipped)."""

    score: int
    note: str | None = None


class Problem(StrEnum):
    """Why a typed rating could not be recorded."""

    OUT_OF_RANGE = "out_of_range"  # a whole number, but not 0-10
    NOT_WHOLE = "not_whole"  # 6.5: the scale has whole steps only
    UNCLEAR = "unclear"  # no number where one was expected


_NUMBER = r"[-+]?\d+(?:[.,]\d+)?"
_OUT_OF_TEN = r"(?:\s*/\s*10|\s+out\s+of\s+10)?"
_COMMAND_ARGS = re.compile(rf"^(?P<number>{_NUMBER}){_OUT_OF_TEN}(?:\s+(?P<note>.*))?$", re.DOTALL)
_PLAIN = re.compile(
    rf"""^\s*(?:my\s+)?pain
        (?:\s+(?:is|was|level|score|now|today|right\s+now|at))*
        \s*[:=\-]?\s*
        (?P<number>{_NUMBER}){_OUT_OF_TEN}
        \s*[.!]?\s*$""",
    re.IGNORECASE | re.VERBOSE,
)


def _score_of(number: str) -> int | Problem:
    if "." in number or "," in number:
        return Problem.NOT_WHOLE
    value = int(number)
    if not PAIN_MIN <= value <= PAIN_MAX:
        return Problem.OUT_OF_RANGE
    return value


def clip_note(text: str | None) -> tuple[str | None, bool]:
    """The note as stored (trimmed, at most NOTE_MAX characters) and whether it was clipped."""
    if text is None:
        return None, False
    note = text.strip()
    if not note:
        return None, False
    if len(note) > NOTE_MAX:
        return note[:NOTE_MAX].rstrip(), True
    return note, False


def parse_command_args(args: str) -> Entry | Problem | None:
    """``/pain``'s arguments: None when there are none (show the keyboard)."""
    text = args.strip()
    if not text:
        return None
    match = _COMMAND_ARGS.match(text)
    if match is None:
        return Problem.UNCLEAR
    score = _score_of(match["number"])
    if isinstance(score, Problem):
        return score
    note = (match["note"] or "").strip()
    return Entry(score, note or None)


def parse_plain_text(text: str) -> Entry | Problem | None:
    """A message like "pain 6", "Pain: 7/10" or "my pain is 3"; None when it is not one."""
    match = _PLAIN.match(text)
    if match is None:
        return None
    score = _score_of(match["number"])
    return score if isinstance(score, Problem) else Entry(score)
