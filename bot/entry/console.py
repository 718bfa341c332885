"""The console chat: the real Application, handlers, jobs and database, talking to an
in-process fake Bot API instead of Telegram, with you typing as the user.

Bot messages print with their number (``#12``) and their buttons numbered; a 0-10 rating
keyboard shows its buttons by their values (type ``5`` to rate 5), its other buttons by
letter. A plain number presses a button of the newest message only; ``12.3`` presses button 3
of message 12. Anything else is sent as your message. ``!location LAT LON`` shares a location
(the "Share my location" button asks for it). Ctrl-D (or ``!quit``) ends the chat.

Files the bot sends (the export, pictures) are saved under ``data/console-files/<user id>/``,
each with a name of its own; /delete removes that user's folder.
"""

from __future__ import annotations

import asyncio
import itertools
import shutil
import string
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from telegram import Update

from bot.composition import build_application, open_runtime
from bot.entry.fake_records import ApiCall, FakeMessage
from bot.entry.fake_telegram import FakeTelegram
from bot.runtime import runtime_of
from bot.runtime.clock import SystemClock
from bot.runtime.settings import Settings
from content import Content

CONSOLE_USER_ID = 10_000_001
REPLY_WAIT_SECONDS = 3.0
QUIET_SECONDS = 0.2
POLL_SECONDS = 0.05
FILES_DIR = Path("data") / "console-files"


@dataclass
class _Button:
    key: str  # what the user types to press it
    label: str
    message_id: int
    callback_data: str | None
    request_location: bool = False


class ConsolePrinter:
    """Prints what the bot sends and remembers each message's buttons."""

    def __init__(
        self, out: TextIO, files_dir: Path = FILES_DIR, pictures_dir: Path | None = None
    ) -> None:
        self.out = out
        self.files_dir = files_dir
        self.pictures_dir = pictures_dir
        self.keyboards: dict[int, list[_Button]] = {}
        self.newest: int | None = None  # the message printed last
        self._file_numbers = itertools.count(1)

    @property
    def buttons(self) -> list[_Button]:
        """The newest message's buttons (a plain number presses one of these only)."""
        return self.keyboards.get(self.newest, []) if self.newest is not None else []

    def button(self, typed: str) -> _Button | str | None:
        """The button ``typed`` presses ("5", "b", "12.3"); None: not a button key; a
        string: why it presses nothing."""
        message_id, _, key = typed.rpartition(".")
        if message_id:  # "12.3"; when nothing matches, it is text ("7.30" as a time)
            if not message_id.isdecimal():
                return None
            return next((b for b in self.keyboards.get(int(message_id), []) if b.key == key), None)
        buttons = self.buttons
        if not buttons:
            return None
        if not (key.isdecimal() or (len(key) == 1 and key in string.ascii_lowercase)):
            return None
        for button in buttons:
            if button.key == key:
                return button
        return f"(no button {typed} on screen)"

    async def forget_user(self, user_id: int) -> None:
        """/delete: remove the files saved for ``user_id``."""
        folder = self.files_dir / str(user_id)
        await asyncio.to_thread(shutil.rmtree, folder, True)

    def on_call(self, call: ApiCall, message: FakeMessage | None) -> None:
        if call.method == "answerCallbackQuery" and call.params.get("text"):
            self._print(f"   ↳ {call.params['text']}")
            return
        if message is None or call.chat_id != CONSOLE_USER_ID:
            return
        if call.method == "sendAnimation" and message.file is not None:
            # An exercise picture: already on disk in the picture cache, shown by its path.
            folder = self.pictures_dir or Path(".")
            self._print(f"\nbot: [animation] {call.text or ''}")
            self._print(f"   picture: {folder / message.file.file_name}")
            self._show_buttons(call, message.message_id)
        elif call.method in {"sendMessage", "sendPhoto", "sendDocument"}:
            prefix = {"sendPhoto": "[picture] ", "sendDocument": "[file] "}.get(call.method, "")
            saved = self._save_files(call)
            number = message.message_id
            self._print(f"\nbot #{number}: {prefix}{call.text or ''}{saved}")
            self._show_buttons(call, number)
        elif call.method.startswith("editMessage"):
            self._print(f"\nbot (edited #{message.message_id}): {message.text or ''}")
            self._show_buttons(call, message.message_id)

    def _save_files(self, call: ApiCall) -> str:
        if not call.files or call.chat_id is None:
            return ""
        folder = self.files_dir / str(call.chat_id)
        folder.mkdir(parents=True, exist_ok=True)
        names = []
        for name, data in call.files.items():
            suffix = (
                ".png"
                if data.startswith(b"\x89PNG")
                else ".pdf"
                if data.startswith(b"%PDF")
                else ".csv"
            )
            path = folder / f"{next(self._file_numbers):04d}-{call.method}-{name}{suffix}"
            while path.exists():  # an earlier chat's file: never overwrite it
                path = folder / f"{next(self._file_numbers):04d}-{call.method}-{name}{suffix}"
            path.write_bytes(data)
            names.append(str(path))
        return "\n   saved to " + ", ".join(names)

    def _show_buttons(self, call: ApiCall, message_id: int) -> None:
        self.newest = message_id
        markup = call.params.get("reply_markup") or {}
        rows = markup.get("inline_keyboard") or markup.get("keyboard")
        if not rows:  # a message sent or edited without buttons has none
            self.keyboards.pop(message_id, None)
            return
        flat = [button for row in rows for button in row]
        by_value = any(str(button["text"]).isdecimal() for button in flat)
        letters = iter(string.ascii_lowercase)
        numbers = itertools.count(1)
        buttons: list[_Button] = []
        lines = []
        for row in rows:
            cells = []
            for button in row:
                label = str(button["text"])
                if by_value:
                    key = label if label.isdecimal() else next(letters)
                else:
                    key = str(next(numbers))
                buttons.append(_button(key, label, message_id, button))
                cells.append(f"[{key}] {label}")
            lines.append("   " + "  ".join(cells))
        self.keyboards[message_id] = buttons
        self._print("\n".join(lines))

    def _print(self, text: str) -> None:
        print(text, file=self.out, flush=True)


