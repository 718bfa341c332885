"""Webhook mode: the secret-token check, the health endpoint, and updates reaching handlers."""

from __future__ import annotations

import json
import logging

import httpx
import pytest
from telegram import Update

from bot.entry.webhook import SECRET_HEADER, build_web_app
from storage.db import create_engine, create_sessionmaker
from tests.harness import BotHarness

SECRET = "s3cret-token-for-tests-0123456789"
ALICE = 9_100_000_001


def _client(bot: BotHarness) -> httpx.AsyncClient:
    web = build_web_app(bot.app, SECRET, "/telegram")
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=web), base_url="http://bot.test")


async def _drain(bot: BotHarness) -> None:
    """Process what the webhook queued, the way the running Application's fetcher would."""
    while not bot.app.update_queue.empty():
        update = await bot.app.update_queue.get()
        assert isinstance(update, Update)
        await bot.app.process_update(update)


async def test_an_update_with_the_secret_reaches_the_handlers(bot: BotHarness) -> None:
    update = bot.fake.message_update(ALICE, "/help")

    async with _client(bot) as client:
        response = await client.post(
            "/telegram", content=json.dumps(update), headers={SECRET_HEADER: SECRET}
        )
    await _drain(bot)

    assert response.status_code == 200
    assert [call.text for call in bot.sent_to(ALICE)] == [bot.content.t("help")]


@pytest.mark.parametrize("headers", [{}, {SECRET_HEADER: "wrong-secret-value-000000"}])
async def test_a_request_without_the_secret_gets_403_and_a_log_line(
    bot: BotHarness, caplog: pytest.LogCaptureFixture, headers: dict[str, str]
) -> None:
    update = bot.fake.message_update(ALICE, "/help")

    with caplog.at_level(logging.WARNING):
        async with _client(bot) as client:
            response = await client.post("/telegram", content=json.dumps(update), headers=headers)
    await _drain(bot)

    assert response.status_code == 403
    assert bot.sent_to(ALICE) == []
    assert any("without the right secret token" in r.getMessage() for r in caplog.records)


async def test_garbage_body_is_a_400_not_a_crash(bot: BotHarness) -> None:
    async with _client(bot) as client:
        response = await client.post(
            "/telegram", content=b"{not json", headers={SECRET_HEADER: SECRET}
        )

    assert response.status_code == 400


async def test_health_is_ok_with_the_database(bot: BotHarness) -> None:
    async with _client(bot) as client:
        response = await client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["status"] == "ok"


async def test_health_is_503_when_the_database_goes_away(bot: BotHarness) -> None:
    """The bot started fine; then its database stops answering (a server down, say)."""
    unreachable = create_engine("postgresql+asyncpg://nobody@127.0.0.1:1/none")
    healthy_sessions = bot.runtime.sessionmaker
    bot.runtime.sessionmaker = create_sessionmaker(unreachable)
    try:
        async with _client(bot) as client:
            response = await client.get("/healthz")
    finally:
        bot.runtime.sessionmaker = healthy_sessions
        await unreachable.dispose()

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "down"}


async def test_stopping_processes_every_queued_update_first(bot: BotHarness) -> None:
    """Graceful shutdown: Application.stop() joins the update queue before it returns."""
    await bot.app.start()
    async with _client(bot) as client:
        for _ in range(5):
            update = bot.fake.message_update(ALICE, "/help")
            await client.post(
                "/telegram", content=json.dumps(update), headers={SECRET_HEADER: SECRET}
            )
    await bot.app.stop()

    assert len(bot.sent_to(ALICE, "sendMessage")) == 5
