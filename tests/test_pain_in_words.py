"""Pain scores in plain words (issue 13 item 2): ``read_rating`` on a table of sentences."""

from __future__ import annotations

import pytest

from bot.domain.pain_entry import PlainRating, read_rating

CLEAR: list[tuple[str, int, str | None]] = [
    ("my pain is 3 today", 3, "today"),
    ("7/10", 7, None),
    ("7 / 10", 7, None),
    ("pain 4 after walking", 4, "after walking"),
    ("it's a 6 this morning", 6, "this morning"),
    ("it’s a 6 this morning", 6, "this morning"),
    ("its a 2 now", 2, "now"),
    ("im at a 5 today", 5, "today"),
    ("feeling like a 7 today", 7, "today"),
    ("pain level 8", 8, None),
    ("Pain: 6", 6, None),
    ("3 out of 10 after the stretches", 3, "after the stretches"),
    ("10/10 agony", 10, "agony"),
    ("0/10 today!", 0, "today"),
    ("pain 4 after walking 3 miles", 4, "after walking 3 miles"),
    ("my pain is 3 today, better than yesterday", 3, "today, better than yesterday"),
    ("about a four this evening", 4, "this evening"),  # number words where a score stands
    ("pain score eight", 8, None),
    ("five out of ten", 5, None),
    ("i'd say 7 after the drive", 7, "after the drive"),
    ("down to a 2 now", 2, "now"),
    ("woke up at like a 5", 5, "woke up"),
]

NOT_A_RATING = [
    "I walked 6 km",
    "pain in my leg for 6 weeks",
    "I have had pain for 2 weeks",
    "i do 10 reps",
    "woke up at 6 with pain",
    "how many times a day",
    "two of the stretches hurt",  # a number word that is not a score
    "the hamstring one hurts",
    "cross your legs like a 4",  # a shape, not a score
    "what is sciatica",
    "",
]

UNCLEAR: list[tuple[str, int | None]] = [
    ("6", 6),  # nothing pending: ask before logging
    ("pain 4 or 5", 4),  # two numbers
    ("pain 12", None),  # not on the scale
    ("pain 6.5", None),  # whole numbers only
]


@pytest.mark.parametrize(("text", "score", "note"), CLEAR)
def test_a_clear_rating_gives_the_score_and_the_rest_as_its_note(
    text: str, score: int, note: str | None
) -> None:
    assert read_rating(text) == PlainRating(score, note, clear=True)


@pytest.mark.parametrize("text", NOT_A_RATING)
def test_numbers_that_are_not_a_rating_are_not_read_as_one(text: str) -> None:
    assert read_rating(text) is None


@pytest.mark.parametrize(("text", "candidate"), UNCLEAR)
def test_an_unclear_rating_is_a_question_with_the_candidate_score(
    text: str, candidate: int | None
) -> None:
    rating = read_rating(text)
    assert rating is not None
    assert (rating.score, rating.clear) == (candidate, False)


def test_a_bare_number_is_the_answer_when_a_rating_is_pending() -> None:
    assert read_rating("6", pending=True) == PlainRating(6, None, clear=True)
    assert read_rating("I walked 6 km", pending=True) is None
