"""/export and /delete through the real Application, and the database's own cascades."""

from __future__ import annotations

import csv
import io

from sqlalchemy import delete

from bot.domain.export_csv import COLUMNS, Kind
from storage.models import Base, Hold, RoutineSession, User
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


def parse_csv(data: bytes, kind: Kind) -> tuple[str, list[dict[str, str]]]:
    """A file's first line (what it holds, the period) and its rows."""
    assert data.startswith(b"\xef\xbb\xbf")
    lines = io.StringIO(data.decode("utf-8-sig"), newline="")
    title = next(csv.reader(lines))[0]
    reader = csv.DictReader(lines)
    assert tuple(reader.fieldnames or ()) == COLUMNS[kind]
    return title, list(reader)


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

    assert [(c.method, c.chat_id) for c in calls] == [("sendDocument", ALICE)] * 5
    pain, sessions, steps, picture, report = calls
    assert report.files["document"].startswith(b"%PDF")
    assert report.text == bot.content.t("export.report_caption", days=90)
    t = bot.content.t
    assert pain.text == t(
        "export.csv_caption",
        ratings=t("history.ratings_other", count=3),
        routines=t("export.routines_one"),
        holds=t("export.holds_other", count=3),
        sets=t("export.sets_other", count=0),
    )
    title, ratings = parse_csv(pain.files["document"], "pain")
    assert title == t(
        "export.title_pain", start="2026-03-02", end="2026-03-02", zone="Europe/Berlin"
    )
    assert {row["note"] for row in ratings} == {"", "looser, less tingling", "after a long drive"}
    assert {row["when"] for row in ratings} == {"before a routine", "after a routine", "on its own"}
    # Berlin time: the ratings at 06:00 UTC, the routine started 12 minutes earlier.
    assert {row["time"] for row in ratings} == {"07:00"}
    _, routines = parse_csv(sessions.files["document"], "routines")
    assert [(row["routine_number"], row["started"]) for row in routines] == [
        (str(routine), "06:48")
    ]
    _, holds = parse_csv(steps.files["document"], "steps")
    alice_holds = await bot.rows(Hold, Hold.user_id == ALICE)
    assert len(holds) == len(alice_holds) == 3
    assert {row["routine_number"] for row in holds} == {str(routine)}
    knees = bot.content.exercise("knees_to_chest")
    assert knees is not None
    assert {row["exercise"] for row in holds} == {knees.name}
    everything = b"".join(call.files["document"] for call in (pain, sessions, steps))
    assert "felt looser" not in everything.decode("utf-8-sig")  # Bob's note

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
