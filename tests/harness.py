"""Drive the real Application through the fake Bot API, with a clock the test moves.

A test reads like a conversation::

    calls = await bot.send(ALICE, "/start")
    await bot.tap(ALICE, "Start now")
    await bot.advance(minutes=5)
"""

from __future__ import annotations

import functools
import logging
import string
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from apscheduler.triggers.date import DateTrigger
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update
from telegram.ext import Job

from bot.composition import build_application, close_runtime, open_runtime
from bot.entry.fake_records import ApiCall, FakeMessage
from bot.entry.fake_telegram import FakeTelegram
from bot.plumbing.callbacks import Action, CallbackDataError, decode
from bot.plumbing.errors import is_benign
from bot.runtime import BotApp, BotContext, Runtime, runtime_of
from bot.runtime.clock import ManualClock
from bot.runtime.settings import Settings
from content import Content, load_content
from storage.safety import record_screening
from storage.users import upsert_user

T = TypeVar("T")
log = logging.getLogger(__name__)

DEFAULT_START = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)  # a Monday, before Europe's DST change
ROUTINE_STARTS = frozenset({Action.START_ROUTINE, Action.START_SINGLE, Action.ROUTINE_RESTART})
TEST_TOKEN = "123456:TEST-token-for-the-fake-bot-api-xyz"


def make_settings(database_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "telegram_bot_token": TEST_TOKEN,
        "database_url": database_url,
        "rate_limit_enabled": False,
        # Pictures only where a test draws them (tests/test_picture_sending.py): the others see
        # text cards, as before pictures.
        "pictures_enabled": False,
        # The tap-per-hold routine, as the older tests drive it; the hands-free tests
        # (tests/test_routine_hands_free.py) turn the product's default back on.
        "hands_free_default": False,
        "_env_file": None,
    }
    values.update(overrides)
    return Settings(**values)


