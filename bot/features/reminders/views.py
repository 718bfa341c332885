"""Texts and keyboards of /start's safety check and of the daily reminder, from plain values."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
)

from bot.domain.routine import RoutineChoice, estimated_seconds, todays_exercises
from bot.domain.schedule import (
    EVERY_DAY,
    MONDAY_TO_FRIDAY,
    PAUSE_DAYS,
    WEEKEND,
    toggle_day,
    weekdays_of,
)
from bot.domain.statuses import SubscriptionStatus
from bot.domain.timeparse import format_time, time_token
from bot.domain.zoneparse import zone_token_parts
from bot.domain.zones import zone_for
from bot.features.pain.views import pain_scale_keyboard
from bot.plumbing.callbacks import Action, encode
from bot.services.reminder_sweep import Dispatch
from bot.services.reminders import Refusal, Schedule
from content import Content

COMMON_TIMES = tuple(
    time(hour, minute)
    for hour, minute in (
        (6, 0),
        (6, 30),
        (7, 0),
        (7, 30),
        (8, 0),
        (8, 30),
        (9, 0),
        (10, 0),
        (12, 0),
        (18, 0),
        (19, 0),
        (20, 0),
    )
)
TIMES_PER_ROW = 4

REFUSAL_KEYS = {
    Refusal.NOT_SUBSCRIBED: "remind.not_subscribed",
    Refusal.FINISH_SAFETY: "remind.finish_safety",
    Refusal.CHECK_FIRST: "safety.after_emergency",
    Refusal.NEED_ZONE: "remind.need_zone",
    Refusal.UNKNOWN_ZONE: "remind.unknown_zone_button",
    Refusal.NO_DAYS: "remind.no_days",
    Refusal.BAD_PAUSE: "remind.pause_usage",
    Refusal.ALREADY_ON: "remind.already_on",
    Refusal.STALE: "remind.stale",
}


def refusal_text(content: Content, refusal: Refusal) -> str:
    return content.t(REFUSAL_KEYS[refusal]).strip()


# --- dates and times ---------------------------------------------------------------------


def clock(now: datetime, zone_key: str) -> str:
    """The wall-clock time in the zone now: "07:05"."""
    return format_time(now.astimezone(zone_for(zone_key)).time())


def date_text(content: Content, day: date) -> str:
    return content.t(
        "remind.date",
        weekday=content.t(f"day.{day.weekday()}"),
        day=day.day,
        month=content.t(f"month.{day.month}"),
    )


def when_text(content: Content, instant: datetime, zone_key: str, now: datetime) -> str:
    """ "today at 07:30", "tomorrow at 07:30" or "on Thursday 5 March at 07:30" (local)."""
    zone = zone_for(zone_key)
    local = instant.astimezone(zone)
    today = now.astimezone(zone).date()
    at = format_time(local.time())
    if local.date() == today:
        return content.t("remind.when_today", time=at)
    if local.date() == today + timedelta(days=1):
        return content.t("remind.when_tomorrow", time=at)
    return content.t(
        "remind.when_date",
        weekday=content.t(f"day.{local.weekday()}"),
        day=local.day,
        month=content.t(f"month.{local.month}"),
        time=at,
    )


def days_text(content: Content, days: int) -> str:
    if days & EVERY_DAY == EVERY_DAY:
        return content.t("remind.days_every")
    if days == MONDAY_TO_FRIDAY:
        return content.t("remind.days_weekdays")
    if days == WEEKEND:
        return content.t("remind.days_weekend")
    names = ", ".join(content.t(f"day_short.{day}") for day in weekdays_of(days))
    return content.t("remind.days_list", days=names)


def next_text(content: Content, schedule: Schedule, now: datetime) -> str:
    """The "Next prompt: ..." line, or why there is none."""
    if schedule.next_due_at is not None:
        when = when_text(content, schedule.next_due_at, schedule.zone_key, now)
        return content.t("remind.next_line", when=when)
    if schedule.status == SubscriptionStatus.PAUSED:
        return content.t("remind.next_paused")
    if schedule.status == SubscriptionStatus.BLOCKED:
        return content.t("remind.next_blocked")
    return content.t("remind.next_stopped")


def status_text(content: Content, schedule: Schedule) -> str:
    if schedule.status == SubscriptionStatus.PAUSED:
        if schedule.paused_until is None:
            return content.t("remind.status_paused")
        until = schedule.paused_until.astimezone(zone_for(schedule.zone_key)).date()
        return content.t("remind.status_paused_until", date=date_text(content, until))
    key = {
        SubscriptionStatus.STOPPED: "remind.status_stopped",
        SubscriptionStatus.BLOCKED: "remind.status_blocked",
    }.get(schedule.status, "remind.status_active")
    return content.t(key)


def zone_line(content: Content, zone_key: str, now: datetime) -> str:
    """ "Time zone: Europe/Berlin (it's 07:05 there now)." plus a note for fixed offsets."""
    line = content.t("remind.zone_set", zone=zone_key, clock=clock(now, zone_key))
    if zone_key.startswith("UTC") and zone_key != "UTC":
        line += "\n\n" + content.t("remind.zone_fixed_note")
    return line


# --- /start ------------------------------------------------------------------------------


# --- keyboards ---------------------------------------------------------------------------


def zone_request_keyboard(content: Content) -> ReplyKeyboardMarkup:
    button = KeyboardButton(content.t("remind.share_location"), request_location=True)
    return ReplyKeyboardMarkup([[button]], resize_keyboard=True, one_time_keyboard=True)


def time_keyboard() -> InlineKeyboardMarkup:
    buttons = [
        InlineKeyboardButton(
            format_time(value), callback_data=encode(Action.TIME_PICK, time_token(value))
        )
        for value in COMMON_TIMES
    ]
    rows = [
        buttons[start : start + TIMES_PER_ROW] for start in range(0, len(buttons), TIMES_PER_ROW)
    ]
    return InlineKeyboardMarkup(rows)


def suggestions_keyboard(
    content: Content, zone_keys: tuple[str, ...], now: datetime
) -> InlineKeyboardMarkup:
    rows = [
        [
            InlineKeyboardButton(
                content.t("remind.zone_button", zone=key, clock=clock(now, key)),
                callback_data=encode(Action.ZONE_PICK, *zone_token_parts(key)),
            )
        ]
        for key in zone_keys
    ]
    return InlineKeyboardMarkup(rows)


def settings_text(content: Content, schedule: Schedule, now: datetime) -> str:
    return content.t(
        "remind.settings",
        time=format_time(schedule.local_time),
        zone=schedule.zone_key,
        days=days_text(content, schedule.days),
        status=status_text(content, schedule),
        next=next_text(content, schedule, now),
        when_done=content.t(
            "remind.when_done_note" if schedule.note_when_done else "remind.when_done_quiet"
        ),
    )


def settings_keyboard(content: Content, schedule: Schedule) -> InlineKeyboardMarkup:
    def button(key: str, data: str) -> InlineKeyboardButton:
        return InlineKeyboardButton(content.t(key), callback_data=data)

    if schedule.status == SubscriptionStatus.ACTIVE:
        pause_or_resume = button("remind.btn_pause", encode(Action.SETTINGS_SCREEN, "pause"))
    else:
        pause_or_resume = button("remind.btn_resume", encode(Action.RESUME))
    return InlineKeyboardMarkup(
        [
            [
                button("remind.btn_time", encode(Action.SETTINGS_SCREEN, "time")),
                button("remind.btn_zone", encode(Action.SETTINGS_SCREEN, "zone")),
            ],
            [button("remind.btn_days", encode(Action.SETTINGS_SCREEN, "days")), pause_or_resume],
            [
                button("remind.btn_routine", encode(Action.SETTINGS_ROUTINE)),
                button("remind.btn_weekly", encode(Action.SETTINGS_WEEKLY)),
            ],
            [
                button(
                    "remind.btn_when_done_quiet"
                    if schedule.note_when_done
                    else "remind.btn_when_done_note",
                    encode(Action.WHEN_DONE, 0 if schedule.note_when_done else 1),
                )
            ],
        ]
    )


def back_row(content: Content) -> list[InlineKeyboardButton]:
    return [
        InlineKeyboardButton(
            content.t("remind.btn_back"), callback_data=encode(Action.SETTINGS_SCREEN, "main")
        )
    ]


def days_screen(content: Content, days: int) -> tuple[str, InlineKeyboardMarkup]:
    buttons = []
    for weekday in range(7):
        name = content.t(f"day_short.{weekday}")
        key = "remind.day_on" if days & (1 << weekday) else "remind.day_off"
        buttons.append(
            InlineKeyboardButton(
                content.t(key, day=name),
                callback_data=encode(Action.DAYS_SET, toggle_day(days, weekday)),
            )
        )
    rows = [buttons[:4], buttons[4:], back_row(content)]
    text = content.t("remind.days_screen", days=days_text(content, days))
    return text, InlineKeyboardMarkup(rows)


def pause_keyboard(content: Content, *, with_back: bool = False) -> InlineKeyboardMarkup:
    def label(days: int) -> str:
        if days == 1:
            return content.t("remind.pause_one_day")
        return content.t("remind.pause_days", days=days)

    rows = [
        [
            InlineKeyboardButton(label(days), callback_data=encode(Action.PAUSE_FOR, days))
            for days in PAUSE_DAYS
        ],
        [
            InlineKeyboardButton(
                content.t("remind.pause_forever"), callback_data=encode(Action.PAUSE_FOR, 0)
            )
        ],
    ]
    if with_back:
        rows.append(back_row(content))
    return InlineKeyboardMarkup(rows)


def paused_text(content: Content, schedule: Schedule, now: datetime) -> str:
    if schedule.next_due_at is None:
        return content.t("remind.paused_forever")
    when = when_text(content, schedule.next_due_at, schedule.zone_key, now)
    return content.t("remind.paused_until", when=when)


# --- the daily prompt --------------------------------------------------------------------


def routine_size(content: Content, choice: RoutineChoice) -> tuple[int, int]:
    """How many exercises today's routine has, and about how many minutes it takes: what
    ``/routine`` will run (the same ``todays_exercises``)."""
    chosen = todays_exercises(
        content.exercises,
        length=choice.length,
        excluded=choice.excluded,
        completed_short=choice.completed_short,
    )
    return len(chosen), max(1, round(estimated_seconds(chosen) / 60))


def streak_text(content: Content, streak: int) -> str:
    if streak <= 0:
        return content.t("remind.streak_none")
    if streak == 1:
        return content.t("remind.streak_one")
    return content.t("remind.streak_many", days=streak)


def prompt_text(content: Content, item: Dispatch) -> str:
    if item.done_today:
        return content.t("remind.prompt_done_today")
    count, minutes = routine_size(content, item.routine)
    text = content.t(
        "remind.prompt", count=count, minutes=minutes, streak=streak_text(content, item.streak)
    )
    if item.ask_settled:  # after yesterday's rise (bot.domain.pain): how has it settled?
        text = f"{content.t('pain.settle_check')}\n\n{text}"
    if item.snoozed:
        return content.t("remind.prompt_again", prompt=text)
    if item.late:
        due = format_time(item.due_at.astimezone(zone_for(item.zone_key)).time())
        return content.t("remind.prompt_late", time=due, prompt=text)
    return text


def prompt_markup(content: Content, item: Dispatch) -> InlineKeyboardMarkup | None:
    """The prompt's buttons; none on the note that today's routine is already done."""
    return None if item.done_today else prompt_keyboard(content, item.delivery_id)


def prompt_keyboard(content: Content, delivery_id: int) -> InlineKeyboardMarkup:
    def button(key: str, data: str) -> InlineKeyboardButton:
        return InlineKeyboardButton(content.t(key), callback_data=data)

    # One tap starts the routine: a pain rating (recorded as the pain before) or Start now
    # (no rating), both sent as the routine's start with the rating: rs|<delivery>|<score|skip>.
    rating = pain_scale_keyboard(
        Action.START_ROUTINE, delivery_id, skip_label=content.t("remind.btn_start")
    )
    return InlineKeyboardMarkup(
        [
            *rating.inline_keyboard,
            [
                button("remind.btn_snooze_15", encode(Action.SNOOZE, delivery_id, 15)),
                button("remind.btn_snooze_60", encode(Action.SNOOZE, delivery_id, 60)),
            ],
            [button("remind.btn_skip", encode(Action.SKIP_TODAY, delivery_id))],
        ]
    )
