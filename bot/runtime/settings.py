"""Configuration from environment variables and an optional ``.env`` file."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./data/sciatica-bot.sqlite3"
DEFAULT_PICTURES_DIR = Path("data") / "pictures"
TELEGRAM_BASE_URL = "https://api.telegram.org/bot"

LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]


class SettingsError(Exception):
    """A setting is missing or malformed; the message names the variable and why."""


class Settings(BaseSettings):
    """Every setting the bot reads; `.env.example` documents each one."""

    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        frozen=True,
    )

    telegram_bot_token: SecretStr | None = None
    telegram_api_base_url: str = TELEGRAM_BASE_URL
    database_url: str = DEFAULT_DATABASE_URL
    log_level: LogLevel = "INFO"
    reminder_grace_minutes: int = Field(default=120, ge=0, le=24 * 60)
    reminder_sweep_seconds: int = Field(default=20, ge=1, le=30)
    # The most prompts in flight at once (sent, result not yet recorded): the sweep keeps
    # about rate x measured round trip in flight, up to this. A kill mid-sweep repeats at most
    # this many prompts (see .env.example and README "Reliability").
    reminder_send_concurrency: int = Field(default=16, ge=1, le=1000)
    # Send the daily prompts with allow_paid_broadcast (up to 1,000 a second, paid in Stars).
    reminder_paid_broadcast: bool = False
    # Paid broadcasts a second at most (Telegram allows up to 1,000).
    paid_broadcast_rate_per_second: float = Field(default=1000.0, gt=0, le=1000)
    # A claimed prompt not recorded within this time is sent again by a later sweep.
    reminder_send_lease_seconds: int = Field(default=120, ge=1, le=3600)
    # SQLite: how long a write waits for another writer before the update fails.
    sqlite_busy_timeout_seconds: float = Field(default=15.0, gt=0, le=600)
    rate_limit_enabled: bool = True
    # Messages a second this instance sends at most; Telegram's ~30 a second is per bot.
    send_rate_per_second: float = Field(default=28.8, gt=0, le=30)
    content_dir: Path | None = None
    # Exercise pictures: drawn at start-up into this folder (a worker thread), sent with cards.
    pictures_enabled: bool = True
    pictures_dir: Path = DEFAULT_PICTURES_DIR
    # The routine runs itself (countdowns, holds, rests) for users who have not chosen a mode.
    hands_free_default: bool = True
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    webhook_listen: str = "0.0.0.0"  # noqa: S104 (a server behind a load balancer listens on all)
    webhook_port: int = Field(default=8080, ge=1, le=65535)

    @field_validator("webhook_url", mode="before")
    @classmethod
    def _blank_url_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("webhook_url")
    @classmethod
    def _https_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("https://", "http://")):
            raise ValueError("must be the public https:// address Telegram sends updates to")
        return value

    @field_validator("webhook_secret", mode="before")
    @classmethod
    def _secret_shape(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip():
            return None
        if isinstance(value, str) and not re.fullmatch(r"[A-Za-z0-9_-]{16,256}", value):
            raise ValueError("use 16-256 characters from A-Z, a-z, 0-9, _ and -")
        return value

    @field_validator("content_dir", mode="before")
    @classmethod
    def _blank_dir_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("content_dir")
    @classmethod
    def _existing_dir(cls, value: Path | None) -> Path | None:
        if value is not None and not value.is_dir():
            raise ValueError(f"{value} is not a folder")
        return value

    @field_validator("telegram_bot_token", mode="before")
    @classmethod
    def _blank_token_is_none(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip():
            return None
        if isinstance(value, str) and ":" not in value:
            raise ValueError("a bot token looks like 123456:ABC-DEF..., as BotFather gives it")
        return value

    @field_validator("database_url")
    @classmethod
    def _async_driver(cls, value: str) -> str:
        if value.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            return value
        if value.startswith("sqlite://"):
            return "sqlite+aiosqlite://" + value.removeprefix("sqlite://")
        if value.startswith(("postgresql://", "postgres://")):
            return "postgresql+asyncpg://" + value.split("://", 1)[1]
        raise ValueError("use sqlite+aiosqlite:///path/to/file.sqlite3 or postgresql+asyncpg://...")

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_level(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @field_validator("telegram_api_base_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value


def load_settings(**overrides: object) -> Settings:
    """Read the settings, turning pydantic's report into one clear line."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as error:
        first = error.errors()[0]
        name = str(first["loc"][0]).upper() if first["loc"] else "settings"
        raise SettingsError(f"{name}: {first['msg']}") from None
