"""/pain: the 0-10 keyboard, "/pain 6", plain "pain 6", and an optional note afterwards."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.domain.pain import is_valid_score
from bot.domain.pain_entry import (
    Entry,
    PlainRating,
    Problem,
    parse_command_args,
    parse_plain_text,
)
from bot.features.pain.views import (
    NOTE_START_KEYS,
    PROBLEM_KEYS,
    advice_texts,
    confirm_keyboard,
    note_button,
    pain_scale_keyboard,
    recorded_text,
)
from bot.features.pending.handlers import repeat_question
from bot.features.safety.handlers import screen_typed
from bot.plumbing.callbacks import Action, CallbackData, CallbackDataError, pattern
from bot.plumbing.mapping import Sender
from bot.plumbing.replies import replace_tapped
from bot.plumbing.senders import for_sender
from bot.plumbing.taps import no_args, read_tap, whole_number
from bot.plumbing.text_router import PRIORITY_AWAITING, PRIORITY_COMMAND_LIKE
from bot.runtime import BotApp, BotContext, runtime_of
from bot.services.pain import (
    AWAITING_NOTE,
    NotANote,
    Recorded,
    record_rating,
    start_note,
    take_note,
)

log = logging.getLogger(__name__)


async def _record(context: BotContext, sender: Sender, entry: Entry) -> Recorded:
    runtime = context.runtime
    async with runtime.session() as session:
        return await record_rating(
            session,
            user_id=sender.user_id,
            chat_id=sender.chat_id,
            language_code=sender.language_code,
            score=entry.score,
            note=entry.note,
            now=runtime.clock.now(),
        )


async def _reply(context: BotContext, sender: Sender, entry: Entry | Problem) -> None:
    """Record the entry and confirm it (with the safety advice when it calls for it)."""
    content = context.runtime.content
    if isinstance(entry, Problem):
        await context.bot.send_message(sender.chat_id, content.t(PROBLEM_KEYS[entry]))
        return
    recorded = await _record(context, sender, entry)
    await context.bot.send_message(
        sender.chat_id,
        recorded_text(content, recorded),
        reply_markup=note_button(content, recorded),
    )
    for text in advice_texts(content, recorded):
        await context.bot.send_message(sender.chat_id, text)
    if entry.note:  # the note is screened like any typed text (it stays saved)
        await screen_typed(
            context,
            user_id=sender.user_id,
            chat_id=sender.chat_id,
            language_code=sender.language_code,
            text=entry.note,
        )


async def send_pain_keyboard(context: BotContext, chat_id: int) -> None:
    """The /pain question and its 0-10 keyboard."""
    keyboard = pain_scale_keyboard(Action.PAIN_SCORE)
    await context.bot.send_message(
        chat_id, context.runtime.content.t("pain.ask"), reply_markup=keyboard
    )


async def log_from_words(context: BotContext, sender: Sender, rating: PlainRating) -> None:
    """A pain score read from a sentence ("it's a 6 this morning"): logged with the rest as
    its note when clear; otherwise one tap to confirm it (recorded once, as the /pain keyboard
    records), or the keyboard when no score on the scale was found."""
    if rating.clear and rating.score is not None:
        await _reply(context, sender, Entry(rating.score, rating.note))
        return
    if rating.score is None:
        await send_pain_keyboard(context, sender.chat_id)
        return
    content = context.runtime.content
    await context.bot.send_message(
        sender.chat_id,
        content.t("questions.pain.confirm", score=rating.score),
        reply_markup=confirm_keyboard(content, rating.score),
    )


async def decline_tapped(update: Update, context: BotContext) -> None:
    tap = await read_tap(update, context, no_args)
    if tap is None:
        return
    content = context.runtime.content
    await replace_tapped(context.bot, tap, content.t("questions.pain.not_logged"))


@for_sender
async def pain_command(sender: Sender, context: BotContext) -> None:
    words = (sender.text or "").split(maxsplit=1)
    entry = parse_command_args(words[1] if len(words) > 1 else "")
    if entry is None:
        await send_pain_keyboard(context, sender.chat_id)
        return
    await _reply(context, sender, entry)


async def pain_text(update: Update, context: BotContext, sender: Sender) -> bool:
    """Plain "pain 6" (strict: anything else is left to the other routes)."""
    entry = parse_plain_text(sender.text or "")
    if entry is None:
        return False
    await _reply(context, sender, entry)
    return True


def _score_arg(data: CallbackData) -> int:
    score: int = data.int_arg(0)
    if not is_valid_score(score):
        raise CallbackDataError(f"{data.action}: score out of range")
    return score


async def score_tapped(update: Update, context: BotContext) -> None:
    tap = await read_tap(update, context, _score_arg, answer_later=True)
    if tap is None:
        return
    content = context.runtime.content
    runtime = context.runtime
    async with runtime.session() as session:
        recorded = await record_rating(
            session,
            user_id=tap.user_id,
            chat_id=tap.chat_id,
            language_code=tap.language_code,
            score=tap.args,
            now=runtime.clock.now(),
            keyboard_message_id=tap.message_id,
        )
    if recorded.already_saved:
        await tap.query.answer(content.t("pain.already_saved"))
        return
    await tap.query.answer()
    await replace_tapped(
        context.bot, tap, recorded_text(content, recorded), note_button(content, recorded)
    )
    for text in advice_texts(content, recorded):
        await context.bot.send_message(tap.sender.chat_id, text)


async def note_tapped(update: Update, context: BotContext) -> None:
    tap = await read_tap(update, context, whole_number(0))
    if tap is None:
        return
    runtime = context.runtime
    async with runtime.session() as session:
        accepted = await start_note(
            session,
            user_id=tap.sender.user_id,
            rating_id=tap.data.int_arg(0),
            now=runtime.clock.now(),
        )
    key = NOTE_START_KEYS[accepted]
    await context.bot.send_message(tap.sender.chat_id, runtime.content.t(key))


async def note_text(update: Update, context: BotContext, sender: Sender) -> bool:
    """The message after "Add a note", while the bot waits for it."""
    runtime = context.runtime
    async with runtime.session() as session:
        saved = await take_note(
            session,
            user_id=sender.user_id,
            text=sender.text or "",
            now=runtime.clock.now(),
            read=runtime.library.read,
        )
    if saved is None:
        return False
    content = runtime.content
    if isinstance(saved, NotANote):
        text = (
            content.t("pending.note", score=saved.score)
            if saved.score is not None
            else content.t("pending.note_no_score")
        )
        repeat_question(context, sender, text, awaiting=AWAITING_NOTE)
        return False
    if saved.score is None:
        await context.bot.send_message(sender.chat_id, content.t("pain.note_gone"))
        return True
    lines = [content.t("pain.note_saved", score=saved.score)]
    if saved.clipped:
        lines.append(content.t("pain.note_clipped"))
    await context.bot.send_message(sender.chat_id, "\n".join(lines))
    return True


def register(app: BotApp) -> None:
    app.add_handler(CommandHandler("pain", pain_command))
    app.add_handler(CallbackQueryHandler(score_tapped, pattern=pattern(Action.PAIN_SCORE)))
    app.add_handler(CallbackQueryHandler(note_tapped, pattern=pattern(Action.PAIN_NOTE)))
    app.add_handler(CallbackQueryHandler(decline_tapped, pattern=pattern(Action.PAIN_DECLINE)))
    runtime_of(app).add_text_route(PRIORITY_AWAITING, note_text)
    runtime_of(app).add_text_route(PRIORITY_COMMAND_LIKE, pain_text)
