"""The daily reminder: /time, /timezone, /pause, /resume, /stop, /settings, the prompt's
buttons, typed times and zones, shared locations, and the sweep job."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.features.reminders import views
from bot.features.reminders.buttons import (
    on_days_set,
    on_pause_pick,
    on_resume,
    on_settings_screen,
    on_skip,
    on_snooze,
    on_time_pick,
    on_when_done,
    on_zone_pick,
)
from bot.features.reminders.jobs import JOB_NAME, sweep_job
from bot.features.reminders.screens import (
    argument,
    refuse,
    send,
    show_changed,
    show_time_question,
    show_typed,
    show_zone_question,
)
from bot.features.reminders.waits import repeat_later
from bot.plumbing.callbacks import Action, pattern
from bot.plumbing.mapping import Sender, sender_of
from bot.plumbing.senders import for_sender
from bot.plumbing.text_router import PRIORITY_AWAITING
from bot.runtime import BotApp, BotContext, runtime_of
from bot.services import reminder_answers as answers
from bot.services import reminder_commands as commands
from bot.services import reminders as service
from bot.services.reminder_answers import NotAnAnswer
from bot.services.reminder_commands import Asked, LocationNotUnderstood
from bot.services.reminders import Refusal
from bot.services.zone_lookup import build_zone_directory

log = logging.getLogger(__name__)

FIRST_SWEEP = timedelta(seconds=5)


# --- typed text and locations ------------------------------------------------------------


async def on_typed(update: Update, context: BotContext, sender: Sender) -> bool:
    """Text route: a typed zone or time, or text while /start waits for a button."""
    runtime = context.runtime
    async with runtime.session() as session:
        outcome = await answers.typed(
            session,
            sender.user_id,
            sender.text or "",
            runtime.clock.now(),
            runtime.zones(),
            runtime.library.read,
        )
    if outcome is None:
        return False
    if isinstance(outcome, NotAnAnswer):
        repeat_later(context, sender, outcome)
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
        outcome = await commands.choose_located_zone(
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


@for_sender
async def time_command(sender: Sender, context: BotContext) -> None:
    runtime = context.runtime
    async with runtime.session() as session:
        outcome = await commands.time_command(
            session, sender.user_id, argument(context), runtime.clock.now()
        )
    if isinstance(outcome, Asked):
        await show_time_question(context, sender.chat_id, outcome.schedule)
    else:
        await show_typed(context, sender.chat_id, outcome)


@for_sender
async def timezone_command(sender: Sender, context: BotContext) -> None:
    runtime = context.runtime
    async with runtime.session() as session:
        outcome = await commands.zone_command(
            session, sender.user_id, argument(context), runtime.clock.now(), context.runtime.zones()
        )
    if isinstance(outcome, Asked):
        await show_zone_question(context, sender.chat_id)
    else:
        await show_typed(context, sender.chat_id, outcome)


@for_sender
async def pause_command(sender: Sender, context: BotContext) -> None:
    runtime = context.runtime
    now = runtime.clock.now()
    async with runtime.session() as session:
        outcome = await commands.pause_command(session, sender.user_id, argument(context), now)
    content = runtime.content
    if isinstance(outcome, Asked):
        await send(
            context, sender.chat_id, content.t("remind.pause_ask"), views.pause_keyboard(content)
        )
    elif isinstance(outcome, Refusal):
        await refuse(context, sender.chat_id, outcome)
    else:
        await send(context, sender.chat_id, views.paused_text(content, outcome, now))


@for_sender
async def resume_command(sender: Sender, context: BotContext) -> None:
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


@for_sender
async def stop_command(sender: Sender, context: BotContext) -> None:
    runtime = context.runtime
    async with runtime.session() as session:
        outcome = await service.stop(session, sender.user_id, runtime.clock.now())
    if isinstance(outcome, Refusal):
        await refuse(context, sender.chat_id, outcome)
        return
    await send(context, sender.chat_id, runtime.content.t("remind.stopped"))


@for_sender
async def settings_command(sender: Sender, context: BotContext) -> None:
    runtime = context.runtime
    async with runtime.session() as session:
        outcome = await service.current_schedule(session, sender.user_id)
    if isinstance(outcome, Refusal):
        await refuse(context, sender.chat_id, outcome)
        return
    content = runtime.content
    text = views.settings_text(content, outcome, runtime.clock.now())
    await send(context, sender.chat_id, text, views.settings_keyboard(content, outcome))


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
        Action.WHEN_DONE: on_when_done,
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
