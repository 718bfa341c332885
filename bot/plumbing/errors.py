"""The Application's one error handler.

Every exception a handler or job lets escape comes here. It is logged with the update id, the
user id and what the update was (a command's name, a button's action, a job's name: never
what the user typed), and the user is told briefly that it did not go through and to try
again. Nothing needs undoing: services commit their changes in one transaction, so an
exception before the commit leaves the database (a routine's cursor included) as it was, and
one after it (Telegram failing to show the result) leaves the new state saved, which the next
tap or /routine picks up.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import BadRequest, Forbidden, TelegramError

from bot.plumbing.callbacks import CallbackDataError, decode
from bot.plumbing.mapping import sender_of
from bot.runtime import BotContext
from bot.runtime.logs import describe_exception, our_frame, stack_of

log = logging.getLogger(__name__)


BENIGN_BAD_REQUESTS = (
    "message is not modified",  # a double tap re-rendered the same screen
    "query is too old",  # the tap was answered too late for Telegram to show it
    "query id is invalid",
    "message to edit not found",  # the user deleted the message
    "message to delete not found",
    "message can't be edited",
)


def is_benign(error: BaseException | None) -> bool:
    """Telegram refusals that change nothing for the user: logged quietly, never shown."""
    return isinstance(error, BadRequest) and any(
        phrase in error.message.lower() for phrase in BENIGN_BAD_REQUESTS
    )


def describe_update(update: object, context: BotContext) -> str:
    """What failed, in words safe to log: the kind of update, a command's name, a button's
    action, or the job's name. Never the text the user typed."""
    if not isinstance(update, Update):
        job = context.job
        return f"job {job.name}" if job is not None else "background task"
    if update.callback_query is not None:
        try:
            return f"button {decode(update.callback_query.data).action.value}"
        except CallbackDataError:
            return "button with undecodable data"
    message = update.message or update.edited_message
    if message is not None and message.text and message.text.startswith("/"):
        command = message.text.split(maxsplit=1)[0].split("@", 1)[0]
        return f"command {command[:33]}"
    if update.edited_message is not None:
        return "edited message"
    if message is not None:
        return "message"
    if update.inline_query is not None:
        return "inline query"
    return "update"


async def on_error(update: object, context: BotContext) -> None:
    """Log the failure with its update, user and context, and tell the user what to do."""
    error = context.error
    if error is None:
        return
    sender = sender_of(update)
    what = describe_update(update, context)
    if isinstance(update, Update):
        user_id = sender.user_id if sender else None
        where = f"update {update.update_id} ({what}) for user {user_id}"
    else:
        user_id = None
        where = what
    if is_benign(error):
        log.info("%s: Telegram said %s", where, error)
        return
    if isinstance(error, Forbidden):
        log.warning("%s: Telegram refused, the user has blocked the bot: %s", where, error)
        return
    if isinstance(error, TelegramError):
        # Retried already where that was safe (bot/plumbing/retry.py): this one was given up.
        log.warning(
            "%s: gave up on a Bot API call at %s: %s",
            where,
            our_frame(error),
            describe_exception(error),
        )
    else:
        log.error("%s failed: %s\n%s", where, describe_exception(error), stack_of(error))
        log.debug("%s failed with %r", where, error)
    if sender is None:
        return
    try:
        await context.bot.send_message(sender.chat_id, context.runtime.content.t("error_generic"))
    except TelegramError as failure:
        log.warning("could not tell user %s about the error: %s", user_id, failure)
