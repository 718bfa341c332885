"""The safety screen in the chat: the one place every typed text is screened, the yes/no
clarifying question, "a doctor has checked me", the re-screen, and edited messages.

``screen_typed`` decides for every path (the text router, ``/exercise``, the note in
``/pain N <note>``, edited messages): a warning tier's own text (stored as a screening), one
yes/no question when the words are unclear, or the ordinary-sciatica explanation (after which
the caller goes on and answers the message as usual).
"""

from __future__ import annotations

import logging
from typing import Literal

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, MessageHandler, filters

from bot.domain.safety import Screening, Tier
from bot.features.onboarding import views as onboarding_views
from bot.features.routine import screen as routine_screen
from bot.features.safety import views
from bot.plumbing.callbacks import Action, CallbackData, CallbackDataError, pattern
from bot.plumbing.mapping import sender_of
from bot.plumbing.replies import replace_tapped
from bot.plumbing.taps import Tap, read_tap
from bot.runtime import BotApp, BotContext
from bot.services import routine as routine_service
from bot.services import safety as service

log = logging.getLogger(__name__)


async def _send(
    context: BotContext, chat_id: int, text: str, markup: InlineKeyboardMarkup | None = None
) -> None:
    await context.bot.send_message(chat_id, text, reply_markup=markup)


Verdict = Literal["warned", "asked", "explained", "clear"]
EXPLAINED_KEY = "safety_explained_update"
"""chat_data: the update whose text got the ordinary-sciatica explanation (no "didn't catch
that" after it)."""


async def screen_typed(
    context: BotContext,
    *,
    user_id: int,
    chat_id: int,
    language_code: str | None,
    text: str,
    update_id: int | None = None,
) -> Verdict:
    """Screen what the user typed and show what the screen found (nothing when it is clear)."""
    runtime = context.runtime
    content = runtime.content
    screening = runtime.library.screen(text)
    if screening.tier is Tier.NONE:
        return "clear"
    # Which rule matched says something about the user's health: only at DEBUG.
    log.info("safety screen: user=%s tier=%s", user_id, screening.tier.value)
    log.debug("safety signs for user %s: %s", user_id, screening.signs_text)
    if screening.tier is Tier.ASK:
        await _send(context, chat_id, *views.clarify(content, screening))
        return "asked"
    if screening.tier is Tier.ORDINARY_SCIATICA:
        await _explain_sciatica(context, user_id, chat_id, language_code)
        if update_id is not None and context.chat_data is not None:
            context.chat_data[EXPLAINED_KEY] = update_id
        return "explained"
    await _warn(context, user_id, chat_id, language_code, screening, "message")
    return "warned"


async def _explain_sciatica(
    context: BotContext, user_id: int, chat_id: int, language_code: str | None
) -> None:
    """The "this is how sciatica usually feels" explanation, at most once a day; after that
    the same day, one line (the message itself is then answered as usual)."""
    runtime = context.runtime
    async with runtime.session() as session:
        whole = await service.explain_sciatica_today(
            session,
            user_id=user_id,
            chat_id=chat_id,
            language_code=language_code,
            now=runtime.clock.now(),
        )
    content = runtime.content
    text = (
        views.tier_text(content, Tier.ORDINARY_SCIATICA)
        if whole
        else content.t("safety.ordinary_sciatica_again")
    )
    await context.bot.send_message(chat_id, text)


def explained(context: BotContext, update_id: int) -> bool:
    """This update's text already got the ordinary-sciatica explanation."""
    return context.chat_data is not None and context.chat_data.get(EXPLAINED_KEY) == update_id


async def _warn(
    context: BotContext,
    user_id: int,
    chat_id: int,
    language_code: str | None,
    screening: Screening,
    source: service.Source,
) -> None:
    """A warning tier: its text, stored as a screening (an emergency closes the routine gate
    until a doctor has checked them). A routine in progress ends first, either tier: the
    exercises wait (its buttons go, its timers stop, a later tap on them says why)."""
    runtime = context.runtime
    content = runtime.content
    now = runtime.clock.now()
    async with runtime.session() as session:
        await service.record(
            session,
            user_id=user_id,
            chat_id=chat_id,
            language_code=language_code,
            now=now,
            source=source,
            tier=screening.tier.value,
            signs=screening.signs,
        )
    async with runtime.session() as session:
        stopped = await routine_service.stop_for_safety(session, user_id=user_id, now=now)
    if stopped is not None:
        await routine_screen.show_outcome(routine_screen.app_of(context), stopped, tapped=None)
    await context.bot.send_message(chat_id, views.tier_text(content, screening.tier))
    if screening.tier is Tier.EMERGENCY:
        await context.bot.send_message(chat_id, content.t("safety.after_message_emergency"))
    elif stopped is not None:
        await context.bot.send_message(
            chat_id, content.t("safety.routine_stopped_see_doctor").strip()
        )


# --- the clarifying question -------------------------------------------------------------


def _clarify_args(data: CallbackData) -> tuple[str, bool, Tier]:
    question_id, answer, if_no = data.str_arg(0), data.str_arg(1), data.str_arg(2)
    if answer not in (views.YES, views.NO):
        raise CallbackDataError("a clarifying answer is y or n")
    try:
        tier = Tier(if_no)
    except ValueError:
        raise CallbackDataError("unknown tier") from None
    return question_id, answer == views.YES, tier


