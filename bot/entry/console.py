"""The console chat: the real Application, handlers, jobs and database, talking to an
in-process fake Bot API instead of Telegram, with you typing as the user.

Bot messages print with their buttons numbered; type a number to press that button,
anything else is sent as your message. ``!location LAT LON`` shares a location.
Ctrl-D (or ``!quit``) ends the chat.
"""

from __future__ import annotations

import asyncio
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from telegram import Update

from bot.composition import build_application, open_runtime
from bot.entry.fake_records import ApiCall, FakeMessage
from bot.entry.fake_telegram import FakeTelegram
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
    label: str
    message_id: int
    callback_data: str | None


class ConsolePrinter:
    """Prints what the bot sends and remembers the buttons on screen."""

    def __init__(self, out: TextIO, pictures_dir: Path | None = None) -> None:
        self.out = out
        self.buttons: list[_Button] = []
        self.pictures_dir = pictures_dir

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
            self._print(f"\nbot: {prefix}{call.text or ''}{saved}")
            self._show_buttons(call, message.message_id)
        elif call.method.startswith("editMessage"):
            self._print(f"\nbot (edited message {message.message_id}): {message.text or ''}")
            self._show_buttons(call, message.message_id)

    def _save_files(self, call: ApiCall) -> str:
        if not call.files:
            return ""
        FILES_DIR.mkdir(parents=True, exist_ok=True)
        names = []
        for index, (name, data) in enumerate(call.files.items()):
            suffix = ".png" if data.startswith(b"\x89PNG") else ".csv"
            path = FILES_DIR / f"{call.method}-{len(call.files)}-{index}-{name}{suffix}"
            path.write_bytes(data)
            names.append(str(path))
        return "\n   saved to " + ", ".join(names)

    def _show_buttons(self, call: ApiCall, message_id: int) -> None:
        markup = call.params.get("reply_markup") or {}
        rows = markup.get("inline_keyboard") or markup.get("keyboard")
        if not rows:
            return
        self.buttons = []
        lines = []
        for row in rows:
            cells = []
            for button in row:
                self.buttons.append(
                    _Button(str(button["text"]), message_id, button.get("callback_data"))
                )
                cells.append(f"[{len(self.buttons)}] {button['text']}")
            lines.append("   " + "  ".join(cells))
        self._print("\n".join(lines))

    def _print(self, text: str) -> None:
        print(text, file=self.out, flush=True)


async def run_console(
    settings: Settings, content: Content, stdin: TextIO = sys.stdin, out: TextIO = sys.stdout
) -> None:
    """Run the bot against the fake Bot API until the user ends the chat."""
    fake = FakeTelegram(SystemClock())
    printer = ConsolePrinter(out, settings.pictures_dir)
    fake.listeners.append(printer.on_call)
    app = build_application(settings, content, request=fake)
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
            _send_line(fake, printer, line.strip(), out)
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


def _send_line(fake: FakeTelegram, printer: ConsolePrinter, line: str, out: TextIO) -> None:
    if not line:
        return
    if line.isdecimal() and printer.buttons:
        number = int(line)
        if not 1 <= number <= len(printer.buttons):
            print(f"   (no button {number} on screen)", file=out, flush=True)
            return
        button = printer.buttons[number - 1]
        if button.callback_data is None:
            fake.push_update(fake.message_update(CONSOLE_USER_ID, button.label))
        else:
            fake.push_update(
                fake.callback_update(CONSOLE_USER_ID, button.message_id, button.callback_data)
            )
        return
    if line.startswith("!location"):
        parts = line.split()
        try:
            latitude, longitude = float(parts[1]), float(parts[2])
        except (IndexError, ValueError):
            print("   usage: !location 52.52 13.40", file=out, flush=True)
            return
        fake.push_update(fake.message_update(CONSOLE_USER_ID, location=(latitude, longitude)))
        return
    fake.push_update(fake.message_update(CONSOLE_USER_ID, line))
