"""The words, the picture and the CSV made from plain data (no bot, no database)."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from bot.domain.export_csv import (
    COLUMNS,
    KINDS,
    ExportFile,
    HoldRecord,
    Kind,
    PainRecord,
    RoutineRecord,
    export_files,
)
from bot.domain.progress import chart_data, summarise
from bot.features.progress.charts import (
    BEFORE_COLOUR,
    DAILY_COLOUR,
    HEIGHT_PX,
    TREND_COLOUR,
    WIDTH_PX,
    ChartLabels,
    render_history_png,
)
from bot.features.progress.views import chart_labels, one_decimal, signed, summary_text
from bot.features.progress.views import weekly_screen_text as screen
from bot.services.progress import WeeklySettings
from content import Content, load_content
from tests.png import png_size
from tests.progress_sample import RATINGS, ROUTINE_DAYS, TODAY


@pytest.fixture(scope="module")
def content() -> Content:
    return load_content()


def test_summary_text_gives_every_figure_in_words(content: Content) -> None:
    summary = summarise(RATINGS, ROUTINE_DAYS, TODAY, 7)

    t = content.t
    assert summary_text(content, summary) == "\n".join(
        [
            t("history.heading", days=7),
            "",
            t(
                "history.figures",
                average="4.3",
                lowest=2,
                highest=6,
                ratings=t("history.ratings_other", count=8),
                days_rated=t("history.days_other", count=5),
            ),
            t("history.before_after_lower", before="5.3", after="3.0", points="2.3"),
            t("history.trend_better", points="2.2"),
            t(
                "history.streak",
                current=t("history.days_other", count=4),
                best=t("history.days_other", count=6),
            ),
            t("history.routine_share", done=5, days=7, percent=71),
        ]
    )


# Read as a person would: the summary with little data, in plain English.
def test_summary_text_with_little_data(content: Content) -> None:
    from bot.domain.progress import Rating

    summary = summarise([Rating(TODAY, 5)], set(), TODAY, 30)

    assert summary_text(content, summary, heading="Heading") == (
        "Heading\n"
        "\n"
        "Average 5.0 (lowest 5, highest 5), from 1 rating on 1 day.\n"
        "Before and after routines: not enough ratings yet to compare.\n"
        "Trend: needs ratings on at least two days.\n"
        "Streak: no routines done yet.\n"
        "Routine done on 0 of 30 days (0%)."
    )


def test_worse_and_steady_trends_and_rising_pain_after(content: Content) -> None:
    from bot.domain.progress import CONTEXT_AFTER, CONTEXT_BEFORE, Rating

    rising = [
        Rating(date(2026, 3, 4), 3, CONTEXT_BEFORE, session_id=1),
        Rating(date(2026, 3, 4), 5, CONTEXT_AFTER, session_id=1),
        Rating(date(2026, 3, 10), 6),
    ]
    text = summary_text(content, summarise(rising, {date(2026, 3, 8)}, TODAY, 7))
    t = content.t
    assert t("history.before_after_higher", before="3.0", after="5.0", points="2.0") in text
    assert t("history.trend_worse", points="2.3") in text
    assert t("history.streak_none", best=t("history.days_one")) in text

    flat = [Rating(date(2026, 3, 4), 4), Rating(date(2026, 3, 10), 4)]
    assert t("history.trend_steady", points="0.0") in summary_text(
        content, summarise(flat, set(), TODAY, 7)
    )


def test_number_formatting_rounds_halves_up_and_never_shows_minus_zero() -> None:
    assert [one_decimal(v) for v in (4.25, 4.35, 16 / 3, -0.04, 10)] == [
        "4.3",
        "4.4",
        "5.3",
        "0.0",
        "10.0",
    ]
    assert [signed(v) for v in (0.2, -0.04, -0.15)] == ["+0.2", "0.0", "-0.2"]


def test_the_picture_is_a_phone_sized_png(content: Content) -> None:
    summary = summarise(RATINGS, ROUTINE_DAYS, TODAY, 7)
    png = render_history_png(
        chart_data(RATINGS, ROUTINE_DAYS, TODAY, 7), chart_labels(content, summary)
    )

    assert png_size(png) == (WIDTH_PX, HEIGHT_PX) == (1080, 1350)


@pytest.mark.parametrize("days", [7, 30, 90])
def test_the_picture_renders_for_every_period_even_without_ratings(days: int) -> None:
    labels = ChartLabels("t", "a", "d", "b", "f", "r", "tr", ("x",), "none")
    assert png_size(render_history_png(chart_data([], {TODAY}, TODAY, days), labels)) == (
        1080,
        1350,
    )


def test_chart_labels_come_from_the_catalog(content: Content) -> None:
    labels = chart_labels(content, summarise(RATINGS, ROUTINE_DAYS, TODAY, 7))

    t = content.t
    assert labels.title == t("history.title", days=7)
    assert labels.footer == (
        t("history.chart_average", average="4.3", lowest=2, highest=6),
        t("history.trend_better", points="2.2"),
        t(
            "history.chart_streak",
            current=t("history.days_other", count=4),
            best=t("history.days_other", count=6),
            percent=71,
        ),
    )


def test_weekly_screen_text(content: Content) -> None:
    berlin = ZoneInfo("Europe/Berlin")
    on = WeeklySettings(
        enabled=True,
        weekday=6,
        at=time(18),
        zone_key="Europe/Berlin",
        next_at=datetime(2026, 3, 8, 17, 0, tzinfo=UTC),
        zone=berlin,
    )
    t = content.t
    sunday = t("day.6")
    zone = t("weekly_summary.zone_local", zone="Europe/Berlin")
    status = t(
        "weekly_summary.status_on",
        weekday=sunday,
        time="18:00",
        zone=zone,
        next=f"{sunday} 8 March, 18:00",  # the date itself is not in the catalog
    )
    assert screen(content, on) == t("weekly_summary.screen", status=status)

    utc_user = WeeklySettings(True, 0, time(7, 30), None, None, ZoneInfo("UTC"))
    utc_status = t(
        "weekly_summary.status_on",
        weekday=t("day.0"),
        time="07:30",
        zone=t("weekly_summary.zone_utc"),
        next="",
    )
    assert screen(content, utc_user) == t("weekly_summary.screen", status=utc_status)
    off = WeeklySettings(False, 6, time(18), None, None, ZoneInfo("UTC"))
    status_off = t("weekly_summary.status_off")
    assert screen(content, off) == t("weekly_summary.screen", status=status_off)


def _utc(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


TITLES: dict[Kind, str] = {kind: f"{kind}, Berlin" for kind in KINDS}


def _table(file: ExportFile) -> tuple[str, list[dict[str, str]]]:
    """The file's first line and its rows under the column names."""
    assert file.data.startswith(b"\xef\xbb\xbf")
    lines = io.StringIO(file.data.decode("utf-8-sig"), newline="")
    title = next(csv.reader(lines))[0]
    reader = csv.DictReader(lines)
    assert tuple(reader.fieldnames or ()) == COLUMNS[file.kind]
    return title, list(reader)


