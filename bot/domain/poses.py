"""A 2-D side-view body: joint angles in, joint positions out; mirroring, easing, floor contact.

Angles are in degrees, in the figure's own frame where it faces +x when upright:

- ``trunk``: lean of the pelvis→shoulders line from upright, forward positive (lying on the
  back is -90, sitting tall 0, child's pose about 100);
- ``neck``: head bent forward from the trunk line (chin to chest positive);
- ``hip``/``shoulder``: flexion from the trunk line (0 standing with arms by the sides,
  90 sitting or arms straight ahead);
- ``knee``/``elbow``: flexion from straight;
- ``ankle``: toes towards the shin positive (0 is the foot at a right angle to the shin);
- ``thigh_out``/``shin_out``: how far the segment turns out of the picture, towards the viewer
  (the crossed leg of the seated pigeon); the picture shows it shortened.

Lengths are centimetres of a 170 cm adult; y is height above the floor.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Literal

Side = Literal["right", "left"]
SIDES: tuple[Side, Side] = ("right", "left")

TRUNK = 52.0
NECK = 9.0
HEAD_RADIUS = 11.0
THIGH = 43.0
SHIN = 42.0
HEEL_DROP = 6.0
FOOT = 21.0
UPPER_ARM = 30.0
FOREARM = 30.0

RADIUS: dict[str, float] = {
    "hip": 10.0,
    "shoulder": 8.0,
    "neck": 4.0,
    "head": HEAD_RADIUS,
    "knee": 6.0,
    "ankle": 5.0,
    "heel": 3.0,
    "toe": 2.5,
    "elbow": 4.5,
    "hand": 4.0,
}
"""Half the thickness of the body at each point: how far its surface is from the joint."""

RANGES: dict[str, tuple[float, float]] = {
    "trunk": (-135.0, 135.0),
    "neck": (-40.0, 60.0),
    "hip": (-25.0, 160.0),
    "knee": (0.0, 160.0),
    "ankle": (-75.0, 30.0),
    "shoulder": (-60.0, 185.0),
    "elbow": (0.0, 150.0),
}
"""What an adult body can do, from the extension to the flexion limit (passive for the ankle).

The trunk is an orientation, not a joint: its range only catches typing errors. The hip allows
the deep flexion of child's pose, where the chest sinks between the parted thighs."""


@dataclass(frozen=True)
class Limb:
    """One side's joint angles."""

    hip: float = 0.0
    knee: float = 0.0
    ankle: float = 0.0
    shoulder: float = 0.0
    elbow: float = 0.0
    thigh_out: float = 0.0
    shin_out: float = 0.0


@dataclass(frozen=True)
class Posture:
    """A whole body: trunk and neck, both sides, which point rests on the floor, and a top view."""

    trunk: float = 0.0
    neck: float = 0.0
    right: Limb = field(default_factory=Limb)
    left: Limb = field(default_factory=Limb)
    anchor: str = "hip"
    twist: float = 0.0
    cross: float = 0.0

    def limb(self, side: Side) -> Limb:
        return self.right if side == "right" else self.left


Point = tuple[float, float]


def _step(origin: Point, degrees: float, length: float) -> Point:
    radians = math.radians(degrees)
    return (origin[0] + length * math.cos(radians), origin[1] + length * math.sin(radians))


def _raw_points(posture: Posture) -> dict[str, Point]:
    """Joint positions with the hip joint at the origin."""
    hip: Point = (0.0, 0.0)
    trunk_dir = 90.0 - posture.trunk
    shoulder = _step(hip, trunk_dir, TRUNK)
    head_dir = trunk_dir - posture.neck
    points: dict[str, Point] = {
        "hip": hip,
        "shoulder": shoulder,
        "neck": _step(shoulder, head_dir, NECK),
        "head": _step(shoulder, head_dir, NECK + HEAD_RADIUS),
    }
    for side in SIDES:
        limb = posture.limb(side)
        thigh_dir = trunk_dir + 180.0 + limb.hip
        knee = _step(hip, thigh_dir, THIGH * math.cos(math.radians(limb.thigh_out)))
        shin_dir = thigh_dir - limb.knee
        ankle = _step(knee, shin_dir, SHIN * math.cos(math.radians(limb.shin_out)))
        heel = _step(ankle, shin_dir, HEEL_DROP)
        toe = _step(
            heel, shin_dir + 90.0 + limb.ankle, FOOT * math.cos(math.radians(limb.shin_out))
        )
        arm_dir = trunk_dir + 180.0 + limb.shoulder
        elbow = _step(shoulder, arm_dir, UPPER_ARM)
        hand = _step(elbow, arm_dir + limb.elbow, FOREARM)
        points.update(
            {
                f"knee_{side}": knee,
                f"ankle_{side}": ankle,
                f"heel_{side}": heel,
                f"toe_{side}": toe,
                f"elbow_{side}": elbow,
                f"hand_{side}": hand,
            }
        )
    return points


def radius(name: str) -> float:
    return RADIUS[name.split("_")[0]]


