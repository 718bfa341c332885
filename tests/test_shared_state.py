"""Waits that share ``users.awaiting``/``awaiting_ref``: /start's safety check and a pain note.

Found by the fuzz test: a pain note started during /start's safety check overwrote the
question index the check keeps in ``awaiting_ref``; the next typed text then crashed
(IndexError) and the check's buttons stopped working.
"""

from __future__ import annotations

from storage.models import PainRating, User
from tests.harness import BotHarness, catalog, catalog_fragment

ADD_NOTE = catalog().t("pain.button_add_note")

ALICE = 7_700_000_001


async def _user(bot: BotHarness) -> User:
    [user] = await bot.rows(User, User.id == ALICE)
    return user


async def test_a_note_waits_until_the_safety_check_is_done(bot: BotHarness) -> None:
    await bot.send(ALICE, "/start")
    await bot.tap(ALICE, "No")
    await bot.tap(ALICE, "No")  # now on question 3
    await bot.send(ALICE, "/pain 5")

    refused = await bot.tap(ALICE, ADD_NOTE)
    typed = await bot.send(ALICE, "stiff after the drive")
    user = await _user(bot)

    assert [c.text for c in refused[1:]] == [bot.content.t("remind.finish_safety")]
    assert (user.onboarding_step, user.awaiting, user.awaiting_ref) == ("safety", None, 2)
    # Not an answer to the safety question (it reads as one about driving): answered, then
    # the question comes again.
    assert typed[-1].text is not None
    assert typed[-1].text.startswith(bot.content.t("pending.safety"))
    total = len(bot.content.safety.red_flag_questions)
    assert bot.content.t("onboard.safety_question", number=3, total=total, question="") in (
        typed[-1].text
    )
    # The check goes on from where it was: the third question's "No" still counts.
    for _ in range(len(bot.content.safety.red_flag_questions) - 2):
        await bot.tap(ALICE, "No")
    assert (await _user(bot)).onboarding_step == "zone"
    # Now a note works, even in the middle of /start (the zone question waits).
    await bot.tap(ALICE, ADD_NOTE)
    await bot.send(ALICE, "stiff after the drive")
    [rating] = await bot.rows(PainRating)
    assert rating.note == "stiff after the drive"  # a note is free text: any sentence
    calls = await bot.send(ALICE, "Berlin")
    assert calls[0].text is not None
    assert calls[0].text.startswith(
        catalog_fragment(bot.content, "remind.zone_set") + " Europe/Berlin"
    )


async def test_a_note_left_over_from_before_does_not_break_the_safety_check(
    bot: BotHarness,
) -> None:
    """A database written before the fix: the note's wait holds ``awaiting_ref``."""
    await bot.send(ALICE, "/start")
    await bot.send(ALICE, "/pain 5")
    [rating] = await bot.rows(PainRating)
    async with bot.session() as session:
        user = await session.get(User, ALICE)
        assert user is not None
        user.awaiting, user.awaiting_ref = "pain_note", rating.id
        user.awaiting_since = bot.runtime.clock.now()
        await session.commit()

    note = await bot.send(ALICE, "stiff and sore in the morning")
    again = await bot.send(ALICE, "hello?")

    assert [c.text for c in note] == [bot.content.t("pain.note_saved", score=5)]
    assert again[-1].text is not None
    first = bot.content.t(
        "onboard.safety_question",
        number=1,
        total=len(bot.content.safety.red_flag_questions),
        question=bot.content.safety.red_flag_questions[0].question,
    )
    assert first in again[-1].text  # back at the first question, with working buttons
    await bot.tap(ALICE, "No")
    assert (await _user(bot)).awaiting_ref == 1
