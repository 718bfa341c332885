"""The ``poses:`` block of an exercise file: key positions of a side-view figure, checked at load.

Per-side exercises are written for the right side; the left side is the mirror image
(``bot.domain.poses.mirrored``). Angle conventions are in ``bot.domain.poses``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from bot.domain.poses import (
    POINT_NAMES,
    SIDES,
    Limb,
    Posture,
    below_floor,
    clearance,
    mirrored,
    out_of_range,
    swap_name,
)

KeyName = Literal["start", "into", "hold", "back"]
KEY_ORDER: tuple[KeyName, ...] = ("start", "into", "hold", "back")
FLOOR_TOLERANCE = 3.0
"""Centimetres a resting point may float above, or sink into, the floor."""

Muscle = Literal[
    "lower_back",
    "middle_back",
    "belly",
    "buttock_right",
    "buttock_left",
    "outer_hip_right",
    "outer_hip_left",
    "hamstring_right",
    "hamstring_left",
]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class LimbAngles(_Frozen):
    hip: float = 0.0
    knee: float = 0.0
    ankle: float = 0.0
    shoulder: float = 0.0
    elbow: float = 0.0
    thigh_out: float = 0.0
    shin_out: float = 0.0

    def limb(self) -> Limb:
        return Limb(
            self.hip,
            self.knee,
            self.ankle,
            self.shoulder,
            self.elbow,
            self.thigh_out,
            self.shin_out,
        )


class KeyPose(_Frozen):
    """One key position: angles, the point the body rests on, and every point on the floor."""

    trunk: float = 0.0
    neck: float = 0.0
    right: LimbAngles
    left: LimbAngles | None = None
    anchor: str = "hip"
    floor: tuple[str, ...] = Field(min_length=1)
    step: tuple[str, ...] = ()
    twist: float = Field(default=0.0, ge=0.0, le=70.0)
    cross: float = Field(default=0.0, ge=0.0, le=40.0)

    def posture(self) -> Posture:
        right = self.right.limb()
        left = self.left.limb() if self.left is not None else right
        return Posture(self.trunk, self.neck, right, left, self.anchor, self.twist, self.cross)

    @model_validator(mode="after")
    def _on_the_floor(self) -> KeyPose:
        named = (self.anchor, *self.floor, *self.step)
        unknown = [name for name in named if name not in POINT_NAMES]
        if unknown:
            raise ValueError(f"unknown body point(s) {unknown}; known: {list(POINT_NAMES)}")
        posture = self.posture()
        wrong = out_of_range(posture)
        if wrong:
            raise ValueError(f"angle(s) outside the human range: {', '.join(wrong)}")
        gaps = clearance(posture)
        floating = [
            f"{name} ({gaps[name]:.0f} cm)"
            for name in self.floor
            if abs(gaps[name]) > FLOOR_TOLERANCE
        ]
        if floating:
            raise ValueError(f"should rest on the floor but does not: {', '.join(floating)}")
        sunk = below_floor(posture, FLOOR_TOLERANCE)
        if sunk:
            raise ValueError(f"goes through the floor: {', '.join(sunk)}")
        return self


class Poses(_Frozen):
    """Key positions of one exercise, and the muscles it stretches or works."""

    facing: Literal["left", "right"] = "right"
    top_view: bool = False
    step_height: float | None = Field(default=None, ge=10.0, le=60.0)
    muscles: tuple[Muscle, ...] = Field(min_length=1)
    keys: dict[KeyName, KeyPose]

    @model_validator(mode="after")
    def _complete(self) -> Poses:
        missing = [name for name in ("start", "hold") if name not in self.keys]
        if missing:
            raise ValueError(f"key position(s) missing: {missing}")
        for name, key in self.keys.items():
            if key.step and self.step_height is None:
                raise ValueError(f"{name}: points rest on a step but step_height is not set")
            gaps = clearance(key.posture())
            height = self.step_height or 0.0
            off = [f"{p} ({gaps[p]:.0f} cm)" for p in key.step if abs(gaps[p] - height) > 3.0]
            if off:
                raise ValueError(f"{name}: should rest on the {height:g} cm step: {', '.join(off)}")
        return self

    def sequence(self) -> tuple[tuple[KeyName, Posture], ...]:
        """The key positions in loop order (``back`` defaults to ``start``)."""
        return tuple((name, self.keys[name].posture()) for name in KEY_ORDER if name in self.keys)

    def for_side(self, side: str) -> tuple[tuple[KeyName, Posture], ...]:
        """The key positions done on ``side`` (written for the right side; the left is mirrored)."""
        keys = self.sequence()
        return keys if side != "left" else tuple((name, mirrored(pose)) for name, pose in keys)

    def muscles_for(self, side: str) -> tuple[str, ...]:
        return tuple(swap_name(m) for m in self.muscles) if side == "left" else self.muscles

    def facing_for(self, side: str) -> str:
        if side != "left":
            return self.facing
        return "left" if self.facing == "right" else "right"


__all__ = ["KEY_ORDER", "SIDES", "KeyName", "KeyPose", "Poses"]
