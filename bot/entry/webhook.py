"""Webhook mode: an HTTP server Telegram posts updates to, for one or many instances.

- ``POST <path of WEBHOOK_URL>``: an update from Telegram. The ``X-Telegram-Bot-Api-Secret-Token``
  header must equal WEBHOOK_SECRET, else 403 (and a log line). The update is queued and answered
  with 200 at once; the Application processes it.
- ``GET /healthz``: 200 when the database answers, 503 when it does not (for a load balancer).
- Shutdown (SIGTERM/SIGINT): the server stops accepting, finishes in-flight requests, then the
  Application processes every queued update and running job before the database closes.
"""

from __future__ import annotations

import hmac
import json
import logging
from urllib.parse import urlsplit

import uvicorn
from sqlalchemy import text
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route
from telegram import Update

from bot.composition import build_application, close_runtime, open_runtime
from bot.runtime import BotApp, runtime_of
from bot.runtime.settings import Settings
from content import Content

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 (a header name)
MAX_BODY = 1_000_000


def webhook_path(settings: Settings) -> str:
    if settings.webhook_url is None:
        raise ValueError("WEBHOOK_URL is not set")
    return urlsplit(settings.webhook_url).path or "/"


def build_web_app(app: BotApp, secret: str, path: str) -> Starlette:
    """The ASGI app in front of the bot: the webhook route and the health check."""

    async def receive_update(request: Request) -> Response:
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), secret.encode()):
            client = request.client.host if request.client else "unknown"
            log.warning("webhook request without the right secret token from %s: 403", client)
            return PlainTextResponse("forbidden", status_code=403)
        body = await request.body()
        if len(body) > MAX_BODY:
            return PlainTextResponse("too large", status_code=413)
        try:
            update = Update.de_json(json.loads(body), app.bot)
        except (ValueError, TypeError, KeyError) as error:
            log.warning("webhook body is not an update: %s", type(error).__name__)
            return PlainTextResponse("bad update", status_code=400)
        await app.update_queue.put(update)
        return PlainTextResponse("ok")

    async def health(_request: Request) -> Response:
        runtime = runtime_of(app)
        try:
            async with runtime.session() as session:
                await session.execute(text("SELECT 1"))
        except Exception as error:
            log.warning("health check: database unavailable: %s", type(error).__name__)
            return JSONResponse({"status": "unavailable", "database": "down"}, status_code=503)
        return JSONResponse({"status": "ok", "running": app.running})

    return Starlette(
        routes=[
            Route(path, receive_update, methods=["POST"]),
            Route("/healthz", health, methods=["GET"]),
        ]
    )


async def run_webhook(settings: Settings, content: Content) -> None:
    """Serve updates over a webhook until SIGTERM or SIGINT, then shut down gracefully."""
    if settings.webhook_url is None or settings.webhook_secret is None:
        raise ValueError("webhook mode needs WEBHOOK_URL and WEBHOOK_SECRET")
    secret = settings.webhook_secret.get_secret_value()
    app = build_application(settings, content, with_updater=False)
    await app.initialize()
    try:
        await open_runtime(app)
        await app.bot.set_webhook(
            url=settings.webhook_url, secret_token=secret, allowed_updates=Update.ALL_TYPES
        )
        await app.start()
        server = uvicorn.Server(
            uvicorn.Config(
                build_web_app(app, secret, webhook_path(settings)),
                host=settings.webhook_listen,
                port=settings.webhook_port,
                log_level="warning",
                timeout_graceful_shutdown=30,
            )
        )
        log.info(
            "webhook server listening on %s:%s", settings.webhook_listen, settings.webhook_port
        )
        await server.serve()
    finally:
        if app.running:
            await app.stop()
        await close_runtime(app)
        await app.shutdown()
