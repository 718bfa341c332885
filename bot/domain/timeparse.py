"""Reading a time of day the way people type it: "7:30", "07:30", "19:00", "7pm", "7.30 am"."""

from __future__ import annotations

import re
from datetime import time

MAX_INPUT = 40

_TIME = re.compile(
    r"""^
    (?P<hour>\d{1,2})
    (?:
        (?:[:.h]|\s)\s*(?P<minute>\d{2})      # 7:30, 7.30, 7h30, 7 30
      | (?P<compact>\d{2})                    # 730, 0730, 1900
    )?
    \s*
    (?:h|hrs?)?                               # 19h
    \s*
    (?P<half>a\.?\s?m\.?|p\.?\s?m\.?)?        # am, a.m., pm, p. m.
    $""",
    re.VERBOSE,
)

_WORDS = {"noon": time(12, 0), "midday": time(12, 0), "midnight": time(0, 0)}


def parse_time(text: str) -> time | None:
    """The time of day in ``text``, or None if it is not a real time.

    Accepts 24-hour forms (``7:30``, ``07:30``, ``19:00``, ``1900``, ``7.30``, ``19h``) and
    12-hour forms (``7pm``, ``7.30 am``, ``12 a.m.``), plus "noon" and "midnight".
    Rejects anything else, including hours above 23, minutes above 59 and ``13pm``.
    """
    cleaned = " ".join(text.strip().lower().split())
    if not cleaned or len(cleaned) > MAX_INPUT:
        return None
    if cleaned in _WORDS:
        return _WORDS[cleaned]
    match = _TIME.match(cleaned)
    if match is None:
        return None
    hour = int(match["hour"])
    minute_text = match["minute"] or match["compact"]
    minute = int(minute_text) if minute_text else 0
    half = match["half"]
    if half is not None:
        if not 1 <= hour <= 12:
            return None
        is_pm = half.startswith("p")
        hour = hour % 12 + (12 if is_pm else 0)
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        return None
    return time(hour, minute)


def format_time(value: time) -> str:
    """The 24-hour form shown to users and used in button data: "07:30"."""
    return f"{value.hour:02d}:{value.minute:02d}"


def time_token(value: time) -> str:
    """The compact form for callback data: "0730"."""
    return f"{value.hour:02d}{value.minute:02d}"


def time_from_token(token: str) -> time | None:
    if len(token) != 4 or not (token.isascii() and token.isdigit()):
        return None
    hour, minute = int(token[:2]), int(token[2:])
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)
