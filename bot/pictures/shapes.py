"""The figure as flat shapes in world centimetres: limbs, head, muscles, mat, step, top view.

Nothing here draws; ``figure.py`` turns the shapes into pixels. The world frame is the one of
``bot.domain.poses`` (the figure faces +x); ``figure.py`` flips it for a figure facing left.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

from bot.domain.poses import HEAD_RADIUS, Point, Posture, Side

LIMB = 12.5
TRUNK_WIDTH = 21.0
HIP_HALF = 9.0
SHOULDER_HALF = 21.0

BODY = (46, 74, 107)
BODY_FAR = (150, 166, 188)
WORK = (27, 153, 139)
WORK_FAR = (140, 205, 196)
MUSCLE = (236, 96, 56)
MAT = (190, 214, 210)
FLOOR = (120, 132, 140)
STEP = (196, 170, 130)
BACKGROUND = (250, 248, 244)
HEAD_TOP = (31, 52, 80)


@dataclass(frozen=True)
class Capsule:
    """A thick line with round ends: a limb, the trunk, or a muscle band."""

    a: Point
    b: Point
    width: float
    colour: tuple[int, int, int]


@dataclass(frozen=True)
class Disc:
    centre: Point
    radius: float
    colour: tuple[int, int, int]


Shape = Capsule | Disc


def _along(a: Point, b: Point, t: float) -> Point:
    return (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)


def _normal(a: Point, b: Point, towards_back: bool) -> tuple[float, float]:
    """Unit vector across a→b, to the figure's back (ccw of the segment) or front."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    length = math.hypot(dx, dy) or 1.0
    nx, ny = -dy / length, dx / length
    return (nx, ny) if towards_back else (-nx, -ny)


def _band(a: Point, b: Point, t0: float, t1: float, back: bool, width: float) -> Capsule:
    nx, ny = _normal(a, b, back)
    offset = width * 0.22
    p0, p1 = _along(a, b, t0), _along(a, b, t1)
    return Capsule(
        (p0[0] + nx * offset, p0[1] + ny * offset),
        (p1[0] + nx * offset, p1[1] + ny * offset),
        width * 0.5,
        MUSCLE,
    )


def muscle_shapes(points: dict[str, Point], muscle: str) -> list[Shape]:
    """Where a named muscle group sits on the figure."""
    hip, shoulder = points["hip"], points["shoulder"]
    if muscle == "lower_back":
        return [_band(hip, shoulder, 0.08, 0.45, True, TRUNK_WIDTH)]
    if muscle == "middle_back":
        return [_band(hip, shoulder, 0.5, 0.85, True, TRUNK_WIDTH)]
    if muscle == "belly":
        return [_band(hip, shoulder, 0.1, 0.5, False, TRUNK_WIDTH)]
    name, _, side = muscle.rpartition("_")
    knee = points[f"knee_{side}"]
    if name == "hamstring":
        # The thigh runs hip→knee; its back is clockwise of that direction.
        return [_band(hip, knee, 0.22, 0.85, False, LIMB)]
    if name == "buttock":
        return [_band(hip, knee, 0.0, 0.2, False, LIMB * 1.5)]
    return [Disc(_along(hip, knee, 0.12), LIMB * 0.42, MUSCLE)]


def _limb_shapes(points: dict[str, Point], side: Side, colour: tuple[int, int, int]) -> list[Shape]:
    hip = points["hip"]
    knee, ankle = points[f"knee_{side}"], points[f"ankle_{side}"]
    heel, toe = points[f"heel_{side}"], points[f"toe_{side}"]
    return [
        Capsule(hip, knee, LIMB * 1.15, colour),
        Capsule(knee, ankle, LIMB, colour),
        Capsule(ankle, heel, LIMB * 0.8, colour),
        Capsule(heel, toe, LIMB * 0.6, colour),
    ]


def _arm_shapes(points: dict[str, Point], side: Side, colour: tuple[int, int, int]) -> list[Shape]:
    shoulder = points["shoulder"]
    elbow, hand = points[f"elbow_{side}"], points[f"hand_{side}"]
    return [
        Capsule(shoulder, elbow, LIMB * 0.85, colour),
        Capsule(elbow, hand, LIMB * 0.75, colour),
    ]