class BotHarness:
    """A running Application on a real database, its fake Bot API, and a manual clock."""

    def __init__(
        self, settings: Settings, content: Content, clock: ManualClock, fake: FakeTelegram
    ) -> None:
        self.settings = settings
        self.content = content
        self.clock = clock
        self.fake = fake
        self.errors: list[BaseException] = []
        self.screen_before_routines = True
        """Tests written before the safety gate: a user who starts a routine has already
        answered the safety questions (all "no"). Gate tests turn this off."""
        self._screened: set[int] = set()
        self.slept: list[float] = []  # seconds the request layer waited before retrying
        self.app: BotApp = self._build()

    async def _retry_sleep(self, seconds: float) -> None:
        """A retry's wait, recorded instead of slept (tests never sleep)."""
        self.slept.append(seconds)

    def _build(self) -> BotApp:
        app = build_application(
            self.settings,
            self.content,
            request=self.fake,
            clock=self.clock,
            retry_sleep=self._retry_sleep,
        )

        async def record_error(update: object, context: BotContext) -> None:
            if context.error is not None and not is_benign(context.error):
                self.errors.append(context.error)

        app.add_error_handler(record_error)
        return app

    @classmethod
    async def start(
        cls,
        settings: Settings,
        *,
        clock: ManualClock | None = None,
        content: Content | None = None,
        fake: FakeTelegram | None = None,
    ) -> BotHarness:
        clock = clock or ManualClock(DEFAULT_START)
        harness = cls(settings, content or load_content(), clock, fake or FakeTelegram(clock))
        await harness._open()
        return harness

    async def _open(self) -> None:
        await self.app.initialize()
        await open_runtime(self.app)

    async def stop(self) -> None:
        await close_runtime(self.app)
        await self.app.shutdown()

    async def restart(self) -> None:
        """A new Application (a new process, as far as the bot knows) on the same database."""
        await self.stop()
        self.app = self._build()
        await self._open()

    @property
    def runtime(self) -> Runtime:
        return runtime_of(self.app)

    # --- the user's side ---------------------------------------------------------------

    async def feed(self, update_json: dict[str, Any]) -> list[ApiCall]:
        """Process one raw update and return the Bot API calls it caused."""
        before = len(self.fake.calls)
        await self._screen_if_starting_a_routine(update_json)
        update = Update.de_json(update_json, self.app.bot)
        # As PTB's update fetcher does in production (bypassed here): the whole update, DEBUG.
        log.debug("Processing update %s", update)
        await self.app.process_update(update)
        return self.fake.calls[before:]

    async def _screen_if_starting_a_routine(self, update_json: dict[str, Any]) -> None:
        if not self.screen_before_routines:
            return
        message = update_json.get("message") or {}
        query = update_json.get("callback_query") or {}
        user_id = (message.get("from") or query.get("from") or {}).get("id")
        if user_id is None or user_id in self._screened:
            return
        starts = str(message.get("text", "")).startswith("/routine")
        if query:
            try:
                starts = decode(query.get("data")).action in ROUTINE_STARTS
            except CallbackDataError:
                starts = False
        if starts:
            await self.mark_screened(user_id)

    async def mark_screened(self, user_id: int, tier: str = "none") -> None:
        """The user has answered the safety questions (``tier``: their result)."""
        self._screened.add(user_id)
        now = self.clock.now()
        async with self.session() as session:
            await upsert_user(
                session, user_id=user_id, chat_id=user_id, language_code=None, now=now
            )
            await record_screening(
                session, user_id=user_id, taken_at=now, source="onboarding", tier=tier
            )
            await session.commit()

    async def send(self, user_id: int, text: str, *, chat_id: int | None = None) -> list[ApiCall]:
        return await self.feed(self.fake.message_update(user_id, text, chat_id=chat_id))

    async def inline(self, user_id: int, query: str) -> list[ApiCall]:
        """Type ``@bot query`` in some chat (inline mode)."""
        return await self.feed(self.fake.inline_query_update(user_id, query))

    async def share_location(
        self, user_id: int, latitude: float, longitude: float
    ) -> list[ApiCall]:
        return await self.feed(self.fake.message_update(user_id, location=(latitude, longitude)))

    async def tap(
        self, user_id: int, label: str, *, message_id: int | None = None
    ) -> list[ApiCall]:
        """Press the inline button labelled ``label`` on the newest message that has it."""
        message = self.message_with_button(user_id, label, message_id=message_id)
        data = _inline_buttons(message)[label]
        return await self.tap_data(user_id, message.message_id, data)

    async def tap_data(self, user_id: int, message_id: int, data: str) -> list[ApiCall]:
        return await self.feed(self.fake.callback_update(user_id, message_id, data))

    def message_with_button(
        self, user_id: int, label: str, *, message_id: int | None = None
    ) -> FakeMessage:
        messages = sorted(self.fake.messages[user_id].values(), key=lambda m: -m.message_id)
        for message in messages:
            if message_id is not None and message.message_id != message_id:
                continue
            if not message.deleted and label in _inline_buttons(message):
                return message
        shown = [list(_inline_buttons(m)) for m in messages[:3]]
        raise AssertionError(f"no message for {user_id} has a button {label!r}; newest: {shown}")

    # --- time --------------------------------------------------------------------------

    async def advance(self, delta: timedelta | None = None, **units: float) -> list[ApiCall]:
        """Move the clock forward, running every job that falls due on the way, in order."""
        step = delta if delta is not None else timedelta(**units)
        target = self.clock.now() + step
        before = len(self.fake.calls)
        while True:
            next_due = self._next_one_off(target)
            if next_due is None:
                self.clock.set(target)
                await self.run_due_jobs()
                break
            self.clock.set(max(next_due, self.clock.now()))
            await self.run_due_jobs()
        return self.fake.calls[before:]

    async def advance_to(self, instant: datetime) -> list[ApiCall]:
        """Move the clock forward to ``instant`` (aware), like ``advance``."""
        return await self.advance(instant - self.clock.now())

    def _next_one_off(self, limit: datetime) -> datetime | None:
        dates = [
            job.job.trigger.run_date
            for job in self.app.job_queue.jobs()  # type: ignore[union-attr]
            if isinstance(job.job.trigger, DateTrigger) and job.job.trigger.run_date <= limit
        ]
        return min(dates) if dates else None

    async def run_due_jobs(self) -> None:
        """Run one-off jobs that are due by the clock, and every repeating job once."""
        assert self.app.job_queue is not None
        now = self.clock.now()
        for job in list(self.app.job_queue.jobs()):
            trigger = job.job.trigger
            if isinstance(trigger, DateTrigger):
                if trigger.run_date > now:
                    continue
                job.schedule_removal()
            await self._run_job(job)

    async def _run_job(self, job: Job[BotContext]) -> None:
        """Run a job as PTB does, its exception handed to the error handlers; awaited here
        (PTB would hand it over in a task, which it refuses while the Application is not
        started, as in these tests)."""
        context = BotContext.from_job(job, self.app)
        try:
            await job.callback(context)
        except Exception as error:
            await self.app.process_error(update=None, error=error, job=job)

    # --- reading the outcome -----------------------------------------------------------

    def session(self) -> AsyncSession:
        return self.runtime.session()

    async def rows(self, model: type[T], *where: Any) -> Sequence[T]:
        async with self.session() as session:
            result = await session.scalars(select(model).where(*where))  # type: ignore[arg-type]
            return result.all()

    async def count(self, model: type[Any], *where: Any) -> int:
        async with self.session() as session:
            return int(
                await session.scalar(select(func.count()).select_from(model).where(*where)) or 0
            )

    def sent_to(self, chat_id: int, method: str | None = None) -> list[ApiCall]:
        return self.fake.sent(chat_id, method)


def _inline_buttons(message: FakeMessage) -> dict[str, str]:
    markup = message.reply_markup or {}
    return {
        str(button["text"]): str(button["callback_data"])
        for row in markup.get("inline_keyboard") or []
        for button in row
        if "callback_data" in button
    }


def texts(calls: Sequence[ApiCall]) -> list[str]:
    return [call.text or "" for call in calls if call.text is not None]


@functools.cache
def catalog() -> Content:
    """The shipped content, loaded once: for texts a test needs outside a running bot
    (button labels in helper constants, parametrize tables)."""
    return load_content()


def catalog_fragment(content: Content, key: str) -> str:
    """The stable start of a catalog text: its template up to the first placeholder, stripped.

    For checking that a message shows ``key`` when the values filled in are not the point.
    """
    template = content.t(key)
    literal, *_ = next(iter(string.Formatter().parse(template)), ("", None, None, None))
    fragment = literal.strip()
    assert fragment, f"{key!r} starts with a placeholder: no fixed text to look for"
    return fragment
