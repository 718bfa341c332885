"""Two users: nothing one of them sends or taps ever reads or changes the other's data."""

from __future__ import annotations

import csv
import io
from datetime import time

from bot.plumbing.callbacks import Action, encode
from storage.models import PainRating, User
from tests.harness import BotHarness, catalog
from tests.progress_fixtures import add_everything, rows_per_table

ALICE = 111_111_111_111
BOB = 222_222_222


async def bob_state(bot: BotHarness) -> tuple[object, ...]:
    [bob] = await bot.rows(User, User.id == BOB)
    ratings = await bot.rows(PainRating, PainRating.user_id == BOB)
    return (
        bob.awaiting,
        bob.awaiting_ref,
        bob.weekly_summary_enabled,
        bob.weekly_summary_weekday,
        bob.weekly_summary_time,
        sorted((r.id, r.score, r.note) for r in ratings),
        await rows_per_table(bot, BOB),
    )


async def test_nothing_alice_does_reaches_bobs_data(bot: BotHarness) -> None:
    await add_everything(bot, BOB)
    await bot.send(BOB, "/pain 7 sharp in the morning")
    [bobs_rating] = await bot.rows(
        PainRating, PainRating.user_id == BOB, PainRating.context == "any"
    )
    bob_before = await bob_state(bot)

    # Alice logs her own rating, then forges "Add a note" with Bob's rating id.
    await bot.send(ALICE, "/pain 3")
    calls = await bot.tap_data(ALICE, 1, encode(Action.PAIN_NOTE, bobs_rating.id))
    assert [(c.method, c.text) for c in calls] == [
        ("answerCallbackQuery", None),
        ("sendMessage", bot.content.t("button_stale")),
    ]
    [alice] = await bot.rows(User, User.id == ALICE)
    assert alice.awaiting is None
    calls = await bot.send(ALICE, "overwriting your note")
    assert [c.text for c in calls] == [bot.content.t("text_fallback")]

    # Her history and export show only her rating.
    calls = await bot.send(ALICE, "/history")
    t = bot.content.t
    figures = t(
        "history.figures",
        average="3.0",
        lowest=3,
        highest=3,
        ratings=t("history.ratings_one"),
        days_rated=t("history.days_one"),
    )
    assert f"\n{figures}\n" in (calls[0].text or "")
    calls = await bot.send(ALICE, "/export")
    lines = io.StringIO(calls[0].files["document"].decode("utf-8-sig"), newline="")
    next(lines)  # the line naming the period
    rows = list(csv.DictReader(lines))
    assert [(row["pain_0_to_10"], row["note"]) for row in rows] == [("3", "")]
    for call in calls[1:3]:  # her routines and exercise steps: none, and none of Bob's
        assert len(call.files["document"].decode("utf-8-sig").splitlines()) == 2

    # Her settings and her erase touch only her own rows, whatever the buttons carry.
    await bot.tap_data(ALICE, 1, encode(Action.SETTINGS_WEEKLY))
    await bot.tap(ALICE, "Tue")
    await bot.tap(ALICE, catalog().t("weekly_summary.button_off"))
    await bot.send(ALICE, "/delete")
    await bot.tap(ALICE, bot.content.t("erase.button_yes"))
    assert await bot.rows(User, User.id == ALICE) == []

    assert await bob_state(bot) == bob_before
    [bob] = await bot.rows(User, User.id == BOB)
    assert (bob.weekly_summary_weekday, bob.weekly_summary_time) == (6, time(18))


async def test_bobs_pending_note_survives_alices_messages(bot: BotHarness) -> None:
    await bot.send(BOB, "/pain 6")
    await bot.tap(BOB, catalog().t("pain.button_add_note"))
    [bobs_rating] = await bot.rows(PainRating, PainRating.user_id == BOB)

    # Alice forges Bob's button too: the rating is not hers, so nothing is awaited for her.
    calls = await bot.tap_data(ALICE, 1, encode(Action.PAIN_NOTE, bobs_rating.id))
    assert calls[-1].text == bot.content.t("button_stale")
    await bot.send(ALICE, "this is not Bob's note")
    await bot.send(BOB, "stiff after sitting")

    [rating] = await bot.rows(PainRating, PainRating.user_id == BOB)
    assert rating.note == "stiff after sitting"
    assert await bot.count(PainRating, PainRating.user_id == ALICE) == 0