def _button(key: str, label: str, message_id: int, button: dict[str, Any]) -> _Button:
    return _Button(
        key,
        label,
        message_id,
        button.get("callback_data"),
        request_location=bool(button.get("request_location")),
    )


async def run_console(
    settings: Settings, content: Content, stdin: TextIO = sys.stdin, out: TextIO = sys.stdout
) -> None:
    """Run the bot against the fake Bot API until the user ends the chat."""
    fake = FakeTelegram(SystemClock())
    printer = ConsolePrinter(out, pictures_dir=settings.pictures_dir)
    fake.listeners.append(printer.on_call)
    app = build_application(settings, content, request=fake)
    runtime_of(app).add_erase_hook(printer.forget_user)
    await app.initialize()
    try:
        await open_runtime(app)
        if app.updater is None:
            raise RuntimeError("the console needs the Application's updater")
        await app.updater.start_polling(allowed_updates=Update.ALL_TYPES)
        await app.start()
        print(
            "Console chat with the bot (no Telegram needed). Type /start to begin;\n"
            "type a button's number to press it; Ctrl-D to quit.",
            file=out,
            flush=True,
        )
        while True:
            line = await asyncio.to_thread(stdin.readline)
            if not line or line.strip() == "!quit":
                break
            calls_before = len(fake.calls)
            update = console_update(fake, printer, line.strip(), out)
            if update is None:
                continue
            fake.push_update(update)
            await _wait_for_reply(fake, calls_before)
    finally:
        if app.updater is not None and app.updater.running:
            await app.updater.stop()
        if app.running:
            await app.stop()
        await app.shutdown()
        await app.post_shutdown(app) if app.post_shutdown else None


async def _wait_for_reply(fake: FakeTelegram, calls_before: int) -> None:
    """Wait until the bot has answered (and gone quiet), so the next line sees its buttons.

    A person types slower than this anyway; for input piped from a file it keeps the
    conversation in order. Gives up after a few seconds (a message may have no answer).
    """
    await fake.updates_fetched.wait()
    deadline = REPLY_WAIT_SECONDS
    quiet = 0.0
    seen = len(fake.calls)
    while deadline > 0 and (len(fake.calls) == calls_before or quiet < QUIET_SECONDS):
        await asyncio.sleep(POLL_SECONDS)
        deadline -= POLL_SECONDS
        quiet = quiet + POLL_SECONDS if len(fake.calls) == seen else 0.0
        seen = len(fake.calls)


def console_update(
    fake: FakeTelegram, printer: ConsolePrinter, line: str, out: TextIO
) -> dict[str, Any] | None:
    """The update a typed line makes (a message, a button press, a location), or None."""
    if not line:
        return None
    button = printer.button(line)
    if isinstance(button, str):
        print(f"   {button}", file=out, flush=True)
        return None
    if button is not None:
        if button.request_location:
            print(
                "   (to share a location, type it: !location LATITUDE LONGITUDE,"
                " for example !location 52.52 13.40)",
                file=out,
                flush=True,
            )
            return None
        if button.callback_data is None:
            return fake.message_update(CONSOLE_USER_ID, button.label)
        return fake.callback_update(CONSOLE_USER_ID, button.message_id, button.callback_data)
    if line.startswith("!location"):
        parts = line.split()
        try:
            latitude, longitude = float(parts[1]), float(parts[2])
        except (IndexError, ValueError):
            print("   usage: !location 52.52 13.40", file=out, flush=True)
            return None
        return fake.message_update(CONSOLE_USER_ID, location=(latitude, longitude))
    return fake.message_update(CONSOLE_USER_ID, line)
