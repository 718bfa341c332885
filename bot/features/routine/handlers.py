"""The guided routine: /routine, the step buttons, the hold timers and the routine settings.

Handlers stay thin: parse the tap, answer it at once, call one service function, show what
it returned (bot/features/routine/screen.py). Hold timers are one-off JobQueue jobs named
``hold:<chat id>`` (one per chat, a new one replaces the old); at start-up they are rebuilt
from the database.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.features.routine import screen, settings_screen
from bot.features.routine.keyboards import NO_EXERCISE
from bot.plumbing.callbacks import Action, CallbackData, CallbackDataError, pattern
from bot.plumbing.mapping import Sender
from bot.plumbing.senders import for_sender
from bot.plumbing.taps import read_tap
from bot.runtime import BotApp, BotContext, Runtime, runtime_of
from bot.services import routine as service

SKIP = "skip"


def _step_args(data: CallbackData) -> tuple[int, int]:
    """(session id, step number), both positive whole numbers."""
    session_id, step_no = data.int_arg(0), data.int_arg(1)
    if session_id <= 0 or step_no < 0:
        raise CallbackDataError(f"{data.action}: bad session or step")
    return session_id, step_no


def _score(data: CallbackData, index: int) -> int | None:
    """A 0-10 pain score at ``index``, or None for "skip"."""
    if data.str_arg(index) == SKIP:
        return None
    score = data.int_arg(index)
    if not 0 <= score <= 10:
        raise CallbackDataError("pain score out of range")
    return score


def _pain_args(data: CallbackData) -> tuple[int, int, int | None]:
    """(session id, step number, score or None for "skip")."""
    session_id, step_no = _step_args(data)
    return session_id, step_no, _score(data, 2)


def _start_args(data: CallbackData) -> service.Request:
    """A start button: the prompt's delivery id (0: another start button) and, from the
    prompt's rating row or its Start now, the pain before ("skip": none) that starts it at
    once. A prompt sent before the rating row (only the id) asks the pain question."""
    delivery_id = max(data.int_arg(0), 0)
    if len(data.args) < 2:
        return service.Request(delivery_id=delivery_id)
    return service.Request(delivery_id=delivery_id, rated=True, pain=_score(data, 1))


def _restart_args(data: CallbackData) -> tuple[int, int, service.Request]:
    """(session id, step number, what to start instead)."""
    session_id, step_no = _step_args(data)
    delivery_id = data.int_arg(2)
    exercise_id = data.str_arg(3)
    request = service.Request(
        delivery_id=max(delivery_id, 0),
        exercise_id=None if exercise_id == NO_EXERCISE else exercise_id,
    )
    return session_id, step_no, request


# --- opening ----------------------------------------------------------------------------


async def _open(
    context: BotContext,
    *,
    user_id: int,
    chat_id: int,
    language_code: str | None,
    request: service.Request,
) -> None:
    runtime = context.runtime
    async with runtime.session() as db:
        opened = await service.open_routine(
            db,
            user_id=user_id,
            chat_id=chat_id,
            language_code=language_code,
            now=runtime.clock.now(),
            exercises=runtime.content.exercises,
            request=request,
            pace=runtime.content.routine.hands_free,
            hands_free_default=runtime.settings.hands_free_default,
        )
    await screen.show_opened(screen.app_of(context), opened)


@for_sender
async def routine_command(sender: Sender, context: BotContext) -> None:
    await _open(
        context,
        user_id=sender.user_id,
        chat_id=sender.chat_id,
        language_code=sender.language_code,
        request=service.Request(),
    )


async def on_start_routine(update: Update, context: BotContext) -> None:
    """The daily prompt's rating row or "Start now" (delivery id), or any other start button."""
    tap = await read_tap(update, context, _start_args)
    if tap is None:
        return
    await _open(
        context,
        user_id=tap.user_id,
        chat_id=tap.chat_id,
        language_code=tap.language_code,
        request=tap.args,
    )


