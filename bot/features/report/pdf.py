"""The clinician report as one A4 page of PDF, drawn with matplotlib's PDF backend.

Why matplotlib and not fpdf2 or reportlab: the pain picture is the one /history draws
(``bot.features.progress.charts.draw_pain``), and matplotlib writes it into the PDF as vector
graphics with no second chart library and no new dependency. Its PDF backend embeds TrueType
fonts (``pdf.fonttype: 42``, subset, with a Unicode map), so DejaVu Sans, which ships with
matplotlib, prints umlauts and Cyrillic and the text stays extractable. The layout is fixed:
each section has a line budget and longer lists end with "... and N more", so the page never
overflows.

Black and white: every series differs by shape or line style too (circles, triangles down and
up, dashes), routine days are filled or empty squares, and text is black on white.

Rendering is CPU work: call ``render_report`` through ``asyncio.to_thread``. It holds
``bot.features.progress.charts.RENDER_LOCK``, the one lock for all matplotlib drawing (it is
not thread-safe).
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Sequence
from typing import Any

import matplotlib

matplotlib.use("Agg")

from matplotlib import rc_context
from matplotlib.backends.backend_pdf import FigureCanvasPdf
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.text import Text

from bot.features.progress.charts import RENDER_LOCK, ChartLabels, draw_pain, legend_entries
from bot.features.report import words
from bot.services.report.data import ReportData
from content import Content

WIDTH, HEIGHT = 8.27, 11.69
"""A4 in inches."""
LEFT, RIGHT, TOP = 0.6, 7.67, 0.5
TEXT_WIDTH = RIGHT - LEFT
CHART_SCALE = 0.4
"""The /history picture's sizes are for a 1080-pixel phone picture; this makes them print."""
BODY, SMALL, HEADING = 8.0, 7.0, 10.0
INK, GREY, LIGHT = "#000000", "#555555", "#BBBBBB"
SCREENINGS_SHOWN = 3
NOTES_SHOWN = 6
ABOUT_TOP = HEIGHT - 1.2
_NO_LIGATURES: dict[str, Any] = (
    {"fontfeatures": ["-liga"]} if hasattr(Text, "set_fontfeatures") else {}
)
"""matplotlib 3.11 shapes "fi" and "fl" into ligatures, which it embeds as a second copy of
the font (twice the subsetting time); plain letters also extract more reliably."""
RC: dict[str, Any] = {"pdf.fonttype": 42, "font.family": "DejaVu Sans", "pdf.compression": 6}


def _chars(width: float, size: float) -> int:
    """About how many characters of DejaVu Sans at ``size`` points fit in ``width`` inches."""
    return max(10, int(width / (size / 72 * 0.5)))


class _Page:
    """A figure written top to bottom; ``y`` is the distance from the top edge, in inches."""

    def __init__(self) -> None:
        self.figure = Figure(figsize=(WIDTH, HEIGHT), facecolor="white")
        FigureCanvasPdf(self.figure)
        self.y = TOP

    def text(
        self, x: float, y: float, value: str, size: float = BODY, color: str = INK, **style: Any
    ) -> None:
        self.figure.text(
            x / WIDTH,
            1 - y / HEIGHT,
            value,
            fontsize=size,
            va="top",
            color=color,
            **_NO_LIGATURES,
            **style,
        )

    def rule(self, y: float, width: float = 0.6, colour: str = INK) -> None:
        self.figure.add_artist(
            Line2D(
                [LEFT / WIDTH, RIGHT / WIDTH],
                [1 - y / HEIGHT] * 2,
                linewidth=width,
                color=colour,
            )
        )

    def box(self, x: float, y: float, w: float, h: float, **style: Any) -> None:
        self.figure.add_artist(
            Rectangle(
                (x / WIDTH, 1 - (y + h) / HEIGHT),
                w / WIDTH,
                h / HEIGHT,
                transform=self.figure.transFigure,
                **style,
            )
        )

    def heading(self, value: str) -> None:
        self.y += 0.08
        self.text(LEFT, self.y, value, HEADING, weight="bold")
        self.y += 0.19
        self.rule(self.y, 0.5)
        self.y += 0.07

    def paragraph(self, value: str, size: float = BODY, width: float = TEXT_WIDTH) -> None:
        for line in textwrap.wrap(value, _chars(width, size)) or [""]:
            self.text(LEFT, self.y, line, size)
            self.y += size / 72 * 1.35


