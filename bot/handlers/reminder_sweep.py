"""The one repeating job that sends daily prompts: claim due work, send it, record results.

It never sleeps. A 429 is not waited out here: the delivery gets a retry time and a later run
sends it (PTB's AIORateLimiter is built with ``max_retries=0``, so it throttles to Telegram's
limits but hands every RetryAfter to us). Sends within a batch run concurrently, bounded by a
semaphore, so the rate limiter, not one-by-one latency, sets the pace.

Results are recorded by one writer per batch as they come in (a group commit): each
transaction takes every result that arrived while the previous one was being written. At full
speed that is a handful of transactions per batch instead of one per prompt (and on SQLite no
writers queueing for the lock); when sends trickle in under the rate limiter, each is written
at once.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from telegram import Bot
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from bot.domain.schedule import LATE_AFTER, DeliveryStatus
from bot.handlers.reminder_views import prompt_keyboard, prompt_text
from bot.runtime import BotContext, Runtime
from bot.services.reminder_sweep import (
    ClaimedBatch,
    Dispatch,
    SendKind,
    SendResult,
    claim_due,
    record_results,
)
from storage.db import is_sqlite

log = logging.getLogger(__name__)

JOB_NAME = "reminder-sweep"
BATCH_SIZE = 100
SEND_CONCURRENCY = 16
MAX_BATCHES = 200  # a safety stop per run: 20,000 prompts; the next run takes the rest


@dataclass(slots=True)
class SweepReport:
    claimed: int = 0
    sent: int = 0
    missed: int = 0
    unsent: int = 0  # to retry later, failed, or blocked


async def sweep_job(context: BotContext) -> None:
    """The JobQueue callback: one sweep; nothing escapes, so the job keeps running."""
    try:
        report = await run_sweep(context.runtime, context.bot)
    except Exception:
        log.exception("reminder sweep failed; the next run tries again")
        return
    if report.claimed or report.missed:
        log.info(
            "reminder sweep: claimed=%s sent=%s missed=%s unsent=%s",
            report.claimed,
            report.sent,
            report.missed,
            report.unsent,
        )


async def run_sweep(runtime: Runtime, bot: Bot) -> SweepReport:
    """Claim and send batches until nothing more is due.

    Every batch makes progress (a claimed subscription's next due instant moves forward; a
    claimed delivery gets a later retry time or a final status), so this ends; MAX_BATCHES
    bounds one run all the same.
    """
    # Never below LATE_AFTER: a prompt is not "missed" because the sweep runs every few seconds.
    grace = max(timedelta(minutes=runtime.settings.reminder_grace_minutes), LATE_AFTER)
    # Where two transactions can write at once (PostgreSQL's row locks), the next batch is
    # claimed while this one is sent, so the database works while Python renders and sends.
    # SQLite has one writer at a time: claiming ahead would only hold the results' writes up.
    ahead = not is_sqlite(runtime.settings.database_url)
    semaphore = asyncio.Semaphore(SEND_CONCURRENCY)
    report = SweepReport()
    next_batch = asyncio.create_task(_claim(runtime, grace))
    try:
        for number in range(1, MAX_BATCHES + 1):
            batch = await next_batch
            more = batch.more and number < MAX_BATCHES
            if more and ahead:
                next_batch = asyncio.create_task(_claim(runtime, grace))
            report.claimed += len(batch.dispatches)
            report.missed += batch.missed
            statuses = await _send_batch(runtime, bot, batch.dispatches, semaphore)
            report.sent += sum(status == DeliveryStatus.SENT for status in statuses)
            report.unsent += sum(status != DeliveryStatus.SENT for status in statuses)
            if not more:
                break
            if not ahead:
                next_batch = asyncio.create_task(_claim(runtime, grace))
    finally:
        # Leaving early (going down, or an error): a claim still in its transaction rolls back;
        # a finished one's rows are sent by any dispatcher once their lease is over.
        if not next_batch.done():
            next_batch.cancel()
        elif not next_batch.cancelled() and next_batch.exception() is not None:
            log.warning("a claim made ahead failed: %s", next_batch.exception())
    return report


async def _claim(runtime: Runtime, grace: timedelta) -> ClaimedBatch:
    async with runtime.session() as session:
        return await claim_due(session, now=runtime.clock.now(), grace=grace, limit=BATCH_SIZE)


Outcome = tuple[Dispatch, SendResult]


async def _send_batch(
    runtime: Runtime, bot: Bot, dispatches: Sequence[Dispatch], semaphore: asyncio.Semaphore
) -> list[str]:
    """Send a claimed batch concurrently while one writer records the results as they come."""
    if not dispatches:
        return []
    results: asyncio.Queue[Outcome | None] = asyncio.Queue()
    writer = asyncio.create_task(_record_as_they_come(runtime, results))

    async def send(item: Dispatch) -> None:
        async with semaphore:
            results.put_nowait((item, await send_prompt(runtime, bot, item)))

    try:
        await asyncio.gather(*(send(item) for item in dispatches))
    except BaseException:
        writer.cancel()  # the process is going down: what is unrecorded is re-sent after the lease
        raise
    results.put_nowait(None)
    statuses = await writer
    return [statuses.get(item.delivery_id, "unrecorded") for item in dispatches]


async def _record_as_they_come(
    runtime: Runtime, results: asyncio.Queue[Outcome | None]
) -> dict[int, str]:
    """Record every result that has arrived, in one transaction, until the batch is over."""
    statuses: dict[int, str] = {}
    while True:
        group = [await results.get()]
        while not results.empty():
            group.append(results.get_nowait())
        outcomes = [outcome for outcome in group if outcome is not None]
        if outcomes:
            statuses.update(await _record(runtime, outcomes))
        if len(outcomes) < len(group):  # the end marker: every send has finished
            return statuses


async def _record(runtime: Runtime, outcomes: list[Outcome]) -> dict[int, str]:
    """Record a group in one transaction; if that fails, each result on its own, so one bad
    row never loses the others' results."""
    try:
        async with runtime.session() as session:
            statuses = await record_results(session, outcomes, now=runtime.clock.now())
        return {
            item.delivery_id: status for (item, _), status in zip(outcomes, statuses, strict=True)
        }
    except Exception:
        if len(outcomes) == 1:
            item = outcomes[0][0]
            log.exception(
                "could not record reminder delivery %s for user %s", item.delivery_id, item.user_id
            )
            return {item.delivery_id: "unrecorded"}
    recorded: dict[int, str] = {}
    for outcome in outcomes:
        recorded.update(await _record(runtime, [outcome]))
    return recorded


