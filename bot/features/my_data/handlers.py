"""/export (CSV + 90-day picture as files) and /delete (confirm, then erase everything)."""

from __future__ import annotations

import asyncio

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.features.my_data.views import PICTURE_FILENAME, _caption, file_caption, file_titles
from bot.features.progress.charts import render_history_png
from bot.features.progress.views import chart_labels
from bot.features.report.handlers import report_pdf
from bot.features.report.views import report_filename
from bot.plumbing.callbacks import Action, encode, pattern
from bot.plumbing.mapping import Sender
from bot.plumbing.replies import replace_tapped
from bot.plumbing.senders import for_sender
from bot.plumbing.taps import read_tap, whole_number
from bot.runtime import BotApp, BotContext
from bot.services.my_data import erase_everything, export_data
from bot.services.progress import History
from bot.services.report.requests import REPORT_PERIODS


@for_sender
async def export_command(sender: Sender, context: BotContext) -> None:
    runtime = context.runtime
    content = runtime.content
    names = {exercise.id: exercise.name for exercise in content.exercises}
    async with runtime.session() as session:
        bundle = await export_data(
            session,
            user_id=sender.user_id,
            now=runtime.clock.now(),
            titles=file_titles(content),
            names=names,
        )
    if bundle.ratings + bundle.routines + bundle.holds + bundle.sets == 0:
        await context.bot.send_message(sender.chat_id, content.t("export.nothing"))
        return
    for number, (filename, file) in enumerate(bundle.files):
        caption = _caption(content, bundle) if number == 0 else file_caption(content, file.kind)
        await context.bot.send_document(
            sender.chat_id, document=InputFile(file.data, filename=filename), caption=caption
        )
    if bundle.history.summary.has_data:
        await _send_picture(context, sender.chat_id, bundle.history)
    made = await report_pdf(runtime, sender.user_id, REPORT_PERIODS[-1], include_notes=True)
    if made is not None:
        pdf, _ = made
        await context.bot.send_document(
            sender.chat_id,
            document=InputFile(pdf, filename=report_filename(REPORT_PERIODS[-1])),
            caption=content.t("export.report_caption", days=REPORT_PERIODS[-1]),
        )


async def _send_picture(context: BotContext, chat_id: int, history: History) -> None:
    """The 90-day picture as a file (full resolution, unlike a photo), rendered off the loop."""
    content = context.runtime.content
    labels = chart_labels(content, history.summary)
    png = await asyncio.to_thread(render_history_png, history.chart, labels)
    picture = InputFile(png, filename=PICTURE_FILENAME)
    await context.bot.send_document(
        chat_id, document=picture, caption=content.t("export.picture_caption")
    )


@for_sender
async def delete_command(sender: Sender, context: BotContext) -> None:
    runtime = context.runtime
    content = runtime.content
    asked_at = int(runtime.clock.now().timestamp())
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    content.t("erase.button_yes"), callback_data=encode(Action.ERASE_YES, asked_at)
                )
            ],
            [
                InlineKeyboardButton(
                    content.t("erase.button_no"), callback_data=encode(Action.ERASE_NO)
                )
            ],
        ]
    )
    await context.bot.send_message(sender.chat_id, content.t("erase.ask"), reply_markup=keyboard)


async def erase_confirmed(update: Update, context: BotContext) -> None:
    """ "Yes, erase everything": the tapping user's rows only, whatever the button carries."""
    tap = await read_tap(update, context, whole_number(0))
    if tap is None:
        return
    runtime = context.runtime
    async with runtime.session() as session:
        erased = await erase_everything(
            session,
            user_id=tap.sender.user_id,
            asked_at=tap.data.int_arg(0),
            now=runtime.clock.now(),
        )
    if erased:
        for hook in runtime.erase_hooks:
            await hook(tap.sender.user_id)
    await replace_tapped(
        context.bot, tap, runtime.content.t("erase.done" if erased else "erase.expired")
    )


async def erase_cancelled(update: Update, context: BotContext) -> None:
    tap = await read_tap(update, context)
    if tap is not None:
        await replace_tapped(context.bot, tap, context.runtime.content.t("erase.cancelled"))


def register(app: BotApp) -> None:
    app.add_handler(CommandHandler("export", export_command))
    app.add_handler(CommandHandler("delete", delete_command))
    app.add_handler(CallbackQueryHandler(erase_confirmed, pattern=pattern(Action.ERASE_YES)))
    app.add_handler(CallbackQueryHandler(erase_cancelled, pattern=pattern(Action.ERASE_NO)))
