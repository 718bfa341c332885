"""Stretches and questions in free text: /exercises, /exercise, red flags, answers, inline mode.

The reading itself is pure (bot.domain.questions.Library, built once at start-up); these
handlers only turn a reading into a message. Text routes:

* PRIORITY_SAFETY: red-flag wording anywhere in a message gets the urgent-care text first,
  then a note that nothing else was done with the message (any pending step is left as it was).
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

from bot.callbacks import Action, CallbackData, pattern
from bot.domain.questions import NOTHING, Library, Reading, ReadingKind
from bot.handlers.buttons import read_tap
from bot.handlers.text import PRIORITY_QUESTIONS, PRIORITY_SAFETY, add_text_route
from bot.keyboards import (
    exercise_card_keyboard,
    exercise_choice_keyboard,
    exercises_keyboard,
    topics_keyboard,
)
from bot.render import answer_text, exercise_card
from bot.runtime import BotApp, BotContext, runtime_of
from bot.telegram_map import Sender, sender_of
from content import Answer, Content, Exercise

log = logging.getLogger(__name__)

LIBRARY_KEY = "questions_library"
MAX_QUERY_SHOWN = 60  # characters of an unknown /exercise name echoed back
INLINE_CACHE_SECONDS = 300

Reply = tuple[str, InlineKeyboardMarkup | None]


def library_of(context: BotContext) -> Library:
    library = context.application.bot_data[LIBRARY_KEY]
    if not isinstance(library, Library):
        raise TypeError("bot_data has no questions Library")
    return library


def reply_for(content: Content, reading: Reading) -> Reply | None:
    """The message for a reading of free text; None when there is nothing to say (NOTHING)."""
    kind = reading.kind
    exercises = [item for i in reading.exercise_ids if (item := content.exercise(i)) is not None]
    if kind is ReadingKind.EXERCISE and exercises:
        return exercise_card(content, exercises[0]), exercise_card_keyboard(content, exercises[0])
    if kind is ReadingKind.CHOICE and exercises:
        key = "questions.choice_one" if len(exercises) == 1 else "questions.choice_several"
        return content.t(key), exercise_choice_keyboard(content, exercises)
    answer = content.answer(reading.topic_id) if reading.topic_id else None
    if kind is ReadingKind.TOPIC and answer is not None:
        return answer_text(content, answer), None
    if kind is ReadingKind.LIST:
        return content.t("questions.list"), exercises_keyboard(content)
    if kind is ReadingKind.GREETING:
        return content.t("questions.greeting"), None
    if kind is ReadingKind.THANKS:
        return content.t("questions.thanks"), None
    return None


async def _send(context: BotContext, chat_id: int, reply: Reply) -> None:
    text, markup = reply
    await context.bot.send_message(chat_id, text, reply_markup=markup)


async def _urgent_if_red_flag(context: BotContext, sender: Sender, text: str) -> bool:
    """Send the urgent-care text and what happens next if ``text`` has red-flag wording."""
    screening = library_of(context).screen(text)
    if not screening.is_warning:
        return False
    # Which rule matched says something about the user's health: only at DEBUG.
    log.info("red flag answered: user=%s update=%s", sender.user_id, sender.update_id)
    log.debug("red flag signs for update %s: %s", sender.update_id, screening.signs_text)
    content = context.runtime.content
    text = content.safety.warning_text(screening.tier)
    await context.bot.send_message(sender.chat_id, text)
    await context.bot.send_message(sender.chat_id, content.t("questions.red_flag_next"))
    return True


async def red_flag_route(update: Update, context: BotContext, sender: Sender) -> bool:
    return await _urgent_if_red_flag(context, sender, sender.text or "")


async def question_route(update: Update, context: BotContext, sender: Sender) -> bool:
    reply = reply_for(context.runtime.content, library_of(context).read(sender.text or ""))
    if reply is None:
        return False
    await _send(context, sender.chat_id, reply)
    return True


async def exercises_command(update: Update, context: BotContext) -> None:
    sender = sender_of(update)
    if sender is None:
        return
    content = context.runtime.content
    await _send(context, sender.chat_id, (content.t("questions.list"), exercises_keyboard(content)))


async def exercise_command(update: Update, context: BotContext) -> None:
    sender = sender_of(update)
    if sender is None:
        return
    query = " ".join(context.args or [])
    if await _urgent_if_red_flag(context, sender, query):
        return
    reply = exercise_command_reply(context.runtime.content, library_of(context), query)
    await _send(context, sender.chat_id, reply)


def exercise_command_reply(content: Content, library: Library, query: str) -> Reply:
    """/exercise NAME: the card, a choice, or (nothing close, or no name) the list of seven."""
    reply = reply_for(content, library.find_exercise(query)) if query else None
    if reply is not None:
        return reply
    if not query:
        return content.t("questions.exercise_usage"), exercises_keyboard(content)
    shown = query[:MAX_QUERY_SHOWN] + ("…" if len(query) > MAX_QUERY_SHOWN else "")
    return content.t("questions.exercise_not_found", query=shown), exercises_keyboard(content)


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
    reading = library_of(context).find_exercise(query.query) if query.query.strip() else NOTHING
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
    app.bot_data[LIBRARY_KEY] = Library(runtime_of(app).content)
    app.add_handler(CommandHandler("exercises", exercises_command))
    app.add_handler(CommandHandler("exercise", exercise_command))
    app.add_handler(CallbackQueryHandler(show_exercise, pattern=pattern(Action.SHOW_EXERCISE)))
    app.add_handler(CallbackQueryHandler(show_exercise_list, pattern=pattern(Action.EXERCISE_LIST)))
    app.add_handler(CallbackQueryHandler(show_topics, pattern=pattern(Action.QUESTION_TOPICS)))
    app.add_handler(CallbackQueryHandler(show_answer, pattern=pattern(Action.SHOW_ANSWER)))
    app.add_handler(InlineQueryHandler(inline_query))
    add_text_route(app, PRIORITY_SAFETY, red_flag_route)
    add_text_route(app, PRIORITY_QUESTIONS, question_route)
