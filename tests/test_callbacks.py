"""The callback-data codec, and what the bot does with buttons it did not make."""

from __future__ import annotations

import logging

import pytest

from bot.plumbing.callbacks import MAX_BYTES, Action, CallbackDataError, decode, encode, pattern
from tests.harness import BotHarness

ALICE = 5_000_000_001


def test_round_trip() -> None:
    data = encode(Action.START_ROUTINE, 123456789012, "left")

    assert data == "1|rs|123456789012|left"
    decoded = decode(data)
    assert decoded.action is Action.START_ROUTINE
    assert decoded.int_arg(0) == 123456789012
    assert decoded.str_arg(1) == "left"
    assert pattern(Action.START_ROUTINE).match(data)
    assert not pattern(Action.START_SINGLE).match(data)


@pytest.mark.parametrize(
    "data",
    ["", "2|rs|1", "1|zz|1", "1|rs|a b", "1|rs|" + "9" * 70, "garbage", "1|rs|1|;drop"],
)
def test_forged_or_foreign_data_is_rejected(data: str) -> None:
    with pytest.raises(CallbackDataError):
        decode(data)


def test_encode_refuses_what_would_not_fit() -> None:
    with pytest.raises(ValueError, match="longer than"):
        encode(Action.START_ROUTINE, *(["x" * 20] * 4))
    with pytest.raises(ValueError, match="short token"):
        encode(Action.START_ROUTINE, "has space")
    assert len(encode(Action.START_ROUTINE, "x" * 24, "y" * 24).encode()) <= MAX_BYTES


def test_non_numeric_argument_is_a_codec_error() -> None:
    with pytest.raises(CallbackDataError):
        decode("1|rs|abc").int_arg(0)
    with pytest.raises(CallbackDataError):
        decode("1|rs").int_arg(0)
    for not_plain_digits in ("²", "--5", "٣"):  # digits to str.isdigit, not ours
        with pytest.raises(CallbackDataError):
            decode(f"1|rs|{not_plain_digits}").int_arg(0)
    assert decode("1|rs|-5").int_arg(0) == -5


async def test_a_forged_button_is_answered_and_logged(
    bot: BotHarness, caplog: pytest.LogCaptureFixture
) -> None:
    await bot.send(ALICE, "/help")
    message_id = max(bot.fake.messages[ALICE])

    with caplog.at_level(logging.WARNING):
        calls = await bot.tap_data(ALICE, message_id, "evil|payload")

    assert [(call.method, call.params.get("text")) for call in calls] == [
        ("answerCallbackQuery", bot.content.t("button_forged"))
    ]
    assert any(
        "rejected callback data" in record.getMessage() and str(ALICE) in record.getMessage()
        for record in caplog.records
    )


async def test_a_button_of_a_retired_action_is_answered_as_stale(bot: BotHarness) -> None:
    await bot.send(ALICE, "/help")
    message_id = max(bot.fake.messages[ALICE])

    calls = await bot.tap_data(ALICE, message_id, encode(Action.NOOP))

    assert [(call.method, call.params.get("text")) for call in calls] == [
        ("answerCallbackQuery", bot.content.t("button_stale"))
    ]
