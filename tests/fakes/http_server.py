"""The fake Bot API served over HTTP on loopback, for a bot running as a separate process.

Give the bot ``TELEGRAM_API_BASE_URL=http://127.0.0.1:<port>/bot``. Optionally enforces
Telegram's bulk limit (``max_per_second``): calls past it get 429 with ``retry_after``, as
Telegram answers; paid broadcasts (``allow_paid_broadcast``) count against a window of their
own (``paid_per_second``, 1,000 as Telegram allows). ``delay`` (seconds, may be changed while
it runs) holds every answer that long after the call is handled, as a real network's round
trip does. Used by the crash-safety tests and the rate-limit benchmarks.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import deque
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import Route

from bot.entry.fake_telegram import FakeTelegram

SENDING_METHODS = frozenset(
    {"sendMessage", "sendPhoto", "sendDocument", "editMessageText", "editMessageReplyMarkup"}
)


class RateWindow:
    """A sliding one-second window counting accepted sends, in real (monotonic) time."""

    def __init__(self, max_per_second: int) -> None:
        self.max_per_second = max_per_second
        self._accepted: deque[float] = deque()
        self.rejected = 0

    def admit(self) -> float | None:
        """None if the call may go now, else the seconds to wait (rounded up, at least 1)."""
        now = time.monotonic()
        while self._accepted and now - self._accepted[0] >= 1.0:
            self._accepted.popleft()
        if len(self._accepted) < self.max_per_second:
            self._accepted.append(now)
            return None
        self.rejected += 1
        return max(1.0, 1.0 - (now - self._accepted[0]))


def _decode_value(value: str) -> Any:
    if value[:1] in "{[":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _paid(params: dict[str, Any]) -> bool:
    return params.get("allow_paid_broadcast") in (True, "true", "True", 1)


class FakeTelegramServer:
    """Serves a FakeTelegram at ``http://host:port/bot<token>/<method>``."""

    def __init__(
        self,
        fake: FakeTelegram,
        *,
        max_per_second: int | None = None,
        paid_per_second: int = 1000,
        delay: float = 0.0,
    ) -> None:
        self.fake = fake
        self.window = RateWindow(max_per_second) if max_per_second else None
        self.paid_window = RateWindow(paid_per_second) if max_per_second else None
        self.delay = delay
        self._server: uvicorn.Server | None = None
        self._task: asyncio.Task[None] | None = None
        self.port = 0

    def asgi(self) -> Starlette:
        return Starlette(
            routes=[Route("/{bot_token}/{method}", self._call, methods=["GET", "POST"])]
        )

    async def _call(self, request: Request) -> Response:
        method = request.path_params["method"]
        params: dict[str, Any] = {}
        files: dict[str, bytes] = {}
        try:
            if request.headers.get("content-type", "").startswith("application/json"):
                params = json.loads(await request.body() or b"{}")
            else:
                form = await request.form()
                for key, value in form.multi_items():
                    if isinstance(value, UploadFile):
                        files[key] = await value.read()
                    else:
                        params[key] = _decode_value(value)
        except ClientDisconnect:  # the bot was killed mid-request: nobody left to answer
            return Response(status_code=499)
        window = self.paid_window if _paid(params) else self.window
        if window is not None and method in SENDING_METHODS:
            wait = window.admit()
            if wait is not None:
                body = {
                    "ok": False,
                    "error_code": 429,
                    "description": f"Too Many Requests: retry after {int(wait)}",
                    "parameters": {"retry_after": int(wait)},
                }
                await self._round_trip()
                return Response(json.dumps(body), status_code=429, media_type="application/json")
        status, payload = await self.fake.handle(method, params, files)
        await self._round_trip()
        return Response(payload, status_code=status, media_type="application/json")

    async def _round_trip(self) -> None:
        if self.delay > 0:
            await asyncio.sleep(self.delay)

    @property
    def rejected(self) -> int:
        """429 answers given, free and paid."""
        return sum(w.rejected for w in (self.window, self.paid_window) if w is not None)

    async def start(
        self, host: str = "127.0.0.1", port: int = 0, *, app: Starlette | None = None
    ) -> str:
        """Start serving (``asgi()``, or ``app`` built from it); returns the base URL to give
        the bot (``.../bot``)."""
        config = uvicorn.Config(
            app or self.asgi(), host=host, port=port, log_level="warning", access_log=False
        )
        self._server = uvicorn.Server(config)
        self._task = asyncio.create_task(self._server.serve())
        while not self._server.started:  # noqa: ASYNC110 (uvicorn offers no started event)
            await asyncio.sleep(0.01)
        sockets = self._server.servers[0].sockets
        self.port = int(sockets[0].getsockname()[1])
        return f"http://{host}:{self.port}/bot"

    async def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._task is not None:
            await self._task
