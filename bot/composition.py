"""The one factory that wires the Application: settings, content, database, handlers, jobs."""

from __future__ import annotations

import asyncio
import gc
import importlib.util
import logging
import sys
from types import ModuleType

from telegram import BotCommand
from telegram.error import TelegramError
from telegram.ext import ApplicationBuilder
from telegram.request import BaseRequest, HTTPXRequest

from bot.domain.questions import Library
from bot.features.basics import handlers as basics
from bot.features.my_data import handlers as my_data
from bot.features.onboarding import handlers as onboarding
from bot.features.pain import handlers as pain
from bot.features.pending import handlers as pending
from bot.features.progress import handlers as progress
from bot.features.questions import handlers as questions
from bot.features.reminders import handlers as reminders
from bot.features.report import handlers as report
from bot.features.routine import handlers as routine
from bot.features.safety import handlers as safety
from bot.plumbing import pictures, text_router
from bot.plumbing.errors import on_error
from bot.plumbing.pace import BudgetFlood, PacedRateLimiter
from bot.plumbing.retry import RetryingRequest, Sleep
from bot.plumbing.update_processor import DrainingApplication, PerUserUpdateProcessor
from bot.runtime import CONTEXT_TYPES, RUNTIME_KEY, BotApp, Runtime, runtime_of
from bot.runtime.budget import SendBudget
from bot.runtime.clock import Clock, SystemClock
from bot.runtime.settings import Settings
from content import Content
from storage.db import create_engine, create_sessionmaker, is_sqlite, prepare_sqlite_file

log = logging.getLogger(__name__)

CONSOLE_TOKEN = "1000000:console-chat-token-not-for-telegram"  # noqa: S105 (not a secret)

# Each feature module offers register(app); the order is the order handlers get to match.
FEATURE_MODULES: tuple[ModuleType, ...] = (
    pending,
    basics,
    onboarding,
    reminders,
    questions,
    routine,
    pain,
    progress,
    report,
    my_data,
    safety,
)

# The commands shown in Telegram's menu, with their catalog keys.
MENU_COMMANDS: tuple[str, ...] = (
    "start",
    "help",
    "routine",
    "exercises",
    "exercise",
    "pain",
    "history",
    "report",
    "settings",
    "time",
    "timezone",
    "pause",
    "resume",
    "stop",
    "export",
    "delete",
)


def send_budget(settings: Settings) -> SendBudget:
    """The bot's one send budget (bot/runtime/budget.py), from the settings.

    Telegram refuses (429) sends past 30 in any one second. A leaky bucket holding 30 (PTB's
    default) lets a burst of 30 go at once and 30 more within the same second: against a
    strict one-second window that is 429s after every pause (bench/bench_rate_limited.py
    measured 51 for 600 prompts). The budget's bucket drains at ``SEND_RATE_PER_SECOND``
    (28.8 by default) and holds one and a half sends: a send that starts up to half a slot
    late (the event loop was busy) keeps its place, so the pace holds, and yet, even from a
    full bucket at 28.8 a second, 31 sends reach Telegram within one second only if one of
    them is held up 24 ms or more between the budget and the wire (a pause of the event
    loop: see ``freeze_startup_objects``). With ``RATE_LIMIT_ENABLED=false`` there is no
    bucket (and no per-chat limit), only the priorities and the pipeline's bound.
    """
    return SendBudget(
        rate=settings.send_rate_per_second if settings.rate_limit_enabled else None,
        paid_rate=settings.paid_broadcast_rate_per_second,
        max_in_flight=settings.reminder_send_concurrency,
    )


def spare_the_import_search() -> None:
    """Make ``import sniffio`` fail at once when sniffio is not installed.

    httpcore (under PTB's HTTP client) asks ``import sniffio`` on every request, twice or more,
    to learn which async library runs it, and takes ImportError for asyncio. A failed import
    is not remembered: each one searched the whole ``sys.path`` again, stat by stat, ~0.75 ms
    on a busy machine — the largest single cost of a prompt's CPU in
    ``bench/bench_rate_limited.py --profile``. ``None`` in ``sys.modules`` is Python's own
    "known missing" entry: the import fails in ~25 µs, with the same ImportError.
    """
    if "sniffio" not in sys.modules and importlib.util.find_spec("sniffio") is None:
        sys.modules["sniffio"] = None  # type: ignore[assignment]


