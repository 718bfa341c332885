"""Logging set-up: context in every line, and the bot token never written anywhere."""

from __future__ import annotations

import logging
import re
import traceback

_TOKEN = re.compile(r"\d{5,}:[A-Za-z0-9_-]{20,}")


class RedactTokenFilter(logging.Filter):
    """Replace anything shaped like a bot token in a log line with ``<token>``."""

    def __init__(self, token: str | None = None) -> None:
        super().__init__()
        self._token = token

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = _TOKEN.sub("<token>", message)
        if self._token:
            cleaned = cleaned.replace(self._token, "<token>")
        if cleaned != message:
            record.msg = cleaned
            record.args = None
        return True


class ExpectedNoiseFilter(logging.Filter):
    """Drop two library lines about things this bot expects and reports itself.

    APScheduler warns each time the reminder sweep's next run comes while a long one (a big
    morning's prompts at Telegram's pace) is still sending; that run simply goes on. PTB's
    rate limiter, built with ``max_retries=0``, logs every 429 at ERROR with a traceback
    before handing it to the caller, which reschedules the send and logs it in one line.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.startswith("apscheduler"):
            return "maximum number of running instances reached" not in record.getMessage()
        if record.name == "telegram.ext.AIORateLimiter":
            return not record.getMessage().startswith("Rate limit hit after maximum of 0 retries")
        return True


def configure_logging(level: str, token: str | None = None) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s", "%Y-%m-%dT%H:%M:%S")
    )
    handler.addFilter(RedactTokenFilter(token))
    handler.addFilter(ExpectedNoiseFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # httpx logs every request URL, and the URL holds the token: keep it quiet.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)


# Exceptions whose messages never quote what a user typed: Telegram's refusals, the database's
# errors (the engine hides statement parameters), the operating system's.
_TRANSPORT = (
    "plumbing/retry.py",
    "plumbing/pace.py",
    "entry/fake_telegram.py",
    "entry/fake_media.py",
    "fakes/http_server.py",
)
_QUIET_TYPES: tuple[type[BaseException], ...] = (OSError, TimeoutError)


def describe_exception(error: BaseException) -> str:
    """``Type: message`` for exceptions whose messages are safe to log at INFO and above;
    ``Type`` alone for the rest (a ValueError may quote the user's words)."""
    from sqlalchemy.exc import SQLAlchemyError
    from telegram.error import TelegramError

    name = type(error).__name__
    if isinstance(error, (TelegramError, SQLAlchemyError, *_QUIET_TYPES)):
        lines = str(error).strip().splitlines()
        return f"{name}: {lines[0][:300]}" if lines else name
    return f"{name} (its message is logged at DEBUG only)"


def stack_of(error: BaseException) -> str:
    """Where it happened: the traceback's frames and source lines, without the message."""
    return "".join(traceback.format_tb(error.__traceback__)).rstrip()


def our_frame(error: BaseException) -> str:
    """The innermost frame in this project's code, as ``path:line in function``."""
    found = "unknown place"
    for frame in traceback.extract_tb(error.__traceback__):
        if frame.filename.endswith(_TRANSPORT):
            continue  # the Bot API transport: the caller is the place that matters
        parts = frame.filename.replace("\\", "/").split("/")
        for root in ("bot", "storage", "content"):
            if root in parts:
                path = "/".join(parts[len(parts) - parts[::-1].index(root) - 1 :])
                found = f"{path}:{frame.lineno} in {frame.name}"
                break
    return found
