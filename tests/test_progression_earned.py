"""A stronger dose is earned by doing the exercises: sessions on different days, holds that
plausibly took their time (issue 13 item 3)."""

from __future__ import annotations

from storage.models import ExercisePreference
from tests.harness import BotHarness
from tests.routine_helpers import ALICE, DONE, SET_DONE, SKIP_PAIN, set_user


def _newest_labels(bot: BotHarness) -> list[str]:
    newest = max(bot.fake.messages[ALICE].values(), key=lambda m: m.message_id)
    return [
        str(button["text"])
        for row in (newest.reply_markup or {}).get("inline_keyboard", [])
        for button in row
    ]


async def _whole_routine(bot: BotHarness, seconds_per_tap: float) -> None:
    """/routine, timers off, "Done" on every step, ``seconds_per_tap`` after the step showed."""
    await bot.send(ALICE, "/routine")
    await bot.tap(ALICE, "3")
    while True:
        labels = _newest_labels(bot)
        button = DONE if DONE in labels else SET_DONE if SET_DONE in labels else None
        if button is None:
            break
        await bot.advance(seconds=seconds_per_tap)
        await bot.tap(ALICE, button)
    assert SKIP_PAIN in _newest_labels(bot)  # the pain question after the routine
    await bot.tap(ALICE, "3")


async def _levels(bot: BotHarness) -> dict[str, int]:
    return {row.exercise_id: row.level for row in await bot.rows(ExercisePreference)}


async def test_three_quick_routines_on_one_day_raise_nothing(bot: BotHarness) -> None:
    await bot.send(ALICE, "/start")
    await set_user(bot, timers_enabled=False)

    for _ in range(3):
        await _whole_routine(bot, seconds_per_tap=1)

    assert set((await _levels(bot)).values()) <= {0}


async def test_three_routines_on_one_day_count_as_one_day(bot: BotHarness) -> None:
    await bot.send(ALICE, "/start")
    await set_user(bot, timers_enabled=False)

    for _ in range(3):
        await _whole_routine(bot, seconds_per_tap=60)
        await bot.advance(hours=1)

    assert set((await _levels(bot)).values()) <= {0}


async def test_done_far_too_soon_counts_as_a_short_hold_across_days(bot: BotHarness) -> None:
    await bot.send(ALICE, "/start")
    await set_user(bot, timers_enabled=False)

    for _ in range(3):
        await _whole_routine(bot, seconds_per_tap=1)
        await bot.advance(days=1)

    assert set((await _levels(bot)).values()) <= {0}


async def test_three_real_sessions_on_three_days_step_up(bot: BotHarness) -> None:
    await bot.send(ALICE, "/start")
    await set_user(bot, timers_enabled=False)

    for _ in range(3):
        await _whole_routine(bot, seconds_per_tap=60)
        await bot.advance(days=1)

    levels = await _levels(bot)
    assert len(levels) == 7
    assert set(levels.values()) == {1}