def body_shapes(
    points: dict[str, Point],
    near: Side,
    working: Side | None,
    muscles: tuple[str, ...],
    leg_over_arm: bool = False,
) -> list[Shape]:
    """The whole side-view figure, far limbs first so the near ones cover them.

    ``leg_over_arm``: the near leg is turned out towards the viewer (the seated pigeon's
    crossed leg), so it covers the near arm instead of the other way round.
    """
    far: Side = "left" if near == "right" else "right"

    def colour(side: Side) -> tuple[int, int, int]:
        if side == working:
            return WORK if side == near else WORK_FAR
        return BODY if side == near else BODY_FAR

    def muscles_of(side: Side | None) -> list[Shape]:
        chosen = [m for m in muscles if (m.rpartition("_")[2] == side) == (side is not None)]
        if side is None:
            chosen = [m for m in muscles if not m.endswith(("_right", "_left"))]
        return [shape for m in chosen for shape in muscle_shapes(points, m)]

    def arm_colour(side: Side) -> tuple[int, int, int]:
        return BODY if side == near else BODY_FAR

    shapes: list[Shape] = [*_arm_shapes(points, far, arm_colour(far))]
    shapes += _limb_shapes(points, far, colour(far))
    shapes += muscles_of(far)
    shapes.append(Capsule(points["hip"], points["shoulder"], TRUNK_WIDTH, BODY))
    shapes.append(Capsule(points["shoulder"], points["neck"], LIMB * 0.8, BODY))
    shapes.append(Disc(points["head"], HEAD_RADIUS, BODY))
    shapes += muscles_of(None)
    near_leg = [*_limb_shapes(points, near, colour(near)), *muscles_of(near)]
    near_arm = _arm_shapes(points, near, arm_colour(near))
    shapes += [*near_arm, *near_leg] if leg_over_arm else [*near_leg, *near_arm]
    return shapes


def top_view_shapes(
    points: dict[str, Point], posture: Posture, near: Side, working: Side | None
) -> list[Shape]:
    """Seen from above (x forward, y towards the figure's far side): the legs and the turn.

    Only the seated twist uses it: ``cross`` swings the near leg over the far one and
    ``twist`` turns the shoulders towards the near side.
    """
    far: Side = "left" if near == "right" else "right"
    lateral = {near: -HIP_HALF, far: HIP_HALF}
    cross = math.tan(math.radians(posture.cross))
    shapes: list[Shape] = []

    def leg(side: Side, colour: tuple[int, int, int], swing: float) -> None:
        base = lateral[side]

        def at(name: str) -> Point:
            x = points[name][0]
            return (x, base + x * swing)

        heel = at(f"heel_{side}")
        toe = (points[f"toe_{side}"][0], heel[1])
        shapes.extend(
            [
                Capsule((0.0, base), at(f"knee_{side}"), LIMB * 1.15, colour),
                Capsule(at(f"knee_{side}"), heel, LIMB, colour),
                Capsule(heel, toe, LIMB * 0.6, colour),
            ]
        )

    def colour(side: Side) -> tuple[int, int, int]:
        if side == working:
            return WORK
        return BODY if side == near else BODY_FAR

    leg(far, colour(far), 0.0)
    leg(near, colour(near), cross)
    turn = math.radians(posture.twist)
    sx = points["shoulder"][0]
    # Turning towards the near side is clockwise seen from above.
    far_shoulder = (sx + SHOULDER_HALF * math.sin(turn), SHOULDER_HALF * math.cos(turn))
    near_shoulder = (sx - SHOULDER_HALF * math.sin(turn), -SHOULDER_HALF * math.cos(turn))
    knee_x = points[f"knee_{near}"][0]
    knee = (knee_x, lateral[near] + knee_x * cross)
    elbow = (knee[0] + 2.0, knee[1] - LIMB * 0.9)
    reach = min(1.0, posture.twist / 30.0)
    far_elbow = _along((sx + 12.0, far_shoulder[1] * 0.6), elbow, reach)
    far_hand = (far_elbow[0] + 8.0, far_elbow[1] - 4.0 * reach)
    near_hand = _along(
        (sx + 10.0, near_shoulder[1] - 4.0), (sx - 30.0, near_shoulder[1] - 6.0), reach
    )
    shapes += [
        Capsule(far_shoulder, far_elbow, LIMB * 0.85, colour(far)),
        Capsule(far_elbow, far_hand, LIMB * 0.75, colour(far)),
        Capsule((0.0, -HIP_HALF), (0.0, HIP_HALF), TRUNK_WIDTH * 0.8, BODY_FAR),
        Capsule(near_shoulder, far_shoulder, LIMB * 1.2, BODY),
        Capsule(near_shoulder, near_hand, LIMB * 0.8, BODY),
        Disc((sx, 0.0), HEAD_RADIUS, HEAD_TOP),
    ]
    nose = (sx + HEAD_RADIUS * math.cos(-turn), HEAD_RADIUS * math.sin(-turn))
    shapes.append(Disc(nose, 4.0, HEAD_TOP))
    shapes += _turn_arrow((sx, 0.0), posture.twist)
    return shapes


def _turn_arrow(centre: Point, twist: float) -> list[Shape]:
    """A curved arrow round the head, as far as the shoulders have turned."""
    if twist < 5.0:
        return []
    arc = HEAD_RADIUS + 12.0
    steps = max(2, int(twist / 6))
    angles = [math.radians(25.0 - twist * i / steps) for i in range(steps + 1)]
    dots = [(centre[0] + arc * math.cos(a), centre[1] + arc * math.sin(a)) for a in angles]
    shapes: list[Shape] = [Capsule(a, b, 3.5, MUSCLE) for a, b in itertools.pairwise(dots)]
    tip, before = dots[-1], dots[-2]
    shapes.append(Disc(tip, 4.0, MUSCLE))
    shapes.append(Capsule(before, tip, 6.0, MUSCLE))
    return shapes
