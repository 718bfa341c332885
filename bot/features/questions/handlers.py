"""Stretches and questions in free text: /exercises, /exercise, red flags, answers, inline mode.

The reading itself is pure (bot.domain.questions.Library, built once at start-up); these
handlers only turn a reading into a message. Text routes:

* PRIORITY_SAFETY: the safety screen (bot.features.safety.screen_typed): a warning tier's
  text, then a note that nothing else was done with the message (any pending step is left as
  it was); a yes/no question when unclear; ordinary sciatica: its explanation, then the rest.
* PRIORITY_QUESTIONS: a stretch, a question topic, hello or thanks. Anything else falls through
  to the text fallback, which shows the stretches and the questions as buttons.
"""

from __future__ import annotations

import logging

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    Update,
)
from telegram.ext import CallbackQueryHandler, CommandHandler, InlineQueryHandler

from bot.domain.questions import NOTHING
from bot.features.questions.views import (
    Reply,
    answer_text,
    exercise_card,
    exercise_card_keyboard,
    exercise_command_reply,
    exercises_keyboard,
    reply_for,
    topics_keyboard,
)
from bot.features.safety.handlers import screen_typed
from bot.plumbing.callbacks import Action, CallbackData, pattern
from bot.plumbing.mapping import Sender
from bot.plumbing.senders import for_sender
from bot.plumbing.taps import read_tap
from bot.plumbing.text_router import PRIORITY_QUESTIONS, PRIORITY_SAFETY
from bot.runtime import BotApp, BotContext, runtime_of
from content import Answer, Content, Exercise

log = logging.getLogger(__name__)

INLINE_CACHE_SECONDS = 300


async def _send(context: BotContext, chat_id: int, reply: Reply) -> None:
    text, markup = reply
    await context.bot.send_message(chat_id, text, reply_markup=markup)


async def _urgent_if_red_flag(context: BotContext, sender: Sender, text: str) -> bool:
    """Screen ``text`` (bot.features.safety decides): True when it got a warning (then a note
    that nothing else was done with it) or a yes/no question; ordinary sciatica gets its
    explanation and the message is then answered as usual (False)."""
    verdict = await screen_typed(
        context,
        user_id=sender.user_id,
        chat_id=sender.chat_id,
        language_code=sender.language_code,
        text=text,
        update_id=sender.update_id,
    )
    if verdict == "warned":
        content = context.runtime.content
        await context.bot.send_message(sender.chat_id, content.t("questions.red_flag_next"))
    return verdict in ("warned", "asked")


async def red_flag_route(update: Update, context: BotContext, sender: Sender) -> bool:
    return await _urgent_if_red_flag(context, sender, sender.text or "")


async def question_route(update: Update, context: BotContext, sender: Sender) -> bool:
    reply = reply_for(context.runtime.content, context.runtime.library.read(sender.text or ""))
    if reply is None:
        return False
    await _send(context, sender.chat_id, reply)
    return True


@for_sender
async def exercises_command(sender: Sender, context: BotContext) -> None:
    content = context.runtime.content
    await _send(context, sender.chat_id, (content.t("questions.list"), exercises_keyboard(content)))


@for_sender
async def exercise_command(sender: Sender, context: BotContext) -> None:
    query = " ".join(context.args or [])
    if await _urgent_if_red_flag(context, sender, query):
        return
    reply = exercise_command_reply(context.runtime.content, context.runtime.library, query)
    await _send(context, sender.chat_id, reply)


async def show_exercise(update: Update, context: BotContext) -> None:
    content = context.runtime.content
    tap = await read_tap(update, context, stale=lambda data: _exercise(content, data) is None)
    exercise = _exercise(content, tap.data) if tap is not None else None
    if tap is None or exercise is None:
        return
    card = exercise_card(content, exercise), exercise_card_keyboard(content, exercise)
    await _send(context, tap.chat_id, card)


async def show_exercise_list(update: Update, context: BotContext) -> None:
    tap = await read_tap(update, context)
    if tap is None:
        return
    content = context.runtime.content
    await _send(context, tap.chat_id, (content.t("questions.list"), exercises_keyboard(content)))


async def show_topics(update: Update, context: BotContext) -> None:
    tap = await read_tap(update, context)
    if tap is None:
        return
    content = context.runtime.content
    await _send(context, tap.chat_id, (content.t("questions.topics"), topics_keyboard(content)))


async def show_answer(update: Update, context: BotContext) -> None:
    content = context.runtime.content
    tap = await read_tap(update, context, stale=lambda data: _answer(content, data) is None)
    answer = _answer(content, tap.data) if tap is not None else None
    if tap is None or answer is None:
        return
    await _send(context, tap.chat_id, (answer_text(content, answer), None))


def _exercise(content: Content, data: CallbackData) -> Exercise | None:
    return content.exercise(data.args[0]) if data.args else None


def _answer(content: Content, data: CallbackData) -> Answer | None:
    return content.answer(data.args[0]) if data.args else None


async def inline_query(update: Update, context: BotContext) -> None:
    """Cards to share in any chat: the stretches the query names, or all seven."""
    query = update.inline_query
    if query is None:
        return
    content = context.runtime.content
    reading = context.runtime.library.find_exercise(query.query) if query.query.strip() else NOTHING
    ids = reading.exercise_ids or tuple(exercise.id for exercise in content.exercises)
    open_bot = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    content.t("questions.inline.open_bot"),
                    url=f"https://t.me/{context.bot.username}",
                )
            ]
        ]
    )
    results = [
        InlineQueryResultArticle(
            id=exercise.id,
            title=exercise.name,
            description=exercise.targets,
            input_message_content=InputTextMessageContent(exercise_card(content, exercise)),
            reply_markup=open_bot,
        )
        for exercise_id in ids
        if (exercise := content.exercise(exercise_id)) is not None
    ]
    log.debug("inline query: user=%s results=%s", query.from_user.id, len(results))
    await query.answer(results, cache_time=INLINE_CACHE_SECONDS, is_personal=False)


def register(app: BotApp) -> None:
    app.add_handler(CommandHandler("exercises", exercises_command))
    app.add_handler(CommandHandler("exercise", exercise_command))
    app.add_handler(CallbackQueryHandler(show_exercise, pattern=pattern(Action.SHOW_EXERCISE)))
    app.add_handler(CallbackQueryHandler(show_exercise_list, pattern=pattern(Action.EXERCISE_LIST)))
    app.add_handler(CallbackQueryHandler(show_topics, pattern=pattern(Action.QUESTION_TOPICS)))
    app.add_handler(CallbackQueryHandler(show_answer, pattern=pattern(Action.SHOW_ANSWER)))
    app.add_handler(InlineQueryHandler(inline_query))
    runtime_of(app).add_text_route(PRIORITY_SAFETY, red_flag_route)
    runtime_of(app).add_text_route(PRIORITY_QUESTIONS, question_route)
