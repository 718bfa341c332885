"""How the reminder feature answers: sending, refusing, and showing a change, a question or
what could not be read (shared with /start, which asks the same zone and time)."""

from __future__ import annotations

from typing import Any, TypeVar

from telegram import InlineKeyboardMarkup, ReplyKeyboardMarkup, ReplyKeyboardRemove

from bot.domain.timeparse import format_time
from bot.domain.zoneparse import ZoneMatchKind
from bot.features.onboarding import views as onboarding_views
from bot.features.reminders import views
from bot.plumbing.replies import drop_buttons, drop_tapped_buttons, replace_tapped
from bot.plumbing.taps import Tap
from bot.runtime import BotContext
from bot.services import reminder_answers as answers
from bot.services.reminder_commands import Asked
from bot.services.reminders import (
    Changed,
    Refusal,
    SafetyPending,
    Schedule,
    TimeNotUnderstood,
    TypedOutcome,
    UrgentPending,
    ZoneNotUnderstood,
)

T = TypeVar("T")


Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove | None


async def send(context: BotContext, chat_id: int, text: str, markup: Markup = None) -> None:
    await context.bot.send_message(chat_id, text, reply_markup=markup)


async def refuse(context: BotContext, chat_id: int, refusal: Refusal) -> None:
    await send(context, chat_id, views.refusal_text(context.runtime.content, refusal))


async def refuse_button(context: BotContext, button: Tap[Any], refusal: Refusal) -> None:
    if refusal == Refusal.STALE:
        await drop_tapped_buttons(context.bot, button)
    await refuse(context, button.chat_id, refusal)


def argument(context: BotContext) -> str:
    return " ".join(context.args or [])[:200]


async def show_zone_question(context: BotContext, chat_id: int) -> None:
    content = context.runtime.content
    await send(context, chat_id, content.t("remind.ask_zone"), views.zone_request_keyboard(content))


async def show_time_question(
    context: BotContext, chat_id: int, schedule: Schedule | None = None
) -> None:
    content = context.runtime.content
    if schedule is None:
        text = content.t("remind.ask_time")
    else:
        text = content.t("remind.ask_time_current", time=format_time(schedule.local_time))
    message = await context.bot.send_message(chat_id, text, reply_markup=views.time_keyboard())
    async with context.runtime.session() as session:  # private chats: the chat is the user
        await answers.remember_question(session, chat_id, message.message_id)


async def show_changed(
    context: BotContext, chat_id: int, changed: Changed, button: Tap[Any] | None = None
) -> None:
    """Confirm a new zone or time; in /start, go on to the next step."""
    content = context.runtime.content
    now = context.runtime.clock.now()
    schedule = changed.schedule
    next_line = views.next_text(content, schedule, now)
    if changed.asked_in is not None:  # answered by typing: the question's buttons go
        await drop_buttons(context.bot, chat_id, changed.asked_in)
    if changed.what == "zone":
        if button is not None:
            await drop_tapped_buttons(context.bot, button)
        line = views.zone_line(content, schedule.zone_key, now)
        if changed.onboarding:
            await send(context, chat_id, line, ReplyKeyboardRemove())
            await show_time_question(context, chat_id)
            return
        text = content.t("remind.zone_changed", zone_line=line, next=next_line)
        await send(context, chat_id, text, ReplyKeyboardRemove())
        return
    if changed.onboarding and schedule.next_due_at is not None:
        text = content.t(
            "remind.subscribed",
            when=views.when_text(content, schedule.next_due_at, schedule.zone_key, now),
            zone=schedule.zone_key,
            time=format_time(schedule.local_time),
        )
    else:
        text = content.t(
            "remind.time_changed", time=format_time(schedule.local_time), next=next_line
        )
    if button is not None:
        await replace_tapped(context.bot, button, text)
    else:
        await send(context, chat_id, text)


async def show_typed(context: BotContext, chat_id: int, outcome: TypedOutcome | Asked) -> None:
    content = context.runtime.content
    if isinstance(outcome, Changed):
        await show_changed(context, chat_id, outcome)
    elif isinstance(outcome, Refusal):
        await refuse(context, chat_id, outcome)
    elif isinstance(outcome, SafetyPending):
        text, keyboard = onboarding_views.safety_question(content, outcome.index)
        await send(
            context, chat_id, content.t("onboard.answer_with_buttons") + "\n\n" + text, keyboard
        )
    elif isinstance(outcome, UrgentPending):
        text, keyboard = onboarding_views.urgent(content)
        await send(
            context, chat_id, content.t("onboard.read_urgent_first") + "\n\n" + text, keyboard
        )
    elif isinstance(outcome, ZoneNotUnderstood):
        await show_zone_not_understood(context, chat_id, outcome)
    elif isinstance(outcome, TimeNotUnderstood):
        first = (
            content.t("remind.time_unknown", text=outcome.echo)
            if outcome.echo
            else content.t("remind.time_unknown_generic")
        )
        text = first + "\n\n" + content.t("remind.time_examples")
        await send(context, chat_id, text, views.time_keyboard())


async def show_zone_not_understood(
    context: BotContext, chat_id: int, outcome: ZoneNotUnderstood
) -> None:
    content = context.runtime.content
    match = outcome.match
    if match.kind == ZoneMatchKind.SUGGEST:
        text = (
            content.t("remind.zone_suggest_echo", text=outcome.echo)
            if outcome.echo
            else content.t("remind.zone_suggest")
        )
        now = context.runtime.clock.now()
        await send(
            context, chat_id, text, views.suggestions_keyboard(content, match.suggestions, now)
        )
        return
    if match.kind == ZoneMatchKind.BAD_OFFSET:
        await send(context, chat_id, content.t("remind.zone_bad_offset"))
        return
    first = (
        content.t("remind.zone_unknown", text=outcome.echo)
        if outcome.echo
        else content.t("remind.zone_unknown_generic")
    )
    await send(context, chat_id, first + "\n\n" + content.t("remind.zone_examples"))
