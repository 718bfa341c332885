"""The daily reminder: /time, /timezone, /pause, /resume, /stop, /settings, the prompt's
buttons, typed times and zones, shared locations, and the sweep job."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from typing import Any, TypeVar

from telegram import InlineKeyboardMarkup, ReplyKeyboardMarkup, ReplyKeyboardRemove, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.domain.onboarding import Awaiting
from bot.domain.schedule import EVERY_DAY, MAX_PAUSE_DAYS, SNOOZE_MINUTES
from bot.domain.timeparse import format_time
from bot.domain.zoneparse import ZoneMatchKind, zone_from_token_parts
from bot.features.reminders import views
from bot.features.reminders.jobs import JOB_NAME, sweep_job
from bot.plumbing.callbacks import Action, CallbackData, CallbackDataError, pattern
from bot.plumbing.mapping import Sender, sender_of
from bot.plumbing.replies import drop_tapped_buttons, replace_tapped
from bot.plumbing.taps import Tap, read_tap, whole_number
from bot.plumbing.text_router import PRIORITY_AWAITING
from bot.runtime import BotApp, BotContext, runtime_of
from bot.services import reminders as service
from bot.services.reminders import (
    Asked,
    Changed,
    LocationNotUnderstood,
    Refusal,
    SafetyPending,
    Schedule,
    TimeNotUnderstood,
    TypedOutcome,
    UrgentPending,
    ZoneNotUnderstood,
)
from bot.services.zone_lookup import build_zone_directory

log = logging.getLogger(__name__)

FIRST_SWEEP = timedelta(seconds=5)

T = TypeVar("T")
Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove | None


# --- small adapters ----------------------------------------------------------------------


async def send(context: BotContext, chat_id: int, text: str, markup: Markup = None) -> None:
    await context.bot.send_message(chat_id, text, reply_markup=markup)


async def refuse(context: BotContext, chat_id: int, refusal: Refusal) -> None:
    await send(context, chat_id, views.refusal_text(context.runtime.content, refusal))


async def refuse_button(context: BotContext, button: Tap[Any], refusal: Refusal) -> None:
    if refusal == Refusal.STALE:
        await drop_tapped_buttons(context.bot, button)
    await refuse(context, button.chat_id, refusal)


def argument(context: BotContext) -> str:
    return " ".join(context.args or [])[:200]


# --- showing outcomes --------------------------------------------------------------------


async def show_zone_question(context: BotContext, chat_id: int) -> None:
    content = context.runtime.content
    await send(context, chat_id, content.t("remind.ask_zone"), views.zone_request_keyboard(content))


async def show_time_question(
    context: BotContext, chat_id: int, schedule: Schedule | None = None
) -> None:
    content = context.runtime.content
    if schedule is None:
        text = content.t("remind.ask_time")
    else:
        text = content.t("remind.ask_time_current", time=format_time(schedule.local_time))
    await send(context, chat_id, text, views.time_keyboard())


async def show_changed(
    context: BotContext, chat_id: int, changed: Changed, button: Tap[Any] | None = None
) -> None:
    """Confirm a new zone or time; in /start, go on to the next step."""
    content = context.runtime.content
    now = context.runtime.clock.now()
    schedule = changed.schedule
    next_line = views.next_text(content, schedule, now)
    if changed.what == "zone":
        if button is not None:
            await drop_tapped_buttons(context.bot, button)
        line = views.zone_line(content, schedule.zone_key, now)
        if changed.onboarding:
            await send(context, chat_id, line, ReplyKeyboardRemove())
            await show_time_question(context, chat_id)
            return
        text = content.t("remind.zone_changed", zone_line=line, next=next_line)
        await send(context, chat_id, text, ReplyKeyboardRemove())
        return
    if changed.onboarding and schedule.next_due_at is not None:
        text = content.t(
            "remind.subscribed",
            when=views.when_text(content, schedule.next_due_at, schedule.zone_key, now),
            zone=schedule.zone_key,
            time=format_time(schedule.local_time),
        )
    else:
        text = content.t(
            "remind.time_changed", time=format_time(schedule.local_time), next=next_line
        )
    if button is not None:
        await replace_tapped(context.bot, button, text)
    else:
        await send(context, chat_id, text)


async def show_typed(context: BotContext, chat_id: int, outcome: TypedOutcome | Asked) -> None:
    content = context.runtime.content
    if isinstance(outcome, Changed):
        await show_changed(context, chat_id, outcome)
    elif isinstance(outcome, Refusal):
        await refuse(context, chat_id, outcome)
    elif isinstance(outcome, SafetyPending):
        text, keyboard = views.safety_question(content, outcome.index)
        await send(
            context, chat_id, content.t("onboard.answer_with_buttons") + "\n\n" + text, keyboard
        )
    elif isinstance(outcome, UrgentPending):
        text, keyboard = views.urgent(content)
        await send(
            context, chat_id, content.t("onboard.read_urgent_first") + "\n\n" + text, keyboard
        )
    elif isinstance(outcome, ZoneNotUnderstood):
        await show_zone_not_understood(context, chat_id, outcome)
    elif isinstance(outcome, TimeNotUnderstood):
        first = (
            content.t("remind.time_unknown", text=outcome.echo)
            if outcome.echo
            else content.t("remind.time_unknown_generic")
        )
        text = first + "\n\n" + content.t("remind.time_examples")
        await send(context, chat_id, text, views.time_keyboard())


async def show_zone_not_understood(
    context: BotContext, chat_id: int, outcome: ZoneNotUnderstood
) -> None:
    content = context.runtime.content
    match = outcome.match
    if match.kind == ZoneMatchKind.SUGGEST:
        text = (
            content.t("remind.zone_suggest_echo", text=outcome.echo)
            if outcome.echo
            else content.t("remind.zone_suggest")
        )
        now = context.runtime.clock.now()
        await send(
            context, chat_id, text, views.suggestions_keyboard(content, match.suggestions, now)
        )
        return
    if match.kind == ZoneMatchKind.BAD_OFFSET:
        await send(context, chat_id, content.t("remind.zone_bad_offset"))
        return
    first = (
        content.t("remind.zone_unknown", text=outcome.echo)
        if outcome.echo
        else content.t("remind.zone_unknown_generic")
    )
    await send(context, chat_id, first + "\n\n" + content.t("remind.zone_examples"))


# --- typed text and locations ------------------------------------------------------------


async def on_typed(update: Update, context: BotContext, sender: Sender) -> bool:
    """Text route: a typed zone or time, or text while /start waits for a button."""
    runtime = context.runtime
    async with runtime.session() as session:
        outcome = await service.typed(
            session, sender.user_id, sender.text or "", runtime.clock.now(), context.runtime.zones()
        )
    if outcome is None:
        return False
    await show_typed(context, sender.chat_id, outcome)
    return True


async def on_location(update: Update, context: BotContext) -> None:
    message = update.effective_message
    sender = sender_of(update)
    if sender is None or message is None or message.location is None:
        return
    location = message.location
    zone_key = await context.runtime.zone_locator.locate(location.latitude, location.longitude)
    runtime = context.runtime
    async with runtime.session() as session:
        outcome = await service.choose_located_zone(
            session, sender.user_id, zone_key, runtime.clock.now()
        )
    if isinstance(outcome, LocationNotUnderstood):
        key = "remind.location_not_found" if outcome.asked else "remind.location_unexpected"
        await send(context, sender.chat_id, runtime.content.t(key))
    elif isinstance(outcome, Refusal):
        await refuse(context, sender.chat_id, outcome)
    else:
        await show_changed(context, sender.chat_id, outcome)


# --- commands ----------------------------------------------------------------------------


async def time_command(update: Update, context: BotContext) -> None:
    sender = sender_of(update)
    if sender is None:
        return
    runtime = context.runtime
    async with runtime.session() as session:
        outcome = await service.time_command(
            session, sender.user_id, argument(context), runtime.clock.now()
        )
    if isinstance(outcome, Asked):
        await show_time_question(context, sender.chat_id, outcome.schedule)
    else:
        await show_typed(context, sender.chat_id, outcome)


async def timezone_command(update: Update, context: BotContext) -> None:
    sender = sender_of(update)
    if sender is None:
        return
    runtime = context.runtime
    async with runtime.session() as session:
        outcome = await service.zone_command(
            session, sender.user_id, argument(context), runtime.clock.now(), context.runtime.zones()
        )
    if isinstance(outcome, Asked):
        await show_zone_question(context, sender.chat_id)
    else:
        await show_typed(context, sender.chat_id, outcome)


async def pause_command(update: Update, context: BotContext) -> None:
    sender = sender_of(update)
    if sender is None:
        return
    runtime = context.runtime
    now = runtime.clock.now()
    async with runtime.session() as session:
        outcome = await service.pause_command(session, sender.user_id, argument(context), now)
    content = runtime.content
    if isinstance(outcome, Asked):
        await send(
            context, sender.chat_id, content.t("remind.pause_ask"), views.pause_keyboard(content)
        )
    elif isinstance(outcome, Refusal):
        await refuse(context, sender.chat_id, outcome)
    else:
        await send(context, sender.chat_id, views.paused_text(content, outcome, now))


async def resume_command(update: Update, context: BotContext) -> None:
    sender = sender_of(update)
    if sender is None:
        return
    runtime = context.runtime
    now = runtime.clock.now()
    async with runtime.session() as session:
        outcome = await service.resume(session, sender.user_id, now)
    if isinstance(outcome, Refusal):
        await refuse(context, sender.chat_id, outcome)
        return
    content = runtime.content
    text = content.t("remind.resumed", next=views.next_text(content, outcome, now))
    await send(context, sender.chat_id, text)


async def stop_command(update: Update, context: BotContext) -> None:
    sender = sender_of(update)
    if sender is None:
        return
    runtime = context.runtime
    async with runtime.session() as session:
        outcome = await service.stop(session, sender.user_id, runtime.clock.now())
    if isinstance(outcome, Refusal):
        await refuse(context, sender.chat_id, outcome)
        return
    await send(context, sender.chat_id, runtime.content.t("remind.stopped"))


async def settings_command(update: Update, context: BotContext) -> None:
    sender = sender_of(update)
    if sender is None:
        return
    runtime = context.runtime
    async with runtime.session() as session:
        outcome = await service.current_schedule(session, sender.user_id)
    if isinstance(outcome, Refusal):
        await refuse(context, sender.chat_id, outcome)
        return
    content = runtime.content
    text = views.settings_text(content, outcome, runtime.clock.now())
    await send(context, sender.chat_id, text, views.settings_keyboard(content, outcome))


# --- buttons -----------------------------------------------------------------------------


def _zone_arg(data: CallbackData) -> str:
    if not data.args:
        raise CallbackDataError("no zone")
    return zone_from_token_parts(data.args)


SETTINGS_SCREENS = frozenset({"main", "time", "zone", "days", "pause"})


def _screen_arg(data: CallbackData) -> str:
    screen = data.str_arg(0)
    if screen not in SETTINGS_SCREENS:
        raise CallbackDataError(f"unknown settings screen {screen!r}")
    return screen


def _bounded_int(data: CallbackData, index: int, low: int, high: int) -> int:
    value = data.int_arg(index)
    if not low <= value <= high:
        raise CallbackDataError(f"argument {index} out of range")
    return value


def _snooze_args(data: CallbackData) -> tuple[int, int]:
    minutes = data.int_arg(1)
    if minutes not in SNOOZE_MINUTES:
        raise CallbackDataError(f"snooze of {minutes} minutes is not offered")
    return data.int_arg(0), minutes


async def on_time_pick(update: Update, context: BotContext) -> None:
    button = await read_tap(update, context, lambda data: data.time_arg(0))
    if button is None:
        return
    picked = button.args
    runtime = context.runtime
    async with runtime.session() as session:
        outcome = await service.choose_time(session, button.user_id, picked, runtime.clock.now())
    if isinstance(outcome, Refusal):
        await refuse(context, button.chat_id, outcome)
    else:
        await show_changed(context, button.chat_id, outcome, button)


async def on_zone_pick(update: Update, context: BotContext) -> None:
    button = await read_tap(update, context, _zone_arg)
    if button is None:
        return
    zone_key = button.args
    runtime = context.runtime
    async with runtime.session() as session:
        outcome = await service.choose_zone(session, button.user_id, zone_key, runtime.clock.now())
    if isinstance(outcome, Refusal):
        await refuse_button(context, button, outcome)
    else:
        await show_changed(context, button.chat_id, outcome, button)


async def on_settings_screen(update: Update, context: BotContext) -> None:
    button = await read_tap(update, context, _screen_arg)
    if button is None:
        return
    screen = button.args
    runtime = context.runtime
    async with runtime.session() as session:
        if screen in ("time", "zone"):
            what = Awaiting.TIME if screen == "time" else Awaiting.ZONE
            outcome = await service.ask(session, button.user_id, what)
        else:
            outcome = await service.current_schedule(session, button.user_id)
    if isinstance(outcome, Refusal):
        await refuse_button(context, button, outcome)
    else:
        await show_settings_screen(context, button, screen, outcome)


async def show_settings_screen(
    context: BotContext, button: Tap[Any], screen: str, schedule: Schedule
) -> None:
    """One of the /settings screens, in place of the tapped message (the zone question needs
    a reply keyboard for the location button, so it comes as a new message)."""
    content = context.runtime.content
    if screen == "main":
        text = views.settings_text(content, schedule, context.runtime.clock.now())
        await replace_tapped(
            context.bot,
            button,
            text,
            views.settings_keyboard(content, schedule),
        )
    elif screen == "time":
        text = content.t("remind.ask_time_current", time=format_time(schedule.local_time))
        rows = [*views.time_keyboard().inline_keyboard, views.back_row(content)]
        await replace_tapped(context.bot, button, text, InlineKeyboardMarkup(rows))
    elif screen == "zone":
        await show_zone_question(context, button.chat_id)
    elif screen == "days":
        await replace_tapped(
            context.bot,
            button,
            *views.days_screen(content, schedule.days),
        )
    else:
        pause_markup = views.pause_keyboard(content, with_back=True)
        await replace_tapped(
            context.bot,
            button,
            content.t("remind.pause_ask"),
            pause_markup,
        )


async def on_days_set(update: Update, context: BotContext) -> None:
    button = await read_tap(update, context, lambda data: _bounded_int(data, 0, 0, EVERY_DAY))
    if button is None:
        return
    days = button.args
    runtime = context.runtime
    async with runtime.session() as session:
        outcome = await service.set_days(session, button.user_id, days, runtime.clock.now())
    if isinstance(outcome, Refusal):
        await refuse(context, button.chat_id, outcome)
        return
    await replace_tapped(
        context.bot,
        button,
        *views.days_screen(runtime.content, outcome.days),
    )


async def on_pause_pick(update: Update, context: BotContext) -> None:
    button = await read_tap(update, context, lambda data: _bounded_int(data, 0, 0, MAX_PAUSE_DAYS))
    if button is None:
        return
    days = button.args
    runtime = context.runtime
    now = runtime.clock.now()
    async with runtime.session() as session:
        outcome = await service.pause(session, button.user_id, days or None, now)
    if isinstance(outcome, Refusal):
        await refuse_button(context, button, outcome)
        return
    await replace_tapped(
        context.bot,
        button,
        views.paused_text(runtime.content, outcome, now),
    )


async def on_resume(update: Update, context: BotContext) -> None:
    button = await read_tap(update, context)
    if button is None:
        return
    _ = button.args
    runtime = context.runtime
    now = runtime.clock.now()
    async with runtime.session() as session:
        outcome = await service.resume(session, button.user_id, now)
    if isinstance(outcome, Refusal):
        await refuse_button(context, button, outcome)
        return
    content = runtime.content
    text = content.t("remind.resumed", next=views.next_text(content, outcome, now))
    await replace_tapped(context.bot, button, text)


async def on_snooze(update: Update, context: BotContext) -> None:
    button = await read_tap(update, context, _snooze_args)
    if button is None:
        return
    delivery_id, minutes = button.args
    runtime = context.runtime
    async with runtime.session() as session:
        outcome = await service.snooze(
            session, button.user_id, delivery_id, minutes, runtime.clock.now()
        )
    if isinstance(outcome, Refusal):
        await refuse_button(context, button, outcome)
        return
    text = runtime.content.t(
        "remind.snoozed", prompt=button.text, time=views.clock(outcome.until, outcome.zone_key)
    )
    await replace_tapped(context.bot, button, text)


async def on_skip(update: Update, context: BotContext) -> None:
    button = await read_tap(update, context, whole_number(0))
    if button is None:
        return
    delivery_id = button.args
    runtime = context.runtime
    now = runtime.clock.now()
    async with runtime.session() as session:
        outcome = await service.skip_today(session, button.user_id, delivery_id, now)
    if isinstance(outcome, Refusal):
        await refuse_button(context, button, outcome)
        return
    content = runtime.content
    text = content.t(
        "remind.skipped", prompt=button.text, next=views.next_text(content, outcome, now)
    )
    await replace_tapped(context.bot, button, text)


# --- wiring ------------------------------------------------------------------------------


async def load_zone_names(app: BotApp) -> None:
    """Start-up hook: read the zone database and cities.yaml once, off the event loop."""
    runtime_of(app).zone_directory = await asyncio.to_thread(build_zone_directory)


def register(app: BotApp) -> None:
    commands = {
        "time": time_command,
        "timezone": timezone_command,
        "pause": pause_command,
        "resume": resume_command,
        "stop": stop_command,
        "settings": settings_command,
    }
    for name, callback in commands.items():
        app.add_handler(CommandHandler(name, callback))
    buttons = {
        Action.TIME_PICK: on_time_pick,
        Action.ZONE_PICK: on_zone_pick,
        Action.SETTINGS_SCREEN: on_settings_screen,
        Action.DAYS_SET: on_days_set,
        Action.PAUSE_FOR: on_pause_pick,
        Action.RESUME: on_resume,
        Action.SNOOZE: on_snooze,
        Action.SKIP_TODAY: on_skip,
    }
    for action, callback in buttons.items():
        app.add_handler(CallbackQueryHandler(callback, pattern=pattern(action)))
    app.add_handler(MessageHandler(filters.LOCATION & filters.ChatType.PRIVATE, on_location))
    runtime = runtime_of(app)
    runtime.add_text_route(PRIORITY_AWAITING, on_typed)
    runtime.add_startup_hook(load_zone_names)
    if app.job_queue is None:
        raise RuntimeError("reminders need PTB's job queue (python-telegram-bot[job-queue])")
    interval = runtime.settings.reminder_sweep_seconds
    app.job_queue.run_repeating(
        sweep_job,
        interval=interval,
        first=min(FIRST_SWEEP, timedelta(seconds=interval)),
        name=JOB_NAME,
        job_kwargs={"max_instances": 1, "coalesce": True, "misfire_grace_time": interval},
    )
