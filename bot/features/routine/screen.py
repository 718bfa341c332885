"""What the routine shows in the chat, and its hold timers.

Turns the routine service's plain results into Bot API calls: cards and their buttons,
countdown edits, the next step's message, the summary. A step's message is remembered as
the session's card once it is sent. Also the hold timer: one one-off JobQueue job per chat
(``hold:<chat id>``), scheduled at an absolute time from the runtime's clock. Its countdown
edits go at the send budget's lowest priority, as often as the budget leaves room for
(``SendBudget.countdown_every``: every 5, 10 or 15 s, or once near the end).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable
from dataclasses import dataclass
from typing import cast

from telegram import Bot, InlineKeyboardMarkup, Message
from telegram.error import Forbidden, TelegramError
from telegram.ext import JobQueue

from bot.features.routine import live
from bot.features.routine import views as render
from bot.features.routine.keyboards import (
    _button,
    hurt_keyboard,
    offer_keyboard,
    step_keyboard,
)
from bot.features.routine.pictures import opens_side, show_picture
from bot.features.safety import views as safety_views
from bot.plumbing.callbacks import Action
from bot.plumbing.pace import SendSkipped, sending_as
from bot.plumbing.replies import drop_buttons, edit_text
from bot.runtime import BotApp, BotContext, runtime_of
from bot.runtime.budget import Priority
from bot.services import routine as service
from content import Content

log = logging.getLogger(__name__)

COUNTDOWN_MAX_WAIT = 1.0
"""Seconds a countdown edit may wait for a slot of the send budget before it is given up."""


def app_of(context: BotContext) -> BotApp:
    """The context's Application with its full type."""
    return cast("BotApp", context.application)


# --- keyboards --------------------------------------------------------------------------


# --- sending and editing ----------------------------------------------------------------


async def _send_step(
    app: BotApp,
    view: service.StepView,
    chat_id: int,
    text: str,
    *,
    opening: bool = False,
    loud: bool = False,
    note: str | None = None,
) -> Message:
    """Send a step's message and make it the session's card; ``opening``: a step that may
    start an exercise or side, which its animation comes before. Hands-free, it is silent
    unless ``loud`` (a transition to notice: the next exercise, the end), and a live
    message opens with ``note`` (e.g. that the bot was restarted) when there is one."""
    runtime = runtime_of(app)
    if opening and opens_side(view):
        await show_picture(app, view, chat_id)
    markup: InlineKeyboardMarkup | None
    if live.is_live(view):
        text, markup = (
            live.live_text(runtime.content, view),
            live.live_keyboard(runtime.content, view),
        )
        if note is not None:
            text = f"{note}\n\n{text}"
    else:
        markup = step_keyboard(runtime.content, view)
    if view.hands_free:
        message = await app.bot.send_message(
            chat_id, text, reply_markup=markup, disable_notification=not loud
        )
    else:
        message = await app.bot.send_message(chat_id, text, reply_markup=markup)
    async with runtime.session() as db:
        await service.remember_card(
            db, session_id=view.session_id, step_no=view.step_no, message_id=message.message_id
        )
    return message


async def show_opened(app: BotApp, opened: service.Opened) -> None:
    """The answer to /routine, "Start now" or "Do this one now"."""
    content = runtime_of(app).content
    chat_id = opened.chat_id
    if opened.left_behind is not None:
        left = opened.left_behind
        await edit_text(app.bot, chat_id, left.message_id, render.closed_text(content, left))
    if opened.result == "unscreened":  # the safety questions come first
        text, markup = safety_views.start_check(content)
        await app.bot.send_message(chat_id, text, reply_markup=markup)
    elif opened.result == "emergency":  # no routine until a doctor has checked them
        text, markup = safety_views.checked_question(content)
        await app.bot.send_message(chat_id, text, reply_markup=markup)
    elif opened.result == "started" and opened.view is not None:
        if opened.caution:
            await app.bot.send_message(chat_id, content.t("safety.routine_caution"))
        if opened.offer_rescreen:
            text, markup = safety_views.rescreen_offer(content)
            await app.bot.send_message(chat_id, text, reply_markup=markup)
        await _send_step(
            app, opened.view, chat_id, render.step_text(content, opened.view), opening=True
        )
        if opened.timer is not None:  # hands-free, started by a rating: the countdown runs
            schedule_timer(app, opened.timer)
    elif opened.result == "offer" and opened.view is not None:
        await app.bot.send_message(
            chat_id,
            render.offer_text(content, opened.view, opened.request.exercise_id),
            reply_markup=offer_keyboard(content, opened.view, opened.request),
        )
    elif opened.result == "empty":
        button = _button(content.t("routine.button_settings"), Action.SETTINGS_ROUTINE)
        await app.bot.send_message(
            chat_id, content.t("routine.empty"), reply_markup=InlineKeyboardMarkup([[button]])
        )
    elif opened.result == "unknown":
        await app.bot.send_message(chat_id, content.t("routine.unknown_exercise"))


