"""An in-process fake of the Telegram Bot API at its HTTP boundary.

``FakeTelegram`` is a ``telegram.request.BaseRequest``: the real ``Application`` and ``Bot``
talk to it exactly as they talk to Telegram, with the same methods and JSON. It records every
call, answers with realistic JSON, keeps each chat's messages (with edits), hands out updates
to ``getUpdates`` (for polling in the console chat), and can be told to fail.

Used by the console chat, the tests and the benchmarks.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
from collections import defaultdict, deque
from collections.abc import Callable
from typing import Any

from telegram.error import TimedOut
from telegram.request import BaseRequest, RequestData

from bot.entry.fake_media import REFUSED, FakeFiles
from bot.entry.fake_records import (
    BOT_USER,
    ApiCall,
    FailurePicker,
    FakeMessage,
    JSONDict,
    PlannedFailure,
    UpdateFactory,
)
from bot.runtime.clock import Clock, SystemClock

HANG_GUARD_SECONDS = 60.0
"""How long ``wait_until`` waits before it fails: never reached unless the code under test
is stuck (it is no guess at how fast anything runs)."""


class FakeTelegram(UpdateFactory, BaseRequest):
    """The fake Bot API: pass it to the builder as `request` and `get_updates_request`."""

    def __init__(self, clock: Clock | None = None) -> None:
        self.clock = clock or SystemClock()
        self.calls: list[ApiCall] = []
        self.messages: dict[int, dict[int, FakeMessage]] = defaultdict(dict)
        self.blocked_chats: set[int] = set()
        self.failures: list[PlannedFailure] = []
        self.listeners: list[Callable[[ApiCall, FakeMessage | None], None]] = []
        self._message_ids: dict[int, itertools.count[int]] = defaultdict(lambda: itertools.count(1))
        self._update_ids = itertools.count(1)
        self._callback_ids = itertools.count(1)
        self._inline_ids = itertools.count(1)
        self._pending_updates: deque[JSONDict] = deque()
        self._updates_ready = asyncio.Event()
        self.updates_fetched = asyncio.Event()
        self.updates_fetched.set()
        self.hanging = 0  # calls waiting forever right now (see ``hang``)
        self._released = asyncio.Event()
        self._progress = asyncio.Event()  # set whenever a call arrives or starts to hang
        self.chaos: FailurePicker | None = None
        self.files = FakeFiles()

    # --- BaseRequest -------------------------------------------------------------------

    @property
    def read_timeout(self) -> float | None:
        return 1.0

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        api_method = url.rsplit("/", 1)[-1]
        params: JSONDict = dict(request_data.parameters) if request_data else {}
        files: dict[str, bytes] = {}
        names: dict[str, str] = {}
        if request_data and request_data.contains_files:
            for name, value in (request_data.multipart_data or {}).items():
                if isinstance(value, tuple) and len(value) >= 2 and isinstance(value[1], bytes):
                    files[name] = value[1]
                    names[name] = str(value[0])
        return await self.handle(api_method, params, files, names)

    async def handle(
        self,
        api_method: str,
        params: JSONDict,
        files: dict[str, bytes] | None = None,
        file_names: dict[str, str] | None = None,
    ) -> tuple[int, bytes]:
        """Answer one Bot API call: the HTTP status and the JSON body Telegram would send."""
        if api_method == "getUpdates":
            return await self._get_updates(params)
        call = ApiCall(api_method, params, files or {}, file_names or {})
        self.calls.append(call)
        self._progress.set()
        failure = self._take_failure(api_method, call.chat_id)
        if failure is None and self.chaos is not None:
            failure = self.chaos.pick(len(self.calls) - 1, api_method, call.chat_id)
        if failure is not None:
            if failure.delivered:
                _, _, message = self._answer(api_method, params, call)
                for listener in self.listeners:
                    listener(call, message)
            if failure.hang:
                await self._hang()
                raise TimedOut(f"fake: no answer to {api_method}")
            if failure.timeout:
                raise TimedOut(f"fake timeout on {api_method}")
            body: JSONDict = {
                "ok": False,
                "error_code": failure.status,
                "description": failure.description,
            }
            if failure.retry_after is not None:
                body["parameters"] = {"retry_after": failure.retry_after}
            return failure.status, json.dumps(body).encode()
        if (
            call.chat_id is not None
            and call.chat_id in self.blocked_chats
            and api_method != "answerCallbackQuery"
        ):
            body = {
                "ok": False,
                "error_code": 403,
                "description": "Forbidden: bot was blocked by the user",
            }
            return 403, json.dumps(body).encode()
        status, result, message = self._answer(api_method, params, call)
        for listener in self.listeners:
            listener(call, message)
        if status != 200:
            return status, json.dumps(result).encode()
        return 200, json.dumps({"ok": True, "result": result}).encode()

    # --- failures ----------------------------------------------------------------------

    def fail(
        self,
        status: int,
        description: str,
        *,
        method: str | None = None,
        chat_id: int | None = None,
        retry_after: int | None = None,
        times: int = 1,
    ) -> None:
        """Answer the next ``times`` matching calls with this error."""
        self.failures.append(
            PlannedFailure(status, description, method, chat_id, retry_after, times)
        )

    def time_out(
        self, *, method: str | None = None, chat_id: int | None = None, times: int = 1
    ) -> None:
        """Make the next ``times`` matching calls time out."""
        self.failures.append(
            PlannedFailure(0, "timeout", method, chat_id, None, times, timeout=True)
        )

    def hang(
        self,
        *,
        method: str | None = None,
        chat_id: int | None = None,
        times: int = 1,
        delivered: bool = False,
    ) -> None:
        """Never answer the next ``times`` matching calls: they wait until their task is
        cancelled (a process killed while its requests were in flight) or ``release_hanging``
        makes them time out. ``delivered``: Telegram accepted the call first (the message
        reached the chat), only its answer is lost."""
        self.failures.append(
            PlannedFailure(
                0, "no answer", method, chat_id, None, times, hang=True, delivered=delivered
            )
        )

    def release_hanging(self) -> None:
        """Let every call waiting in ``hang`` end as a client-side timeout."""
        self._released.set()

    async def wait_until(self, condition: Callable[[], bool]) -> None:
        """Wait until ``condition()`` holds, re-checked whenever a call arrives or starts to
        hang (no polling, no loop count; callers bound it with ``asyncio.timeout``)."""
        async with asyncio.timeout(HANG_GUARD_SECONDS):  # turns a hang into a failure
            while not condition():
                self._progress.clear()
                await self._progress.wait()

    async def _hang(self) -> None:
        self.hanging += 1
        self._progress.set()
        self._released.clear()
        try:
            await self._released.wait()
        finally:
            self.hanging -= 1

    def _take_failure(self, method: str, chat_id: int | None) -> PlannedFailure | None:
        for failure in self.failures:
            if failure.matches(method, chat_id):
                failure.times -= 1
                if failure.times <= 0:
                    self.failures.remove(failure)
                return failure
        return None

    # --- answers -----------------------------------------------------------------------

    def _now(self) -> int:
        return int(self.clock.now().timestamp())

    def _store(
        self,
        chat_id: int,
        *,
        from_bot: bool,
        text: str | None,
        markup: JSONDict | None,
        kind: str = "text",
    ) -> FakeMessage:
        message = FakeMessage(
            message_id=next(self._message_ids[chat_id]),
            chat_id=chat_id,
            from_bot=from_bot,
            date=self._now(),
            text=text,
            reply_markup=markup,
            kind=kind,
        )
        self.messages[chat_id][message.message_id] = message
        return message

    def _edit(self, params: JSONDict) -> tuple[int, Any, FakeMessage | None]:
        chat_id = int(params["chat_id"])
        message = self.messages[chat_id].get(int(params["message_id"]))
        if message is None or message.deleted:
            return 400, _error(400, "Bad Request: message to edit not found"), None
        if not message.from_bot:
            return 400, _error(400, "Bad Request: message can't be edited"), None
        new_text = params.get("text", params.get("caption", message.text))
        new_markup = params.get("reply_markup")
        if new_text == message.text and new_markup == message.reply_markup:
            return (
                400,
                _error(
                    400,
                    "Bad Request: message is not modified: specified new message "
                    "content and reply markup are exactly the same",
                ),
                None,
            )
        message.text = new_text
        message.reply_markup = new_markup
        message.edits += 1
        return 200, message.to_json(), message

    def _answer(
        self, method: str, params: JSONDict, call: ApiCall | None = None
    ) -> tuple[int, Any, FakeMessage | None]:
        if method == "getMe":
            return 200, BOT_USER, None
        if method in {
            "deleteWebhook",
            "setMyCommands",
            "answerCallbackQuery",
            "setWebhook",
            "answerInlineQuery",
            "sendChatAction",
            "deleteMyCommands",
        }:
            return 200, True, None
        if method == "getMyCommands":
            return 200, [], None
        if method == "getWebhookInfo":
            return (
                200,
                {"url": "", "has_custom_certificate": False, "pending_update_count": 0},
                None,
            )
        if method == "sendMessage":
            message = self._store(
                int(params["chat_id"]),
                from_bot=True,
                text=str(params["text"]),
                markup=params.get("reply_markup"),
            )
            return 200, message.to_json(), message
        if method in {"sendPhoto", "sendDocument", "sendAnimation"}:
            kind = {"sendPhoto": "photo", "sendAnimation": "animation"}.get(method, "document")
            stored = None
            if call is not None and kind != "document":
                stored = self.files.resolve(kind, params.get(kind), call.files, call.file_names)
                if stored is None:
                    return 400, _error(400, REFUSED), None
            message = self._store(
                int(params["chat_id"]),
                from_bot=True,
                text=params.get("caption"),
                markup=params.get("reply_markup"),
                kind=kind,
            )
            message.file = stored
            return 200, message.to_json(), message
        if method in {"editMessageText", "editMessageCaption", "editMessageReplyMarkup"}:
            return self._edit(params)
        if method == "deleteMessage":
            chat_messages = self.messages[int(params["chat_id"])]
            target = chat_messages.get(int(params["message_id"]))
            if target is None or target.deleted:
                return 400, _error(400, "Bad Request: message to delete not found"), None
            target.deleted = True
            return 200, True, target
        return 400, _error(400, f"Bad Request: method {method} is not supported by the fake"), None

    def push_update(self, update: JSONDict) -> None:
        """Queue an update for ``getUpdates`` (polling)."""
        self._pending_updates.append(update)
        self.updates_fetched.clear()
        self._updates_ready.set()

    async def _get_updates(self, params: JSONDict) -> tuple[int, bytes]:
        """As Telegram does: an update is handed out until a later call's ``offset`` confirms
        it, so a bot that dies after fetching an update gets it again when it restarts."""
        offset = int(params.get("offset") or 0)
        self._confirm(offset)
        timeout = float(params.get("timeout") or 0)
        if not self._pending_updates and timeout > 0:
            self._updates_ready.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._updates_ready.wait(), timeout=min(timeout, 1.0))
            self._confirm(offset)
        batch = list(self._pending_updates)
        self.updates_fetched.set()
        return 200, json.dumps({"ok": True, "result": batch}).encode()

    def _confirm(self, offset: int) -> None:
        while self._pending_updates and self._pending_updates[0]["update_id"] < offset:
            self._pending_updates.popleft()

    # --- reading what happened -----------------------------------------------------------

    def sent(self, chat_id: int | None = None, method: str | None = None) -> list[ApiCall]:
        return [
            call
            for call in self.calls
            if (chat_id is None or call.chat_id == chat_id)
            and (method is None or call.method == method)
        ]


def _error(code: int, description: str) -> JSONDict:
    return {"ok": False, "error_code": code, "description": description}
