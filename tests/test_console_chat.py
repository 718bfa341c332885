"""The console chat's keys (issue 13 item 7): a typed digit on the rating keyboard means that
rating, only the newest message's buttons answer to a plain number (older ones as
``message.button``), and "Share my location" asks for coordinates instead of sending text."""

from __future__ import annotations

import io
from pathlib import Path

from bot.entry.console import CONSOLE_USER_ID, ConsolePrinter, console_update
from storage.models import PainRating, Subscription
from tests.harness import BotHarness
from tests.reminder_flow import subscribe

USER = CONSOLE_USER_ID


class Console:
    """The console's printer and key reading on the test's Application."""

    def __init__(self, bot: BotHarness, files: Path) -> None:
        self.bot = bot
        self.out = io.StringIO()
        self.printer = ConsolePrinter(self.out, files_dir=files)
        bot.fake.listeners.append(self.printer.on_call)

    async def type(self, line: str) -> bool:
        """Type ``line``; False when it sent nothing (the console answered by itself)."""
        update = console_update(self.bot.fake, self.printer, line, self.out)
        if update is None:
            return False
        await self.bot.feed(update)
        return True


async def scores(bot: BotHarness) -> list[int]:
    return [row.score for row in await bot.rows(PainRating)]


async def test_typing_5_on_the_rating_keyboard_logs_5(bot: BotHarness, tmp_path: Path) -> None:
    console = Console(bot, tmp_path)
    await console.type("/pain")

    assert "[0] 0  [1] 1" in console.out.getvalue()
    assert await console.type("5")
    assert await scores(bot) == [5]


async def test_a_number_after_a_plain_reply_is_text_not_an_old_button(
    bot: BotHarness, tmp_path: Path
) -> None:
    await subscribe(bot, USER)
    console = Console(bot, tmp_path)
    await console.type("/time")  # a keyboard of twelve times
    await console.type("what is sciatica")  # a plain reply (the questions feature)
    await console.type("/help")

    assert console.printer.buttons == []
    await console.type("8")

    (row,) = await bot.rows(Subscription)
    assert row.local_time.strftime("%H:%M") == "07:30"  # unchanged


async def test_an_older_message_s_button_is_pressed_as_message_dot_button(
    bot: BotHarness, tmp_path: Path
) -> None:
    await subscribe(bot, USER)
    console = Console(bot, tmp_path)
    await console.type("/time")
    time_message = console.printer.newest
    assert time_message is not None
    first = console.printer.keyboards[time_message][0]
    await console.type("/help")

    assert await console.type(f"{time_message}.1")

    (row,) = await bot.rows(Subscription)
    assert row.local_time.strftime("%H:%M") == first.label


async def test_share_my_location_asks_for_coordinates(bot: BotHarness, tmp_path: Path) -> None:
    await subscribe(bot, USER)
    console = Console(bot, tmp_path)
    await console.type("/timezone")
    share = bot.content.t("remind.share_location")
    (button,) = [b for b in console.printer.buttons if b.label == share]

    assert not await console.type(button.key)
    assert "!location" in console.out.getvalue().splitlines()[-1]
    assert await console.type("!location 35.68 139.69")
    (row,) = await bot.rows(Subscription)
    assert row.timezone == "Asia/Tokyo"
