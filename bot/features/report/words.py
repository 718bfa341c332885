"""The report's figures as catalog text: dates, numbers, doses and the sentences around them.

Every word comes from ``content/messages/en/report.yaml`` (or the /history keys it shares).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from bot.domain.progress import trend_direction
from bot.domain.progression import Dose
from bot.features.progress.views import counted, one_decimal, signed
from bot.services.report.data import ExerciseLine, ReportData, ScreeningEvent
from content import Content

HURT_DAYS_SHOWN = 2


def day_text(day: date, *, year: bool = False) -> str:
    return f"{day.day} {day:%b %Y}" if year else f"{day.day} {day:%b}"


def when_text(instant: datetime) -> str:
    return f"{instant.day} {instant:%b %Y, %H:%M}"


def optional(content: Content, value: float | int | None) -> str:
    if value is None:
        return content.t("report.tile_none")
    return one_decimal(value) if isinstance(value, float) else str(value)


def header_lines(content: Content, data: ReportData) -> list[str]:
    period = content.t(
        "report.period",
        start=day_text(data.start, year=True),
        end=day_text(data.end, year=True),
        days=data.days,
    )
    who = content.t("report.name", name=data.name) if data.name else content.t("report.no_name")
    made = content.t(
        "report.made",
        when=when_text(data.made_at),
        zone=data.zone_key or content.t("report.zone_utc"),
    )
    return [period, who, made]


def trend_text(content: Content, data: ReportData) -> str:
    trend = data.summary.trend
    direction = trend_direction(trend)
    if trend is None or direction is None:
        return content.t("report.tile_none")
    if direction == "steady":
        return content.t("report.trend_steady", points=signed(trend.per_week))
    key = "report.trend_better" if direction == "better" else "report.trend_worse"
    return content.t(key, points=signed(trend.per_week).lstrip("+"))


def tiles(content: Content, data: ReportData) -> list[tuple[str, str]]:
    """(label, value) for the pain figures printed large."""
    summary = data.summary
    return [
        (content.t("report.tile_average"), optional(content, summary.average)),
        (content.t("report.tile_lowest"), optional(content, summary.lowest)),
        (content.t("report.tile_highest"), optional(content, summary.highest)),
        (content.t("report.tile_trend"), trend_text(content, data)),
        (
            content.t("report.tile_ratings"),
            content.t(
                "report.ratings_on_days",
                ratings=summary.ratings,
                days_rated=counted(content, "history.days", summary.days_rated),
            ),
        ),
    ]


def pairs_text(content: Content, data: ReportData) -> str:
    pairs = data.pairs
    change = pairs.change
    if pairs.before_average is None or pairs.after_average is None or change is None:
        return content.t("report.pairs_none")
    return content.t(
        "report.pairs",
        pairs=counted(content, "report.routines", pairs.pairs),
        before=one_decimal(pairs.before_average),
        after=one_decimal(pairs.after_average),
        change=signed(change),
        lower=pairs.lower,
        same=pairs.same,
        higher=pairs.higher,
    )


def adherence_lines(content: Content, data: ReportData) -> list[str]:
    summary = data.summary
    reminders = data.reminders
    lines = [
        content.t(
            "report.adherence",
            done=summary.routine_days,
            days=summary.days,
            percent=round(summary.routine_share * 100),
            current=counted(content, "history.days", summary.current_streak),
            best=counted(content, "history.days", summary.best_streak),
            started=data.routines_started,
            completed=data.routines_completed,
        )
    ]
    if reminders.sent:
        lines.append(
            content.t(
                "report.reminders",
                sent=reminders.sent,
                routine=reminders.routine_started,
                skipped=reminders.skipped,
            )
        )
    else:
        lines.append(content.t("report.reminders_none"))
    return lines


def dose_text(content: Content, line: ExerciseLine) -> str:
    dose: Dose = line.dose
    if line.mode == "reps":
        key = "report.dose_reps_sides" if line.per_side else "report.dose_reps"
    else:
        key = "report.dose_hold_sides" if line.per_side else "report.dose_hold"
    text = content.t(key, seconds=dose.hold_seconds, reps=dose.reps)
    return content.t("report.dose_sets", dose=text, sets=dose.sets) if dose.sets > 1 else text


def hurt_text(content: Content, days: Sequence[date]) -> str:
    if not days:
        return content.t("report.hurt_none")
    shown = ", ".join(day_text(day) for day in days[-HURT_DAYS_SHOWN:])
    if len(days) > HURT_DAYS_SHOWN:
        shown = f"{content.t('report.hurt_more', count=len(days) - HURT_DAYS_SHOWN)}, {shown}"
    return content.t("report.hurt_days", count=len(days), days=shown)


def exercise_row(content: Content, line: ExerciseLine) -> list[str]:
    changes = (
        content.t("report.changes", easier=line.easier, harder=line.harder)
        if line.easier or line.harder
        else content.t("report.changes_none")
    )
    return [
        line.name,
        str(line.sessions_done),
        str(line.sessions_skipped),
        hurt_text(content, line.hurt_days),
        changes,
        dose_text(content, line),
        content.t("report.status_out" if line.excluded else "report.status_in"),
    ]


def left_out_lines(content: Content, data: ReportData) -> list[str]:
    lines = []
    for line in data.exercises:
        if not line.excluded:
            continue
        if line.hurt_days:
            day = day_text(line.hurt_days[-1], year=True)
            lines.append(content.t("report.left_out_after_hurt", name=line.name, day=day))
        else:
            lines.append(content.t("report.left_out", name=line.name))
    return lines


def _label(content: Content, prefix: str, value: str) -> str:
    key = f"{prefix}.{value}"
    return content.t(key) if key in content.messages else value.replace("_", " ")


def screening_text(content: Content, event: ScreeningEvent) -> str:
    signs = (
        content.t(
            "report.screening_signs",
            signs="; ".join(_label(content, "report.sign", sign) for sign in event.signs),
        )
        if event.signs
        else content.t("report.screening_no_signs")
    )
    return content.t(
        "report.screening_line",
        when=when_text(event.taken_at),
        tier=_label(content, "report.tier", event.tier),
        signs=signs,
    )
