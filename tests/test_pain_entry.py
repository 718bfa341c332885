"""Reading ratings from what people type: strict enough to leave questions alone."""

from __future__ import annotations

import pytest

from bot.domain.pain_entry import (
    NOTE_MAX,
    Entry,
    Problem,
    clip_note,
    parse_command_args,
    parse_plain_text,
)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ("", None),
        ("   ", None),
        ("6", Entry(6)),
        ("0", Entry(0)),
        ("10", Entry(10)),
        ("6/10", Entry(6)),
        ("7 out of 10", Entry(7)),
        ("6 after a long drive", Entry(6, "after a long drive")),
        ("6   woke up stiff  ", Entry(6, "woke up stiff")),
        ("11", Problem.OUT_OF_RANGE),
        ("-1", Problem.OUT_OF_RANGE),
        ("100", Problem.OUT_OF_RANGE),
        ("6.5", Problem.NOT_WHOLE),
        ("6,5", Problem.NOT_WHOLE),
        ("six", Problem.UNCLEAR),
        ("bad today", Problem.UNCLEAR),
        ("about 6", Problem.UNCLEAR),
    ],
)
def test_command_arguments(args: str, expected: Entry | Problem | None) -> None:
    assert parse_command_args(args) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("pain 6", Entry(6)),
        ("Pain 6", Entry(6)),
        ("PAIN: 7/10", Entry(7)),
        ("pain=3", Entry(3)),
        ("pain is 4.", Entry(4)),
        ("my pain is 2 out of 10", Entry(2)),
        ("pain level 5", Entry(5)),
        ("pain today 8!", Entry(8)),
        ("  pain 0  ", Entry(0)),
        ("pain 12", Problem.OUT_OF_RANGE),
        ("pain 5.5", Problem.NOT_WHOLE),
    ],
)
def test_plain_text_ratings(text: str, expected: Entry | Problem) -> None:
    assert parse_plain_text(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "pain in my left leg for 6 weeks?",
        "how long does the pain last",
        "pain",
        "pain killers",
        "pain 6 after a drive",
        "my leg pain is bad",
        "is pain 6 normal?",
        "painful 6",
        "6",
        "no pain",
    ],
)
def test_ordinary_messages_are_not_ratings(text: str) -> None:
    assert parse_plain_text(text) is None


def test_notes_are_trimmed_and_clipped_to_the_column() -> None:
    assert clip_note(None) == (None, False)
    assert clip_note("   ") == (None, False)
    assert clip_note("  after a drive ") == ("after a drive", False)
    exact = "x" * NOTE_MAX
    assert clip_note(exact) == (exact, False)
    clipped, was_clipped = clip_note("y" * (NOTE_MAX + 1))
    assert (clipped, was_clipped) == ("y" * NOTE_MAX, True)
