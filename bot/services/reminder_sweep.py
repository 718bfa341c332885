"""The reminder sweep's database side: claim what is due, then record how each send went.

Claiming happens in one transaction per batch: for each due subscription a delivery row,
unique on (subscription, local date), is inserted and the next due instant is advanced; due
retries, expired leases and finished snoozes are claimed again. Only then is anything sent
(by ``bot.features.reminders.jobs``); the "sent" results are recorded in batches as their
answers arrive (one statement for each batch), any other result in its own transaction.

A crash between claim and record leaves a "claimed" row whose lease (``retry_at``) runs out,
after which any dispatcher sends it: a prompt is never lost. It is sent twice only if the
process dies in the instant between Telegram accepting the message and the record commit;
the dispatcher keeps a prompt's place in flight until its result is recorded (its batch
committed), so a crash can leave at most the prompts in flight in that window, answered or
not: about rate x (round trip + the batch's wait), never more than
``REMINDER_SEND_CONCURRENCY`` (16 by default).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from bot.domain.routine import RoutineChoice
from bot.domain.schedule import (
    MAX_SEND_ATTEMPTS,
    SEND_LEASE,
    catch_up_from,
    is_late,
    local_date,
    next_due,
    retry_delay,
    within_grace,
)
from bot.domain.statuses import DeliveryStatus, SubscriptionStatus
from bot.services.prompt_facts import PromptFacts, prompt_facts
from storage.models import ReminderDelivery, Subscription, User
from storage.reminders import (
    deliveries_due_again,
    due_subscriptions,
    existing_delivery_days,
    insert_deliveries,
    mark_done_today,
    mark_many_sent,
    routine_started_since,
)

log = logging.getLogger(__name__)

ERROR_LIMIT = 200
MIN_BATCH = 100
MAX_BATCH = 500


def batch_size(sent: int, elapsed: timedelta, lease: timedelta) -> int:
    """How many prompts to claim next: as many as the pace just measured (``sent`` in
    ``elapsed``) sends in a quarter of the lease, between MIN_BATCH and MAX_BATCH.

    Large batches save the database work of claiming; a batch too large for a slow Telegram
    would outlive its lease, and its tail would wait for the next sweep.
    """
    seconds = elapsed.total_seconds()
    if seconds <= 0:
        return MAX_BATCH
    fits = int(sent / seconds * lease.total_seconds() / 4)
    return max(MIN_BATCH, min(MAX_BATCH, fits))


@dataclass(frozen=True, slots=True)
class Dispatch:
    """One prompt to send now, with everything needed to write it."""

    delivery_id: int
    subscription_id: int
    user_id: int
    chat_id: int
    zone_key: str
    local_time: time
    local_date: date
    due_at: datetime
    deadline: datetime
    late: bool
    snoozed: bool
    streak: int = 0
    routine: RoutineChoice = field(default_factory=RoutineChoice)
    done_today: bool = False
    """The user already finished a routine on this local day (a one-line note, if sent)."""
    note_when_done: bool = False
    """The user's choice: once today's routine is done, a one-line note instead of nothing."""
    lease_ends: datetime | None = None
    """When another dispatcher may take this claim over (don't start sending it after)."""
    ask_settled: bool = False
    """Yesterday's pain rose by a change that matters: the prompt asks how it settled."""


@dataclass(slots=True)
class ClaimedBatch:
    dispatches: list[Dispatch] = field(default_factory=list)
    rows: int = 0  # rows handled, sent or not
    more: bool = False  # more may be due now: the batch was full, or a catch-up is pending
    missed: int = 0
    dropped: int = 0


class SendKind(StrEnum):
    SENT = "sent"
    RETRY_AFTER = "retry_after"  # Telegram's 429: try again after retry_after seconds
    TRANSIENT = "transient"  # timeout, network or 5xx: retry with back-off
    BLOCKED = "blocked"  # 403: the user blocked the bot or deleted the account
    FAILED = "failed"  # a permanent error (400...) or a bug: do not retry


@dataclass(frozen=True, slots=True)
class SendResult:
    kind: SendKind
    message_id: int | None = None
    retry_after: float = 0.0
    error: str | None = None


async def claim_due(
    session: AsyncSession,
    *,
    now: datetime,
    grace: timedelta,
    limit: int,
    lease: timedelta = SEND_LEASE,
) -> ClaimedBatch:
    """Claim up to ``limit`` rows of due work in one transaction and commit.

    Late by less than ``grace``: claimed to send, marked late when noticeably late. Older: a
    "missed" row, never sent. The subscription's next due instant moves past what was handled
    (past the whole outage when the bot was down for days). A claim not recorded within
    ``lease`` may be claimed again (its sender died).
    """
    batch = ClaimedBatch()
    subscriptions = await due_subscriptions(session, now, limit)
    plans = {sub.id: plan for sub in subscriptions if (plan := _plan(sub, now, grace))}
    taken = await existing_delivery_days(
        session, ((sub_id, plan[0]) for sub_id, plan in plans.items())
    )
    fresh_rows: list[dict[str, Any]] = []
    fresh: list[tuple[dict[str, Any], Subscription]] = []
    for sub in subscriptions:
        batch.rows += 1
        due = sub.next_due_at
        plan = plans.get(sub.id)
        sub.updated_at = now
        if due is None or plan is None:
            sub.next_due_at = None  # set aside (logged in _plan); /timezone or /time fixes it
            continue
        day, following = plan
        if sub.status == SubscriptionStatus.PAUSED:  # a timed pause has run out
            sub.status = SubscriptionStatus.ACTIVE
            sub.paused_until = None
        if (sub.id, day) not in taken:
            sendable = within_grace(due, now, grace)
            row: dict[str, Any] = {
                "subscription_id": sub.id,
                "user_id": sub.user_id,
                "local_date": day,
                "due_at": due,
                "claimed_at": now,
                "status": DeliveryStatus.CLAIMED if sendable else DeliveryStatus.MISSED,
                "late": sendable and is_late(due, now),
                "attempts": 0,
                "retry_at": now + lease if sendable else None,
            }
            fresh_rows.append(row)
            if sendable:
                fresh.append((row, sub))
            else:
                batch.missed += 1
                log.debug("reminder missed: user=%s due=%s", sub.user_id, due.isoformat())
        sub.next_due_at = following
        batch.more = batch.more or following <= now  # today's, after an outage
    for row, delivery_id in zip(
        fresh_rows, await insert_deliveries(session, fresh_rows), strict=True
    ):
        row["id"] = delivery_id
    room = limit - batch.rows
    again = await deliveries_due_again(session, now, room) if room > 0 else []
    resend: list[tuple[ReminderDelivery, Subscription]] = []
    for delivery, sub in again:
        batch.rows += 1
        if await _reclaim(session, delivery, sub, now=now, grace=grace, lease=lease):
            resend.append((delivery, sub))
        else:
            batch.dropped += 1
    batch.more = batch.more or batch.rows >= limit
    await session.flush()
    dispatches = [_dispatch(sub, grace, row=row, snooze_until=None) for row, sub in fresh] + [
        _dispatch(sub, grace, row=_values(delivery), snooze_until=delivery.snooze_until)
        for delivery, sub in resend
    ]
    # Streaks are read before the commit, for the whole batch in one query (one transaction
    # per batch: on SQLite each transaction is a connection of its own).
    facts = await prompt_facts(
        session, [(item.user_id, item.zone_key, item.local_date) for item in dispatches], now
    )
    enriched = [_with(item, facts.get(item.user_id)) for item in dispatches]
    batch.dispatches = [item for item in enriched if _to_send(item)]
    await mark_done_today(session, [item.delivery_id for item in enriched if not _to_send(item)])
    await session.commit()
    return batch


def _with(item: Dispatch, facts: PromptFacts | None) -> Dispatch:
    if facts is None:
        return item
    return replace(
        item,
        streak=facts.streak,
        routine=facts.routine,
        done_today=facts.done_today,
        ask_settled=facts.ask_settled,
    )


def _to_send(item: Dispatch) -> bool:
    """The dispatch decision: no prompt on a day whose routine is already done (unless the
    user chose a one-line note for that)."""
    return not item.done_today or item.note_when_done


def _plan(sub: Subscription, now: datetime, grace: timedelta) -> tuple[date, datetime] | None:
    """The due occurrence's local date and the next due instant after handling it; None (and
    an error logged) for a schedule that cannot be computed, e.g. a zone this machine's zone
    database no longer has. One bad row never holds up the rest."""
    due = sub.next_due_at
    if due is None:
        return None
    try:
        start = catch_up_from(due, now, grace)
        return local_date(due, sub.timezone), next_due(
            start, sub.timezone, sub.local_time, sub.days
        )
    except ValueError as error:
        log.error(
            "reminder schedule set aside: user=%s zone=%s: %s", sub.user_id, sub.timezone, error
        )
        return None


async def _reclaim(
    session: AsyncSession,
    delivery: ReminderDelivery,
    sub: Subscription,
    *,
    now: datetime,
    grace: timedelta,
    lease: timedelta,
) -> bool:
    """Claim a retry, an expired lease or a finished snooze again; False if it is dropped."""
    snoozed = delivery.status == DeliveryStatus.SNOOZED
    deadline = (delivery.snooze_until if snoozed else None) or delivery.due_at
    deadline += grace
    delivery.retry_at = None
    if sub.status != SubscriptionStatus.ACTIVE:
        delivery.status = DeliveryStatus.CANCELLED
        return False
    began = (
        snoozed
        and delivery.sent_at is not None
        and await routine_started_since(session, delivery.user_id, delivery.sent_at)
    )
    if began:
        delivery.status = DeliveryStatus.SENT  # they already began today's routine
        return False
    if now >= deadline:
        never_sent = delivery.sent_at is None and delivery.attempts == 0
        delivery.status = DeliveryStatus.MISSED if snoozed or never_sent else DeliveryStatus.FAILED
        delivery.error = "too late to send"
        log.info("reminder dropped as too late: user=%s delivery=%s", sub.user_id, delivery.id)
        return False
    delivery.status = DeliveryStatus.CLAIMED
    delivery.retry_at = now + lease
    if snoozed:
        delivery.late = is_late(delivery.snooze_until or now, now)
    return True


def _values(delivery: ReminderDelivery) -> dict[str, Any]:
    return {
        "id": delivery.id,
        "local_date": delivery.local_date,
        "due_at": delivery.due_at,
        "late": delivery.late,
        "retry_at": delivery.retry_at,
    }


def _dispatch(
    sub: Subscription, grace: timedelta, *, row: dict[str, Any], snooze_until: datetime | None
) -> Dispatch:
    """The prompt to send for a claimed delivery (its column values in ``row``)."""
    due_at: datetime = row["due_at"]
    return Dispatch(
        delivery_id=row["id"],
        subscription_id=sub.id,
        user_id=sub.user_id,
        chat_id=sub.chat_id,
        zone_key=sub.timezone,
        local_time=sub.local_time,
        local_date=row["local_date"],
        due_at=due_at,
        deadline=(snooze_until or due_at) + grace,
        late=row["late"],
        snoozed=snooze_until is not None,
        lease_ends=row["retry_at"],
        note_when_done=sub.note_when_done,
    )


async def record_result(
    session: AsyncSession, item: Dispatch, result: SendResult, *, now: datetime
) -> str:
    """Record how a send went and decide what happens next; returns the delivery's status.

    429 → retry at ``now + retry_after``; timeouts and 5xx → retry with back-off, at most
    MAX_SEND_ATTEMPTS sends in all; either gives up as "failed" once the next try would come
    after the deadline (due time + grace period). 403 → the subscription is marked blocked.
    """
    delivery = await session.get(ReminderDelivery, item.delivery_id)
    if delivery is None or delivery.status != DeliveryStatus.CLAIMED:
        return delivery.status if delivery is not None else "gone"
    kind = result.kind
    delivery.error = (result.error or "")[:ERROR_LIMIT] or None
    if kind != SendKind.RETRY_AFTER:
        delivery.attempts += 1
    if kind == SendKind.SENT:
        delivery.status = DeliveryStatus.SENT
        delivery.message_id = result.message_id
        delivery.sent_at = now
        delivery.retry_at = None
        delivery.error = None
    elif kind in (SendKind.RETRY_AFTER, SendKind.TRANSIENT):
        wait = (
            timedelta(seconds=max(result.retry_after, 1.0))
            if kind == SendKind.RETRY_AFTER
            else retry_delay(delivery.attempts)
        )
        gave_up = kind == SendKind.TRANSIENT and delivery.attempts >= MAX_SEND_ATTEMPTS
        if gave_up or now + wait >= item.deadline:
            delivery.status = DeliveryStatus.FAILED
            delivery.retry_at = None
            log.warning(
                "reminder failed: user=%s delivery=%s attempts=%s error=%s",
                item.user_id,
                item.delivery_id,
                delivery.attempts,
                delivery.error,
            )
        else:
            delivery.retry_at = now + wait
    elif kind == SendKind.BLOCKED:
        delivery.status = DeliveryStatus.BLOCKED
        delivery.retry_at = None
        await _mark_blocked(session, item, now)
        log.info("user blocked the bot: user=%s; reminders off", item.user_id)
    else:
        delivery.status = DeliveryStatus.FAILED
        delivery.retry_at = None
        log.warning(
            "reminder failed: user=%s delivery=%s error=%s",
            item.user_id,
            item.delivery_id,
            delivery.error,
        )
    await session.commit()
    return delivery.status


async def record_many_sent(
    connection: AsyncConnection, sent: list[tuple[Dispatch, int, datetime]]
) -> set[int]:
    """Record a batch of sent prompts, each (dispatch, message id, when), in one autocommit
    statement; the delivery ids recorded (one left out is no longer claimed: for
    ``record_result`` to sort out)."""
    return await mark_many_sent(
        connection, [(item.delivery_id, message_id, at) for item, message_id, at in sent]
    )


async def _mark_blocked(session: AsyncSession, item: Dispatch, now: datetime) -> None:
    sub = await session.get(Subscription, item.subscription_id)
    if sub is not None:
        sub.status = SubscriptionStatus.BLOCKED
        sub.next_due_at = None
        sub.paused_until = None
        sub.updated_at = now
    user = await session.get(User, item.user_id)
    if user is not None:
        user.blocked_at = now
        user.updated_at = now
