"""TELEGRAM_API_BASE_URL is honoured: the real HTTP client talks to a Bot API on loopback."""

from __future__ import annotations

from telegram import Update

from bot.composition import build_application, close_runtime, open_runtime
from bot.entry.fake_telegram import FakeTelegram
from content import load_content
from tests.fakes.http_server import FakeTelegramServer
from tests.harness import TEST_TOKEN, make_settings

ALICE = 8_000_000_001


async def test_the_bot_uses_the_configured_bot_api_server(database_url: str) -> None:
    fake = FakeTelegram()
    server = FakeTelegramServer(fake)
    base_url = await server.start()
    content = load_content()
    app = build_application(make_settings(database_url, telegram_api_base_url=base_url), content)
    try:
        await app.initialize()
        await open_runtime(app)
        update = fake.message_update(ALICE, "/exercise bridge")
        await app.process_update(Update.de_json(update, app.bot))
        await close_runtime(app)
        await app.shutdown()
    finally:
        await server.stop()

    methods = [call.method for call in fake.calls]
    assert methods[0] == "getMe"
    assert "setMyCommands" in methods
    sent = fake.sent(ALICE, "sendMessage")
    assert len(sent) == 1
    assert (sent[0].text or "").startswith("Glute bridge")
    assert TEST_TOKEN not in repr(fake.calls)
