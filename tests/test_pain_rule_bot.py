"""The pain rule (bot.domain.pain) through the real Application over a simulated fortnight:
ease off after a rise that matters, the easier routine next, the next prompt asking how it
settled, and the GP advice only when it is sustained."""

from __future__ import annotations

from datetime import timedelta

from bot.entry.fake_records import ApiCall
from storage.models import RoutineSession
from tests.harness import BotHarness
from tests.reminder_flow import advance_to_next_due, prompts, subscribe

ALICE = 111_111_111_111


def sent(calls: list[ApiCall]) -> list[str]:
    return [call.text or "" for call in calls if call.method == "sendMessage"]


async def test_a_fortnight_of_ratings_gets_the_advice_the_evidence_supports(
    bot: BotHarness,
) -> None:
    t = bot.content.t
    ease_off, settle = t("pain.ease_off").strip(), t("pain.settle_check")
    gp_keys = ("pain.see_gp_severe_twice", "pain.see_gp_not_settled", "pain.see_gp_rising_trend")
    gp_texts = {t(key).strip() for key in gp_keys}
    await subscribe(bot, ALICE, zone="Berlin", at="07:30")
    advice: list[tuple[int, list[str]]] = []

    async def rate(day: int, score: int) -> list[str]:
        texts = sent(await bot.send(ALICE, f"/pain {score}"))
        advice.append((day, [text for text in texts if text == ease_off or text in gp_texts]))
        return texts

    # Days 1-7: a steady 3, and a small wobble (0 to 2 is not a change that matters here).
    for day in range(1, 8):
        calls = await advance_to_next_due(bot, ALICE)
        assert settle not in "".join(call.text or "" for call in prompts(calls, ALICE))
        bot.clock.advance(timedelta(hours=2))
        await rate(day, 4 if day == 4 else 3)
    assert all(found == [] for _, found in advice)

    # Day 8: up to 6 (3 points and 100% over the baseline): ease off, keep moving.
    await advance_to_next_due(bot, ALICE)
    bot.clock.advance(timedelta(hours=2))
    assert ease_off in await rate(8, 6)
    assert "rest" not in ease_off.lower().replace("restart", "")

    # Day 9: the prompt asks how it settled, and the routine is the easier (short) one.
    calls = await advance_to_next_due(bot, ALICE)
    (prompt,) = prompts(calls, ALICE)
    assert (prompt.text or "").startswith(settle)
    await bot.send(ALICE, "/routine")
    sessions = await bot.rows(RoutineSession, RoutineSession.user_id == ALICE)
    assert [session.kind for session in sessions] == ["short"]
    bot.clock.advance(timedelta(hours=2))
    # Still up a day later: not settled, so the GP advice (and still ease off).
    assert t("pain.see_gp_not_settled").strip() in await rate(9, 6)

    # Days 10-14: it settles; one day of 8 alone is no GP advice, a second one is.
    for day, score in ((10, 3), (11, 3), (12, 8), (13, 3), (14, 8)):
        bot.clock.advance(timedelta(days=1))
        await rate(day, score)
    by_day = dict(advice)
    assert by_day[10] == []
    assert by_day[11] == []
    assert t("pain.see_gp_severe_twice").strip() not in by_day[12]
    assert t("pain.see_gp_severe_twice").strip() in by_day[14]
    assert by_day[13] == []
