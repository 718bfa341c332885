"""The reminder buttons: a time or zone picked, the /settings screens, pause, resume, snooze
and skip on the daily prompt."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession
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
from bot.plumbing.taps import Parser, Tap, no_args, read_tap, whole_number
from bot.runtime import BotContext
from bot.services import daily_prompt
from bot.services import reminder_commands as commands
from bot.services import reminders as service
from bot.services.reminders import Refusal, Schedule

A = TypeVar("A")
R = TypeVar("R")


@dataclass(frozen=True)
class Served(Generic[A, R]):
    """A tap the service accepted: the tap, the service's answer, and the instant it ran at."""

    tap: Tap[A]
    outcome: R
    now: datetime


async def _serve(
    update: Update,
    context: BotContext,
    parse: Parser[A],
    call: Callable[[AsyncSession, int, A, datetime], Awaitable[R | Refusal]],
    *,
    drop_stale: bool = True,
) -> Served[A, R] | None:
    """The one path of every reminder button: read the tap, run ``call(session, user id, the
    tap's arguments, now)`` in one session, and answer a refusal (with ``drop_stale``, a
    stale one also takes the tapped message's buttons away). None when there is nothing more
    to show."""
    button = await read_tap(update, context, parse)
    if button is None:
        return None
    runtime = context.runtime
    now = runtime.clock.now()
    async with runtime.session() as session:
        outcome = await call(session, button.user_id, button.args, now)
    if isinstance(outcome, Refusal):
        if drop_stale:
            await refuse_button(context, button, outcome)
        else:
            await refuse(context, button.chat_id, outcome)
        return None
    return Served(button, outcome, now)


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
    served = await _serve(
        update, context, lambda data: data.time_arg(0), service.choose_time, drop_stale=False
    )
    if served is not None:
        await show_changed(context, served.tap.chat_id, served.outcome, served.tap)


async def on_zone_pick(update: Update, context: BotContext) -> None:
    served = await _serve(update, context, _zone_arg, service.choose_zone)
    if served is not None:
        await show_changed(context, served.tap.chat_id, served.outcome, served.tap)


async def _open_screen(
    session: AsyncSession, user_id: int, screen: str, now: datetime
) -> Schedule | Refusal:
    """The time and zone screens wait for a typed answer; the others show the schedule."""
    if screen in ("time", "zone"):
        what = Awaiting.TIME if screen == "time" else Awaiting.ZONE
        return await service.ask(session, user_id, what, now)
    return await service.current_schedule(session, user_id)


async def on_settings_screen(update: Update, context: BotContext) -> None:
    served = await _serve(update, context, _screen_arg, _open_screen)
    if served is not None:
        await show_settings_screen(context, served.tap, served.tap.args, served.outcome)


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
    served = await _serve(
        update,
        context,
        lambda data: _bounded_int(data, 0, 0, EVERY_DAY),
        service.set_days,
        drop_stale=False,
    )
    if served is not None:
        content = context.runtime.content
        await replace_tapped(
            context.bot, served.tap, *views.days_screen(content, served.outcome.days)
        )


async def _pause(
    session: AsyncSession, user_id: int, days: int, now: datetime
) -> Schedule | Refusal:
    return await service.pause(session, user_id, days or None, now)  # 0: until /resume


async def on_pause_pick(update: Update, context: BotContext) -> None:
    served = await _serve(
        update, context, lambda data: _bounded_int(data, 0, 0, MAX_PAUSE_DAYS), _pause
    )
    if served is not None:
        text = views.paused_text(context.runtime.content, served.outcome, served.now)
        await replace_tapped(context.bot, served.tap, text)


async def _resume(
    session: AsyncSession, user_id: int, _: None, now: datetime
) -> Schedule | Refusal:
    return await service.resume(session, user_id, now)


async def on_resume(update: Update, context: BotContext) -> None:
    served = await _serve(update, context, no_args, _resume)
    if served is not None:
        content = context.runtime.content
        upcoming = views.next_text(content, served.outcome, served.now)
        await replace_tapped(context.bot, served.tap, content.t("remind.resumed", next=upcoming))


async def _snooze(
    session: AsyncSession, user_id: int, args: tuple[int, int], now: datetime
) -> daily_prompt.Snoozed | Refusal:
    delivery_id, minutes = args
    return await daily_prompt.snooze(session, user_id, delivery_id, minutes, now)


async def on_snooze(update: Update, context: BotContext) -> None:
    served = await _serve(update, context, _snooze_args, _snooze)
    if served is not None:
        until = views.clock(served.outcome.until, served.outcome.zone_key)
        text = context.runtime.content.t("remind.snoozed", prompt=served.tap.text, time=until)
        await replace_tapped(context.bot, served.tap, text)


async def on_skip(update: Update, context: BotContext) -> None:
    served = await _serve(update, context, whole_number(0), daily_prompt.skip_today)
    if served is not None:
        content = context.runtime.content
        upcoming = views.next_text(content, served.outcome, served.now)
        text = content.t("remind.skipped", prompt=served.tap.text, next=upcoming)
        await replace_tapped(context.bot, served.tap, text)


async def _note_when_done(
    session: AsyncSession, user_id: int, note: int, now: datetime
) -> Schedule | Refusal:
    return await commands.set_note_when_done(session, user_id, bool(note), now)


async def on_when_done(update: Update, context: BotContext) -> None:
    """The /settings toggle: what a prompt does once today's routine is done."""
    served = await _serve(
        update, context, lambda data: _bounded_int(data, 0, 0, 1), _note_when_done
    )
    if served is not None:
        await show_settings_screen(context, served.tap, "main", served.outcome)
