"""The loop of one exercise and side: eased in-betweens, a pause at the hold; MP4 and PNG out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import imageio_ffmpeg
from PIL import Image

from bot.domain.poses import (
    Point,
    Posture,
    Side,
    between,
    blended_positions,
    positions,
    swap_name,
)
from bot.pictures.figure import SIZE, Box, Scene, bounds, draw_frame
from bot.pictures.shapes import Capsule, Disc, top_view_shapes
from content.models import Exercise
from content.poses import Poses

FPS = 15
PAUSE_START = 8
MOVE = 16
HOLD_FRAMES = {"hold": 26, "reps": 12}
"""Frames the loop rests at the hold: longer for a held stretch than for a brief rep."""


@dataclass(frozen=True)
class Frame:
    points: dict[str, Point]
    posture: Posture


def sides_of(exercise: Exercise) -> tuple[str, ...]:
    """``right`` and ``left`` for a per-side exercise, else ``both``."""
    return ("right", "left") if exercise.per_side else ("both",)


def _poses(exercise: Exercise) -> Poses:
    if exercise.poses is None:
        raise ValueError(f"exercise '{exercise.id}' has no poses")
    return exercise.poses


def frame_count(exercise: Exercise) -> int:
    keys = len(_poses(exercise).sequence())
    return PAUSE_START + HOLD_FRAMES[exercise.mode] + keys * MOVE


def timeline(exercise: Exercise, side: str) -> list[Frame]:
    """Every frame of the loop: start (pause), each move eased, the hold (pause), back to start."""
    keys = _poses(exercise).for_side(side)
    start = keys[0][1]
    frames = [Frame(positions(start), start)] * PAUSE_START
    stops = [*keys[1:], keys[0]]
    previous = start
    for name, target in stops:
        for step in range(1, MOVE + 1):
            fraction = step / MOVE
            points = blended_positions(previous, target, fraction)
            posture = target if step == MOVE else previous
            frames.append(Frame(points, _between(previous, target, fraction, posture)))
        if name == "hold":
            frames += [Frame(positions(target), target)] * HOLD_FRAMES[exercise.mode]
        previous = target
    return frames


def _between(a: Posture, b: Posture, fraction: float, fallback: Posture) -> Posture:
    return between(a, b, fraction) if 0.0 < fraction < 1.0 else fallback


def hold_frame(exercise: Exercise, side: str) -> Frame:
    keys = dict(_poses(exercise).for_side(side))
    return Frame(positions(keys["hold"]), keys["hold"])


def _shape_box(frames: Sequence[Frame], near: Side, working: Side | None, flip: bool) -> Box:
    xs: list[float] = []
    ys: list[float] = []
    for frame in frames:
        for shape in top_view_shapes(frame.points, frame.posture, near, working):
            if isinstance(shape, Disc):
                ends, pad = [shape.centre], shape.radius
            elif isinstance(shape, Capsule):
                ends, pad = [shape.a, shape.b], shape.width / 2
            for x, y in ends:
                x = -x if flip else x
                xs += [x - pad, x + pad]
                ys += [y - pad, y + pad]
    return Box(min(xs), min(ys), max(xs), max(ys))


def scene_for(
    exercise: Exercise, side: str, frames: Sequence[Frame], labels: tuple[str, str]
) -> Scene:
    poses = _poses(exercise)
    facing = poses.facing_for(side)
    flip = facing == "left"
    near: Side = "left" if flip else "right"
    working: Side | None = None
    if side in ("right", "left"):
        working = "right" if side == "right" else "left"
    xs = [x for frame in frames for x, _ in frame.points.values()]
    step = None
    if poses.step_height is not None:
        hold = dict(poses.for_side(side))["hold"]
        raised = list(poses.keys["hold"].step)
        names = raised if side != "left" else [swap_name(name) for name in raised]
        step = (positions(hold)[names[0]][0], poses.step_height)
    side_box = bounds((frame.points for frame in frames), flip)
    if step is not None:
        edge = -step[0] if flip else step[0]
        side_box = Box(
            min(side_box.left, edge - 20), 0.0, max(side_box.right, edge + 20), side_box.top
        )
    top_box = _shape_box(frames, near, working, flip) if poses.top_view else None
    return Scene(
        flip=flip,
        near=near,
        working=working,
        muscles=poses.muscles_for(side),
        side_box=side_box,
        top_box=top_box,
        step=step,
        labels=labels,
        mat=(min(xs) - 12.0, max(xs) + 12.0),
    )


def write_mp4(images: Sequence[Image.Image], path: Path) -> None:
    """H.264 in an MP4, no sound, fast start (plays while it downloads)."""
    writer = imageio_ffmpeg.write_frames(
        str(path),
        (SIZE, SIZE),
        fps=FPS,
        codec="libx264",
        pix_fmt_out="yuv420p",
        quality=None,
        macro_block_size=16,
        ffmpeg_log_level="error",
        output_params=["-an", "-crf", "30", "-preset", "medium", "-movflags", "+faststart"],
    )
    writer.send(None)
    for image in images:
        writer.send(image.tobytes())
    writer.close()


def render_animation(
    exercise: Exercise, side: str, path: Path, labels: tuple[str, str] = ("", "")
) -> int:
    """Write the looping MP4 of ``exercise`` on ``side`` to ``path``; return the frame count."""
    frames = timeline(exercise, side)
    scene = scene_for(exercise, side, frames, labels)
    tmp = path.with_suffix(".part.mp4")
    write_mp4([draw_frame(scene, frame.points, frame.posture) for frame in frames], tmp)
    tmp.replace(path)
    return len(frames)


def render_still(
    exercise: Exercise, side: str, path: Path, labels: tuple[str, str] = ("", "")
) -> None:
    """Write a PNG of the hold position, framed like the animation."""
    frames = timeline(exercise, side)
    scene = scene_for(exercise, side, frames, labels)
    hold = hold_frame(exercise, side)
    tmp = path.with_suffix(".part.png")
    draw_frame(scene, hold.points, hold.posture).save(tmp, format="PNG", optimize=True)
    tmp.replace(path)
