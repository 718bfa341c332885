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
    InlineQueryResultCachedMpeg4Gif,
    InputTextMessageContent,
    Update,
)
from telegram.ext import CallbackQueryHandler, CommandHandler, InlineQueryHandler

from bot.domain.questions import NOTHING, Reading, ReadingKind
from bot.domain.reading import SYMPTOM
from bot.features.pain.handlers import log_from_words
from bot.features.questions import hurts
from bot.features.questions.hurts import send_hurts
from bot.features.questions.views import (
    Reply,
    answer_text,
    card_exercise_id,
    exercise_card,
    exercise_card_keyboard,
    exercise_command_reply,
    exercises_keyboard,
    menu_reply,
    reply_for,
    topics_keyboard,
    unsure_reply,
)
from bot.features.safety.handlers import screen_typed
from bot.plumbing import pictures
from bot.plumbing.callbacks import Action, CallbackData, pattern
from bot.plumbing.mapping import Sender
from bot.plumbing.senders import for_sender
from bot.plumbing.taps import read_tap
from bot.plumbing.text_router import PRIORITY_QUESTIONS, PRIORITY_SAFETY
from bot.runtime import BotApp, BotContext, runtime_of
from content import Answer, Content, Exercise

log = logging.getLogger(__name__)

INLINE_CACHE_SECONDS = 300
_ABOUT_A_STRETCH = (ReadingKind.EXERCISE, ReadingKind.CHOICE, ReadingKind.EXERCISE_HURTS)


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


async def _send_reply(
    context: BotContext, sender: Sender, reply: Reply, exercise_id: str | None
) -> None:
    """A reply; an exercise's card goes with its animation (bot/plumbing/pictures.py)."""
    if exercise_id is None:
        await _send(context, sender.chat_id, reply)
        return
    text, markup = reply
    await pictures.send_card(
        context.bot,
        context.runtime,
        sender.chat_id,
        exercise_id=exercise_id,
        side=None,
        text=text,
        markup=markup,
        user_id=sender.user_id,
    )


async def question_route(update: Update, context: BotContext, sender: Sender) -> bool:
    """A stretch, a question, a stretch that hurts, a pain score; unsure: two choices."""
    content = context.runtime.content
    reading = context.runtime.library.read(sender.text or "")
    if reading.kind is ReadingKind.PAIN_LOG and reading.pain is not None:
        await log_from_words(context, sender, reading.pain)
        return True
    if reading.unsure and SYMPTOM in (reading.intent, *reading.choices):
        # Perhaps nerve symptoms: never a choice that could open a stretch card.
        if reading.kind in _ABOUT_A_STRETCH:
            reading = Reading(ReadingKind.TOPIC, topic_id=SYMPTOM, intent=SYMPTOM)
    elif (
        reading.unsure
        and reading.kind is not ReadingKind.CHOICE  # a partly named stretch: "which one?"
        and (unsure := unsure_reply(content, reading)) is not None
    ):
        await _send(context, sender.chat_id, unsure)
        return True
    if reading.kind is ReadingKind.EXERCISE_HURTS:
        return await send_hurts(
            context,
            user_id=sender.user_id,
            chat_id=sender.chat_id,
            exercise_ids=reading.exercise_ids,
        )
    reply = reply_for(content, reading)
    if reply is None:
        return False
    await _send_reply(context, sender, reply, card_exercise_id(context.runtime.content, reading))
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
    runtime = context.runtime
    reply = exercise_command_reply(runtime.content, runtime.library, query)
    reading = runtime.library.find_exercise(query) if query else None
    shown = card_exercise_id(runtime.content, reading) if reading is not None else None
    await _send_reply(context, sender, reply, shown)


async def show_exercise(update: Update, context: BotContext) -> None:
    content = context.runtime.content
    tap = await read_tap(update, context, stale=lambda data: _exercise(content, data) is None)
    exercise = _exercise(content, tap.data) if tap is not None else None
    if tap is None or exercise is None:
        return
    await pictures.send_card(
        context.bot,
        context.runtime,
        tap.chat_id,
        exercise_id=exercise.id,
        side=None,
        text=exercise_card(content, exercise),
        markup=exercise_card_keyboard(content, exercise),
        user_id=tap.user_id,
    )


async def show_exercise_list(update: Update, context: BotContext) -> None:
    tap = await read_tap(update, context)
    if tap is None:
        return
    content = context.runtime.content
    await _send(context, tap.chat_id, (content.t("questions.list"), exercises_keyboard(content)))


async def show_menu(update: Update, context: BotContext) -> None:
    """ "None of these", under an unsure reading's choices."""
    tap = await read_tap(update, context)
    if tap is None:
        return
    await _send(context, tap.chat_id, menu_reply(context.runtime.content))


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
    exercises = [exercise for i in ids if (exercise := content.exercise(i)) is not None]
    results = await _inline_results(context, exercises, open_bot)
    log.debug("inline query: user=%s results=%s", query.from_user.id, len(results))
    await query.answer(results, cache_time=INLINE_CACHE_SECONDS, is_personal=False)


InlineResult = InlineQueryResultArticle | InlineQueryResultCachedMpeg4Gif


async def _inline_results(
    context: BotContext, exercises: list[Exercise], open_bot: InlineKeyboardMarkup
) -> list[InlineResult]:
    """Each card with its animation once Telegram has it (a stored file_id) and the card fits
    in a caption; else the card as text."""
    runtime = context.runtime
    content = runtime.content
    drawn = {
        exercise.id: found
        for exercise in exercises
        if (found := pictures.picture_for(runtime, exercise.id, None)) is not None
    }
    file_ids = await pictures.known_file_ids(runtime, list(drawn.values())) if drawn else {}
    results: list[InlineResult] = []
    for exercise in exercises:
        card = exercise_card(content, exercise)
        found = drawn.get(exercise.id)
        file_id = file_ids.get(found.key) if found is not None else None
        if file_id is not None and pictures.caption_length(card) <= pictures.CAPTION_LIMIT:
            results.append(
                InlineQueryResultCachedMpeg4Gif(
                    id=exercise.id,
                    mpeg4_file_id=file_id,
                    title=exercise.name,
                    caption=card,
                    reply_markup=open_bot,
                )
            )
            continue
        results.append(
            InlineQueryResultArticle(
                id=exercise.id,
                title=exercise.name,
                description=exercise.targets,
                input_message_content=InputTextMessageContent(card),
                reply_markup=open_bot,
            )
        )
    return results


def register(app: BotApp) -> None:
    app.add_handler(CommandHandler("exercises", exercises_command))
    app.add_handler(CommandHandler("exercise", exercise_command))
    app.add_handler(CallbackQueryHandler(show_exercise, pattern=pattern(Action.SHOW_EXERCISE)))
    app.add_handler(CallbackQueryHandler(show_exercise_list, pattern=pattern(Action.EXERCISE_LIST)))
    app.add_handler(CallbackQueryHandler(show_topics, pattern=pattern(Action.QUESTION_TOPICS)))
    app.add_handler(CallbackQueryHandler(show_answer, pattern=pattern(Action.SHOW_ANSWER)))
    app.add_handler(CallbackQueryHandler(show_menu, pattern=pattern(Action.QUESTION_MENU)))
    app.add_handler(InlineQueryHandler(inline_query))
    hurts.register(app)
    runtime_of(app).add_text_route(PRIORITY_SAFETY, red_flag_route)
    runtime_of(app).add_text_route(PRIORITY_QUESTIONS, question_route)
