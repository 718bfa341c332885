"""The fake Bot API's records: the calls it got (``ApiCall``), each chat's messages
(``FakeMessage``), failures it was told to give, and the updates a user's actions make.

``UpdateFactory`` is mixed into ``FakeTelegram``: it stores each typed message in the fake's
chat history (so taps and edits can find it) and numbers updates, taps and queries.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any, Protocol

from bot.entry.fake_media import StoredFile

BOT_USER = {
    "id": 7_000_000_001,
    "is_bot": True,
    "first_name": "Sciatica Coach",
    "username": "sciatica_coach_bot",
    "can_join_groups": False,
    "can_read_all_group_messages": False,
    "supports_inline_queries": True,
}

JSONDict = dict[str, Any]


class UpdateFactory:
    """Builds update JSON; the class it is mixed into keeps the messages and the clock."""

    messages: dict[int, dict[int, FakeMessage]]
    _update_ids: itertools.count[int]
    _callback_ids: itertools.count[int]
    _inline_ids: itertools.count[int]

    def _now(self) -> int:
        raise NotImplementedError

    def _store(
        self, chat_id: int, *, from_bot: bool, text: str | None, markup: JSONDict | None
    ) -> FakeMessage:
        raise NotImplementedError

    def user_json(
        self, user_id: int, first_name: str = "User", language_code: str = "en"
    ) -> JSONDict:
        return {
            "id": user_id,
            "is_bot": False,
            "first_name": first_name,
            "language_code": language_code,
        }

    def message_update(
        self,
        user_id: int,
        text: str | None = None,
        *,
        chat_id: int | None = None,
        location: tuple[float, float] | None = None,
        edited: bool = False,
    ) -> JSONDict:
        """An update carrying a message the user typed (or a shared location)."""
        chat = chat_id if chat_id is not None else user_id
        stored = self._store(chat, from_bot=False, text=text, markup=None)
        message: JSONDict = {
            "message_id": stored.message_id,
            "date": stored.date,
            "chat": {
                "id": chat,
                "type": "private" if chat == user_id else "group",
                "first_name": "User",
            },
            "from": self.user_json(user_id),
        }
        if text is not None:
            message["text"] = text
            if text.startswith("/"):
                command = text.split()[0]
                message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        if location is not None:
            message["location"] = {"latitude": location[0], "longitude": location[1]}
        key = "edited_message" if edited else "message"
        if edited:
            message["edit_date"] = stored.date
        return {"update_id": next(self._update_ids), key: message}

    def callback_update(
        self, user_id: int, message_id: int, data: str, *, chat_id: int | None = None
    ) -> JSONDict:
        """An update for a tap on an inline button of a message in the user's chat."""
        chat = chat_id if chat_id is not None else user_id
        stored = self.messages[chat].get(message_id)
        message = (
            stored.to_json()
            if stored
            else {
                "message_id": message_id,
                "date": self._now(),
                "chat": {"id": chat, "type": "private", "first_name": "User"},
                "from": BOT_USER,
                "text": "",
            }
        )
        return {
            "update_id": next(self._update_ids),
            "callback_query": {
                "id": str(next(self._callback_ids)),
                "from": self.user_json(user_id),
                "chat_instance": f"ci-{chat}",
                "message": message,
                "data": data,
            },
        }

    def inline_query_update(self, user_id: int, query: str, *, offset: str = "") -> JSONDict:
        """An update for the user typing ``@bot query`` in a chat (inline mode)."""
        return {
            "update_id": next(self._update_ids),
            "inline_query": {
                "id": f"iq-{next(self._inline_ids)}",
                "from": self.user_json(user_id),
                "query": query,
                "offset": offset,
                "chat_type": "private",
            },
        }