async def on_start_single(update: Update, context: BotContext) -> None:
    """ "Do this one now": one exercise alone, with the same holds."""
    tap = await read_tap(update, context, lambda data: data.str_arg(0))
    if tap is None:
        return
    request = service.Request(exercise_id=tap.args)
    await _open(
        context,
        user_id=tap.user_id,
        chat_id=tap.chat_id,
        language_code=tap.language_code,
        request=request,
    )


async def on_resume(update: Update, context: BotContext) -> None:
    tap = await read_tap(update, context, _step_args)
    if tap is None:
        return
    session_id, step_no = tap.args
    runtime = context.runtime
    async with runtime.session() as db:
        outcome = await service.resume(
            db, user_id=tap.user_id, session_id=session_id, step_no=step_no, now=runtime.clock.now()
        )
    await screen.show_outcome(screen.app_of(context), outcome, tapped=tap.message_id)


async def on_restart(update: Update, context: BotContext) -> None:
    tap = await read_tap(update, context, _restart_args)
    if tap is None:
        return
    session_id, step_no, request = tap.args
    runtime = context.runtime
    async with runtime.session() as db:
        stopped, opened = await service.restart(
            db,
            user_id=tap.user_id,
            session_id=session_id,
            step_no=step_no,
            language_code=tap.language_code,
            now=runtime.clock.now(),
            exercises=runtime.content.exercises,
            request=request,
            pace=runtime.content.routine.hands_free,
            hands_free_default=runtime.settings.hands_free_default,
        )
    await screen.show_outcome(screen.app_of(context), stopped, tapped=tap.message_id)
    if opened is not None:
        await screen.show_opened(screen.app_of(context), opened)


# --- the steps --------------------------------------------------------------------------


async def on_pain(update: Update, context: BotContext) -> None:
    tap = await read_tap(update, context, _pain_args)
    if tap is None:
        return
    session_id, step_no, score = tap.args
    runtime = context.runtime
    async with runtime.session() as db:
        outcome = await service.rate_pain(
            db,
            user_id=tap.user_id,
            session_id=session_id,
            step_no=step_no,
            score=score,
            now=runtime.clock.now(),
            exercises=runtime.content.exercises,
        )
    await screen.show_outcome(screen.app_of(context), outcome, tapped=tap.message_id)


StepService = Callable[..., Awaitable[service.Outcome]]

STEP_SERVICES: dict[Action, tuple[StepService, bool]] = {
    # action: (service function, whether it needs the exercises)
    Action.ROUTINE_START_HOLD: (service.start_hold, False),
    Action.ROUTINE_FINISH: (service.finish_step, True),
    Action.ROUTINE_SKIP: (service.skip_exercise, True),
    Action.ROUTINE_HURTS: (service.it_hurts, True),
    Action.ROUTINE_STOP: (service.stop, False),
    Action.ROUTINE_PAUSE: (service.pause, True),
    Action.ROUTINE_GO_ON: (service.carry_on_counting, False),
}


async def on_step(update: Update, context: BotContext) -> None:
    """Start hold, Finish hold / Done, Skip this exercise, It hurts, Stop routine."""
    tap = await read_tap(update, context, _step_args)
    if tap is None:
        return
    session_id, step_no = tap.args
    runtime = context.runtime
    function, needs_exercises = STEP_SERVICES[tap.data.action]
    extra = {"exercises": runtime.content.exercises} if needs_exercises else {}
    async with runtime.session() as db:
        outcome = await function(
            db,
            user_id=tap.user_id,
            session_id=session_id,
            step_no=step_no,
            now=runtime.clock.now(),
            **extra,
        )
    await screen.show_outcome(screen.app_of(context), outcome, tapped=tap.message_id)


async def on_leave_out(update: Update, context: BotContext) -> None:
    tap = await read_tap(update, context, lambda data: (data.int_arg(0), data.str_arg(1)))
    if tap is None:
        return
    runtime = context.runtime
    async with runtime.session() as db:
        left = await service.leave_out(
            db,
            user_id=tap.user_id,
            session_id=tap.args[0],
            exercise_id=tap.args[1],
        )
    await settings_screen.show_left_out(
        screen.app_of(context), left, chat_id=tap.chat_id, message_id=tap.message_id
    )


# --- start-up ---------------------------------------------------------------------------


