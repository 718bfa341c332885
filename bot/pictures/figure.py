"""Draw one frame: floor, mat, optional step, the figure, and for the twist a view from above."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont

from bot.domain.poses import Point, Posture, Side, radius
from bot.pictures.shapes import (
    BACKGROUND,
    FLOOR,
    MAT,
    STEP,
    Capsule,
    Disc,
    Shape,
    body_shapes,
    top_view_shapes,
)

SIZE = 480
SUPERSAMPLE = 2
MARGIN = 0.08
STEP_DEPTH = 28.0


@dataclass(frozen=True)
class Box:
    left: float
    bottom: float
    right: float
    top: float


@dataclass(frozen=True)
class Scene:
    """What stays the same in every frame of one animation."""

    flip: bool
    near: Side
    working: Side | None
    muscles: tuple[str, ...]
    side_box: Box
    top_box: Box | None = None
    step: tuple[float, float] | None = None
    labels: tuple[str, str] = ("", "")
    mat: tuple[float, float] = (0.0, 0.0)


def bounds(frames: Iterable[dict[str, Point]], flip: bool) -> Box:
    """The box every frame fits in, body thickness included, in (flipped) world cm."""
    xs: list[float] = []
    ys: list[float] = [0.0]
    for points in frames:
        for name, (x, y) in points.items():
            pad = radius(name) + 4.0
            xs += [(-x if flip else x) - pad, (-x if flip else x) + pad]
            ys += [y + pad]
    return Box(min(xs), 0.0, max(xs), max(ys))


def _square(box: Box, width: int, height: int) -> tuple[float, float, float]:
    """Scale and pixel offsets that fit ``box`` into a width×height panel, floor near the bottom."""
    usable_w, usable_h = width * (1 - 2 * MARGIN), height * (1 - 2 * MARGIN)
    scale = min(usable_w / (box.right - box.left), usable_h / (box.top - box.bottom + 6.0))
    ox = (width - scale * (box.right - box.left)) / 2 - scale * box.left
    spare = height * (1 - 2 * MARGIN) - scale * (box.top - box.bottom + 6.0)
    oy = height * (1 - MARGIN) - spare * 0.45 + scale * (box.bottom - 6.0)
    return scale, ox, oy


class _Painter:
    def __init__(self, draw: ImageDraw.ImageDraw, scale: float, ox: float, oy: float) -> None:
        self.draw, self.scale, self.ox, self.oy = draw, scale, ox, oy
        self.flip = False

    def px(self, point: Point) -> tuple[float, float]:
        x = -point[0] if self.flip else point[0]
        return (self.ox + self.scale * x, self.oy - self.scale * point[1])

    def disc(self, centre: Point, r: float, colour: tuple[int, int, int]) -> None:
        x, y = self.px(centre)
        r *= self.scale
        self.draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)

    def capsule(self, shape: Capsule) -> None:
        a, b = self.px(shape.a), self.px(shape.b)
        width = shape.width * self.scale
        self.draw.line((a, b), fill=shape.colour, width=max(1, round(width)))
        for end in (shape.a, shape.b):
            self.disc(end, shape.width / 2, shape.colour)

    def shapes(self, shapes: Sequence[Shape]) -> None:
        for shape in shapes:
            if isinstance(shape, Disc):
                self.disc(shape.centre, shape.radius, shape.colour)
            else:
                self.capsule(shape)

    def floor(self, left: float, right: float) -> None:
        y = self.oy
        width = self.draw.im.size[0]
        self.draw.line((0, y, width, y), fill=FLOOR, width=max(2, round(self.scale)))
        x0, x1 = sorted((self.px((left, 0.0))[0], self.px((right, 0.0))[0]))
        self.draw.rounded_rectangle(
            (x0, y - 3.0 * self.scale, x1, y), radius=self.scale * 1.5, fill=MAT
        )

    def step(self, x: float, height: float) -> None:
        x0, _ = self.px((x - STEP_DEPTH / 2, 0.0))
        x1, top = self.px((x + STEP_DEPTH / 2, height))
        x0, x1 = sorted((x0, x1))
        self.draw.rounded_rectangle((x0, top, x1, self.oy), radius=self.scale * 2, fill=STEP)


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=size)


def draw_frame(scene: Scene, points: dict[str, Point], posture: Posture) -> Image.Image:
    """One square RGB frame of ``SIZE`` pixels."""
    big = SIZE * SUPERSAMPLE
    image = Image.new("RGB", (big, big), BACKGROUND)
    draw = ImageDraw.Draw(image)
    side_height = big if scene.top_box is None else big * 11 // 20
    scale, ox, oy = _square(scene.side_box, big, side_height)
    painter = _Painter(draw, scale, ox, oy)
    painter.flip = scene.flip
    painter.floor(*scene.mat)
    if scene.step is not None:
        painter.step(*scene.step)
    leg_over_arm = posture.limb(scene.near).thigh_out > 0
    painter.shapes(body_shapes(points, scene.near, scene.working, scene.muscles, leg_over_arm))
    if scene.top_box is not None:
        panel_top = side_height
        draw.line((big * 0.06, panel_top, big * 0.94, panel_top), fill=MAT, width=SUPERSAMPLE * 2)
        t_scale, t_ox, t_oy = _square(scene.top_box, big, big - panel_top)
        top_painter = _Painter(draw, t_scale, t_ox, panel_top + t_oy)
        top_painter.flip = scene.flip
        top_painter.shapes(top_view_shapes(points, posture, scene.near, scene.working))
        font = _font(15 * SUPERSAMPLE)
        draw.text((big * 0.04, big * 0.03), scene.labels[0], fill=FLOOR, font=font)
        draw.text((big * 0.04, panel_top + big * 0.02), scene.labels[1], fill=FLOOR, font=font)
    return image.resize((SIZE, SIZE), Image.Resampling.LANCZOS)
