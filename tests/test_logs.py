"""The bot token never reaches a log line."""

from __future__ import annotations

import logging

from bot.logs import RedactTokenFilter


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
