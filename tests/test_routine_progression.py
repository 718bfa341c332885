"""The routine adapts over days: doses step up after steady sessions and back down after a
pain rise; short routines rotate; /settings changes the length, timers and left-out ones."""

from __future__ import annotations

from bot.callbacks import Action, encode
from storage.models import ExercisePreference, Hold, User
from tests.harness import BotHarness
from tests.routine_helpers import (
    ALICE,
    DONE,
    SET_DONE,
    SKIP_PAIN,
    STOP,
    holds,
    keep_only,
    methods,
    plan_ids,
    preference,
    sessions,
    set_user,
    skip_through,
)


async def _day(bot: BotHarness, before: int, after: int) -> tuple[str, str, str]:
    """One routine of knees to chest and the bridge, timers off; returns the two exercise
    cards and the summary. Then a day passes."""
    await bot.send(ALICE, "/routine")
    calls = await bot.tap(ALICE, str(before))
    knees = calls[-1].text or ""
    for _ in range(6):
        calls = await bot.tap(ALICE, DONE)
    bridge = calls[-1].text or ""
    await bot.tap(ALICE, SET_DONE)
    calls = await bot.tap(ALICE, str(after))
    await bot.advance(days=1)
    return knees, bridge, calls[-1].text or ""


async def test_progression_steps_up_after_three_steady_days_and_back_after_a_pain_rise(
    bot: BotHarness,
) -> None:
    await bot.send(ALICE, "/start")
    await set_user(bot, timers_enabled=False)
    await keep_only(bot, "knees_to_chest", "glute_bridge")

    levels = []
    for _ in range(2):
        knees, _, summary = await _day(bot, 4, 4)
        assert knees.endswith("Now: rep 1 of 3, left leg. Hold 20 seconds.")
        assert "Next time" not in summary
        levels.append((await preference(bot, "knees_to_chest")).level)
    assert "Streak: 2 days in a row" in summary

    # Day 3: the third steady session in a row. Both exercises go up a step.
    _, _, summary = await _day(bot, 4, 3)
    assert summary.endswith(
        "Next time:\n"
        "• Knees to chest: a step up, holds of 25 seconds (was 20)\n"
        "• Glute bridge: a step up, holds of 4 seconds (was 3)"
    )
    knees_pref = await preference(bot, "knees_to_chest")
    assert (knees_pref.level, knees_pref.level_reason) == (1, "steady")

    # Day 4: the cards say what changed and why; the pain rises by 3 points.
    knees, bridge, summary = await _day(bot, 3, 6)
    assert knees.endswith(
        "Now: rep 1 of 3, left leg. Hold 25 seconds.\n"
        "↑ A step up: holds of 25 seconds (was 20). Your last three sessions went well."
    )
    assert bridge.endswith(
        "Now: 8 reps, holding each for 4 seconds.\n"
        "↑ A step up: holds of 4 seconds (was 3). Your last three sessions went well."
    )
    assert "Pain: 3 → 6" in summary
    assert (
        "Next time:\n"
        "• Knees to chest: a step easier, holds of 20 seconds (was 25)\n"
        "• Glute bridge: a step easier, holds of 3 seconds (was 4)"
    ) in summary
    assert summary.endswith(bot.content.safety.pain_warning.strip())
    day4 = (await sessions(bot))[3]
    assert {h.target_seconds for h in await holds(bot, Hold.session_id == day4.id)} == {25, 4}

    # Day 5: a step easier, and the card says so once.
    knees, _, summary = await _day(bot, 3, 3)
    assert knees.endswith(
        "Now: rep 1 of 3, left leg. Hold 20 seconds.\n"
        "↓ A step easier: holds of 20 seconds (was 25). Your pain went up after the last routine."
    )
    knees, _, _ = await _day(bot, 3, 3)
    assert knees.endswith("Now: rep 1 of 3, left leg. Hold 20 seconds.")

    # Day 7: three steady sessions since the step down: up again.
    _, _, summary = await _day(bot, 3, 2)
    assert "• Knees to chest: a step up, holds of 25 seconds (was 20)" in summary
    levels += [
        (await preference(bot, "knees_to_chest")).level,
    ]
    assert levels == [0, 0, 1]
    assert "Streak: 7 days in a row" in summary


