"""The whole routine, walked through the real Application and the clock: every card, every
countdown edit, every release message, the pain ratings, the summary and the hold rows."""

from __future__ import annotations

from datetime import timedelta

from bot.composition import MENU_COMMANDS
from bot.plumbing.callbacks import MAX_BYTES
from storage.models import PainRating, RoutineSession
from tests.harness import BotHarness
from tests.routine_helpers import (
    ALICE,
    HOLDING_BUTTONS,
    PAIN_BUTTONS,
    READY_BUTTONS,
    READY_SET_BUTTONS,
    SET_DONE,
    START_HOLD,
    START_SET,
    countdown,
    holds,
    methods,
    sessions,
    timer_jobs,
)

SET_SECONDS = 45

# (exercise id, name, mode, hold seconds, reps per set, the steps as the card names them)
FULL_ROUTINE = [
    ("pelvic_tilt", "Pelvic tilt", "reps", 3, 10, [None]),
    (
        "knees_to_chest",
        "Knees to chest",
        "hold",
        20,
        3,
        [
            "rep 1 of 3, left leg",
            "rep 1 of 3, right leg",
            "rep 2 of 3, left leg",
            "rep 2 of 3, right leg",
            "rep 3 of 3, left leg",
            "rep 3 of 3, right leg",
        ],
    ),
    ("glute_bridge", "Glute bridge", "reps", 3, 8, [None]),
    ("seated_pigeon", "Seated pigeon pose", "hold", 10, 1, ["left side", "right side"]),
    (
        "seated_twist",
        "Seated twist",
        "hold",
        20,
        2,
        [
            "rep 1 of 2, left side",
            "rep 1 of 2, right side",
            "rep 2 of 2, left side",
            "rep 2 of 2, right side",
        ],
    ),
    ("childs_pose", "Child's pose", "hold", 20, 1, [None]),
    (
        "standing_hamstring",
        "Standing hamstring stretch",
        "hold",
        20,
        2,
        [
            "rep 1 of 2, left leg",
            "rep 1 of 2, right leg",
            "rep 2 of 2, left leg",
            "rep 2 of 2, right leg",
        ],
    ),
]

FIRST_CARD = "\n".join(
    [
        "Exercise 1 of 7: Pelvic tilt",
        "Strengthens the lower belly muscles, the lower back and the buttocks.",
        "",
        "Start: Lie on your back with your knees bent, your feet flat on the floor and your arms "
        "by your sides.",
        "",
        "1. Tighten your belly muscles.",
        "2. Press the small of your back into the floor and tilt your pelvis up slightly.",
        "3. Hold briefly and keep breathing steadily.",
        "4. Relax and let your back return to its natural position. That is one rep.",
        "",
        "Take care:",
        "• Keep the movement small. Your hips should only lift a little.",
        "• Don't hold your breath.",
        "",
        "Now: 10 reps, holding each for 3 seconds.",
    ]
)


def _side(where: str | None) -> str | None:
    if where is None:
        return None
    return "left" if "left" in where else "right"


def _rep(where: str | None) -> int:
    return int(where.split()[1]) if where and where.startswith("rep") else 1