def positions(posture: Posture) -> dict[str, Point]:
    """Joint positions with the anchor point resting on the floor at x = 0."""
    raw = _raw_points(posture)
    if posture.anchor not in raw:
        raise ValueError(f"unknown anchor point '{posture.anchor}'")
    ax, ay = raw[posture.anchor]
    lift = radius(posture.anchor) - ay
    return {name: (x - ax, y + lift) for name, (x, y) in raw.items()}


POINT_NAMES: tuple[str, ...] = tuple(_raw_points(Posture()))


def clearance(posture: Posture) -> dict[str, float]:
    """How far each point's surface is above the floor (negative: through the floor)."""
    return {name: y - radius(name) for name, (_, y) in positions(posture).items()}


def on_floor(posture: Posture, name: str, tolerance: float = 3.0) -> bool:
    return abs(clearance(posture)[name]) <= tolerance


def below_floor(posture: Posture, tolerance: float = 3.0) -> list[str]:
    """Points whose surface goes more than ``tolerance`` cm into the floor."""
    return sorted(name for name, gap in clearance(posture).items() if gap < -tolerance)


def out_of_range(posture: Posture) -> list[str]:
    """Angles outside what a body can do, as 'side.joint=value' strings."""
    problems = [
        f"{name}={value:g}"
        for name, value in (("trunk", posture.trunk), ("neck", posture.neck))
        if not RANGES[name][0] <= value <= RANGES[name][1]
    ]
    for side in SIDES:
        limb = posture.limb(side)
        for joint in ("hip", "knee", "ankle", "shoulder", "elbow"):
            low, high = RANGES[joint]
            value = getattr(limb, joint)
            if not low <= value <= high:
                problems.append(f"{side}.{joint}={value:g}")
        for part in ("thigh_out", "shin_out"):
            value = getattr(limb, part)
            if not 0.0 <= value <= 80.0:
                problems.append(f"{side}.{part}={value:g}")
    return problems


def swap_name(name: str) -> str:
    """``knee_right`` ↔ ``knee_left``; names without a side stay."""
    if name.endswith("_right"):
        return name[: -len("right")] + "left"
    if name.endswith("_left"):
        return name[: -len("left")] + "right"
    return name


def mirrored(posture: Posture) -> Posture:
    """The same posture done on the other side."""
    return replace(
        posture, right=posture.left, left=posture.right, anchor=swap_name(posture.anchor)
    )


def ease(fraction: float) -> float:
    """Smooth start and stop (cosine ease-in-out), 0 → 0 and 1 → 1."""
    fraction = min(1.0, max(0.0, fraction))
    return 0.5 - 0.5 * math.cos(math.pi * fraction)


def _mix(a: float, b: float, t: float) -> float:
    return a + (b - a) * t


def _mix_limb(a: Limb, b: Limb, t: float) -> Limb:
    return Limb(
        hip=_mix(a.hip, b.hip, t),
        knee=_mix(a.knee, b.knee, t),
        ankle=_mix(a.ankle, b.ankle, t),
        shoulder=_mix(a.shoulder, b.shoulder, t),
        elbow=_mix(a.elbow, b.elbow, t),
        thigh_out=_mix(a.thigh_out, b.thigh_out, t),
        shin_out=_mix(a.shin_out, b.shin_out, t),
    )


def between(a: Posture, b: Posture, fraction: float) -> Posture:
    """The eased in-between of two postures; the anchor switches halfway."""
    t = ease(fraction)
    return Posture(
        trunk=_mix(a.trunk, b.trunk, t),
        neck=_mix(a.neck, b.neck, t),
        right=_mix_limb(a.right, b.right, t),
        left=_mix_limb(a.left, b.left, t),
        anchor=a.anchor if t < 0.5 else b.anchor,
        twist=_mix(a.twist, b.twist, t),
        cross=_mix(a.cross, b.cross, t),
    )


def blended_positions(a: Posture, b: Posture, fraction: float) -> dict[str, Point]:
    """Joint positions of the in-between, sliding smoothly from ``a``'s anchor to ``b``'s."""
    posture = between(a, b, fraction)
    t = ease(fraction)
    first = positions(replace(posture, anchor=a.anchor))
    second = positions(replace(posture, anchor=b.anchor))
    return {
        name: (_mix(x, second[name][0], t), _mix(y, second[name][1], t))
        for name, (x, y) in first.items()
    }


def distance(points: Mapping[str, Point], a: str, b: str) -> float:
    (ax, ay), (bx, by) = points[a], points[b]
    return math.hypot(ax - bx, ay - by)


def off_line(points: Mapping[str, Point], start: str, middle: str, end: str) -> float:
    """How far ``middle`` is from the straight line ``start``→``end`` (cm)."""
    (sx, sy), (mx, my), (ex, ey) = points[start], points[middle], points[end]
    length = math.hypot(ex - sx, ey - sy)
    return abs((ex - sx) * (my - sy) - (ey - sy) * (mx - sx)) / length


def segment_angle(points: Mapping[str, Point], a: str, b: str) -> float:
    """Direction of a→b in degrees from the floor, ccw, in (-180, 180]."""
    (ax, ay), (bx, by) = points[a], points[b]
    return math.degrees(math.atan2(by - ay, bx - ax))
