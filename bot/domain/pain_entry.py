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


# --- pain in plain words -------------------------------------------------------------------
# "my pain is 3 today", "7/10", "pain 4 after walking", "it's a 6 this morning": a rating in
# a sentence. A number counts only when something says it is a score (the word pain or a
# cousin, "/10", "out of 10", "it's a 6"); a number with a unit ("6 km", "3 weeks", "at 7
# pm") never does. One such number is a rating; a bare number, or two numbers, is a guess the
# caller should confirm.

_UNITS = (
    r"km|k|kms|kilometres?|kilometers?|miles?|mi|m|metres?|meters?|steps?|minutes?|mins?|"
    r"hours?|hrs?|h|days?|weeks?|wks?|months?|years?|yrs?|times?|x|reps?|sets?|seconds?|secs?|"
    r"s|kg|kgs|kilos?|lbs?|pounds?|stone|am|pm|o\s*clock|%|percent|degrees?|floors?|laps?|"
    r"cups?|pills?|tablets?|st|nd|rd|th"
)
_CANDIDATE = re.compile(
    rf"(?<![\w./,])(?P<number>\d+(?:[.,]\d+)?)(?P<scale>\s*/\s*10|\s+out\s+of\s+10)?"
    rf"(?!\s*(?:{_UNITS})\b)(?![\w/:])",
    re.IGNORECASE,
)
_TIME_BEFORE = re.compile(r"(?:\bat|\bby|\bsince|\buntil|\btill|\bfor|\bafter|\bin)\s*$", re.I)
# ... but "pain is at 7" is a score: "at" right after the word pain.
_PAIN_AT = re.compile(r"\bpain(?:\s+(?:is|was|level|score|now|today|right\s+now))*\s+at\s*$", re.I)
_PAIN_WORDS = re.compile(
    r"\b(?:pain|painful|hurts?|hurting|ache|aches|aching|sore|level|score|rating|rate)\b", re.I
)
_ITS_A = re.compile(
    r"""(?:(?:\bits|\bit's|\bit’s|\bim|\bi'm|\bi’m|\bat|\babout|\baround|\bto|\bfeels?\s+like
        |\bfeeling\s+like|\bfelt\s+like|\bsay|\bmaybe|\bprobably)(?:\s+like)?\s+an?|\bsay|\bscore|\bscored|\brated?)\s*$""",
    re.I | re.VERBOSE,
)
# Number words are scores only where a digit would be read as one: after "a" or "score"
# ("about a three", "pain score seven") or before "out of ten"; "two of the stretches" stays
# words.
_NUMBER_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
}  # fmt: skip
_SCORE_WORD = re.compile(
    r"(?P<lead>\b(?:an?|score|level|rating|pain|pain\s+is|pain\s+was)\s+)"
    rf"(?P<word>{'|'.join(_NUMBER_WORDS)})\b"
    r"|\b(?P<word2>" + "|".join(_NUMBER_WORDS) + r")(?P<scale>\s*/\s*10|\s+out\s+of\s+(?:10|ten))",
    re.I,
)


def _digits_for_score_words(text: str) -> str:
    """ "about a three" → "about a 3", "five out of ten" → "5 out of 10" (see _SCORE_WORD)."""

    def digits(match: re.Match[str]) -> str:
        if match["word"]:
            return match["lead"] + str(_NUMBER_WORDS[match["word"].lower()])
        return f"{_NUMBER_WORDS[match['word2'].lower()]} out of 10"

    return _SCORE_WORD.sub(digits, text)


_LEAD = re.compile(
    r"""^\s*(?:(?:log|rate|record)\s+(?:my\s+)?)?(?:my\s+)?(?:pain|it|its|it's|it’s|i'm|im|i’m)?
        (?:\s*\b(?:is|was|level|score|now|today|right\s+now|at|about|around|like|a|an|feels?
        |feeling|down|up|to|say|id|i'd|i’d|maybe|probably))*\s*[:=\-]?\s*$""",
    re.IGNORECASE | re.VERBOSE,
)


@dataclass(frozen=True, slots=True)
class PlainRating:
    """A rating read from a sentence: ``clear`` when it can be logged as it is; otherwise the
    caller asks ("Log 6 as today's pain?") with ``score`` as the suggestion (None: no score in
    range was found, only something that looked like one)."""

    score: int | None
    note: str | None
    clear: bool


def _note_around(text: str, start: int, end: int) -> str | None:
    before, after = text[:start], text[end:]
    before = _ITS_A.sub("", before)  # "woke up at like a 5": the note is "woke up"
    kept = after if _LEAD.match(before) else before + " " + after
    note = " ".join(kept.strip(" \t\n.,;:!-–—").split())
    return note or None


def read_rating(text: str, *, pending: bool = False) -> PlainRating | None:
    """A pain score 0-10 in a sentence, or None when the text holds no candidate at all.

    ``pending``: the bot has just asked for a rating, so a bare number is the answer.
    """
    text = _digits_for_score_words(text)
    found = []
    for match in _CANDIDATE.finditer(text):
        before = text[: match.start()]
        if _TIME_BEFORE.search(before) and not match["scale"] and not _PAIN_AT.search(before):
            continue
        found.append(match)
    if not found:
        return None
    first = found[0]
    score = _score_of(first["number"])
    scored = bool(first["scale"]) or bool(_ITS_A.search(text[: first.start()]))
    about_pain = scored or bool(_PAIN_WORDS.search(text))
    if not about_pain and not (pending and len(found) == 1 and _LEAD.match(text[: first.start()])):
        bare = not text[: first.start()].strip() and not text[first.end() :].strip(" .!")
        if not bare:
            return None
    if isinstance(score, Problem):
        return PlainRating(None, None, clear=False)
    note = _note_around(text, first.start(), first.end())
    bare_number = not text[: first.start()].strip() and note is None
    clear = len(found) == 1 and (about_pain or pending) and not (bare_number and not pending)
    if bare_number and first["scale"]:
        clear = True
    return PlainRating(score, note, clear)