def render_report(data: ReportData, content: Content) -> bytes:
    """The report as PDF bytes: one A4 page."""
    with RENDER_LOCK, rc_context(RC):  # type: ignore[arg-type]
        page = _Page()
        _header(page, data, content)
        _pain(page, data, content)
        _adherence(page, data, content)
        _exercises(page, data, content)
        _screenings(page, data, content)
        _notes(page, data, content)
        _about(page, content)
        buffer = io.BytesIO()
        page.figure.savefig(
            buffer,
            format="pdf",
            metadata={"Title": content.t("report.title"), "CreationDate": None},
        )
        return buffer.getvalue()


def _header(page: _Page, data: ReportData, content: Content) -> None:
    page.text(LEFT, page.y, content.t("report.title"), 16, weight="bold")
    page.text(RIGHT, page.y + 0.04, content.t("report.page"), SMALL, ha="right", color=GREY)
    page.y += 0.32
    page.text(LEFT, page.y, content.t("report.subtitle"), BODY, color=GREY)
    page.y += 0.2
    period, who, made = words.header_lines(content, data)
    page.text(LEFT, page.y, period, 9, weight="bold")
    page.text(RIGHT, page.y, who, 9, ha="right")
    page.y += 0.18
    page.text(LEFT, page.y, made, SMALL, color=GREY)
    page.y += 0.14


def _pain(page: _Page, data: ReportData, content: Content) -> None:
    page.heading(content.t("report.pain_heading"))
    tiles = words.tiles(content, data)
    width = TEXT_WIDTH / len(tiles)
    for index, (label, value) in enumerate(tiles):
        x = LEFT + index * width
        page.box(x + 0.02, page.y, width - 0.08, 0.5, fill=False, edgecolor=LIGHT, linewidth=0.6)
        page.text(x + 0.1, page.y + 0.06, label, SMALL, color=GREY)
        page.text(x + 0.1, page.y + 0.2, value, 12 if len(value) < 14 else 9.5, weight="bold")
    page.y += 0.62

    chart_top, chart_height = page.y + 0.02, 1.85
    axes = page.figure.add_axes(
        (
            (LEFT + 0.42) / WIDTH,
            1 - (chart_top + chart_height) / HEIGHT,
            5.15 / WIDTH,
            chart_height / HEIGHT,
        )
    )
    labels = ChartLabels(
        title="",
        axis=content.t("report.axis"),
        daily=content.t("history.legend_daily"),
        before=content.t("history.legend_before"),
        after=content.t("history.legend_after"),
        routine=content.t("history.legend_routine"),
        trend=content.t("history.legend_trend"),
        no_ratings=content.t("history.chart_no_ratings"),
    )
    draw_pain(axes, data.chart, labels, CHART_SCALE)
    page.figure.legend(
        *legend_entries(data.chart, labels, CHART_SCALE),
        loc="upper left",
        bbox_to_anchor=((LEFT + 5.75) / WIDTH, 1 - (chart_top + 0.1) / HEIGHT),
        fontsize=SMALL,
        frameon=False,
        handlelength=2.0,
    )
    page.y = chart_top + chart_height + (0.5 if data.days <= 7 else 0.36)  # two-line ticks
    page.paragraph(words.pairs_text(content, data))
    _weeks(page, data, content)


def _weeks(page: _Page, data: ReportData, content: Content) -> None:
    weeks = data.weeks[-13:]
    label = content.t("report.weeks_label")
    page.text(LEFT, page.y + 0.02, label, SMALL, color=GREY)
    x0 = LEFT + 1.75
    step = min(0.6, (RIGHT - x0) / max(1, len(weeks)))
    for index, week in enumerate(weeks):
        x = x0 + index * step
        value = words.optional(content, week.average)
        page.text(x, page.y, words.day_text(week.end), 6.2, color=GREY)
        page.text(x, page.y + 0.12, value, BODY, weight="bold")
    page.y += 0.32


def _square(page: _Page, x: float, y: float, w: float, h: float, filled: bool) -> None:
    """A day of the calendar strip: filled black with a routine, an empty outline without."""
    page.box(
        x,
        y,
        w,
        h,
        facecolor="#222222" if filled else "white",
        edgecolor="#222222" if filled else "#888888",
        linewidth=0.4,
    )


