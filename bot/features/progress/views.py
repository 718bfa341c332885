"""The progress screens: the /history text and period keyboard, the picture's labels, and the
weekly summary's settings screen with its keyboard. Texts come from the catalog.
"""

from __future__ import annotations

from datetime import time
from decimal import ROUND_HALF_UP, Decimal

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain.progress import PERIODS, ProgressSummary, Trend, trend_direction
from bot.domain.weekly import DAYS_OF_WEEK
from bot.features.progress.charts import ChartLabels
from bot.plumbing.callbacks import Action, encode
from bot.services.progress import (
    WeeklySettings,
)
from content import Content


def _rounded(value: float) -> Decimal:
    """One decimal, halves rounded up as people do by hand (4.25 → 4.3, not 4.2)."""
    return Decimal(repr(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def one_decimal(value: float) -> str:
    """5.25 → "5.3"; never "-0.0"."""
    rounded = _rounded(value)
    return "0.0" if rounded.is_zero() else str(rounded)


def signed(value: float) -> str:
    """+0.2, -0.1, or 0.0."""
    rounded = _rounded(value)
    return "0.0" if rounded.is_zero() else f"{rounded:+}"


def counted(content: Content, key: str, count: int) -> str:
    """ "1 rating" / "3 ratings": ``key_one`` or ``key_other`` from the catalog."""
    return content.t(f"{key}_one" if count == 1 else f"{key}_other", count=count)


def percent(summary: ProgressSummary) -> int:
    return round(summary.routine_share * 100)


def _figures(content: Content, summary: ProgressSummary) -> str:
    if summary.average is None:
        return content.t("history.no_ratings")
    return content.t(
        "history.figures",
        average=one_decimal(summary.average),
        lowest=summary.lowest,
        highest=summary.highest,
        ratings=counted(content, "history.ratings", summary.ratings),
        days_rated=counted(content, "history.days", summary.days_rated),
    )


def _before_after(content: Content, summary: ProgressSummary) -> str:
    if summary.before_average is None or summary.after_average is None:
        return content.t("history.before_after_missing")
    # The change from the values as shown, so "5.4 ... 4.4" reads "1.0 points lower".
    before, after = _rounded(summary.before_average), _rounded(summary.after_average)
    change = float(after - before)
    key = (
        "history.before_after_same"
        if change == 0
        else "history.before_after_lower"
        if change < 0
        else "history.before_after_higher"
    )
    return content.t(
        key,
        before=one_decimal(float(before)),
        after=one_decimal(float(after)),
        points=one_decimal(abs(change)),
    )


def trend_line(content: Content, trend: Trend | None) -> str:
    direction = trend_direction(trend)
    if trend is None or direction is None:
        return content.t("history.trend_missing")
    if direction == "steady":
        return content.t("history.trend_steady", points=signed(trend.per_week))
    return content.t(f"history.trend_{direction}", points=one_decimal(abs(trend.per_week)))


def _streak(content: Content, summary: ProgressSummary) -> str:
    if summary.best_streak == 0:
        return content.t("history.streak_never")
    best = counted(content, "history.days", summary.best_streak)
    if summary.current_streak == 0:
        return content.t("history.streak_none", best=best)
    current = counted(content, "history.days", summary.current_streak)
    return content.t("history.streak", current=current, best=best)


def summary_text(content: Content, summary: ProgressSummary, *, heading: str | None = None) -> str:
    """The figures in words, for everyone and for those who can't see the picture."""
    lines = [
        heading or content.t("history.heading", days=summary.days),
        "",
        _figures(content, summary),
        _before_after(content, summary),
        trend_line(content, summary.trend),
        _streak(content, summary),
        content.t(
            "history.routine_share",
            done=summary.routine_days,
            days=summary.days_in_use,
            percent=percent(summary),
        ),
    ]
    return "\n".join(lines)


def chart_labels(content: Content, summary: ProgressSummary) -> ChartLabels:
    footer: list[str] = []
    if summary.average is not None:
        footer.append(
            content.t(
                "history.chart_average",
                average=one_decimal(summary.average),
                lowest=summary.lowest,
                highest=summary.highest,
            )
        )
    footer.append(trend_line(content, summary.trend))
    footer.append(
        content.t(
            "history.chart_streak",
            current=counted(content, "history.days", summary.current_streak),
            best=counted(content, "history.days", summary.best_streak),
            percent=percent(summary),
        )
    )
    return ChartLabels(
        title=content.t("history.title", days=summary.days),
        axis=content.t("history.axis"),
        daily=content.t("history.legend_daily"),
        before=content.t("history.legend_before"),
        after=content.t("history.legend_after"),
        routine=content.t("history.legend_routine"),
        trend=content.t("history.legend_trend"),
        footer=tuple(footer),
        no_ratings=content.t("history.chart_no_ratings"),
    )


def weekly_screen_text(content: Content, settings: WeeklySettings) -> str:
    if not settings.enabled:
        status = content.t("weekly_summary.status_off")
    else:
        zone = (
            content.t("weekly_summary.zone_local", zone=settings.zone_key)
            if settings.zone_key
            else content.t("weekly_summary.zone_utc")
        )
        upcoming = settings.next_local
        when = (
            ""
            if upcoming is None
            else f"{content.t(f'day.{upcoming.weekday()}')} "
            f"{upcoming.day} {content.t(f'month.{upcoming.month}')}, {upcoming:%H:%M}"
        )
        status = content.t(
            "weekly_summary.status_on",
            weekday=content.t(f"day.{settings.weekday}"),
            time=f"{settings.at:%H:%M}",
            zone=zone,
            next=when,
        )
    return content.t("weekly_summary.screen", status=status)


TIME_CHOICES = tuple(time(hour) for hour in (7, 8, 9, 12, 17, 18, 19, 20, 21))


def period_keyboard(content: Content, current: int) -> InlineKeyboardMarkup:
    buttons = [
        InlineKeyboardButton(
            content.t(
                "history.button_current" if days == current else "history.button_period", days=days
            ),
            callback_data=encode(Action.HISTORY_PERIOD, days),
        )
        for days in PERIODS
    ]
    return InlineKeyboardMarkup([buttons])


def _check(label: str, chosen: bool, content: Content) -> str:
    return content.t("weekly_summary.button_current", label=label) if chosen else label


def weekly_keyboard(content: Content, settings: WeeklySettings) -> InlineKeyboardMarkup:
    back = InlineKeyboardButton(
        content.t("remind.btn_back"), callback_data=encode(Action.SETTINGS_SCREEN, "main")
    )
    if not settings.enabled:
        label = content.t("weekly_summary.button_on")
        return InlineKeyboardMarkup(
            [
                [InlineKeyboardButton(label, callback_data=encode(Action.WEEKLY_TOGGLE, "on"))],
                [back],
            ]
        )
    off = content.t("weekly_summary.button_off")
    days = [
        InlineKeyboardButton(
            _check(content.t(f"day_short.{day}"), day == settings.weekday, content),
            callback_data=encode(Action.WEEKLY_DAY, day),
        )
        for day in DAYS_OF_WEEK
    ]
    times = [
        InlineKeyboardButton(
            _check(f"{choice:%H:%M}", choice == settings.at, content),
            callback_data=encode(Action.WEEKLY_TIME, f"{choice:%H%M}"),
        )
        for choice in TIME_CHOICES
    ]
    other = content.t("weekly_summary.button_other_time")
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(off, callback_data=encode(Action.WEEKLY_TOGGLE, "off"))],
            days[:4],
            days[4:],
            times[:3],
            times[3:6],
            times[6:],
            [InlineKeyboardButton(other, callback_data=encode(Action.WEEKLY_OTHER_TIME))],
            [back],
        ]
    )
