"""/report: the one-page PDF for a clinician, for 7, 30 or 90 days; /report name sets the
name printed on it. Also offered under the weekly summary and sent as a third file by /export."""

from __future__ import annotations

import asyncio
import logging

from telegram import InputFile, Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.features.report.pdf import render_report
from bot.features.report.views import report_caption, report_filename, report_keyboard
from bot.plumbing.callbacks import Action, CallbackData, CallbackDataError, pattern
from bot.plumbing.mapping import Sender
from bot.plumbing.senders import for_sender
from bot.plumbing.taps import read_tap
from bot.runtime import BotApp, BotContext, Runtime
from bot.services.report.requests import (
    DEFAULT_PERIOD,
    REPORT_PERIODS,
    report_for,
    set_report_name,
)

log = logging.getLogger(__name__)


async def report_pdf(
    runtime: Runtime, user_id: int, days: int, *, include_notes: bool
) -> tuple[bytes, bool] | None:
    """The PDF (rendered in a worker thread) and whether it carries a name; None if there is
    nothing to report."""
    async with runtime.session() as session:
        data = await report_for(
            session,
            user_id=user_id,
            days=days,
            include_notes=include_notes,
            now=runtime.clock.now(),
            exercises=runtime.content.exercises,
        )
    if data is None:
        return None
    pdf = await asyncio.to_thread(render_report, data, runtime.content)
    return pdf, data.name is not None


async def send_report(
    context: BotContext, chat_id: int, user_id: int, days: int, *, include_notes: bool
) -> None:
    runtime = context.runtime
    content = runtime.content
    made = await report_pdf(runtime, user_id, days, include_notes=include_notes)
    if made is None:
        await context.bot.send_message(chat_id, content.t("report.nothing", days=days))
        return
    pdf, named = made
    await context.bot.send_document(
        chat_id,
        document=InputFile(pdf, filename=report_filename(days)),
        caption=report_caption(content, days, include_notes=include_notes, named=named),
        reply_markup=report_keyboard(content, days, include_notes=include_notes),
    )
    log.info("report sent: user=%s days=%s", user_id, days)


@for_sender
async def report_command(sender: Sender, context: BotContext) -> None:
    args = context.args or []
    runtime = context.runtime
    content = runtime.content
    if args and args[0].lower() == "name":
        async with runtime.session() as session:
            name = await set_report_name(
                session,
                user_id=sender.user_id,
                chat_id=sender.chat_id,
                language_code=sender.language_code,
                name=" ".join(args[1:]),
                now=runtime.clock.now(),
            )
        key = "report.name_set" if name else "report.name_cleared"
        await context.bot.send_message(sender.chat_id, content.t(key, name=name or ""))
        return
    if args and not (args[0].isdecimal() and int(args[0]) in REPORT_PERIODS):
        await context.bot.send_message(sender.chat_id, content.t("report.bad_period"))
        return
    days = int(args[0]) if args else DEFAULT_PERIOD
    await send_report(context, sender.chat_id, sender.user_id, days, include_notes=True)


def _report_args(data: CallbackData) -> tuple[int, bool]:
    days, notes = data.int_arg(0), data.int_arg(1)
    if days not in REPORT_PERIODS or notes not in (0, 1):
        raise CallbackDataError(f"{data.action}: no such report")
    return days, notes == 1


async def report_tapped(update: Update, context: BotContext) -> None:
    tap = await read_tap(update, context, _report_args)
    if tap is None:
        return
    days, include_notes = tap.args
    await send_report(context, tap.chat_id, tap.user_id, days, include_notes=include_notes)


def register(app: BotApp) -> None:
    app.add_handler(CommandHandler("report", report_command))
    app.add_handler(CallbackQueryHandler(report_tapped, pattern=pattern(Action.REPORT)))