async def test_a_partly_done_exercise_does_not_count_towards_a_step_up(bot: BotHarness) -> None:
    await bot.send(ALICE, "/start")
    await set_user(bot, timers_enabled=False)
    await keep_only(bot, "childs_pose")
    for day in range(3):
        await bot.send(ALICE, "/routine")
        await bot.tap(ALICE, SKIP_PAIN)
        if day == 1:
            await bot.tap(ALICE, "Skip this exercise")
        else:
            await bot.tap(ALICE, DONE)
        await bot.tap(ALICE, SKIP_PAIN)
        await bot.advance(days=1)
    assert (await preference(bot, "childs_pose")).level == 0


async def test_short_routines_rotate_through_the_exercises(bot: BotHarness) -> None:
    await bot.send(ALICE, "/start")
    await set_user(bot, routine_length="short")
    rounds = []
    for day in range(4):
        await bot.send(ALICE, "/routine")
        calls = await bot.tap(ALICE, SKIP_PAIN)
        first_card = calls[-1].text or ""
        if day == 1:
            # A routine stopped half-way does not move the rotation on.
            await bot.tap(ALICE, STOP)
            await bot.send(ALICE, "/routine")
            calls = await bot.tap(ALICE, SKIP_PAIN)
            assert calls[-1].text == first_card
        await skip_through(bot)
        await bot.tap(ALICE, SKIP_PAIN)
        rounds.append(await plan_ids(bot, (await sessions(bot))[-1]))
        if day == 0:
            assert first_card.startswith("Exercise 1 of 2: Pelvic tilt\n")
        await bot.advance(days=1)

    assert rounds == [
        ["pelvic_tilt", "knees_to_chest"],
        ["glute_bridge", "seated_pigeon", "seated_twist", "childs_pose"],
        ["pelvic_tilt", "standing_hamstring"],
        ["knees_to_chest", "glute_bridge", "seated_pigeon"],
    ]
    assert [routine.kind for routine in await sessions(bot)] == ["short"] * 5


async def test_the_routine_settings_section(bot: BotHarness) -> None:
    calls = await bot.tap_data(ALICE, 1, encode(Action.SETTINGS_ROUTINE))

    assert methods(calls) == ["answerCallbackQuery", "sendMessage"]
    assert calls[1].text == (
        "Routine settings\n\n"
        "Length: full, all 7 exercises (about 12 minutes)\n"
        "Timers: on, I count each hold down for you\n"
        "Left out: none"
    )
    assert calls[1].buttons == [["✓ Full routine", "Short routine"], ["Turn timers off"]]
    screen = bot.message_with_button(ALICE, "Short routine")

    calls = await bot.tap(ALICE, "Short routine")

    assert methods(calls) == ["answerCallbackQuery", "editMessageText"]
    assert calls[1].params["message_id"] == screen.message_id
    assert "Length: short, about 5 minutes, with different exercises each time" in (
        calls[1].text or ""
    )
    assert calls[1].buttons == [["Full routine", "✓ Short routine"], ["Turn timers off"]]

    calls = await bot.tap(ALICE, "Turn timers off")
    assert "Timers: off, you hold at your own pace and tap Done" in (calls[1].text or "")
    assert calls[1].buttons == [["Full routine", "✓ Short routine"], ["Turn timers on"]]
    [user] = await bot.rows(User)
    assert (user.routine_length, user.timers_enabled) == ("short", False)

    # Exercises left out are listed, and can be brought back.
    async with bot.session() as session:
        for exercise_id in ("glute_bridge", "pelvic_tilt"):
            session.add(ExercisePreference(user_id=ALICE, exercise_id=exercise_id, excluded=True))
        await session.commit()
    await bot.tap(ALICE, "Full routine")
    calls = await bot.tap(ALICE, "Turn timers on")
    assert calls[1].text == (
        "Routine settings\n\n"
        "Length: full, all 5 exercises (about 10 minutes)\n"
        "Timers: on, I count each hold down for you\n"
        "Left out: Pelvic tilt, Glute bridge"
    )
    assert calls[1].buttons == [
        ["✓ Full routine", "Short routine"],
        ["Turn timers off"],
        ["Bring back: Pelvic tilt"],
        ["Bring back: Glute bridge"],
    ]

    calls = await bot.tap(ALICE, "Bring back: Glute bridge")

    assert (calls[1].text or "").endswith("Left out: Pelvic tilt")
    assert (await preference(bot, "glute_bridge")).excluded is False
    await bot.send(ALICE, "/routine")
    await bot.tap(ALICE, SKIP_PAIN)
    [routine] = await sessions(bot)
    assert await plan_ids(bot, routine) == [
        "knees_to_chest",
        "glute_bridge",
        "seated_pigeon",
        "seated_twist",
        "childs_pose",
        "standing_hamstring",
    ]
