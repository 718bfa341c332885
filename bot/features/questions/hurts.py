"""A stretch that hurts, said in free text ("the bridge makes my leg worse"): the ease-off
answer, then one tap to make that stretch easier, leave it out of the routine, or log the
pain. When no stretch is named, the bot asks which, with the seven as buttons."""

from __future__ import annotations

from collections.abc import Callable

from telegram import Update
from telegram.ext import CallbackQueryHandler

from bot.domain.reading import EXERCISE_HURTS
from bot.features.pain.handlers import send_pain_keyboard
from bot.features.questions.views import answer_text, hurt_keyboard, hurt_which_keyboard
from bot.plumbing.callbacks import Action, CallbackData, CallbackDataError, pattern
from bot.plumbing.replies import replace_tapped
from bot.plumbing.taps import no_args, read_tap
from bot.runtime import BotApp, BotContext
from bot.services.exercise_changes import exercise_state, make_easier
from bot.services.routine.results import SettingsChange
from bot.services.routine.settings import routine_settings
from content import Content, Exercise


async def send_hurts(
    context: BotContext, *, user_id: int, chat_id: int, exercise_ids: tuple[str, ...]
) -> bool:
    """The ease-off answer with its buttons (for the named stretch, or asking which)."""
    content = context.runtime.content
    answer = content.answer(EXERCISE_HURTS)
    if answer is None:
        return False
    exercise = content.exercise(exercise_ids[0]) if exercise_ids else None
    if exercise is None:
        await context.bot.send_message(chat_id, answer_text(content, answer))
        await context.bot.send_message(
            chat_id, content.t("questions.hurts.which"), reply_markup=hurt_which_keyboard(content)
        )
        return True
    keyboard = hurt_keyboard(content, exercise, await _level(context, user_id, exercise))
    await context.bot.send_message(chat_id, answer_text(content, answer), reply_markup=keyboard)
    return True


async def _level(context: BotContext, user_id: int, exercise: Exercise) -> int:
    async with context.runtime.session() as session:
        return (await exercise_state(session, user_id=user_id, exercise=exercise)).level


def _exercise_arg(content: Content) -> Callable[[CallbackData], Exercise]:
    def parse(data: CallbackData) -> Exercise:
        exercise = content.exercise(data.str_arg(0))
        if exercise is None:
            raise CallbackDataError(f"{data.action}: unknown exercise")
        return exercise

    return parse


def _optional_exercise(content: Content) -> Callable[[CallbackData], Exercise | None]:
    def parse(data: CallbackData) -> Exercise | None:
        return _exercise_arg(content)(data) if data.args else None

    return parse


async def answer_tapped(update: Update, context: BotContext) -> None:
    """ "When a stretch hurts", chosen among an unsure reading's choices."""
    tap = await read_tap(update, context, _optional_exercise(context.runtime.content))
    if tap is None:
        return
    ids = (tap.args.id,) if tap.args is not None else ()
    await send_hurts(context, user_id=tap.user_id, chat_id=tap.chat_id, exercise_ids=ids)


async def pick_tapped(update: Update, context: BotContext) -> None:
    """The stretch that hurt, answering "Which stretch was it?"."""
    content = context.runtime.content
    tap = await read_tap(update, context, _exercise_arg(content))
    if tap is None:
        return
    exercise = tap.args
    keyboard = hurt_keyboard(content, exercise, await _level(context, tap.user_id, exercise))
    text = content.t("questions.hurts.chosen", exercise=exercise.name)
    await replace_tapped(context.bot, tap, text, keyboard)


def _easier_args(content: Content) -> Callable[[CallbackData], tuple[Exercise, int]]:
    def parse(data: CallbackData) -> tuple[Exercise, int]:
        return _exercise_arg(content)(data), data.int_arg(1)

    return parse


async def easier_tapped(update: Update, context: BotContext) -> None:
    runtime = context.runtime
    content = runtime.content
    tap = await read_tap(update, context, _easier_args(content))
    if tap is None:
        return
    exercise, shown = tap.args
    async with runtime.session() as session:
        eased = await make_easier(
            session,
            user_id=tap.user_id,
            chat_id=tap.chat_id,
            language_code=tap.language_code,
            exercise=exercise,
            shown_level=shown,
            now=runtime.clock.now(),
        )
    if eased == "already":
        return  # a second tap on the same button: the first one's answer stands
    key = "questions.hurts.easier_done" if eased == "eased" else "questions.hurts.already_easiest"
    await context.bot.send_message(tap.chat_id, content.t(key, exercise=exercise.name))


async def leave_out_tapped(update: Update, context: BotContext) -> None:
    runtime = context.runtime
    content = runtime.content
    tap = await read_tap(update, context, _exercise_arg(content))
    if tap is None:
        return
    exercise = tap.args
    async with runtime.session() as session:
        await routine_settings(
            session,
            user_id=tap.user_id,
            chat_id=tap.chat_id,
            language_code=tap.language_code,
            now=runtime.clock.now(),
            exercises=content.exercises,
            change=SettingsChange(leave_out=exercise.id),
        )
    text = content.t("questions.hurts.left_out_done", exercise=exercise.name)
    await context.bot.send_message(tap.chat_id, text)


async def log_pain_tapped(update: Update, context: BotContext) -> None:
    tap = await read_tap(update, context, no_args)
    if tap is None:
        return
    await send_pain_keyboard(context, tap.chat_id)


def register(app: BotApp) -> None:
    handlers = (
        (answer_tapped, Action.HURT_ANSWER),
        (pick_tapped, Action.HURT_PICK),
        (easier_tapped, Action.HURT_EASIER),
        (leave_out_tapped, Action.HURT_LEAVE_OUT),
        (log_pain_tapped, Action.HURT_LOG_PAIN),
    )
    for handler, action in handlers:
        app.add_handler(CallbackQueryHandler(handler, pattern=pattern(action)))
