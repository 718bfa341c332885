"""/export and /delete through the real Application, and the database's own cascades."""

from __future__ import annotations

import csv
import io

from sqlalchemy import delete

from bot.domain.export_csv import COLUMNS
from storage.models import Base, Hold, PainRating, RoutineSession, User
from tests.harness import BotHarness
from tests.png import png_size
from tests.progress_fixtures import (
    add_everything,
    add_routine,
    rate,
    rows_per_table,
    set_zone,
    user_columns,
)

ALICE = 111_111_111_111
BOB = 222_222_222


def parse_csv(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    reader = csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""))
    assert tuple(reader.fieldnames or ()) == COLUMNS
    return list(reader)


async def test_export_sends_a_csv_of_exactly_the_users_rows_and_the_picture(
    bot: BotHarness,
) -> None:
    await set_zone(bot, ALICE, "Europe/Berlin")
    now = bot.runtime.clock.now()
    routine = await add_routine(bot, ALICE, now, pain_before=6, pain_after=4, holds=3)
    await rate(bot, ALICE, 6, now, "before", session_id=routine)
    await rate(bot, ALICE, 4, now, "after", note="looser, less tingling", session_id=routine)
    await add_everything(bot, BOB)
    await bot.send(ALICE, "/pain 5 after a long drive")

    calls = await bot.send(ALICE, "/export")

    assert [(c.method, c.chat_id) for c in calls] == [
        ("sendDocument", ALICE),
        ("sendDocument", ALICE),
        ("sendDocument", ALICE),
    ]
    sheet, picture, report = calls
    assert report.files["document"].startswith(b"%PDF")
    assert report.text == bot.content.t("export.report_caption", days=90)
    t = bot.content.t
    assert sheet.text == t(
        "export.csv_caption",
        ratings=t("history.ratings_other", count=3),
        routines=t("export.routines_one"),
        holds=t("export.holds_other", count=3),
    )
    rows = parse_csv(sheet.files["document"])
    alice_ratings = await bot.rows(PainRating, PainRating.user_id == ALICE)
    alice_holds = await bot.rows(Hold, Hold.user_id == ALICE)
    expected = sorted(
        [("pain", str(r.id)) for r in alice_ratings]
        + [("routine", str(routine))]
        + [("hold", str(h.id)) for h in alice_holds]
    )
    assert sorted((row["record"], row["id"]) for row in rows) == expected
    notes = {row["note"] for row in rows if row["record"] == "pain"}
    assert notes == {"", "looser, less tingling", "after a long drive"}
    assert {row["session_id"] for row in rows if row["record"] == "hold"} == {str(routine)}
    # Berlin time: the ratings at 06:00 UTC, the routine started 12 minutes earlier.
    times = {(row["record"], row["local_time"]) for row in rows if row["record"] != "hold"}
    assert times == {("pain", "2026-03-02 07:00"), ("routine", "2026-03-02 06:48")}
    assert "felt looser" not in sheet.files["document"].decode("utf-8-sig")  # Bob's note

    assert picture.text == bot.content.t("export.picture_caption")
    assert png_size(picture.files["document"]) == (1080, 1350)


async def test_export_with_nothing_recorded_says_so(bot: BotHarness) -> None:
    await add_everything(bot, BOB)

    calls = await bot.send(ALICE, "/export")

    assert [(c.method, c.text) for c in calls] == [("sendMessage", bot.content.t("export.nothing"))]


async def test_delete_asks_first_and_no_keeps_everything(bot: BotHarness) -> None:
    await add_everything(bot, ALICE)
    before = await rows_per_table(bot, ALICE)

    calls = await bot.send(ALICE, "/delete")

    assert [(c.method, c.text) for c in calls] == [("sendMessage", bot.content.t("erase.ask"))]
    keep = bot.content.t("erase.button_no")
    assert calls[0].buttons == [[bot.content.t("erase.button_yes")], [keep]]

    calls = await bot.tap(ALICE, keep)

    assert [(c.method, c.text) for c in calls] == [
        ("answerCallbackQuery", None),
        ("editMessageText", bot.content.t("erase.cancelled")),
    ]
    assert await rows_per_table(bot, ALICE) == before


async def test_after_delete_no_row_of_the_user_remains_in_any_table(bot: BotHarness) -> None:
    await add_everything(bot, ALICE)
    await add_everything(bot, BOB)
    await bot.send(ALICE, "/pain 5")
    alice_before = await rows_per_table(bot, ALICE)
    bob_before = await rows_per_table(bot, BOB)
    # Every table of user data holds Alice's rows, so the check below cannot pass by accident;
    # the only table without a user column is the shared cache of uploaded pictures.
    shared = {table.name for table in Base.metadata.sorted_tables if not user_columns(table)}
    assert shared == {"media_files"}
    assert all(count > 0 for name, count in alice_before.items() if name not in shared), (
        alice_before
    )

    await bot.send(ALICE, "/delete")
    calls = await bot.tap(ALICE, bot.content.t("erase.button_yes"))

    assert [(c.method, c.text) for c in calls] == [
        ("answerCallbackQuery", None),
        ("editMessageText", bot.content.t("erase.done")),
    ]
    assert await rows_per_table(bot, ALICE) == dict.fromkeys(alice_before, 0)
    assert await rows_per_table(bot, BOB) == bob_before


async def test_an_old_confirmation_no_longer_erases(bot: BotHarness) -> None:
    await add_everything(bot, ALICE)
    before = await rows_per_table(bot, ALICE)
    await bot.send(ALICE, "/delete")
    await bot.advance(minutes=11)

    calls = await bot.tap(ALICE, bot.content.t("erase.button_yes"))

    assert calls[-1].text == bot.content.t("erase.expired")
    assert await rows_per_table(bot, ALICE) == before


async def test_the_database_cascades_from_the_users_row(bot: BotHarness) -> None:
    """The foreign keys alone remove a user's rows (SQLite with foreign_keys=ON, PostgreSQL)."""
    await add_everything(bot, ALICE)
    await add_everything(bot, BOB)
    bob_before = await rows_per_table(bot, BOB)

    async with bot.session() as session:
        await session.execute(delete(User).where(User.id == ALICE))
        await session.commit()

    remaining = await rows_per_table(bot, ALICE)
    assert remaining == dict.fromkeys(remaining, 0)
    assert await rows_per_table(bot, BOB) == bob_before
    assert await bot.count(RoutineSession) == 1
