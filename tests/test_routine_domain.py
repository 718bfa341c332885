"""The routine's pure rules: doses, plans, positions, cursors, rotation and progression."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.progression import (
    Dose,
    LevelChange,
    Occurrence,
    clamp_level,
    decide_level,
    dose_at,
    dose_ladder,
    recent_change,
    top_level,
)
from bot.domain.routine import (
    SHORT_SLACK_SECONDS,
    SHORT_TARGET_SECONDS,
    Cursor,
    Plan,
    Position,
    after_exercise_left,
    after_pain_before,
    after_step,
    available_exercises,
    choose_exercises,
    estimated_seconds,
    first_position,
    mirror_sides,
    next_position,
    opening_cursor,
    plan_item,
    short_selection,
    step_index,
)
from content import Content, Exercise, load_content

CONTENT: Content = load_content()
ALL = CONTENT.exercises
ROOT = Path(__file__).resolve().parent.parent

STEADY = Occurrence(done_any=True, completed=True, pain_rose=False, hurt=False)
PAIN_ROSE = Occurrence(done_any=True, completed=True, pain_rose=True, hurt=False)
HURT = Occurrence(done_any=True, completed=False, pain_rose=False, hurt=True)
PARTLY = Occurrence(done_any=True, completed=False, pain_rose=False, hurt=False)
SKIPPED_WITH_PAIN = Occurrence(done_any=False, completed=False, pain_rose=True, hurt=False)


def ex(exercise_id: str) -> Exercise:
    exercise = CONTENT.exercise(exercise_id)
    assert exercise is not None
    return exercise


def ids(exercises: tuple[Exercise, ...]) -> list[str]:
    return [exercise.id for exercise in exercises]


# --- doses ------------------------------------------------------------------------------


def test_a_held_stretch_grows_its_hold_first_then_reps_then_sets() -> None:
    assert dose_ladder(ex("knees_to_chest")) == (
        Dose(20, 3, 1),
        Dose(25, 3, 1),
        Dose(30, 3, 1),
        Dose(30, 4, 1),
    )


def test_a_reps_exercise_grows_by_a_second_then_two_reps_then_a_set() -> None:
    assert dose_ladder(ex("glute_bridge")) == (
        Dose(3, 8, 1),
        Dose(4, 8, 1),
        Dose(5, 8, 1),
        Dose(5, 10, 1),
        Dose(5, 12, 1),
        Dose(5, 12, 2),
        Dose(5, 12, 3),
    )


@pytest.mark.parametrize("exercise", ALL, ids=lambda exercise: exercise.id)
def test_every_ladder_starts_at_the_start_and_stays_within_the_content_limits(
    exercise: Exercise,
) -> None:
    ladder = dose_ladder(exercise)
    start = Dose(exercise.hold_seconds.min, exercise.reps.start, exercise.sets.start)
    top = Dose(exercise.hold_seconds.max, exercise.reps.max, exercise.sets.max)
    assert ladder[0] == start
    assert ladder[-1] == top
    for lower, higher in pairwise(ladder):
        steps = [
            higher.hold_seconds - lower.hold_seconds,
            higher.reps - lower.reps,
            higher.sets - lower.sets,
        ]
        assert sum(1 for step in steps if step) == 1, "one thing changes per step"
        assert all(step >= 0 for step in steps)


def test_levels_outside_the_ladder_are_clamped() -> None:
    knees = ex("knees_to_chest")
    assert top_level(knees) == 3
    assert clamp_level(knees, -2) == 0
    assert clamp_level(knees, 99) == 3
    assert dose_at(knees, 99) == Dose(30, 4, 1)
    assert dose_at(knees, -1) == Dose(20, 3, 1)


# --- progression ------------------------------------------------------------------------


def test_three_steady_sessions_step_up_with_the_doses_and_the_reason() -> None:
    change = decide_level(ex("knees_to_chest"), 0, [STEADY, STEADY, STEADY])
    assert change == LevelChange("knees_to_chest", 0, 1, "steady", Dose(20, 3, 1), Dose(25, 3, 1))
    assert change is not None
    assert change.direction == "up"


@pytest.mark.parametrize(
    "history",
    [
        [],
        [STEADY],
        [STEADY, STEADY],
        [STEADY, PARTLY, STEADY],
        [PARTLY, STEADY, STEADY],
        [STEADY, STEADY, PAIN_ROSE, STEADY],  # only the last three count, and one rose
    ],
)
def test_fewer_than_three_clean_sessions_keep_the_dose(history: list[Occurrence]) -> None:
    assert decide_level(ex("knees_to_chest"), 1, history) is None


def test_older_sessions_do_not_block_a_step_up() -> None:
    change = decide_level(ex("knees_to_chest"), 1, [PARTLY, STEADY, STEADY, STEADY])
    assert change is not None
    assert (change.old_level, change.new_level) == (1, 2)


def test_a_pain_rise_steps_down_one() -> None:
    change = decide_level(ex("knees_to_chest"), 2, [STEADY, STEADY, PAIN_ROSE])
    assert change == LevelChange(
        "knees_to_chest", 2, 1, "pain_rose", Dose(30, 3, 1), Dose(25, 3, 1)
    )
    assert change is not None
    assert change.direction == "down"


def test_it_hurts_steps_down_one_with_its_own_reason() -> None:
    change = decide_level(ex("glute_bridge"), 5, [HURT])
    assert change == LevelChange("glute_bridge", 5, 4, "hurt", Dose(5, 12, 2), Dose(5, 12, 1))


def test_a_pain_rise_on_a_day_the_exercise_was_not_done_changes_nothing() -> None:
    assert decide_level(ex("knees_to_chest"), 2, [SKIPPED_WITH_PAIN]) is None


def test_no_step_below_the_start_or_above_the_top() -> None:
    knees = ex("knees_to_chest")
    assert decide_level(knees, 0, [PAIN_ROSE]) is None
    assert decide_level(knees, 0, [HURT]) is None
    assert decide_level(knees, top_level(knees), [STEADY] * 3) is None


def test_the_last_change_is_shown_until_the_exercise_is_done_again() -> None:
    knees = ex("knees_to_chest")
    up = recent_change(knees, 1, "steady", seen_since=False)
    assert up == LevelChange("knees_to_chest", 0, 1, "steady", Dose(20, 3, 1), Dose(25, 3, 1))
    down = recent_change(knees, 0, "hurt", seen_since=False)
    assert down == LevelChange("knees_to_chest", 1, 0, "hurt", Dose(25, 3, 1), Dose(20, 3, 1))
    assert recent_change(knees, 1, "steady", seen_since=True) is None
    assert recent_change(knees, 1, None, seen_since=False) is None
    assert recent_change(knees, 0, "steady", seen_since=False) is None  # nothing below 0


# --- choosing exercises -----------------------------------------------------------------


def test_the_full_routine_is_every_exercise_not_left_out_in_content_order() -> None:
    chosen = choose_exercises(reversed(ALL), {"glute_bridge", "childs_pose"}, "full", 5)
    assert ids(chosen) == [
        "pelvic_tilt",
        "knees_to_chest",
        "seated_pigeon",
        "seated_twist",
        "standing_hamstring",
    ]


def test_short_routines_take_turns_round_all_the_exercises() -> None:
    rounds = [ids(short_selection(ALL, rotation)) for rotation in range(5)]
    assert rounds == [
        ["pelvic_tilt", "knees_to_chest"],
        ["glute_bridge", "seated_pigeon", "seated_twist", "childs_pose"],
        ["pelvic_tilt", "standing_hamstring"],
        ["knees_to_chest", "glute_bridge", "seated_pigeon"],
        ["seated_twist", "childs_pose", "standing_hamstring"],
    ]
    for chosen in rounds:
        seconds = estimated_seconds(ex(exercise_id) for exercise_id in chosen)
        assert 200 <= seconds <= SHORT_TARGET_SECONDS + SHORT_SLACK_SECONDS


def test_the_short_routine_never_offers_what_was_left_out() -> None:
    available = available_exercises(ALL, {"knees_to_chest", "seated_twist"})
    seen: set[str] = set()
    for rotation in range(6):
        chosen = ids(choose_exercises(ALL, {"knees_to_chest", "seated_twist"}, "short", rotation))
        assert chosen
        assert "knees_to_chest" not in chosen
        assert "seated_twist" not in chosen
        seen.update(chosen)
    assert seen == set(ids(available))


@given(
    kept=st.sets(st.sampled_from([exercise.id for exercise in ALL])),
    rotation=st.integers(min_value=0, max_value=400),
)
def test_a_short_routine_is_a_nonempty_slice_of_about_five_minutes(
    kept: set[str], rotation: int
) -> None:
    available = tuple(exercise for exercise in ALL if exercise.id in kept)
    chosen = short_selection(available, rotation)
    assert set(ids(chosen)) <= kept
    assert bool(chosen) == bool(kept)
    assert list(chosen) == sorted(chosen, key=lambda exercise: exercise.order)
    if len(chosen) > 1:
        assert estimated_seconds(chosen) <= SHORT_TARGET_SECONDS + SHORT_SLACK_SECONDS


# --- positions and cursors --------------------------------------------------------------


def _walk(plan: Plan) -> list[Position]:
    positions = []
    position = first_position(plan)
    while position is not None:
        positions.append(position)
        position = next_position(plan, position)
    return positions


def test_a_per_side_stretch_goes_left_then_right_rep_by_rep() -> None:
    plan = Plan("full", (plan_item(ex("knees_to_chest"), 0), plan_item(ex("childs_pose"), 0)))
    assert _walk(plan) == [
        Position(0, 1, 1, "left"),
        Position(0, 1, 1, "right"),
        Position(0, 1, 2, "left"),
        Position(0, 1, 2, "right"),
        Position(0, 1, 3, "left"),
        Position(0, 1, 3, "right"),
        Position(1, 1, 1, None),
    ]
    assert [step_index(plan, position) for position in _walk(plan)] == [1, 2, 3, 4, 5, 6, 1]


def test_a_reps_exercise_steps_a_whole_set_at_a_time() -> None:
    bridge = plan_item(ex("glute_bridge"), 6)  # 12 reps × 3 sets
    plan = Plan("full", (bridge,))
    assert _walk(plan) == [
        Position(0, 1, 1, None),
        Position(0, 2, 1, None),
        Position(0, 3, 1, None),
    ]
    assert bridge.steps == 3


def test_sets_repeat_every_rep_and_side() -> None:
    item = plan_item(ex("standing_hamstring"), top_level(ex("standing_hamstring")))
    plan = Plan("full", (item,))
    walked = _walk(plan)
    assert len(walked) == item.steps == item.dose.sets * item.dose.reps * 2
    assert walked[-1] == Position(0, item.dose.sets, item.dose.reps, "right")


def test_the_cursor_runs_from_the_pain_question_to_the_pain_question() -> None:
    plan = Plan("full", (plan_item(ex("seated_pigeon"), 0), plan_item(ex("childs_pose"), 0)))
    cursor = opening_cursor(plan, ask_pain=True)
    assert cursor == Cursor("pain_before")
    cursor = after_pain_before(plan)
    assert cursor == Cursor("ready", Position(0, 1, 1, "left"))
    cursor = after_step(plan, cursor)
    assert cursor == Cursor("ready", Position(0, 1, 1, "right"))
    assert after_exercise_left(plan, cursor) == Cursor("ready", Position(1, 1, 1, None))
    cursor = after_step(plan, Cursor("holding", Position(1, 1, 1, None), hold_id=9))
    assert cursor == Cursor("pain_after")


def test_a_single_exercise_starts_at_once_and_ends_without_a_pain_question() -> None:
    plan = Plan("single", (plan_item(ex("childs_pose"), 0),))
    cursor = opening_cursor(plan, ask_pain=False)
    assert cursor == Cursor("ready", Position(0, 1, 1, None))
    assert after_step(plan, cursor) == Cursor("done")
    assert after_exercise_left(plan, cursor) == Cursor("done")


def test_plans_and_cursors_survive_the_database_round_trip() -> None:
    change = LevelChange("knees_to_chest", 0, 1, "steady", Dose(20, 3, 1), Dose(25, 3, 1))
    plan = Plan(
        "short",
        (plan_item(ex("knees_to_chest"), 1, change), plan_item(ex("pelvic_tilt"), 2)),
    )
    assert Plan.from_json(plan.to_json()) == plan
    cursor = Cursor("holding", Position(0, 1, 2, "right"), hold_id=12)
    assert Cursor.from_json(cursor.to_json()) == cursor
    assert Cursor.from_json(Cursor("pain_after").to_json()) == Cursor("pain_after")
    with pytest.raises(ValueError, match="phase"):
        Cursor.from_json({"phase": "dancing"})


def test_steps_written_for_the_right_side_mirror_for_the_left() -> None:
    assert mirror_sides("Bend your right leg and rest your right ankle on your left leg.") == (
        "Bend your left leg and rest your left ankle on your right leg."
    )
    assert mirror_sides("Right: turn to the left, then upright.") == (
        "Left: turn to the right, then upright."
    )


def test_steady_sessions_count_by_day_and_stop_at_an_unclean_one() -> None:
    from datetime import date

    from bot.domain.progression import plausibly_done, steady_days

    monday, tuesday, wednesday = date(2026, 3, 2), date(2026, 3, 3), date(2026, 3, 4)

    def on(day: date, clean: bool = True) -> Occurrence:
        return Occurrence(done_any=True, completed=clean, pain_rose=False, hurt=False, day=day)

    assert steady_days([on(monday), on(monday), on(monday)]) == 1
    assert steady_days([on(monday), on(tuesday), on(tuesday), on(wednesday)]) == 3
    assert steady_days([on(monday), on(tuesday, clean=False), on(wednesday)]) == 1
    assert plausibly_done(20, None, 9) is False
    assert plausibly_done(20, None, 10) is True
    assert plausibly_done(4, 8, 15) is False
    assert plausibly_done(4, 8, None) is True
