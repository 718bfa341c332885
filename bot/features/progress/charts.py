"""The progress picture: a PNG drawn with matplotlib's Agg backend from plain data.

No database and no Telegram here. Rendering is CPU work (about a tenth of a second), so
callers on the event loop run it through ``asyncio.to_thread``. matplotlib's object API is
used (no pyplot, so no global figure state), and one lock keeps renders one at a time,
because matplotlib does not promise thread safety.
"""

from __future__ import annotations

import io
import threading
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")

from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from bot.domain.pain import PAIN_MAX, PAIN_MIN
from bot.domain.progress import ChartData

WIDTH_PX = 1080
HEIGHT_PX = 1350
"""Portrait 4:5: a phone shows it across the full screen width, as tall as it can."""
DPI = 100

# Okabe-Ito colours (safe for colour-blind readers); shapes differ too, not only colours.
DAILY_COLOUR = "#0072B2"
BEFORE_COLOUR = "#D55E00"
AFTER_COLOUR = "#009E73"
ROUTINE_COLOUR = "#009E73"
TREND_COLOUR = "#333333"

RENDER_LOCK = threading.Lock()
"""Held while any matplotlib figure is drawn (this picture, and the clinician report's PDF)."""


@dataclass(frozen=True, slots=True)
class ChartLabels:
    """Every word on the picture, already in the user's language."""

    title: str
    axis: str
    daily: str
    before: str
    after: str
    routine: str
    trend: str
    footer: tuple[str, ...] = ()
    no_ratings: str = ""


def _tick_step(days: int) -> int:
    if days <= 7:
        return 1
    if days <= 31:
        return 7
    return 14


def _tick_label(data: ChartData, index: int) -> str:
    day = data.day(index)
    if data.days <= 7:
        return f"{day:%a}\n{day.day}"
    return f"{day.day} {day:%b}"


def render_history_png(data: ChartData, labels: ChartLabels) -> bytes:
    """The picture for one period as PNG bytes, WIDTH_PX × HEIGHT_PX."""
    with RENDER_LOCK:
        return _render(data, labels)


def legend_handles(scale: float = 1.0) -> list[Artist]:
    """The legend's keys, in the order of ``ChartLabels``' legend names (all five)."""
    return [
        Line2D([], [], color=DAILY_COLOUR, linewidth=3.5 * scale, marker="o", markersize=9 * scale),
        Line2D([], [], color=BEFORE_COLOUR, linestyle="none", marker="v", markersize=16 * scale),
        Line2D([], [], color=AFTER_COLOUR, linestyle="none", marker="^", markersize=16 * scale),
        Patch(color=ROUTINE_COLOUR, alpha=0.25),
        Line2D([], [], color=TREND_COLOUR, linewidth=3 * scale, linestyle=(0, (6, 4))),
    ]


def trend_drawn(data: ChartData) -> bool:
    return data.trend is not None and len(data.daily) >= 2


def legend_entries(
    data: ChartData, labels: ChartLabels, scale: float = 1.0
) -> tuple[list[Artist], list[str]]:
    """The legend's keys and names for what the picture shows: no "Trend" without a trend
    line, no "Before a routine" without such a mark."""
    shown = (True, bool(data.before), bool(data.after), bool(data.routine_days), trend_drawn(data))
    names = (labels.daily, labels.before, labels.after, labels.routine, labels.trend)
    pairs = [
        (handle, name)
        for handle, name, on in zip(legend_handles(scale), names, shown, strict=True)
        if on
    ]
    return [handle for handle, _ in pairs], [name for _, name in pairs]


def draw_pain(axes: Axes, data: ChartData, labels: ChartLabels, scale: float = 1.0) -> None:
    """The pain series on ``axes``: routine-day bands, daily line, before/after marks, trend.

    ``scale`` multiplies the sizes (1 is the phone picture); the clinician report draws the
    same picture smaller, as vector graphics. Call it holding ``RENDER_LOCK``.
    """
    last = data.days - 1
    margin = max(0.6, data.days * 0.035)  # room for the first and last day's marks
    axes.set_xlim(-margin, last + margin)
    axes.set_ylim(PAIN_MIN - 0.3, PAIN_MAX + 0.3)
    axes.set_yticks(range(PAIN_MIN, PAIN_MAX + 1, 2))
    axes.set_ylabel(labels.axis, fontsize=24 * scale)
    axes.grid(axis="y", color="#dddddd", linewidth=1 * scale)
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)

    step = _tick_step(data.days)
    ticks = list(range(last, -1, -step))[::-1]
    axes.set_xticks(ticks)
    axes.set_xticklabels([_tick_label(data, index) for index in ticks])
    axes.tick_params(labelsize=21 * scale, length=6 * scale)

    if data.routine_days:
        # One collection for all the day bands: far quicker than a patch per day.
        axes.broken_barh(
            [(index - 0.45, 0.9) for index in data.routine_days],
            (PAIN_MIN - 0.3, PAIN_MAX - PAIN_MIN + 0.6),
            facecolors=ROUTINE_COLOUR,
            alpha=0.14,
            linewidth=0,
            zorder=0,
        )
    dense = data.days > 31
    if data.daily:
        xs, ys = zip(*data.daily, strict=True)
        axes.plot(
            xs,
            ys,
            color=DAILY_COLOUR,
            linewidth=(2.5 if dense else 3.5) * scale,
            marker="o",
            markersize=(5 if dense else 9) * scale,
            zorder=3,
        )
    for points, colour, marker in (
        (data.before, BEFORE_COLOUR, "v"),
        (data.after, AFTER_COLOUR, "^"),
    ):
        if points:
            xs, ys = zip(*points, strict=True)
            axes.scatter(
                xs,
                ys,
                s=(110 if dense else 260) * scale**2,
                color=colour,
                marker=marker,
                zorder=4,
                edgecolors="white",
            )
    if trend_drawn(data) and data.trend is not None:
        first, final = data.daily[0][0], data.daily[-1][0]
        axes.plot(
            [first, final],
            [data.trend.at(first), data.trend.at(final)],
            color=TREND_COLOUR,
            linewidth=3 * scale,
            linestyle=(0, (6, 4)),
            zorder=2,
        )
    if not data.daily and labels.no_ratings:
        axes.text(last / 2, PAIN_MAX / 2, labels.no_ratings, ha="center", fontsize=24 * scale)


def _render(data: ChartData, labels: ChartLabels) -> bytes:
    figure = Figure(figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI), dpi=DPI, facecolor="white")
    FigureCanvasAgg(figure)
    axes = figure.add_axes((0.12, 0.39, 0.80, 0.52))
    figure.text(0.5, 0.955, labels.title, ha="center", va="center", fontsize=30, weight="bold")
    draw_pain(axes, data, labels)

    handles, names = legend_entries(data, labels)
    figure.legend(
        handles,
        names,
        loc="upper center",
        bbox_to_anchor=(0.5, 0.295),
        ncols=2,
        fontsize=21,
        frameon=False,
        handlelength=2.2,
        columnspacing=1.6,
    )
    for row, line in enumerate(labels.footer):
        figure.text(0.5, 0.125 - row * 0.042, line, ha="center", va="center", fontsize=23)

    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()
