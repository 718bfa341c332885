"""The key positions of each exercise do what its steps say; kinematics, mirroring, easing."""

from __future__ import annotations

import itertools
import shutil
from pathlib import Path

import pytest
import yaml

from bot.domain.poses import (
    Limb,
    Point,
    Posture,
    between,
    blended_positions,
    clearance,
    distance,
    ease,
    mirrored,
    off_line,
    on_floor,
    positions,
)
from content import ContentError, Exercise, load_content
from content.loader import CONTENT_DIR

CONTENT = load_content()
SIDES = ("right", "left")


def _exercise(exercise_id: str) -> Exercise:
    exercise = CONTENT.exercise(exercise_id)
    assert exercise is not None
    return exercise


def _key(exercise_id: str, name: str, side: str = "right") -> Posture:
    poses = _exercise(exercise_id).poses
    assert poses is not None
    return dict(poses.for_side(side))[name]


def _other(side: str) -> str:
    return "left" if side == "right" else "right"


def _chest(points: dict[str, Point]) -> Point:
    (hx, hy), (sx, sy) = points["hip"], points["shoulder"]
    return (hx + (sx - hx) * 0.6, hy + (sy - hy) * 0.6)


def test_every_exercise_has_poses_with_a_start_and_a_hold() -> None:
    for exercise in CONTENT.exercises:
        assert exercise.poses is not None, exercise.id
        names = [name for name, _ in exercise.poses.sequence()]
        assert names[0] == "start"
        assert "hold" in names


@pytest.mark.parametrize("side", SIDES)
def test_knees_to_chest_one_knee_to_the_chest_other_foot_flat(side: str) -> None:
    hold, start = _key("knees_to_chest", "hold", side), _key("knees_to_chest", "start", side)
    points, before = positions(hold), positions(start)
    knee, other = f"knee_{side}", _other(side)

    chest = {"chest": _chest(points), knee: points[knee]}
    assert distance(chest, "chest", knee) < 40
    assert distance(chest, "chest", knee) < 0.6 * distance(
        {"chest": _chest(before), knee: before[knee]}, "chest", knee
    )
    assert hold.limb(side).hip >= 110  # hugged in, not just lifted
    assert on_floor(hold, f"heel_{other}")
    assert on_floor(hold, f"toe_{other}")
    assert on_floor(hold, "hip")
    assert on_floor(hold, "shoulder")


def test_glute_bridge_knees_hips_shoulders_in_a_line_at_the_top() -> None:
    top, start = positions(_key("glute_bridge", "hold")), positions(_key("glute_bridge", "start"))

    assert off_line(top, "knee_right", "hip", "shoulder") < 2.0
    assert top["hip"][1] - start["hip"][1] > 12  # the hips really lift
    for foot in ("heel_right", "toe_right", "heel_left"):
        assert distance({"a": top[foot], "b": start[foot]}, "a", "b") < 2.0  # feet stay put
    assert on_floor(_key("glute_bridge", "hold"), "shoulder")


@pytest.mark.parametrize("side", SIDES)
def test_standing_hamstring_heel_below_hip_leg_straight_back_straight(side: str) -> None:
    hold = _key("standing_hamstring", "hold", side)
    points = positions(hold)
    heel = f"heel_{side}"

    assert points[heel][1] < points["hip"][1] - 20
    assert off_line(points, "hip", f"knee_{side}", heel) < 1.0  # leg straight
    assert hold.neck == 0  # head in line with the back
    assert 5 <= hold.trunk <= 30  # leaning forward slightly from the hips
    assert on_floor(hold, f"heel_{_other(side)}")
    assert clearance(hold)[heel] == pytest.approx(40, abs=3)  # resting on the 40 cm step


def test_childs_pose_hips_back_over_the_heels() -> None:
    hold = _key("childs_pose", "hold")
    points = positions(hold)

    assert abs(points["hip"][0] - points["ankle_right"][0]) < 12
    assert points["hip"][0] < points["knee_right"][0]  # behind the knees
    assert clearance(hold)["hip"] > clearance(hold)["ankle_right"] + 8  # resting, not pressed
    assert points["shoulder"][1] < points["hip"][1]  # chest down towards the thighs
    assert on_floor(hold, "hand_right")
    assert points["hand_right"][0] > points["head"][0]


def test_pelvic_tilt_lifts_the_pelvis_only_a_little() -> None:
    hold, start = _key("pelvic_tilt", "hold"), _key("pelvic_tilt", "start")
    top, before = positions(hold), positions(start)

    lift = top["hip"][1] - before["hip"][1]
    assert 1.0 < lift < 6.0
    assert on_floor(hold, "hip")
    assert on_floor(hold, "shoulder")
    assert distance({"a": top["heel_right"], "b": before["heel_right"]}, "a", "b") < 2.0