async def send_prompt(runtime: Runtime, bot: Bot, item: Dispatch) -> SendResult:
    """Send the prompt; Telegram's answer becomes a plain result (never an exception)."""
    content = runtime.content
    try:
        message = await bot.send_message(
            item.chat_id,
            prompt_text(content, item),
            reply_markup=prompt_keyboard(content, item.delivery_id),
        )
    except RetryAfter as error:
        return SendResult(SendKind.RETRY_AFTER, retry_after=_seconds(error), error="429")
    except Forbidden as error:
        return SendResult(SendKind.BLOCKED, error=str(error))
    except BadRequest as error:  # before NetworkError: BadRequest is a subclass of it
        return SendResult(SendKind.FAILED, error=str(error))
    except NetworkError as error:  # TimedOut, connection errors, 5xx
        log.info("reminder send to user %s will be retried: %s", item.user_id, error)
        return SendResult(SendKind.TRANSIENT, error=f"{type(error).__name__}: {error}")
    except TelegramError as error:
        return SendResult(SendKind.FAILED, error=f"{type(error).__name__}: {error}")
    except Exception as error:
        log.exception("reminder send to user %s crashed", item.user_id)
        return SendResult(SendKind.FAILED, error=f"internal: {type(error).__name__}")
    return SendResult(SendKind.SENT, message_id=message.message_id)


def _seconds(error: RetryAfter) -> float:
    value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)