async def show_outcome(app: BotApp, outcome: service.Outcome, *, tapped: int | None) -> None:
    """Show what a tap or a timer changed; a stale tap only loses its leftover buttons."""
    content = runtime_of(app).content
    chat_id = outcome.chat_id
    if outcome.verdict == "forged":
        return
    if outcome.verdict == "stale":
        if tapped is not None and tapped != outcome.card_message_id:
            await drop_buttons(app.bot, chat_id, tapped)
        if outcome.for_safety and tapped is not None:  # ended by a warning sign: say so
            await app.bot.send_message(chat_id, content.t("safety.routine_stopped_tap"))
        elif outcome.over:
            await app.bot.send_message(chat_id, content.t("routine.stale_over"))
        return
    edited = {
        outcome.closing.message_id if outcome.closing else None,
        outcome.countdown.card_message_id if outcome.countdown else None,
        outcome.live.card_message_id if outcome.live else None,
    }
    if tapped is not None and tapped not in edited:
        await drop_buttons(app.bot, chat_id, tapped)  # e.g. the "continue or start again" offer
    if outcome.cancel_timer:
        cancel_timer(app, chat_id)
    if outcome.closing is not None:
        closing = outcome.closing
        text = (
            live.collapsed_text(content, closing)
            if outcome.collapse
            else render.closed_text(content, closing)
        )
        await edit_text(app.bot, chat_id, closing.message_id, text)
    if outcome.collapse:
        await _cue(app, outcome, None)
    if outcome.countdown is not None:
        await _show_running(app, outcome.countdown, chat_id)
    note = None
    if outcome.lead == "recovered":  # a hold ended while the bot was down: say so
        note = render.lead_text(content, outcome.lead, outcome.lead_seconds)
    if outcome.live is not None:
        await _show_running(app, outcome.live, chat_id)
        if outcome.cue is not None:
            await _cue(app, outcome, outcome.live, note=note)
            if opens_side(outcome.live):  # hands-free: the switch to the other side
                await show_picture(app, outcome.live, chat_id)
    if outcome.hurt is not None:
        await app.bot.send_message(
            chat_id,
            render.hurt_text(content, outcome.hurt),
            reply_markup=hurt_keyboard(content, outcome.hurt),
        )
    if outcome.next_view is not None:
        lead = outcome.lead
        if lead == "skipped" and outcome.closing is not None:
            lead = None  # the skipped step's message already says "Skipped."
        text = render.next_text(content, outcome.next_view, lead, outcome.lead_seconds)
        await _send_step(
            app, outcome.next_view, chat_id, text, opening=True, loud=outcome.loud, note=note
        )
    if outcome.summary is not None:
        text = render.summary_text(content, outcome.summary)
        if outcome.lead == "recovered":
            text = f"{render.lead_text(content, outcome.lead, outcome.lead_seconds)}\n\n{text}"
        await _say(app, chat_id, text, quiet=outcome.quiet)
    if outcome.ask_after is not None:  # hands-free: done; the rating after is optional
        view = outcome.ask_after
        await _send_step(app, view, chat_id, render.step_text(content, view))
    if outcome.late is not None:
        late = render.late_rating_text(content, outcome.late)
        if late:
            await _say(app, chat_id, late, quiet=True)
    if outcome.stopped:
        if outcome.quiet:
            await _cue(app, outcome, None)  # hands-free: no cue left behind
        if not outcome.for_safety:  # a warning sign's own advice follows instead
            await _say(app, chat_id, content.t("routine.stopped"), quiet=outcome.quiet)
    if outcome.timer is not None:
        schedule_timer(app, outcome.timer)


async def _show_running(app: BotApp, view: service.StepView, chat_id: int) -> None:
    """Turn the card into the running hold (or set); a card that is gone is sent anew."""
    content = runtime_of(app).content
    text, markup = _running(content, view)
    if view.card_message_id is not None and await edit_text(
        app.bot, chat_id, view.card_message_id, text, markup
    ):
        return
    await _send_step(app, view, chat_id, text)


def _running(content: Content, view: service.StepView) -> tuple[str, InlineKeyboardMarkup | None]:
    if live.is_live(view):
        return live.live_text(content, view), live.live_keyboard(content, view)
    return render.running_text(content, view), step_keyboard(content, view)


async def _say(app: BotApp, chat_id: int, text: str, *, quiet: bool) -> None:
    if quiet:
        await app.bot.send_message(chat_id, text, disable_notification=True)
    else:
        await app.bot.send_message(chat_id, text)


