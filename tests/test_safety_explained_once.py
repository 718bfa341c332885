"""The "this is how sciatica usually feels" explanation at most once a day per user (issue 14),
through the real Application: the second ordinary one-sided message the same day gets one line
instead and its question answered as usual; the next day (the user's own day) the whole
explanation comes again. Stored in ``users.sciatica_explained_at`` (migration 0011)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.entry.fake_records import ApiCall
from storage.models import User
from tests.harness import BotHarness
from tests.reminder_flow import subscribe

ALICE = 111_111_111_111
BOB = 222_222_222
SYMPTOM_QUESTION = "my foot is numb and it shoots down my leg"


def sent(calls: list[ApiCall]) -> list[str]:
    return [call.text or "" for call in calls if call.method == "sendMessage"]


def symptom_answer(bot: BotHarness) -> str:
    answer = bot.content.answer("symptom")
    assert answer is not None
    return answer.text.strip()


async def test_the_second_time_the_same_day_gets_one_line_and_the_answer(bot: BotHarness) -> None:
    content = bot.content
    whole = content.safety.ordinary_sciatica.strip()
    again = content.t("safety.ordinary_sciatica_again")

    first = await bot.send(ALICE, SYMPTOM_QUESTION)
    bot.clock.advance(timedelta(hours=3))
    second = await bot.send(ALICE, SYMPTOM_QUESTION)

    assert sent(first)[0] == whole
    assert sent(second)[0] == again
    assert whole not in sent(second)
    assert len(sent(second)) == len(sent(first))  # the question is answered as the first time
    assert sent(second)[1:] == sent(first)[1:]
    assert symptom_answer(bot).split("\n")[0] in sent(second)[1]
    (user,) = await bot.rows(User)
    assert user.sciatica_explained_at == bot.clock.now() - timedelta(hours=3)

    # Another user has their own day.
    other = await bot.send(BOB, "my left buttock feels numb and tingly down to my foot")
    assert sent(other)[0] == whole

    bot.clock.advance(timedelta(days=1))
    next_day = await bot.send(ALICE, "my left buttock feels numb and tingly down to my foot")
    assert sent(next_day)[0] == whole


async def test_the_day_is_the_users_own_day(bot: BotHarness) -> None:
    """With a reminder in New York (UTC-4 after 8 March), its day, not UTC's, counts."""
    content = bot.content
    whole = content.safety.ordinary_sciatica.strip()
    await subscribe(bot, ALICE, zone="New York", at="07:30")
    bot.clock.set(datetime(2026, 3, 10, 22, 0, tzinfo=UTC))  # 18:00 on the 10th in New York
    evening = await bot.send(ALICE, SYMPTOM_QUESTION)
    bot.clock.set(datetime(2026, 3, 11, 1, 0, tzinfo=UTC))  # 21:00 on the 10th there
    late = await bot.send(ALICE, SYMPTOM_QUESTION)
    bot.clock.set(datetime(2026, 3, 11, 4, 30, tzinfo=UTC))  # 00:30 on the 11th there

    after_midnight = await bot.send(ALICE, SYMPTOM_QUESTION)

    assert sent(evening)[0] == whole
    assert sent(late)[0] == content.t("safety.ordinary_sciatica_again")
    assert sent(after_midnight)[0] == whole


async def test_an_unclear_message_answered_no_counts_too(bot: BotHarness) -> None:
    """The yes/no question's "no" that leads to the explanation follows the same rule."""
    content = bot.content
    await bot.send(ALICE, SYMPTOM_QUESTION)  # the whole explanation, once today

    asked = await bot.send(ALICE, "my bum is numb")  # one side or both? asked
    assert asked[-1].button_data
    answered = await bot.tap(ALICE, content.t("safety.clarify_no"))

    assert sent(answered) == [content.t("safety.ordinary_sciatica_again")]
