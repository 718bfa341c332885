"""The one repeating job that sends daily prompts: claim due work, send it, record results.

It never sleeps. A 429 is not waited out here: the delivery gets a retry time and a later run
sends it (the send budget's rate limiter hands every RetryAfter straight back, and the request
layer's own retries are switched off for prompts, see ``bot.plumbing.retry.no_retries``).

Pipelined: each send takes a round trip to Telegram, so the sweep keeps about rate x round
trip prompts in flight (``SendBudget.window``: measured as it goes, never more than
``REMINDER_SEND_CONCURRENCY``, 16 by default), and records the results in batches as their
answers arrive (``_Recorder``: a group commit, one statement for the "sent" answers that
arrived while the previous one was written, FLUSH_SIZE at most). The next batch of claims
is made while the current one is still being sent, so the pipeline never drains between
batches. Prompts take the REMINDER priority: answers to users go first.

The duplicate window: Telegram has no idempotency key, so a prompt whose send was accepted
but whose result was not yet committed when the process died is sent again after the lease.
A prompt holds its place in flight until its result is committed (its batch's statement),
so the prompts in flight plus those answered and waiting for their batch are at most
``REMINDER_SEND_CONCURRENCY`` at any instant, and a kill duplicates at most that many.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncConnection
from telegram import Bot
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from bot.domain.schedule import LATE_AFTER
from bot.domain.statuses import DeliveryStatus
from bot.features.reminders.views import prompt_markup, prompt_text
from bot.plumbing.pace import sending_as
from bot.plumbing.retry import no_retries
from bot.runtime import BotContext, Runtime
from bot.runtime.budget import Priority
from bot.services.reminder_sweep import (
    MIN_BATCH,
    Dispatch,
    SendKind,
    SendResult,
    batch_size,
    claim_due,
    record_many_sent,
    record_result,
)

log = logging.getLogger(__name__)

JOB_NAME = "reminder-sweep"
LEASE_MARGIN = timedelta(seconds=10)
"""A claim is not sent this close to the end of its lease (a send can take that long)."""
MAX_BATCHES = 200  # a safety stop per run; the next run takes the rest
FLUSH_SIZE = 64
"""The most "sent" results one statement records."""


@dataclass(slots=True)
class SweepReport:
    claimed: int = 0
    sent: int = 0
    missed: int = 0
    unsent: int = 0  # to retry later, failed, or blocked
    batches: int = 0  # statements that recorded "sent" results


async def sweep_job(context: BotContext) -> None:
    """The JobQueue callback: one sweep; nothing escapes, so the job keeps running."""
    try:
        report = await run_sweep(context.runtime, context.bot)
    except Exception:
        log.exception("reminder sweep failed; the next run tries again")
        return
    if report.claimed or report.missed:
        log.info(
            "reminder sweep: claimed=%s sent=%s missed=%s unsent=%s recorded_in=%s",
            report.claimed,
            report.sent,
            report.missed,
            report.unsent,
            report.batches,
        )


async def run_sweep(runtime: Runtime, bot: Bot) -> SweepReport:
    """Claim and send batches until nothing more is due.

    Every batch makes progress (a claimed subscription's next due instant moves forward; a
    claimed delivery gets a later retry time or a final status), so this ends; MAX_BATCHES
    bounds one run all the same. Each batch is as large as the pace so far allows
    (``batch_size``): large enough to spare the database, small enough to be sent within its
    lease; the next is claimed once half of the current one has gone out.
    """
    # Never below LATE_AFTER: a prompt is not "missed" because the sweep runs every few seconds.
    settings = runtime.settings
    grace = max(timedelta(minutes=settings.reminder_grace_minutes), LATE_AFTER)
    lease = timedelta(seconds=settings.reminder_send_lease_seconds)
    paid = settings.reminder_paid_broadcast
    budget = runtime.budget
    margin = min(LEASE_MARGIN, lease / 4)
    report = SweepReport()
    queue: _Queue = _Queue()
    tasks: set[asyncio.Task[str]] = set()
    async with runtime.autocommit_connection() as connection:
        recorder = _Recorder(runtime, connection)
        with sending_as(Priority.REMINDER):
            claims = asyncio.create_task(_claim_batches(runtime, queue, report, grace, lease))
            try:
                while (item := await queue.take()) is not None:
                    await budget.take_off(paid=paid)
                    task = asyncio.create_task(_deliver(runtime, bot, item, recorder, margin))
                    tasks.add(task)
                    task.add_done_callback(tasks.discard)
                    task.add_done_callback(lambda done: _count(report, done))
                await claims  # raises what the claiming raised
                if tasks:
                    await asyncio.wait(tasks)  # each records its own result
            finally:
                claims.cancel()
                for task in tasks:  # only if cancelled (the process is stopping) or failed
                    task.cancel()
                report.batches = recorder.batches
    return report


def _count(report: SweepReport, task: asyncio.Task[str]) -> None:
    if task.cancelled() or task.exception() is not None:
        report.unsent += 1
    elif task.result() == DeliveryStatus.SENT:
        report.sent += 1
    else:
        report.unsent += 1


class _Queue:
    """Claimed prompts waiting for a place in flight; None ends the sweep."""

    def __init__(self) -> None:
        self.items: deque[Dispatch | None] = deque()
        self._changed = asyncio.Event()
        self.taken = 0

    def put(self, item: Dispatch | None) -> None:
        self.items.append(item)
        self._changed.set()

    async def take(self) -> Dispatch | None:
        while not self.items:
            self._changed.clear()
            await self._changed.wait()
        self.taken += 1
        self._changed.set()
        return self.items.popleft()

    async def down_to(self, count: int) -> None:
        while len(self.items) > count:
            self._changed.clear()
            await self._changed.wait()


async def _claim_batches(
    runtime: Runtime, queue: _Queue, report: SweepReport, grace: timedelta, lease: timedelta
) -> None:
    size = MIN_BATCH
    started = runtime.clock.now()
    try:
        for _ in range(MAX_BATCHES):
            async with runtime.session() as session:
                batch = await claim_due(
                    session, now=runtime.clock.now(), grace=grace, limit=size, lease=lease
                )
            report.claimed += len(batch.dispatches)
            report.missed += batch.missed
            for item in batch.dispatches:
                queue.put(item)
            if not batch.more:
                break
            await queue.down_to(len(batch.dispatches) // 2)
            size = batch_size(queue.taken, runtime.clock.now() - started, lease)
    finally:
        queue.put(None)


_Waiting = tuple[Dispatch, int, datetime, "asyncio.Future[bool]"]
"""A "sent" answer waiting for its batch: the prompt, its message id, when, and its future."""


class _Recorder:
    """Writes the sends' results as their answers arrive, the "sent" ones in batches.

    A group commit: a "sent" answer is written at once when no write is under way; while one
    is, the answers that arrive wait and go together in the next (one autocommit statement
    for up to FLUSH_SIZE of them, on a connection held for the sweep). At Telegram's 30 a
    second nearly every batch is one prompt, as before; at 1,000 a second one round trip and
    one commit serve dozens, where a statement each cost the event loop most of a prompt's
    CPU. The prompts keep their places in flight until their batch is committed, so the
    crash window stays within the prompts in flight. Anything else, a prompt the batch did
    not find still claimed, or a failure of that connection, goes through ``record_result``
    in a transaction of its own.
    """

    def __init__(self, runtime: Runtime, connection: AsyncConnection) -> None:
        self._runtime = runtime
        self._connection: AsyncConnection | None = connection
        self._waiting: list[_Waiting] = []
        self._writer: asyncio.Task[None] | None = None
        self.batches = 0

    async def record(self, item: Dispatch, result: SendResult) -> str:
        now = self._runtime.clock.now()
        sent = result.kind == SendKind.SENT and result.message_id is not None
        if sent and await self._record_sent(item, result.message_id or 0, now):
            return DeliveryStatus.SENT
        async with self._runtime.session() as session:
            return await record_result(session, item, result, now=now)

    async def _record_sent(self, item: Dispatch, message_id: int, now: datetime) -> bool:
        if self._connection is None:
            return False
        done: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._waiting.append((item, message_id, now, done))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write_all())
        return await done

    async def _write_all(self) -> None:
        """Write batches until nobody waits (one statement at a time on the connection)."""
        while self._waiting:
            batch, self._waiting = self._waiting[:FLUSH_SIZE], self._waiting[FLUSH_SIZE:]
            await self._write(batch)

    async def _write(self, batch: list[_Waiting]) -> None:
        recorded: set[int] = set()
        try:
            if self._connection is not None:
                sent = [(item, message_id, at) for item, message_id, at, _ in batch]
                recorded = await record_many_sent(self._connection, sent)
                self.batches += 1
        except Exception as error:
            # The statement may or may not have committed: record_result reads each row.
            log.warning(
                "recording %s reminder deliveries on the sweep's connection failed (%s); "
                "using a new session for the rest of this sweep",
                len(batch),
                type(error).__name__,
            )
            self._connection = None
        finally:
            for item, _, _, done in batch:
                if not done.done():
                    done.set_result(item.delivery_id in recorded)


async def _deliver(
    runtime: Runtime, bot: Bot, item: Dispatch, recorder: _Recorder, margin: timedelta
) -> str:
    """Send one prompt and record the result, holding its place in flight until the result
    is committed; a failure here never touches the others. A claim whose lease is about to
    run out (Telegram was slow with the ones before it) is not sent: another dispatcher may
    take it over, so the next sweep does."""
    try:
        if item.lease_ends is not None and runtime.clock.now() >= item.lease_ends - margin:
            log.info(
                "reminder for user %s left to the next sweep: its claim runs out", item.user_id
            )
            return "expired"
        result = await send_prompt(runtime, bot, item)
        try:
            return await recorder.record(item, result)
        except Exception:
            log.exception(
                "could not record reminder delivery %s for user %s", item.delivery_id, item.user_id
            )
            return "unrecorded"
    finally:
        await runtime.budget.land()


async def send_prompt(runtime: Runtime, bot: Bot, item: Dispatch) -> SendResult:
    """Send the prompt; Telegram's answer becomes a plain result (never an exception)."""
    content = runtime.content
    try:
        with no_retries():  # a failed prompt is retried by a later sweep, not here
            message = await bot.send_message(
                item.chat_id,
                prompt_text(content, item),
                reply_markup=prompt_markup(content, item),
                allow_paid_broadcast=runtime.settings.reminder_paid_broadcast or None,
            )
    except RetryAfter as error:
        log.warning(
            "Telegram's flood control (429) on the reminder to user %s: sent again in %.0f s",
            item.user_id,
            _seconds(error),
        )
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