async def rebuild_timers(app: BotApp) -> None:
    """At start-up: hold timers back for holds still running; holds that ended while the bot
    was down are closed and their users offered the next step."""
    runtime: Runtime = runtime_of(app)
    async with runtime.session() as db:
        recovery = await service.recover_timers(
            db, now=runtime.clock.now(), exercises=runtime.content.exercises
        )
    await screen.show_recovery(app, recovery)


# --- settings ---------------------------------------------------------------------------


async def on_settings(update: Update, context: BotContext) -> None:
    """The /settings "Routine" section, and each change made on it."""
    tap = await read_tap(update, context, _settings_args)
    if tap is None:
        return
    runtime = context.runtime
    change = tap.args
    async with runtime.session() as db:
        settings = await service.routine_settings(
            db,
            user_id=tap.user_id,
            chat_id=tap.chat_id,
            language_code=tap.language_code,
            now=runtime.clock.now(),
            exercises=runtime.content.exercises,
            change=change,
            hands_free_default=runtime.settings.hands_free_default,
        )
    # Like every /settings screen: in place of the tapped message, with "« Back".
    await settings_screen.show_settings(
        screen.app_of(context), settings, chat_id=tap.chat_id, message_id=tap.message_id
    )


def _settings_args(data: CallbackData) -> service.SettingsChange:
    if data.action is Action.ROUTINE_SET_LENGTH:
        length = data.str_arg(0)
        if length not in ("full", "short"):
            raise CallbackDataError("unknown routine length")
        return service.SettingsChange(length=length)
    if data.action is Action.ROUTINE_SET_TIMERS:
        value = data.int_arg(0)
        if value not in (0, 1):
            raise CallbackDataError("timers must be 0 or 1")
        return service.SettingsChange(timers=value == 1)
    if data.action is Action.ROUTINE_SET_PICTURES:
        value = data.int_arg(0)
        if value not in (0, 1):
            raise CallbackDataError("pictures must be 0 or 1")
        return service.SettingsChange(pictures=value == 1)
    if data.action in (Action.ROUTINE_SET_HANDS_FREE, Action.ROUTINE_SET_SLOW):
        value = data.int_arg(0)
        if value not in (0, 1):
            raise CallbackDataError("hands-free settings must be 0 or 1")
        if data.action is Action.ROUTINE_SET_HANDS_FREE:
            return service.SettingsChange(hands_free=value == 1)
        return service.SettingsChange(slow_pace=value == 1)
    if data.action is Action.ROUTINE_BRING_BACK:
        return service.SettingsChange(bring_back=data.str_arg(0))
    return service.SettingsChange()


def register(app: BotApp) -> None:
    app.add_handler(CommandHandler("routine", routine_command))
    app.add_handler(CallbackQueryHandler(on_start_routine, pattern=pattern(Action.START_ROUTINE)))
    app.add_handler(CallbackQueryHandler(on_start_single, pattern=pattern(Action.START_SINGLE)))
    app.add_handler(CallbackQueryHandler(on_pain, pattern=pattern(Action.ROUTINE_PAIN)))
    app.add_handler(CallbackQueryHandler(on_step, pattern=pattern(*STEP_SERVICES)))
    app.add_handler(CallbackQueryHandler(on_resume, pattern=pattern(Action.ROUTINE_RESUME)))
    app.add_handler(CallbackQueryHandler(on_restart, pattern=pattern(Action.ROUTINE_RESTART)))
    app.add_handler(CallbackQueryHandler(on_leave_out, pattern=pattern(Action.ROUTINE_LEAVE_OUT)))
    app.add_handler(
        CallbackQueryHandler(
            on_settings,
            pattern=pattern(
                Action.SETTINGS_ROUTINE,
                Action.ROUTINE_SET_LENGTH,
                Action.ROUTINE_SET_TIMERS,
                Action.ROUTINE_SET_PICTURES,
                Action.ROUTINE_SET_HANDS_FREE,
                Action.ROUTINE_SET_SLOW,
                Action.ROUTINE_BRING_BACK,
            ),
        )
    )
    runtime_of(app).add_startup_hook(rebuild_timers)