def _adherence(page: _Page, data: ReportData, content: Content) -> None:
    page.heading(content.t("report.adherence_heading"))
    days = data.days
    done = set(data.chart.routine_days)
    cell = min(1.0, TEXT_WIDTH / days)
    width = cell * 0.8
    height = min(width, 0.16)
    for index in range(days):
        _square(page, LEFT + index * cell, page.y, width, height, index in done)
    step = 1 if days <= 7 else 7 if days <= 31 else 14
    for index in range(days - 1, -1, -step):
        label = words.day_text(data.chart.day(index))
        x = LEFT + index * cell + width / 2
        page.text(x, page.y + height + 0.04, label, 6.2, ha="center")
    page.y += height + 0.22
    legend_x = LEFT
    for filled, key in ((True, "report.strip_done"), (False, "report.strip_not")):
        _square(page, legend_x, page.y + 0.01, 0.1, 0.1, filled)
        page.text(legend_x + 0.15, page.y, content.t(key), SMALL)
        legend_x += 1.5
    page.y += 0.18
    for line in words.adherence_lines(content, data):
        page.paragraph(line)


def _exercises(page: _Page, data: ReportData, content: Content) -> None:
    page.heading(content.t("report.exercises_heading"))
    columns = (1.55, 0.42, 0.55, 1.2, 1.1, 1.6)
    headers = [
        content.t(key)
        for key in (
            "report.col_exercise",
            "report.col_done",
            "report.col_skipped",
            "report.col_hurt",
            "report.col_changes",
            "report.col_dose",
            "report.col_status",
        )
    ]
    _row(page, headers, columns, weight="bold", colour=GREY)
    page.rule(page.y - 0.03, 0.4, LIGHT)
    for line in data.exercises:
        _row(page, words.exercise_row(content, line), columns)
    page.y += 0.04
    for text in words.left_out_lines(content, data):
        page.paragraph(text, SMALL)
    for note in textwrap.wrap(content.t("report.exercises_note"), _chars(TEXT_WIDTH, 6.5)):
        page.text(LEFT, page.y, note, 6.5, color=GREY)
        page.y += 0.115


def _row(
    page: _Page,
    cells: Sequence[str],
    columns: Sequence[float],
    *,
    weight: str = "normal",
    colour: str = INK,
) -> None:
    x = LEFT
    for index, cell in enumerate(cells):
        page.text(x, page.y, cell, SMALL, weight=weight, color=colour if index else INK)
        if index < len(columns):
            x += columns[index]
    page.y += 0.17


def _screenings(page: _Page, data: ReportData, content: Content) -> None:
    page.heading(content.t("report.screening_heading"))
    events = data.screenings
    if not events:
        page.paragraph(content.t("report.screening_none"))
        return
    for event in events[-SCREENINGS_SHOWN:][::-1]:
        page.paragraph(words.screening_text(content, event))
    if len(events) > SCREENINGS_SHOWN:
        more = len(events) - SCREENINGS_SHOWN
        page.paragraph(content.t("report.screening_more", count=more), SMALL)


def _notes(page: _Page, data: ReportData, content: Content) -> None:
    page.heading(content.t("report.notes_heading"))
    if data.notes is None:
        page.paragraph(content.t("report.notes_left_out"))
        return
    if not data.notes:
        page.paragraph(content.t("report.notes_none"))
        return
    line_height = BODY / 72 * 1.35
    room = max(1, int((ABOUT_TOP - 0.15 - page.y) / line_height) - 1)
    shown = data.notes[-min(NOTES_SHOWN, room) :][::-1]
    limit = _chars(TEXT_WIDTH, BODY)
    for note in shown:
        line = content.t(
            "report.note_line", day=words.day_text(note.day), score=note.score, text=note.text
        )
        page.paragraph(textwrap.shorten(line, limit, placeholder=" ..."))
    if len(data.notes) > len(shown):
        page.paragraph(content.t("report.notes_more", count=len(data.notes) - len(shown)))


def _about(page: _Page, content: Content) -> None:
    top = ABOUT_TOP
    page.box(LEFT - 0.05, top - 0.05, TEXT_WIDTH + 0.1, 0.82, fill=False, edgecolor=INK, lw=0.6)
    page.y = top
    page.text(LEFT + 0.05, page.y, content.t("report.about_heading"), BODY, weight="bold")
    page.y += 0.16
    for key in ("report.about_is", "report.about_is_not"):
        for line in textwrap.wrap(content.t(key), _chars(TEXT_WIDTH - 0.1, SMALL)):
            page.text(LEFT + 0.05, page.y, line, SMALL)
            page.y += 0.125