@pytest.mark.parametrize("side", SIDES)
def test_seated_pigeon_ankle_on_the_other_leg_just_above_the_knee(side: str) -> None:
    hold = _key("seated_pigeon", "hold", side)
    points = positions(hold)
    other = _other(side)
    ankle, knee = points[f"ankle_{side}"], points[f"knee_{other}"]

    assert distance(points, f"ankle_{side}", f"knee_{other}") < 20
    assert ankle[1] > knee[1]  # on top of the leg
    assert hold.trunk > _key("seated_pigeon", "start", side).trunk + 10  # leaning forward
    assert on_floor(hold, f"heel_{other}")
    assert on_floor(hold, "hip")


@pytest.mark.parametrize("side", SIDES)
def test_seated_twist_foot_beside_the_knee_elbow_on_the_knee_body_turned(side: str) -> None:
    hold = _key("seated_twist", "hold", side)
    points = positions(hold)
    other = _other(side)

    assert on_floor(hold, f"heel_{side}")
    assert on_floor(hold, f"toe_{side}")
    assert points[f"heel_{side}"][0] < points[f"knee_{other}"][0] < points[f"toe_{side}"][0]
    assert distance(points, f"elbow_{other}", f"knee_{side}") < 12
    assert on_floor(hold, f"hand_{side}")  # hand on the floor behind
    assert points[f"hand_{side}"][0] < points["hip"][0]
    assert hold.twist >= 30
    assert hold.cross > 0


def test_mirroring_swaps_the_sides_and_twice_is_the_same() -> None:
    hold = _key("knees_to_chest", "hold")
    left = mirrored(hold)
    right_points, left_points = positions(hold), positions(left)

    assert mirrored(left) == hold
    assert left.left == hold.right
    assert left.anchor == hold.anchor
    assert left_points["knee_left"] == pytest.approx(right_points["knee_right"])
    assert left_points["knee_right"] != pytest.approx(right_points["knee_right"])


def test_kinematics_of_a_standing_body() -> None:
    standing = Posture(anchor="heel_right")
    points = positions(standing)

    assert points["heel_right"] == pytest.approx((0.0, 3.0))
    assert points["hip"][0] == pytest.approx(0.0)
    assert points["hip"][1] == pytest.approx(3.0 + 6 + 42 + 43)
    assert points["head"][1] > points["shoulder"][1] > points["hip"][1]
    assert points["toe_right"][0] > 0  # facing +x


def test_easing_starts_and_stops_gently() -> None:
    assert ease(0.0) == 0.0
    assert ease(1.0) == pytest.approx(1.0)
    assert ease(0.05) < 0.05
    assert ease(0.95) > 0.95
    values = [ease(i / 20) for i in range(21)]
    assert values == sorted(values)


def test_in_betweens_run_from_one_key_to_the_next_without_a_jump() -> None:
    a = Posture(trunk=-90, right=Limb(hip=45), left=Limb(hip=45), anchor="hip")
    b = Posture(trunk=-112, right=Limb(hip=0, knee=80), left=Limb(knee=80), anchor="shoulder")

    assert between(a, b, 0.0) == a
    assert between(a, b, 1.0).right == b.right
    start, end = blended_positions(a, b, 0.0), blended_positions(a, b, 1.0)
    assert start["hip"] == pytest.approx(positions(a)["hip"])
    assert end["hip"] == pytest.approx(positions(b)["hip"])
    steps = [blended_positions(a, b, i / 16)["hip"] for i in range(17)]
    jumps = [distance({"p": p, "q": q}, "p", "q") for p, q in itertools.pairwise(steps)]
    # Cosine easing peaks at pi/2 times the mean speed; a jump at the anchor switch would not.
    assert max(jumps) < 1.65 * sum(jumps) / len(jumps)


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, target, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return target


def _edit_hold(root: Path, exercise_id: str, **changes: object) -> None:
    path = root / "exercises" / f"{exercise_id}.yaml"
    data = yaml.safe_load(path.read_text())
    data["poses"]["keys"]["hold"].update(changes)
    path.write_text(yaml.safe_dump(data, sort_keys=False))


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"right": {"hip": 120, "knee": 200}}, "outside the human range: right.knee=200"),
        ({"floor": ["hip", "heel_right"]}, "should rest on the floor but does not: heel_right"),
        (
            {"floor": ["hip", "shoulder"], "left": {"hip": -25}},
            "goes through the floor: ankle_left",
        ),
        ({"anchor": "tail"}, "unknown body point"),
    ],
)
def test_a_pose_that_breaks_the_body_or_the_floor_stops_loading(
    content_copy: Path, change: dict[str, object], expected: str
) -> None:
    _edit_hold(content_copy, "knees_to_chest", **change)

    with pytest.raises(ContentError) as error:
        load_content(content_copy)

    assert "knees_to_chest.yaml" in str(error.value)
    assert expected in str(error.value)


def test_an_unknown_key_position_name_stops_loading(content_copy: Path) -> None:
    path = content_copy / "exercises" / "pelvic_tilt.yaml"
    data = yaml.safe_load(path.read_text())
    data["poses"]["keys"]["midway"] = data["poses"]["keys"]["hold"]
    path.write_text(yaml.safe_dump(data, sort_keys=False))

    with pytest.raises(ContentError, match=r"pelvic_tilt\.yaml"):
        load_content(content_copy)
