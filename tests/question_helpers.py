"""What the questions feature shows, from the loaded content: an exercise's card, a topic's
answer (shared by the question and free-text tests)."""

from __future__ import annotations

from bot.features.questions.views import answer_text, exercise_card
from content import Answer
from tests.harness import BotHarness


def card_of(bot: BotHarness, exercise_id: str) -> str:
    exercise = bot.content.exercise(exercise_id)
    assert exercise is not None
    return exercise_card(bot.content, exercise)


def topic(bot: BotHarness, topic_id: str) -> Answer:
    answer = bot.content.answer(topic_id)
    assert answer is not None, topic_id
    return answer


def answer_of(bot: BotHarness, topic_id: str) -> str:
    return answer_text(bot.content, topic(bot, topic_id))