# Read as a person would: the whole routine in plain English, not through the catalog.
async def test_a_full_routine_from_pain_rating_to_summary(bot: BotHarness) -> None:
    start = bot.runtime.clock.now()
    calls = await bot.send(ALICE, "/routine")
    assert methods(calls) == ["sendMessage"]
    assert calls[0].text == (
        "Before we begin: how much does your back or leg hurt right now?\n"
        "0 is no pain at all, 10 the worst you can imagine. Tap a number, or skip."
    )
    assert calls[0].buttons == PAIN_BUTTONS
    assert all(len(data.encode()) <= MAX_BYTES for data in calls[0].button_data.values())

    calls = await bot.tap(ALICE, "5")
    assert methods(calls) == ["answerCallbackQuery", "editMessageText", "sendMessage"]
    assert calls[1].text == "Pain before: 5/10. Let's begin."
    assert calls[1].buttons == []
    assert calls[2].text == FIRST_CARD
    assert calls[2].buttons == READY_SET_BUTTONS  # the warm-up is sets of reps
    step_message = calls[2]
    lead: str | None = None

    for number, (_, name, mode, seconds, reps, steps) in enumerate(FULL_ROUTINE, 1):
        exercise = bot.content.exercise(FULL_ROUTINE[number - 1][0])
        assert exercise is not None
        for index, where in enumerate(steps):
            title = f"{name}: {where}" if where else name
            text = step_message.text or ""
            # The step's message: the full card for an exercise's first step, else one line.
            if index == 0:
                now_line = (
                    f"Now: {reps} reps, holding each for {seconds} seconds."
                    if mode == "reps"
                    else f"Now: {where}. Hold {seconds} seconds."
                    if where
                    else f"Now: hold {seconds} seconds."
                )
                opening = f"{lead}\n\n" if lead else ""
                assert text.startswith(f"{opening}Exercise {number} of 7: {name}\n"), text
                assert f"\n{exercise.targets}\n" in text
                assert "\n1. " in text
                assert text.endswith(now_line), text
            else:
                assert text == f"{lead} Next: {where}.\n{name}: hold {seconds} seconds."
            assert step_message.buttons == (READY_SET_BUTTONS if mode == "reps" else READY_BUTTONS)

            if mode == "reps":
                calls = await bot.tap(ALICE, START_SET)
                assert methods(calls) == ["answerCallbackQuery", "editMessageText"]
                assert calls[1].text == (
                    f"{name}\nDo {reps} reps, holding each for {seconds} seconds.\n"
                    'Tap "Set done" when you\'ve finished the set.'
                )
                assert calls[1].buttons == [[SET_DONE], ["It hurts"]]
                assert await bot.advance(seconds=SET_SECONDS) == []  # no timer for a set
                calls = await bot.tap(ALICE, SET_DONE)
                assert methods(calls) == [
                    "answerCallbackQuery",
                    "editMessageText",
                    "sendMessage",
                ]
                assert calls[1].text == f"{name}\n\n✓ Set done."
                lead = "Set done."
            else:
                calls = await bot.tap(ALICE, START_HOLD)
                assert methods(calls) == ["answerCallbackQuery", "editMessageText"]
                assert calls[1].text == countdown(title, seconds, seconds)
                assert calls[1].buttons == HOLDING_BUTTONS
                assert timer_jobs(bot) == [f"hold:{ALICE}"]

                calls = await bot.advance(seconds=seconds)
                ticks = seconds // 5 - 1
                assert methods(calls) == ["editMessageText"] * (ticks + 1) + ["sendMessage"]
                assert [call.text for call in calls[:ticks]] == [
                    countdown(title, seconds - 5 * tick, seconds) for tick in range(1, ticks + 1)
                ]
                assert all(call.buttons == HOLDING_BUTTONS for call in calls[:ticks])
                assert calls[ticks].text == f"{title}\n\n✓ Held {seconds} seconds."
                assert calls[ticks].buttons == []
                lead = "Release."
            step_message = calls[-1]

    # The last release (the standing hamstring stretch is a hold) opens the pain question.
    assert step_message.text == f"Release.\n\n{bot.content.t('routine.pain_after')}"
    assert step_message.buttons == PAIN_BUTTONS
    assert timer_jobs(bot) == []

    calls = await bot.tap(ALICE, "3")
    assert methods(calls) == ["answerCallbackQuery", "editMessageText", "sendMessage"]
    assert calls[1].text == "Pain after: 3/10."
    assert calls[2].text == (
        "Routine done. Well done!\n\n"
        "Exercises done: 7 of 7\n"
        "Time: 6 min 50 s\n"
        "Pain: 5 → 3\n"
        "Streak: 1 day. Come back tomorrow to build it up."
    )
    assert calls[2].buttons == []

    # The database says the same.
    [routine] = await sessions(bot)
    assert (routine.kind, routine.status, routine.pain_before, routine.pain_after) == (
        "full",
        "completed",
        5,
        3,
    )
    assert routine.started_at == start
    assert routine.finished_at == start + timedelta(seconds=410)
    ratings = await bot.rows(PainRating)
    assert sorted((r.context, r.score, r.session_id) for r in ratings) == [
        ("after", 3, routine.id),
        ("before", 5, routine.id),
    ]
    expected = []
    for exercise_id, _, mode, seconds, reps, steps in FULL_ROUTINE:
        for where in steps:
            if mode == "reps":
                expected.append((exercise_id, None, 1, 1, seconds, reps, SET_SECONDS, "completed"))
            else:
                row = (exercise_id, _side(where), _rep(where), 1, seconds, None, seconds)
                expected.append((*row, "completed"))
    rows = await holds(bot)
    assert [
        (
            h.exercise_id,
            h.side,
            h.rep,
            h.set_no,
            h.target_seconds,
            h.target_reps,
            h.actual_seconds,
            h.outcome,
        )
        for h in rows
    ] == expected
    for hold in rows:
        assert hold.session_id == routine.id
        assert hold.message_id is not None
        assert hold.ended_at is not None
        assert hold.actual_seconds is not None
        assert hold.ended_at - hold.started_at == timedelta(seconds=hold.actual_seconds)
        if hold.target_reps is None:
            assert hold.ends_at == hold.ended_at
    assert await bot.count(RoutineSession, RoutineSession.status == "active") == 0


async def test_routine_is_in_the_command_menu(bot: BotHarness) -> None:
    assert "routine" in MENU_COMMANDS
    menu = [call for call in bot.fake.calls if call.method == "setMyCommands"]
    assert menu
    commands = menu[-1].params["commands"]
    assert {"command": "routine", "description": bot.content.t("cmd.routine")} in commands
