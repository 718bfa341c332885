"""The reminder buttons: a time or zone picked, the /settings screens, pause, resume, snooze
and skip on the daily prompt."""

from __future__ import annotations

from typing import Any

from telegram import InlineKeyboardMarkup, Update

from bot.domain.onboarding import Awaiting
from bot.domain.schedule import EVERY_DAY, MAX_PAUSE_DAYS, SNOOZE_MINUTES
from bot.domain.timeparse import format_time
from bot.domain.zoneparse import zone_from_token_parts
from bot.features.reminders import views
from bot.features.reminders.screens import (
    refuse,
    refuse_button,
    show_changed,
    show_zone_question,
)
from bot.plumbing.callbacks import CallbackData, CallbackDataError
from bot.plumbing.replies import replace_tapped
from bot.plumbing.taps import Tap, read_tap, whole_number
from bot.runtime import BotContext
from bot.services import daily_prompt
from bot.services import reminder_commands as commands
from bot.services import reminders as service
from bot.services.reminders import Refusal, Schedule


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
            outcome = await service.ask(session, button.user_id, what, runtime.clock.now())
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
        outcome = await daily_prompt.snooze(
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
        outcome = await daily_prompt.skip_today(session, button.user_id, delivery_id, now)
    if isinstance(outcome, Refusal):
        await refuse_button(context, button, outcome)
        return
    content = runtime.content
    text = content.t(
        "remind.skipped", prompt=button.text, next=views.next_text(content, outcome, now)
    )
    await replace_tapped(context.bot, button, text)


async def on_when_done(update: Update, context: BotContext) -> None:
    """The /settings toggle: what a prompt does once today's routine is done."""
    button = await read_tap(update, context, lambda data: _bounded_int(data, 0, 0, 1))
    if button is None:
        return
    runtime = context.runtime
    async with runtime.session() as session:
        outcome = await commands.set_note_when_done(
            session, button.user_id, bool(button.args), runtime.clock.now()
        )
    if isinstance(outcome, Refusal):
        await refuse_button(context, button, outcome)
        return
    await show_settings_screen(context, button, "main", outcome)