@dataclass
class ApiCall:
    """One request the bot made: the Bot API method and its parameters."""

    method: str
    params: JSONDict
    files: dict[str, bytes] = field(default_factory=dict)
    file_names: dict[str, str] = field(default_factory=dict)

    @property
    def chat_id(self) -> int | None:
        value = self.params.get("chat_id")
        return int(value) if value is not None else None

    @property
    def text(self) -> str | None:
        value = self.params.get("text", self.params.get("caption"))
        return None if value is None else str(value)

    @property
    def buttons(self) -> list[list[str]]:
        """Button labels, row by row (inline or reply keyboard)."""
        markup = self.params.get("reply_markup") or {}
        rows = markup.get("inline_keyboard") or markup.get("keyboard") or []
        return [[str(button["text"]) for button in row] for row in rows]

    @property
    def button_data(self) -> dict[str, str]:
        """Inline button label → callback data."""
        markup = self.params.get("reply_markup") or {}
        return {
            str(button["text"]): str(button.get("callback_data"))
            for row in markup.get("inline_keyboard") or []
            for button in row
            if "callback_data" in button
        }


@dataclass
class FakeMessage:
    """A message as the fake keeps it: the latest text and buttons after any edits."""

    message_id: int
    chat_id: int
    from_bot: bool
    date: int
    text: str | None = None
    reply_markup: JSONDict | None = None
    kind: str = "text"
    edits: int = 0
    deleted: bool = False
    file: StoredFile | None = None

    def to_json(self) -> JSONDict:
        sender = (
            BOT_USER
            if self.from_bot
            else {"id": self.chat_id, "is_bot": False, "first_name": "User"}
        )
        data: JSONDict = {
            "message_id": self.message_id,
            "date": self.date,
            "chat": {"id": self.chat_id, "type": "private", "first_name": "User"},
            "from": sender,
        }
        if self.kind == "text":
            data["text"] = self.text or ""
        elif self.kind == "photo":
            data["photo"] = [
                {
                    "file_id": self.file.file_id if self.file else f"photo-{self.message_id}",
                    "file_unique_id": self.file.file_unique_id
                    if self.file
                    else f"p{self.message_id}",
                    "width": 1080,
                    "height": 1350,
                }
            ]
            if self.text:
                data["caption"] = self.text
        elif self.kind == "animation" and self.file is not None:
            # As Telegram answers sendAnimation with an MP4: the animation and its document.
            common = {"file_id": self.file.file_id, "file_unique_id": self.file.file_unique_id}
            data["animation"] = {
                **common,
                "width": 480,
                "height": 480,
                "duration": 4,
                "file_name": self.file.file_name,
                "mime_type": "video/mp4",
                "file_size": self.file.size,
            }
            data["document"] = {**common, "file_name": self.file.file_name}
            if self.text:
                data["caption"] = self.text
        elif self.kind == "document":
            data["document"] = {
                "file_id": f"doc-{self.message_id}",
                "file_unique_id": f"d{self.message_id}",
            }
            if self.text:
                data["caption"] = self.text
        if self.reply_markup and "inline_keyboard" in self.reply_markup:
            data["reply_markup"] = self.reply_markup
        if self.edits:
            data["edit_date"] = self.date
        return data


@dataclass
class PlannedFailure:
    """An error the fake answers with, for matching calls, a number of times."""

    status: int
    description: str
    method: str | None = None
    chat_id: int | None = None
    retry_after: int | None = None
    times: int = 1
    timeout: bool = False
    hang: bool = False
    delivered: bool = False  # Telegram carried the call out first; only its answer is this

    def matches(self, method: str, chat_id: int | None) -> bool:
        return (self.method is None or self.method == method) and (
            self.chat_id is None or self.chat_id == chat_id
        )


SEND_METHODS = frozenset({"sendMessage", "sendPhoto", "sendDocument", "sendAnimation"})


EDIT_METHODS = frozenset({"editMessageText", "editMessageCaption", "editMessageReplyMarkup"})


class FailurePicker(Protocol):
    """Chooses a failure for a call, or None (tests install a random one: tests/fakes/chaos.py)."""

    def pick(self, index: int, method: str, chat_id: int | None) -> PlannedFailure | None: ...
