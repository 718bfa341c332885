"""The bot token never reaches a log line."""

from __future__ import annotations

import logging

import pytest

from bot.runtime.logs import ExpectedNoiseFilter, RedactTokenFilter


def test_token_is_redacted_from_log_lines() -> None:
    token = "123456789:AAHk-very-secret-token-value_123"
    record = logging.LogRecord(
        "httpx",
        logging.INFO,
        __file__,
        1,
        "HTTP Request: POST https://api.telegram.org/bot%s/getMe",
        (token,),
        None,
    )

    RedactTokenFilter(token).filter(record)

    assert token not in record.getMessage()
    assert "bot<token>/getMe" in record.getMessage()


@pytest.mark.parametrize(
    ("logger", "level", "message", "kept"),
    [
        (
            "apscheduler.scheduler",
            logging.WARNING,
            'Execution of job "reminder-sweep (trigger: interval[0:00:20], next run at: '
            '2026-11-25 11:53:03 UTC)" skipped: maximum number of running instances reached (1)',
            False,
        ),
        ("apscheduler.scheduler", logging.WARNING, "Run time of job was missed by 0:01:00", True),
        (
            "telegram.ext.AIORateLimiter",
            logging.ERROR,
            "Rate limit hit after maximum of 0 retries",
            False,
        ),
        ("telegram.ext.AIORateLimiter", logging.ERROR, "Something else went wrong", True),
        ("bot.plumbing.errors", logging.ERROR, "maximum number of running instances reached", True),
    ],
)
def test_only_the_expected_library_noise_is_dropped(
    logger: str, level: int, message: str, kept: bool
) -> None:
    record = logging.LogRecord(logger, level, __file__, 1, message, None, None)

    assert ExpectedNoiseFilter().filter(record) is kept
