"""The one codec for inline-button callback data: short, versioned, typed, within 64 bytes.

Layout: ``<version>|<action>|<arg>|<arg>...``, e.g. ``1|hs|42|7``. Arguments are short
tokens (digits, letters, ``_`` and ``-``). Anything that does not decode is treated as
forged or stale on purpose, never as an error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time
from enum import StrEnum

from bot.domain.timeparse import time_from_token

VERSION = "1"
SEPARATOR = "|"
MAX_BYTES = 64
_ARG = re.compile(r"^[A-Za-z0-9_-]{1,24}$")


class Action(StrEnum):
    """Every kind of button the bot shows. Values are part of the wire format: never reuse one."""

    NOOP = "nop"
    # Shared between features (defined here first so each side can use them):
    # args: delivery id (0 = not from a prompt), then (the prompt's rating row and Start now)
    # the pain before, 0-10 or "skip", which starts the routine at once; handled by the routine
    START_ROUTINE = "rs"
    START_SINGLE = "r1"  # args: exercise id; one exercise alone, handled by the routine
    SETTINGS_ROUTINE = "sr"  # the /settings "Routine" section; handled by the routine feature
    SETTINGS_WEEKLY = "sw"  # the /settings "Weekly summary" section; handled by the pain feature
    # Exercises (card browser) and questions (issue 6).
    SHOW_EXERCISE = "ex"  # args: exercise id; sends that exercise's card
    EXERCISE_LIST = "exl"  # no args; sends the list of all seven
    QUESTION_TOPICS = "qt"  # no args; sends the list of question topics
    SHOW_ANSWER = "qa"  # args: topic id; sends that answer
    # Free-text readings (issue 17): an unsure reading's "none of these", a stretch that hurts.
    QUESTION_MENU = "qm"  # no args; the menu of stretches and questions
    HURT_ANSWER = "qh"  # args: exercise id (or none); the ease-off answer and its buttons
    HURT_PICK = "qhw"  # args: exercise id; which stretch hurt, answering "which was it?"
    HURT_EASIER = "qhe"  # args: exercise id, its level shown: one step down (once)
    HURT_LEAVE_OUT = "qhl"  # args: exercise id; leave it out of routines
    HURT_LOG_PAIN = "qhp"  # no args; the /pain keyboard
    # Pain log, history, weekly summary, export and erase (issue 5).
    PAIN_SCORE = "ps"  # args: score (0-10), from the /pain keyboard
    PAIN_NOTE = "pn"  # args: rating id; "Add a note"
    PAIN_DECLINE = "pnx"  # no args; "No, don't log it" under a score read from words
    HISTORY_PERIOD = "ph"  # args: days (7, 30 or 90)
    WEEKLY_TOGGLE = "pwt"  # args: "on" or "off"
    WEEKLY_DAY = "pwd"  # args: weekday (0 = Monday)
    WEEKLY_TIME = "pwh"  # args: time as HHMM
    WEEKLY_OTHER_TIME = "pwo"  # no args; asks the user to type a time
    ERASE_YES = "pey"  # args: when /delete asked (Unix seconds)
    ERASE_NO = "pen"
    REPORT = "rp"  # args: days (7, 30 or 90), notes (1 in, 0 out): send the clinician report
    # Routine (issue 4). Step buttons carry (session id, step number): bot/features/routine.
    ROUTINE_PAIN = "rtp"  # session, step, score or "skip": the pain rating before or after
    ROUTINE_START_HOLD = "rth"  # session, step: start the hold (or the set)
    ROUTINE_FINISH = "rtf"  # session, step: finish the hold early, set done, or done
    ROUTINE_SKIP = "rtk"  # session, step: skip this exercise
    ROUTINE_HURTS = "rtx"  # session, step: it hurts
    ROUTINE_STOP = "rtq"  # session, step: stop the routine
    ROUTINE_LEAVE_OUT = "rtl"  # session, exercise id: leave it out of future routines
    ROUTINE_RESUME = "rtc"  # session, step: continue the routine in progress
    ROUTINE_RESTART = "rtn"  # session, step, delivery id or "x", exercise id or "-": start again
    ROUTINE_SET_LENGTH = "rtm"  # "full" or "short"
    ROUTINE_SET_TIMERS = "rtt"  # 1 (on) or 0 (off)
    ROUTINE_SET_PICTURES = "rti"  # 1 (on) or 0 (off): exercise animations (issue 15)
    ROUTINE_PAUSE = "rtz"  # session, step: hands-free, pause the countdown (or end the hold)
    ROUTINE_GO_ON = "rtg"  # session, step: hands-free, resume the paused countdown
    ROUTINE_SET_HANDS_FREE = "rtw"  # 1 (hands-free) or 0 (tap each hold)
    ROUTINE_SET_SLOW = "rts"  # 1 (longer pauses) or 0 (normal)
    ROUTINE_BRING_BACK = "rte"  # exercise id: include it in routines again
    # Reminders and /start (issue 3).
    SAFETY_ANSWER = "oq"  # args: question index, "y" or "n"
    URGENT_ACK = "oa"  # the urgent-care advice has been read
    # The safety screen (issue 14): bot/features/safety.
    SAFETY_CLARIFY = "sc"  # args: clarifying question id, "y" or "n", the tier if "no"
    SAFETY_CHECKED = "sk"  # a doctor has checked me (after an emergency answer)
    SAFETY_NOT_YET = "sn"  # not checked yet
    RESCREEN_START = "ss"  # start the warning-sign check (re-screen, or the first one)
    RESCREEN_ANSWER = "sa"  # args: question index, "y" or "n"
    TIME_PICK = "mt"  # args: the time as HHMM
    ZONE_PICK = "mz"  # args: the zone key's parts ("America", "New_York")
    SETTINGS_SCREEN = "ms"  # args: main, time, zone, days or pause
    DAYS_SET = "md"  # args: the new weekday mask (Monday = bit 0)
    PAUSE_FOR = "mp"  # args: days (0 = until /resume)
    RESUME = "mr"
    SNOOZE = "mn"  # args: delivery id, minutes
    SKIP_TODAY = "mk"  # args: delivery id
    WHEN_DONE = "mw"  # args: 1 (a one-line note once today's routine is done) or 0 (no prompt)


class CallbackDataError(ValueError):
    """Callback data that this version of the bot did not make (forged, old or corrupt)."""


@dataclass(frozen=True, slots=True)
class CallbackData:
    action: Action
    args: tuple[str, ...] = ()

    def int_arg(self, index: int) -> int:
        """The argument at ``index`` as a whole number; CallbackDataError if it is not one."""
        try:
            value = self.args[index]
        except IndexError:
            raise CallbackDataError(f"{self.action}: missing argument {index}") from None
        digits = value.removeprefix("-")
        if not (digits.isascii() and digits.isdigit()):
            raise CallbackDataError(f"{self.action}: argument {index} is not a number")
        return int(value)

    def time_arg(self, index: int) -> time:
        """The argument at ``index`` as a time of day ("0730"); CallbackDataError if not."""
        parsed = time_from_token(self.str_arg(index))
        if parsed is None:
            raise CallbackDataError(f"{self.action}: argument {index} is not a time")
        return parsed

    def str_arg(self, index: int) -> str:
        try:
            return self.args[index]
        except IndexError:
            raise CallbackDataError(f"{self.action}: missing argument {index}") from None


def encode(action: Action, *args: int | str) -> str:
    """Button data for ``action`` with ``args``; ValueError if it would not fit Telegram's limit."""
    tokens = [str(arg) for arg in args]
    for token in tokens:
        if not _ARG.match(token):
            raise ValueError(f"callback argument {token!r} is not a short token")
    data = SEPARATOR.join([VERSION, action.value, *tokens])
    if len(data.encode()) > MAX_BYTES:
        raise ValueError(f"callback data {data!r} is longer than {MAX_BYTES} bytes")
    return data


def decode(data: str | None) -> CallbackData:
    """Parse button data; CallbackDataError for anything this codec did not produce."""
    if not data or len(data.encode()) > MAX_BYTES:
        raise CallbackDataError("empty or oversized callback data")
    version, _, rest = data.partition(SEPARATOR)
    if version != VERSION:
        raise CallbackDataError(f"unknown callback version {version!r}")
    code, *tokens = rest.split(SEPARATOR) if rest else [""]
    try:
        action = Action(code)
    except ValueError:
        raise CallbackDataError(f"unknown callback action {code!r}") from None
    if any(not _ARG.match(token) for token in tokens):
        raise CallbackDataError("malformed callback argument")
    return CallbackData(action, tuple(tokens))


def pattern(*actions: Action) -> re.Pattern[str]:
    """A ``CallbackQueryHandler`` pattern matching these actions of the current version."""
    codes = "|".join(re.escape(action.value) for action in actions)
    return re.compile(rf"^{re.escape(VERSION)}\|(?:{codes})(?:\||$)")
