"""Test helpers for the reminder feature: subscribe through /start, read schedules, find prompts."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.schedule import EVERY_DAY, next_due
from bot.entry.fake_records import ApiCall, FakeMessage
from storage.models import ReminderDelivery, SafetyScreening, Subscription, User
from tests.harness import BotHarness, catalog, catalog_fragment

START_NOW = catalog().t("remind.btn_start")


async def subscribe(
    bot: BotHarness, user_id: int, *, zone: str = "Berlin", at: str = "07:30"
) -> None:
    """The whole of /start: answer "No" to every safety question, type the zone and the time."""
    await bot.send(user_id, "/start")
    for _ in bot.content.safety.red_flag_questions:
        await bot.tap(user_id, bot.content.t("onboard.no"))
    await bot.send(user_id, zone)
    calls = await bot.send(user_id, at)
    done = catalog_fragment(bot.content, "remind.subscribed")
    assert any(done in (call.text or "") for call in calls), [call.text for call in calls]


async def subscription(bot: BotHarness, user_id: int) -> Subscription:
    (row,) = await bot.rows(Subscription, Subscription.user_id == user_id)
    return row


async def deliveries(bot: BotHarness, user_id: int) -> list[ReminderDelivery]:
    rows = await bot.rows(ReminderDelivery, ReminderDelivery.user_id == user_id)
    return sorted(rows, key=lambda row: row.id)


async def advance_to_next_due(bot: BotHarness, user_id: int) -> list[ApiCall]:
    """Move the clock to the user's next due instant (the sweep runs there)."""
    due = (await subscription(bot, user_id)).next_due_at
    assert due is not None, "no prompt is scheduled"
    return await bot.advance_to(due)


def prompts(calls: Iterable[ApiCall], chat_id: int | None = None) -> list[ApiCall]:
    """The daily prompts among these calls (sent messages with a "Start now" button)."""
    return [
        call
        for call in calls
        if call.method == "sendMessage"
        and (chat_id is None or call.chat_id == chat_id)
        and START_NOW in call.button_data
    ]


def delivered_prompts(bot: BotHarness, chat_id: int) -> list[FakeMessage]:
    """Prompts that reached the chat (the fake stored them), oldest first."""
    return [
        message
        for message in sorted(bot.fake.messages[chat_id].values(), key=lambda m: m.message_id)
        if message.from_bot and _has_start_button(message)
    ]


def _has_start_button(message: FakeMessage) -> bool:
    markup = message.reply_markup or {}
    return any(
        button.get("text") == START_NOW
        for row in markup.get("inline_keyboard") or []
        for button in row
    )


def local_stamps(messages: Sequence[FakeMessage], zone: str) -> list[tuple[date, time]]:
    """(local date, local wall time) of each message, from the fake's clock stamps."""
    tz = ZoneInfo(zone)
    stamps = []
    for message in messages:
        local = datetime.fromtimestamp(message.date, tz)
        stamps.append((local.date(), local.time().replace(second=0)))
    return stamps


async def insert_subscribers(
    bot: BotHarness,
    user_ids: Sequence[int],
    *,
    zone: str,
    at: time,
    due_at: datetime | None = None,
) -> None:
    """Many subscribers at once, as /start would leave them (for load tests)."""
    now = bot.runtime.clock.now()
    first_due = due_at or next_due(now, zone, at, EVERY_DAY)
    async with bot.session() as session:
        await add_subscribers(session, user_ids, now=now, zone=zone, at=at, due_at=first_due)


async def add_subscribers(
    session: AsyncSession,
    user_ids: Sequence[int],
    *,
    now: datetime,
    zone: str,
    at: time,
    due_at: datetime,
) -> None:
    """Users past the safety check with an active daily subscription, first due at
    ``due_at``; committed."""
    for user_id in user_ids:
        session.add(
            User(
                id=user_id,
                chat_id=user_id,
                language_code="en",
                created_at=now,
                updated_at=now,
                safety_acknowledged_at=now,
            )
        )
    await session.flush()
    for user_id in user_ids:
        session.add(
            SafetyScreening(
                user_id=user_id, taken_at=now, source="onboarding", tier="none", signs=""
            )
        )
        session.add(
            Subscription(
                user_id=user_id,
                chat_id=user_id,
                local_time=at,
                timezone=zone,
                days=EVERY_DAY,
                status="active",
                next_due_at=due_at,
                created_at=now,
                updated_at=now,
            )
        )
    await session.commit()
