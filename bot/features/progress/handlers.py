"""/history (picture + words, 7/30/90 days), the weekly summary job and its settings screen.

Switching the period sends a new picture rather than editing the old one: the earlier
period stays on screen to compare, and it works however old the first message is.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import time

from telegram import Bot, InlineKeyboardMarkup, InputFile, Update
from telegram.error import Forbidden, TelegramError
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.domain.progress import DEFAULT_PERIOD, PERIODS
from bot.domain.weekly import DAYS_OF_WEEK
from bot.features.pending.handlers import repeat_question
from bot.features.progress.charts import render_history_png
from bot.features.progress.views import (
    chart_labels,
    period_keyboard,
    summary_text,
    weekly_keyboard,
    weekly_screen_text,
)
from bot.features.report.views import report_button
from bot.features.safety import views as safety_views
from bot.plumbing.callbacks import Action, CallbackData, pattern
from bot.plumbing.mapping import Sender
from bot.plumbing.pace import sending_as
from bot.plumbing.replies import replace_tapped
from bot.plumbing.senders import for_sender
from bot.plumbing.taps import read_tap
from bot.plumbing.text_router import PRIORITY_AWAITING
from bot.runtime import BotApp, BotContext, runtime_of
from bot.runtime.budget import Priority
from bot.services.progress import (
    AWAITING_WEEKLY_TIME,
    DueSummary,
    History,
    NotAWeeklyTime,
    WeeklySettings,
    WeeklyTimeNotUnderstood,
    await_weekly_time,
    change_weekly,
    claim_due_summaries,
    load_history,
    mark_blocked,
    schedule_new_weekly,
    take_weekly_time,
)
from bot.services.report.requests import DEFAULT_PERIOD as REPORT_DEFAULT
from content import Content

log = logging.getLogger(__name__)

MAX_CAPTION = 1024  # Telegram's limit for a photo caption
WEEKLY_SWEEP_SECONDS = 60
WEEKLY_JOB_NAME = "weekly-summary-sweep"


# --- the picture and the words -----------------------------------------------------------


async def send_history(
    bot: Bot,
    chat_id: int,
    content: Content,
    history: History,
    *,
    heading: str | None = None,
    offer_report: bool = False,
) -> None:
    """The picture with the figures in words as its caption (or only words, with no data);
    ``offer_report`` adds a button for the clinician report (under the weekly summary)."""
    summary = history.summary
    keyboard = period_keyboard(content, summary.days)
    if offer_report:
        rows = [*keyboard.inline_keyboard, [report_button(content, REPORT_DEFAULT)]]
        keyboard = InlineKeyboardMarkup(rows)
    if not summary.has_data:
        text = content.t("history.nothing_yet", days=summary.days)
        await bot.send_message(chat_id, text, reply_markup=keyboard)
        return
    png = await asyncio.to_thread(render_history_png, history.chart, chart_labels(content, summary))
    photo = InputFile(png, filename=f"pain-{summary.days}-days.png")
    text = summary_text(content, summary, heading=heading)
    if len(text) > MAX_CAPTION:  # a long translation: the words go in their own message
        await bot.send_photo(chat_id, photo=photo)
        await bot.send_message(chat_id, text, reply_markup=keyboard)
        return
    await bot.send_photo(chat_id, photo=photo, caption=text, reply_markup=keyboard)


async def _show(context: BotContext, sender: Sender, days: int) -> None:
    runtime = context.runtime
    async with runtime.session() as session:
        history = await load_history(
            session, user_id=sender.user_id, days=days, now=runtime.clock.now()
        )
    await send_history(context.bot, sender.chat_id, runtime.content, history)


@for_sender
async def history_command(sender: Sender, context: BotContext) -> None:
    wanted = (context.args or [""])[0]
    if wanted.isdecimal() and int(wanted) in PERIODS:
        await _show(context, sender, int(wanted))
        return
    if wanted:  # a period it has not got: say so, and show the default one
        periods = ", ".join(str(days) for days in PERIODS)
        text = context.runtime.content.t(
            "history.period_unknown", wanted=wanted[:20], periods=periods, days=DEFAULT_PERIOD
        )
        await context.bot.send_message(sender.chat_id, text)
    await _show(context, sender, DEFAULT_PERIOD)


async def period_tapped(update: Update, context: BotContext) -> None:
    tap = await read_tap(update, context, lambda data: data.int_arg(0) in PERIODS)
    if tap is not None:
        await _show(context, tap.sender, tap.data.int_arg(0))


# --- the weekly summary ------------------------------------------------------------------


async def weekly_summary_sweep(context: BotContext) -> None:
    """Every minute: give new users a time, then send the summaries that are due.

    The summaries are scheduled sends, like the daily prompt: they take the budget's
    REMINDER priority, so an answer to what a user just did goes before them."""
    runtime = context.runtime
    now = runtime.clock.now()
    async with runtime.session() as session:
        await schedule_new_weekly(session, now)
        due = await claim_due_summaries(session, now)
    with sending_as(Priority.REMINDER):
        for item in due:
            await _send_weekly(context, item)


async def _send_weekly(context: BotContext, item: DueSummary) -> None:
    runtime = context.runtime
    content = runtime.content
    try:
        await send_history(
            context.bot,
            item.chat_id,
            content,
            item.history,
            heading=content.t("weekly_summary.header"),
            offer_report=True,
        )
        # Warning signs can appear weeks later: one tap to the same questions as at /start.
        text, markup = safety_views.rescreen_offer(content)
        await context.bot.send_message(item.chat_id, text, reply_markup=markup)
    except Forbidden:
        log.warning("weekly summary: user %s has blocked the bot; summaries stop", item.user_id)
        async with runtime.session() as session:
            await mark_blocked(session, user_id=item.user_id, now=runtime.clock.now())
        return
    except TelegramError as error:
        log.warning("weekly summary for user %s not sent: %s", item.user_id, error)
        return
    log.info("weekly summary sent: user=%s", item.user_id)


# --- its settings screen -----------------------------------------------------------------


def _valid_weekly(data: CallbackData) -> bool:
    if data.action is Action.WEEKLY_TOGGLE:
        return data.str_arg(0) in {"on", "off"}
    if data.action is Action.WEEKLY_DAY:
        return data.int_arg(0) in DAYS_OF_WEEK
    if data.action is Action.WEEKLY_TIME:
        return data.time_arg(0) is not None
    return True


async def weekly_screen(update: Update, context: BotContext) -> None:
    """The /settings "Weekly summary" button: the screen in place, like every /settings screen
    (the summary's own button opens it too)."""
    tap = await read_tap(update, context)
    if tap is None:
        return
    settings = await _change(context, tap.sender)
    content = context.runtime.content
    await replace_tapped(
        context.bot, tap, weekly_screen_text(content, settings), weekly_keyboard(content, settings)
    )


async def weekly_changed(update: Update, context: BotContext) -> None:
    """On/off, day or time tapped on the screen: save, then redraw the screen in place."""
    tap = await read_tap(update, context, _valid_weekly)
    if tap is None:
        return
    data = tap.data
    settings = await _change(
        context,
        tap.sender,
        enabled=(data.str_arg(0) == "on") if data.action is Action.WEEKLY_TOGGLE else None,
        weekday=data.int_arg(0) if data.action is Action.WEEKLY_DAY else None,
        at=data.time_arg(0) if data.action is Action.WEEKLY_TIME else None,
    )
    content = context.runtime.content
    await replace_tapped(
        context.bot, tap, weekly_screen_text(content, settings), weekly_keyboard(content, settings)
    )


async def _change(
    context: BotContext,
    sender: Sender,
    *,
    enabled: bool | None = None,
    weekday: int | None = None,
    at: time | None = None,
) -> WeeklySettings:
    runtime = context.runtime
    async with runtime.session() as session:
        return await change_weekly(
            session,
            user_id=sender.user_id,
            chat_id=sender.chat_id,
            language_code=sender.language_code,
            now=runtime.clock.now(),
            enabled=enabled,
            weekday=weekday,
            at=at,
        )


async def other_time_tapped(update: Update, context: BotContext) -> None:
    tap = await read_tap(update, context)
    if tap is None:
        return
    runtime = context.runtime
    async with runtime.session() as session:
        await await_weekly_time(session, user_id=tap.sender.user_id, now=runtime.clock.now())
    await context.bot.send_message(tap.sender.chat_id, runtime.content.t("weekly_summary.ask_time"))


async def weekly_time_text(update: Update, context: BotContext, sender: Sender) -> bool:
    """The time typed after "Other time…"."""
    runtime = context.runtime
    async with runtime.session() as session:
        result = await take_weekly_time(
            session,
            user_id=sender.user_id,
            chat_id=sender.chat_id,
            language_code=sender.language_code,
            text=sender.text or "",
            now=runtime.clock.now(),
            read=runtime.library.read,
        )
    content = runtime.content
    if result is None:
        return False
    if isinstance(result, NotAWeeklyTime):
        text = content.t("pending.weekly_time")
        repeat_question(context, sender, text, awaiting=AWAITING_WEEKLY_TIME)
        return False
    if isinstance(result, WeeklyTimeNotUnderstood):
        await context.bot.send_message(sender.chat_id, content.t("weekly_summary.time_unclear"))
        return True
    await context.bot.send_message(
        sender.chat_id,
        weekly_screen_text(content, result),
        reply_markup=weekly_keyboard(content, result),
    )
    return True


def register(app: BotApp) -> None:
    app.add_handler(CommandHandler("history", history_command))
    app.add_handler(CallbackQueryHandler(period_tapped, pattern=pattern(Action.HISTORY_PERIOD)))
    app.add_handler(CallbackQueryHandler(weekly_screen, pattern=pattern(Action.SETTINGS_WEEKLY)))
    app.add_handler(
        CallbackQueryHandler(
            weekly_changed,
            pattern=pattern(Action.WEEKLY_TOGGLE, Action.WEEKLY_DAY, Action.WEEKLY_TIME),
        )
    )
    app.add_handler(
        CallbackQueryHandler(other_time_tapped, pattern=pattern(Action.WEEKLY_OTHER_TIME))
    )
    runtime_of(app).add_text_route(PRIORITY_AWAITING, weekly_time_text)
    if app.job_queue is None:
        raise RuntimeError(
            "the weekly summary needs the job queue (python-telegram-bot[job-queue])"
        )
    app.job_queue.run_repeating(
        weekly_summary_sweep, interval=WEEKLY_SWEEP_SECONDS, name=WEEKLY_JOB_NAME
    )
