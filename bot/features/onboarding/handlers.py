"""/start: the welcome and disclaimer, the safety check, then time zone and reminder time.

Each question's "yes" shows its own tier's text: an emergency stops /start (no reminder set
up; /start again, once a doctor has checked them, asks first whether they have been checked);
see-a-doctor goes on to the set-up with a caution on the routine."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.domain.onboarding import Step
from bot.domain.timeparse import format_time
from bot.features.onboarding import views
from bot.features.reminders import views as reminder_views
from bot.features.reminders.screens import (
    refuse_button,
    send,
    show_time_question,
    show_zone_question,
)
from bot.features.safety import views as safety_views
from bot.plumbing.callbacks import Action, CallbackData, CallbackDataError, pattern
from bot.plumbing.mapping import Sender
from bot.plumbing.replies import replace_tapped
from bot.plumbing.senders import for_sender
from bot.plumbing.taps import Tap, read_tap
from bot.runtime import BotApp, BotContext
from bot.services.onboarding import (
    SafetyStep,
    StartOutcome,
    acknowledge_urgent,
    answer_safety,
    begin,
)
from bot.services.reminders import Refusal
from bot.services.safety import needs_check_first


@for_sender
async def start(sender: Sender, context: BotContext) -> None:
    runtime = context.runtime
    async with runtime.session() as session:
        outcome = await begin(
            session,
            user_id=sender.user_id,
            chat_id=sender.chat_id,
            language_code=sender.language_code,
            now=runtime.clock.now(),
        )
        check_first = outcome.step == Step.SAFETY and await needs_check_first(
            session, sender.user_id
        )
    content = runtime.content
    await send(
        context, sender.chat_id, content.t("welcome", disclaimer=content.safety.disclaimer.strip())
    )
    if check_first:  # back after an emergency answer: checked by a doctor since?
        await send(context, sender.chat_id, *safety_views.checked_question(content))
        return
    await show_start_step(context, sender.chat_id, outcome)


async def show_start_step(context: BotContext, chat_id: int, outcome: StartOutcome) -> None:
    content = context.runtime.content
    if outcome.step == Step.SAFETY:
        await send(context, chat_id, *views.safety_question(content, outcome.question_index))
    elif outcome.step == Step.URGENT:
        await send(context, chat_id, *views.urgent(content))
    elif outcome.step == Step.ZONE:
        await show_zone_question(context, chat_id)
    elif outcome.step == Step.TIME:
        await show_time_question(context, chat_id)
    elif outcome.schedule is not None:
        schedule = outcome.schedule
        now = context.runtime.clock.now()
        next_line = reminder_views.next_text(content, schedule, now)
        if outcome.turned_back_on:
            text = content.t("remind.welcome_back", next=next_line)
        else:
            text = content.t(
                "remind.already_set_up",
                time=format_time(schedule.local_time),
                zone=schedule.zone_key,
                days=reminder_views.days_text(content, schedule.days),
                next=next_line,
            )
        await send(context, chat_id, text)


def _safety_args(data: CallbackData) -> tuple[int, bool]:
    answer = data.str_arg(1)
    if answer not in ("y", "n"):
        raise CallbackDataError("a safety answer is y or n")
    return data.int_arg(0), answer == "y"


async def on_safety_answer(update: Update, context: BotContext) -> None:
    button = await read_tap(update, context, _safety_args)
    if button is None:
        return
    index, yes = button.args
    runtime = context.runtime
    questions = runtime.content.safety.red_flag_questions
    if not 0 <= index < len(questions):
        await refuse_button(context, button, Refusal.STALE)
        return
    async with runtime.session() as session:
        step = await answer_safety(
            session,
            button.user_id,
            index=index,
            yes=yes,
            question_id=questions[index].id,
            tier=questions[index].tier,
            question_count=len(questions),
            now=runtime.clock.now(),
        )
    if isinstance(step, Refusal):
        await refuse_button(context, button, step)
        return
    await show_safety_step(context, button, step, answered=index)


async def show_safety_step(
    context: BotContext, button: Tap[Any], step: SafetyStep, *, answered: int
) -> None:
    content = context.runtime.content
    if step.kind == "question":
        await replace_tapped(
            context.bot,
            button,
            *views.safety_question(content, step.index),
        )
    elif step.kind in ("emergency", "see_doctor"):
        question = content.safety.red_flag_questions[answered].question
        await replace_tapped(
            context.bot,
            button,
            content.t("onboard.answered_yes", question=question),
        )
        await send(context, button.chat_id, content.safety.warning_text(step.kind))
        if step.kind == "emergency":  # no reminder set-up: /start again once checked
            await send(context, button.chat_id, content.t("safety.after_emergency").strip())
            return
        await send(context, button.chat_id, content.t("safety.after_see_doctor").strip())
        await show_zone_question(context, button.chat_id)
    else:
        await replace_tapped(context.bot, button, content.t("onboard.safety_clear"))
        await show_zone_question(context, button.chat_id)


async def on_urgent_ack(update: Update, context: BotContext) -> None:
    button = await read_tap(update, context)
    if button is None:
        return
    runtime = context.runtime
    async with runtime.session() as session:
        step = await acknowledge_urgent(session, button.user_id, runtime.clock.now())
    if isinstance(step, Refusal):
        await refuse_button(context, button, step)
        return
    content = runtime.content
    await replace_tapped(context.bot, button, content.safety.urgent_care.strip())
    await send(context, button.chat_id, content.t("safety.after_emergency").strip())


def register(app: BotApp) -> None:
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CallbackQueryHandler(on_safety_answer, pattern=pattern(Action.SAFETY_ANSWER)))
    app.add_handler(CallbackQueryHandler(on_urgent_ack, pattern=pattern(Action.URGENT_ACK)))
