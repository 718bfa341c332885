"""The pauses of a hands-free session (content data, fixed in the plan when it starts)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

Wait = Literal["position", "rest", "switch", "next"]
"""Why the bot is counting down before a hold: get into position (the routine's first
exercise), rest (between holds or sets), switch sides, or get ready for the next exercise."""


@dataclass(frozen=True, slots=True)
class Pace:
    """The pauses (seconds) of one hands-free session."""

    position: int
    rest: int
    switch: int
    between: int
    up: int
    down: int

    def to_json(self) -> dict[str, int]:
        return {
            "position": self.position,
            "rest": self.rest,
            "switch": self.switch,
            "between": self.between,
            "up": self.up,
            "down": self.down,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Pace:
        return cls(
            position=int(data["position"]),
            rest=int(data["rest"]),
            switch=int(data["switch"]),
            between=int(data["between"]),
            up=int(data["up"]),
            down=int(data["down"]),
        )

    def wait_seconds(self, wait: Wait) -> int:
        return {
            "position": self.position,
            "rest": self.rest,
            "switch": self.switch,
            "next": self.between,
        }[wait]
