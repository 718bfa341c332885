"""Rendered pictures on disk, named by a hash of the pose data and the renderer's version.

``render_missing`` draws whatever is not there yet (slow: call it through
``asyncio.to_thread`` at start-up, never on the event loop); ``lookup`` answers at once with
the file, or None while it is still being drawn, so a card can go without its picture.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from bot.pictures.animation import render_animation, render_still, sides_of
from content.models import Content, Exercise

RENDERER_VERSION = 1
"""Raise when the drawing changes: every cached file is drawn again."""

Kind = Literal["animation", "still"]
SUFFIX: dict[Kind, str] = {"animation": ".mp4", "still": ".png"}

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Picture:
    """One file the bot can send: its cache key and where it lives once drawn."""

    key: str
    kind: Kind
    exercise_id: str
    side: str
    path: Path


def labels(content: Content) -> tuple[str, str]:
    return (content.t("picture.view_side"), content.t("picture.view_above"))


def cache_key(exercise: Exercise, side: str, kind: Kind, view_labels: tuple[str, str]) -> str:
    """Hash of everything the picture is drawn from."""
    if exercise.poses is None:
        raise ValueError(f"exercise '{exercise.id}' has no poses")
    material = {
        "renderer": RENDERER_VERSION,
        "exercise": exercise.id,
        "mode": exercise.mode,
        "side": side,
        "kind": kind,
        "poses": exercise.poses.model_dump(mode="json"),
        "labels": list(view_labels) if exercise.poses.top_view else [],
    }
    encoded = json.dumps(material, sort_keys=True, separators=(",", ":")).encode()
    return hashlib.sha256(encoded).hexdigest()[:32]


def picture(
    cache_dir: Path, exercise: Exercise, side: str, kind: Kind, view_labels: tuple[str, str]
) -> Picture:
    key = cache_key(exercise, side, kind, view_labels)
    path = cache_dir / f"{exercise.id}-{side}-{key[:12]}{SUFFIX[kind]}"
    return Picture(key, kind, exercise.id, side, path)


def pictures(cache_dir: Path, content: Content) -> list[Picture]:
    """Every picture of every exercise that has poses: an animation and a still per side."""
    view_labels = labels(content)
    return [
        picture(cache_dir, exercise, side, kind, view_labels)
        for exercise in content.exercises
        if exercise.poses is not None
        for side in sides_of(exercise)
        for kind in ("animation", "still")
    ]


def lookup(
    cache_dir: Path, content: Content, exercise_id: str, side: str, kind: Kind = "animation"
) -> Picture | None:
    """The picture if its file is ready, else None (never draws; cheap enough for a handler)."""
    exercise = content.exercise(exercise_id)
    if exercise is None or exercise.poses is None or side not in sides_of(exercise):
        return None
    found = picture(cache_dir, exercise, side, kind, labels(content))
    return found if found.path.is_file() else None


def render_missing(cache_dir: Path, content: Content) -> list[Picture]:
    """Draw every picture that is not on disk yet and remove outdated ones; return those drawn.

    Blocking and CPU-heavy: run it in a worker thread (``asyncio.to_thread``).
    """
    cache_dir.mkdir(parents=True, exist_ok=True)
    wanted = pictures(cache_dir, content)
    by_exercise = {exercise.id: exercise for exercise in content.exercises}
    drawn: list[Picture] = []
    view_labels = labels(content)
    for item in wanted:
        if item.path.is_file():
            continue
        exercise = by_exercise[item.exercise_id]
        if item.kind == "animation":
            render_animation(exercise, item.side, item.path, view_labels)
        else:
            render_still(exercise, item.side, item.path, view_labels)
        drawn.append(item)
        log.info("picture drawn: %s %s %s", item.exercise_id, item.side, item.kind)
    _remove_outdated(cache_dir, (item.path for item in wanted))
    return drawn


def _remove_outdated(cache_dir: Path, keep: Iterable[Path]) -> None:
    kept = set(keep)
    for path in cache_dir.iterdir():
        if path.suffix in (".mp4", ".png") and path not in kept:
            path.unlink(missing_ok=True)