async def on_clarify(update: Update, context: BotContext) -> None:
    runtime = context.runtime
    content = runtime.content
    known = {question.id for question in content.safety.clarifying_questions}
    tap = await read_tap(update, context, _clarify_args, stale=lambda d: d.str_arg(0) not in known)
    if tap is None:
        return
    question_id, yes, if_no = tap.args
    asked = Screening(Tier.ASK, question=question_id, if_no=if_no)
    result = runtime.library.safety.answer(asked, yes)
    question = content.safety.clarifying(question_id).question
    await replace_tapped(context.bot, tap, views.answered(content, question, yes))
    if result.is_warning:
        await _warn(context, tap.user_id, tap.chat_id, tap.language_code, result, "message")
    elif result.tier is Tier.ORDINARY_SCIATICA:
        await _explain_sciatica(context, tap.user_id, tap.chat_id, tap.language_code)
    else:
        await context.bot.send_message(tap.chat_id, content.t("safety.clarify_no_reply"))


# --- after an emergency answer: has a doctor checked you? --------------------------------


async def on_checked(update: Update, context: BotContext) -> None:
    tap = await read_tap(update, context)
    if tap is None:
        return
    runtime = context.runtime
    content = runtime.content
    async with runtime.session() as session:
        result = await service.confirm_checked(session, tap.user_id, runtime.clock.now())
    if result == "stale":
        await replace_tapped(context.bot, tap, content.t("safety.routine_blocked_unscreened"))
        return
    await replace_tapped(context.bot, tap, content.t("safety.checked_done"))
    if result == "restart_onboarding":
        await _send(context, tap.chat_id, *onboarding_views.safety_question(content, 0))
    else:
        await context.bot.send_message(tap.chat_id, content.t("safety.checked_can_start"))


async def on_not_yet(update: Update, context: BotContext) -> None:
    tap = await read_tap(update, context)
    if tap is not None:
        await replace_tapped(context.bot, tap, context.runtime.content.t("safety.not_yet").strip())


# --- the re-screen: the same questions as at /start --------------------------------------


async def on_rescreen_start(update: Update, context: BotContext) -> None:
    tap = await read_tap(update, context)
    if tap is not None:
        content = context.runtime.content
        await _send(context, tap.chat_id, *views.rescreen_question(content, 0))


def _rescreen_args(data: CallbackData) -> tuple[int, bool]:
    answer = data.str_arg(1)
    if answer not in (views.YES, views.NO):
        raise CallbackDataError("a re-screen answer is y or n")
    return data.int_arg(0), answer == views.YES


async def on_rescreen_answer(update: Update, context: BotContext) -> None:
    runtime = context.runtime
    content = runtime.content
    questions = content.safety.red_flag_questions
    tap = await read_tap(
        update, context, _rescreen_args, stale=lambda d: not 0 <= d.int_arg(0) < len(questions)
    )
    if tap is None:
        return
    index, yes = tap.args
    question = questions[index]
    if yes:
        await replace_tapped(context.bot, tap, views.answered(content, question.question, True))
        screening = runtime.library.safety.onboarding({question.id: True})
        await _warn(context, tap.user_id, tap.chat_id, tap.language_code, screening, "rescreen")
        return
    if index + 1 < len(questions):
        await replace_tapped(context.bot, tap, *views.rescreen_question(content, index + 1))
        return
    await _record_clear(context, tap)
    await replace_tapped(context.bot, tap, content.t("safety.rescreen_clear"))


async def _record_clear(context: BotContext, tap: Tap[tuple[int, bool]]) -> None:
    runtime = context.runtime
    async with runtime.session() as session:
        await service.record(
            session,
            user_id=tap.user_id,
            chat_id=tap.chat_id,
            language_code=tap.language_code,
            now=runtime.clock.now(),
            source="rescreen",
            tier=Tier.NONE.value,
        )


# --- edited messages ---------------------------------------------------------------------


async def on_edited(update: Update, context: BotContext) -> None:
    """An edited message is screened like a new one (nothing else is done with it)."""
    sender = sender_of(update)
    if sender is None or sender.text is None:
        return
    await screen_typed(
        context,
        user_id=sender.user_id,
        chat_id=sender.chat_id,
        language_code=sender.language_code,
        text=sender.text,
    )


def register(app: BotApp) -> None:
    app.add_handler(CallbackQueryHandler(on_clarify, pattern=pattern(Action.SAFETY_CLARIFY)))
    app.add_handler(CallbackQueryHandler(on_checked, pattern=pattern(Action.SAFETY_CHECKED)))
    app.add_handler(CallbackQueryHandler(on_not_yet, pattern=pattern(Action.SAFETY_NOT_YET)))
    app.add_handler(CallbackQueryHandler(on_rescreen_start, pattern=pattern(Action.RESCREEN_START)))
    app.add_handler(
        CallbackQueryHandler(on_rescreen_answer, pattern=pattern(Action.RESCREEN_ANSWER))
    )
    app.add_handler(
        MessageHandler(
            filters.UpdateType.EDITED_MESSAGE
            & filters.TEXT
            & ~filters.COMMAND
            & filters.ChatType.PRIVATE,
            on_edited,
        )
    )
