"""Command line: ``sciatica-bot [run | console | db upgrade]``."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from typing import TYPE_CHECKING

from sqlalchemy.exc import DBAPIError, OperationalError
from telegram.error import InvalidToken, TelegramError

from bot.runtime.settings import Settings, SettingsError, load_settings

if TYPE_CHECKING:
    from bot.runtime import BotApp
from content import Content, ContentError, load_content
from storage.migrate import DatabaseTooNewError, upgrade

log = logging.getLogger(__name__)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sciatica-bot",
        description="A Telegram coach for a daily sciatica stretching routine. With no "
        "command: runs on Telegram when TELEGRAM_BOT_TOKEN is set, else the console chat.",
    )
    commands = parser.add_subparsers(dest="command")
    run = commands.add_parser("run", help="run on Telegram; needs TELEGRAM_BOT_TOKEN")
    run.add_argument(
        "--webhook",
        action="store_true",
        help="serve a webhook (needs WEBHOOK_URL and WEBHOOK_SECRET) instead of polling; "
        "the default when WEBHOOK_URL is set",
    )
    commands.add_parser("console", help="chat with the bot in this terminal, no Telegram needed")
    database = commands.add_parser("db", help="database commands")
    database.add_argument("action", choices=["upgrade"], help="apply pending migrations")
    return parser


def _fail(message: str, code: int = 2) -> int:
    print(f"sciatica-bot: {message}", file=sys.stderr)
    return code


def _prepare(settings: Settings) -> Content:
    """Load content and migrate the database: both must succeed before the bot starts."""
    content = load_content(settings.content_dir)
    upgrade(settings.database_url)
    return content


def _run_telegram(settings: Settings, content: Content, *, webhook: bool) -> None:
    from telegram import Update

    from bot.composition import build_application, freeze_startup_objects

    if webhook:
        from bot.entry.webhook import run_webhook

        log.info("starting on Telegram (webhook)")
        freeze_startup_objects()
        asyncio.run(run_webhook(settings, content))
        return
    app = build_application(settings, content)
    freeze_startup_objects()
    # Reach Telegram once first: a wrong token or an unreachable Bot API is then one clear
    # line from main(), not PTB's start-up retry loop logging a traceback.
    asyncio.run(_reach_telegram(app))
    log.info("starting on Telegram (polling)")
    app.run_polling(allowed_updates=Update.ALL_TYPES)


async def _reach_telegram(app: BotApp) -> None:
    async with app.bot:  # getMe, then close the connection again
        pass


def main(argv: list[str] | None = None) -> int:
    arguments = _parser().parse_args(argv)
    try:
        settings = load_settings()
    except SettingsError as error:
        return _fail(f"configuration error: {error}")
    token = settings.telegram_bot_token
    from bot.runtime.logs import configure_logging

    command = arguments.command or ("run" if token else "console")
    # The console prints the chat on the terminal: keep routine log lines out of it.
    level = settings.log_level if command != "console" else "WARNING"
    configure_logging(level, token.get_secret_value() if token else None)
    if command == "run" and token is None:
        return _fail(
            "TELEGRAM_BOT_TOKEN is not set: get one from @BotFather (see README), "
            "or run `sciatica-bot console` to try the bot without Telegram"
        )
    webhook = command == "run" and (
        getattr(arguments, "webhook", False) or settings.webhook_url is not None
    )
    if webhook and (settings.webhook_url is None or settings.webhook_secret is None):
        return _fail("webhook mode needs WEBHOOK_URL and WEBHOOK_SECRET (see .env.example)")
    try:
        if command == "db":
            upgrade(settings.database_url)
            print("database is up to date")
            return 0
        content = _prepare(settings)
        if command == "console":
            from bot.entry.console import run_console

            asyncio.run(run_console(settings, content))
        else:
            _run_telegram(settings, content, webhook=webhook)
    except ContentError as error:
        return _fail(f"content error: {error}")
    except DatabaseTooNewError as error:
        return _fail(f"database error: {error}")
    except (OperationalError, DBAPIError, OSError) as error:
        reason = str(getattr(error, "orig", None) or error).splitlines()[0]
        return _fail(f"cannot open the database ({settings.database_url.split('@')[-1]}): {reason}")
    except InvalidToken:
        return _fail("Telegram refused TELEGRAM_BOT_TOKEN: check it with @BotFather")
    except TelegramError as error:
        return _fail(f"cannot reach the Bot API at {settings.telegram_api_base_url}: {error}")
    except KeyboardInterrupt:
        return 0
    return 0