def freeze_startup_objects() -> None:
    """Leave what start-up loaded (libraries, content, the zone database) out of later garbage
    collections, for a process that runs for days (``sciatica-bot run``).

    Those objects live as long as the process; a full collection walking them all held the
    event loop for ~60 ms, long enough to bunch two paced sends together and draw a 429 from
    Telegram (bench/bench_rate_limited.py); with them frozen a full collection takes ~8 ms.
    Not for tests, which start hundreds of bots in one process: what is frozen is never
    collected.
    """
    gc.collect()
    gc.freeze()


async def open_runtime(app: BotApp) -> None:
    """Open the database and run the features' start-up hooks (the Application's post_init)."""
    runtime = runtime_of(app)
    url = runtime.settings.database_url
    if is_sqlite(url):
        await asyncio.to_thread(prepare_sqlite_file, url)
    runtime.engine = create_engine(url, busy_timeout=runtime.settings.sqlite_busy_timeout_seconds)
    runtime.sessionmaker = create_sessionmaker(runtime.engine)
    for hook in runtime.startup_hooks:
        await hook(app)


async def close_runtime(app: BotApp) -> None:
    """Dispose of the database engine (the Application's post_shutdown)."""
    runtime = runtime_of(app)
    if runtime.drawing is not None:
        # Its daemon thread cannot be interrupted; it only writes files (renamed when whole).
        runtime.drawing.cancel()
        runtime.drawing = None
    if runtime.engine is not None:
        await runtime.engine.dispose()
        runtime.engine = None
        runtime.sessionmaker = None


async def register_menu(app: BotApp) -> None:
    """Tell Telegram the command menu; a failure is logged, never fatal."""
    content = runtime_of(app).content
    commands = [BotCommand(name, content.t(f"cmd.{name}")) for name in MENU_COMMANDS]
    try:
        await app.bot.set_my_commands(commands)
    except TelegramError as error:
        log.warning("could not register the command menu: %s", error)


def build_application(
    settings: Settings,
    content: Content,
    *,
    request: BaseRequest | None = None,
    clock: Clock | None = None,
    with_updater: bool = True,
    retry_sleep: Sleep = asyncio.sleep,
) -> BotApp:
    """The Application with every handler and job; the database opens in post_init.

    Bot API calls go through ``RetryingRequest`` (bot/plumbing/retry.py: what is safe to send
    again is sent again); updates of different users run concurrently, each user's in order
    (bot/plumbing/update_processor.py). ``retry_sleep`` is how a retry waits (tests pass a
    recorder).
    """
    token = settings.telegram_bot_token.get_secret_value() if settings.telegram_bot_token else None
    spare_the_import_search()
    transport = request if request is not None else HTTPXRequest(connection_pool_size=256)
    budget = send_budget(settings)
    builder = (
        ApplicationBuilder()
        .token(token or CONSOLE_TOKEN)
        .base_url(settings.telegram_api_base_url)
        .context_types(CONTEXT_TYPES)
        .post_init(open_runtime)
        .post_shutdown(close_runtime)
        .request(RetryingRequest(transport, sleep=retry_sleep, flood=BudgetFlood(budget)))
        .concurrent_updates(PerUserUpdateProcessor())
        .application_class(DrainingApplication)
    )
    if request is not None:
        builder = builder.get_updates_request(request)
    if not with_updater:
        builder = builder.updater(None)
    builder = builder.rate_limiter(PacedRateLimiter(budget))
    app: BotApp = builder.build()
    runtime = Runtime(
        settings=settings,
        content=content,
        clock=clock or SystemClock(),
        library=Library(content),
        budget=budget,
    )
    app.bot_data[RUNTIME_KEY] = runtime
    runtime.add_startup_hook(register_menu)
    runtime.add_startup_hook(pictures.start_drawing)
    text_router.register(app)
    for module in FEATURE_MODULES:
        module.register(app)
    basics.register_last(app)
    app.add_error_handler(on_error)
    return app