def test_export_is_one_plain_table_per_kind_of_record() -> None:
    pain = [
        PainRecord(2, _utc(3, 7), 4, "after", "=HYPERLINK(evil)", 5),
        PainRecord(1, _utc(3, 6, 30), 6, "before", None, 5),
        PainRecord(3, _utc(4, 20), 3, "any", 'long, "quoted"\nnote', None),
    ]
    routines = [RoutineRecord(5, _utc(3, 6, 31), _utc(3, 6, 59), "completed", "full", 6, 4)]
    hold = HoldRecord(
        9, 5, _utc(3, 6, 32), _utc(3, 6, 33), "knees_to_chest", "left", 1, 1, 30, None, 30, "done"
    )
    a_set = replace(hold, id=10, exercise_id="glute_bridge", side=None, target_reps=8)
    names = {"knees_to_chest": "Knees to chest"}

    files = export_files(pain, routines, [a_set, hold], ZoneInfo("Europe/Berlin"), TITLES, names)

    assert [(file.kind, file.rows) for file in files] == [
        ("pain", 3),
        ("routines", 1),
        ("steps", 2),
    ]
    (title, ratings), (_, sessions), (_, steps) = (_table(file) for file in files)
    assert title == "pain, Berlin"
    first, formula, quoted = ratings
    assert (first["date"], first["time"], first["pain_0_to_10"], first["when"]) == (
        "2026-03-03",
        "07:30",
        "6",
        "before a routine",
    )
    assert first["routine_number"] == "5"
    assert formula["note"] == "'=HYPERLINK(evil)"
    assert (quoted["note"], quoted["when"]) == ('long, "quoted"\nnote', "on its own")
    (routine,) = sessions
    assert (routine["started"], routine["finished"], routine["status"]) == (
        "07:31",
        "07:59",
        "completed",
    )
    assert (routine["pain_before"], routine["pain_after"]) == ("6", "4")
    held, repeated = steps
    assert (held["exercise"], held["side"], held["kind"], held["seconds_taken"]) == (
        "Knees to chest",
        "left",
        "hold",
        "30",
    )
    assert (repeated["kind"], repeated["target_reps"]) == ("set", "8")


def test_an_empty_export_is_just_the_first_line_and_the_columns() -> None:
    files = export_files([], [], [], ZoneInfo("UTC"), TITLES)
    for file in files:
        rows = list(csv.reader(io.StringIO(file.data.decode("utf-8-sig"), newline="")))
        assert rows == [[TITLES[file.kind]], list(COLUMNS[file.kind])]


def _pixels_of(png: bytes, colour: str) -> int:
    """How many pixels of the picture are exactly ``colour`` (e.g. "#D55E00")."""
    import numpy as np
    from matplotlib.image import imread

    image = imread(io.BytesIO(png), format="png")[:, :, :3]
    wanted = np.array([int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)])
    return int(np.all(np.abs(image - wanted) < 1 / 255, axis=2).sum())


def test_the_picture_draws_the_data_and_the_trend(content: Content) -> None:
    """What is drawn, not only its size: each element adds its colour to the picture."""
    summary = summarise(RATINGS, ROUTINE_DAYS, TODAY, 7)
    labels = chart_labels(content, summary)
    full = chart_data(RATINGS, ROUTINE_DAYS, TODAY, 7)
    empty = chart_data([], set(), TODAY, 7)
    without_trend = replace(full, trend=None)
    without_before = replace(full, before=())

    drawn = render_history_png(full, labels)

    assert full.trend is not None
    assert full.before
    assert (
        _pixels_of(drawn, DAILY_COLOUR)
        > _pixels_of(render_history_png(empty, labels), DAILY_COLOUR) + 500
    )
    assert (
        _pixels_of(drawn, TREND_COLOUR)
        > _pixels_of(render_history_png(without_trend, labels), TREND_COLOUR) + 200
    )
    assert (
        _pixels_of(drawn, BEFORE_COLOUR)
        > _pixels_of(render_history_png(without_before, labels), BEFORE_COLOUR) + 200
    )