async def _cue(
    app: BotApp,
    outcome: service.Outcome,
    view: service.StepView | None,
    *,
    note: str | None = None,
) -> None:
    """Hands-free: a transition to notice, as a new message with sound (``view`` None: none,
    the exercise is over), opening with ``note`` if there is one; the cue before it is
    deleted, so the chat keeps one at most."""
    runtime = runtime_of(app)
    chat_id = outcome.chat_id
    message_id = None
    if view is not None and outcome.cue is not None:
        text = live.cue_text(runtime.content, outcome.cue, view)
        if note is not None:
            text = f"{note}\n{text}"
        message = await app.bot.send_message(chat_id, text, disable_notification=False)
        message_id = message.message_id
    async with runtime.session() as db:
        previous = await service.remember_cue(
            db, session_id=outcome.session_id, message_id=message_id
        )
    if previous is not None:
        await delete_message(app.bot, chat_id, previous)


# --- hold timers ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class HoldJob:
    """The data of a hold timer job."""

    chat_id: int
    session_id: int
    hold_id: int
    step_no: int = 0
    """With ``hold_id`` 0: the hands-free countdown before this step's hold."""


def timer_name(chat_id: int) -> str:
    return f"hold:{chat_id}"


def _job_queue(app: BotApp) -> JobQueue[BotContext]:
    if app.job_queue is None:
        raise RuntimeError("the routine needs the JobQueue (python-telegram-bot[job-queue])")
    return app.job_queue


def cancel_timer(app: BotApp, chat_id: int) -> None:
    for job in _job_queue(app).get_jobs_by_name(timer_name(chat_id)):
        job.schedule_removal()


def schedule_timer(app: BotApp, order: service.TimerOrder) -> None:
    """Run the hold timer at ``order.at``, replacing the chat's previous timer."""
    cancel_timer(app, order.chat_id)
    _job_queue(app).run_once(
        hold_timer,
        when=order.at,
        name=timer_name(order.chat_id),
        data=HoldJob(order.chat_id, order.session_id, order.hold_id, order.step_no),
        chat_id=order.chat_id,
    )


async def hold_timer(context: BotContext) -> None:
    """A running hold's timer: update the countdown, or end the hold."""
    job = context.job
    if job is None or not isinstance(job.data, HoldJob):
        return
    data = job.data
    runtime = context.runtime
    every = runtime.budget.countdown_every(data.chat_id)  # what the send budget leaves
    async with runtime.session() as db:
        if data.hold_id == 0:
            tick = await service.countdown_due(
                db,
                session_id=data.session_id,
                step_no=data.step_no,
                now=runtime.clock.now(),
                every=every,
            )
        else:
            tick = await service.timer_due(
                db,
                session_id=data.session_id,
                hold_id=data.hold_id,
                now=runtime.clock.now(),
                exercises=runtime.content.exercises,
                every=every,
            )
    app = app_of(context)
    if tick.countdown is not None and tick.next_at is not None:
        view = tick.countdown
        if view.card_message_id is not None:
            text, markup = _running(runtime.content, view)
            # The lowest priority: never ahead of an answer or a reminder; given up if no
            # slot comes within a second (the count would be stale).
            with sending_as(Priority.COUNTDOWN, max_wait=COUNTDOWN_MAX_WAIT):
                await _quietly(
                    edit_text(app.bot, data.chat_id, view.card_message_id, text, markup),
                    data.chat_id,
                )
        order = service.TimerOrder(
            data.chat_id, data.session_id, data.hold_id, tick.next_at, data.step_no
        )
        schedule_timer(app, order)
    elif tick.finished is not None:
        await _quietly(show_outcome(app, tick.finished, tapped=None), data.chat_id)


async def show_recovery(app: BotApp, recovery: service.Recovery) -> None:
    """After a restart: timers back for running holds; users whose hold ended while the bot
    was down see it recorded and the next step."""
    for order in recovery.timers:
        schedule_timer(app, order)
    for outcome in recovery.finished:
        await _quietly(show_outcome(app, outcome, tapped=None), outcome.chat_id)


async def delete_message(bot: Bot, chat_id: int, message_id: int) -> None:
    """Delete an old cue; one already gone (or too old to delete) stays as it is."""
    try:
        await bot.delete_message(chat_id, message_id)
    except TelegramError as error:
        log.info("cue %s in chat %s not deleted: %s", message_id, chat_id, error)


async def _quietly(action: Awaitable[object], chat_id: int) -> None:
    """Run a timer's or start-up's chat update; a blocked chat or a network failure is
    logged, never raised (the state is already saved: /routine picks it up again)."""
    try:
        await action
    except Forbidden as error:
        log.info("routine message to chat %s not delivered (blocked): %s", chat_id, error.message)
    except SendSkipped:
        log.debug("countdown edit in chat %s skipped: the send budget had no slot", chat_id)
    except TelegramError as error:
        log.warning("routine message to chat %s given up: %s", chat_id, error)
