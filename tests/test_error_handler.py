"""The one error handler: what it logs, what it tells the user, and that a routine survives.

- Any exception from a handler: one ERROR line with the update id, the user id, what the
  update was (a command's name, a button's action; never the user's words), the exception's
  type (its message too when it cannot quote the user) and where it happened; the user is
  told briefly to try again.
- A Telegram failure the bot gave up on (retries spent): a WARNING line saying so, with where.
- A routine step that fails before its commit leaves the session exactly as it was, and the
  same button works a moment later; one that fails after (Telegram could not show the next
  card) leaves the new step saved, and /routine brings the user back to it.
"""

from __future__ import annotations

import logging
import re
import shutil
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import select
from telegram import Update

from bot.plumbing.errors import describe_update
from bot.runtime.logs import describe_exception
from storage.models import ExercisePreference, Hold, PainRating, RoutineSession
from tests.harness import BotHarness, make_settings
from tests.routine_helpers import (
    FINISH,
    HURTS,
    RESUME,
    SKIP,
    SKIP_PAIN,
    START_HOLD,
    STOP,
    keep_only,
)

ALICE = 7_500_000_001
SECRET = "my neighbour Gertrude saw me limp"


async def test_it_logs_update_user_and_exception_and_tells_the_user(
    bot: BotHarness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    update = Update.de_json(bot.fake.message_update(ALICE, f"/pain 5 {SECRET}"), bot.app.bot)
    error = ValueError(f"could not read {SECRET!r}")  # an exception quoting the user
    start = len(bot.fake.calls)

    await bot.app.process_error(update, error)
    bot.errors.clear()

    [line] = [
        r for r in caplog.records if r.name == "bot.plumbing.errors" and r.levelno == logging.ERROR
    ]
    message = line.getMessage()
    assert message.startswith(
        f"update {update.update_id} (command /pain) for user {ALICE} failed: "
        "ValueError (its message is logged at DEBUG only)"
    )
    assert SECRET not in "".join(
        r.getMessage() for r in caplog.records if r.levelno >= logging.INFO
    )
    assert any(SECRET in r.getMessage() for r in caplog.records if r.levelno == logging.DEBUG)
    assert [(c.method, c.chat_id, c.text) for c in bot.fake.calls[start:]] == [
        ("sendMessage", ALICE, bot.content.t("error_generic"))
    ]


async def test_telling_the_user_may_fail_too_and_is_only_logged(
    bot: BotHarness, caplog: pytest.LogCaptureFixture
) -> None:
    update = Update.de_json(bot.fake.message_update(ALICE, "/help"), bot.app.bot)
    bot.fake.fail(502, "Bad Gateway", method="sendMessage", times=3)
    start = len(bot.fake.calls)

    await bot.app.process_error(update, RuntimeError("boom"))
    bot.errors.clear()

    assert [c.method for c in bot.fake.calls[start:]] == ["sendMessage"] * 3  # and 2 retries
    assert bot.slept == [0.5, 1.0]
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warnings == [f"could not tell user {ALICE} about the error: Bad Gateway"]


def test_it_names_the_update_never_quoting_it(bot: BotHarness) -> None:
    fake = bot.fake

    def named(update_json: dict[str, object]) -> str:
        update = Update.de_json(update_json, bot.app.bot)
        return describe_update(update, bot.app.context_types.context(bot.app))

    assert named(fake.message_update(ALICE, f"/pain@sciatica_coach_bot 4 {SECRET}")) == (
        "command /pain"
    )
    assert named(fake.message_update(ALICE, SECRET)) == "message"
    assert named(fake.message_update(ALICE, SECRET, edited=True)) == "edited message"
    assert named(fake.callback_update(ALICE, 1, "1|rth|3|4")) == "button rth"
    assert named(fake.callback_update(ALICE, 1, SECRET)) == "button with undecodable data"
    assert named(fake.inline_query_update(ALICE, SECRET)) == "inline query"
    assert describe_exception(KeyError(SECRET)) == "KeyError (its message is logged at DEBUG only)"
    assert describe_exception(TimeoutError("slow")) == "TimeoutError: slow"


# --- a routine survives ---------------------------------------------------------------


@pytest.fixture
async def sqlite_bot(
    tmp_path: Path, sqlite_template: Path
) -> AsyncIterator[tuple[BotHarness, Path]]:
    path = tmp_path / "bot.sqlite3"
    shutil.copyfile(sqlite_template, path)
    bot = await BotHarness.start(
        make_settings(f"sqlite+aiosqlite:///{path}", sqlite_busy_timeout_seconds=0.1)
    )
    try:
        yield bot, path
    finally:
        await bot.stop()


async def _state(bot: BotHarness) -> tuple[object, ...]:
    async with bot.session() as session:
        routine = (await session.scalars(select(RoutineSession))).one()
        holds = [(h.id, h.outcome, h.actual_seconds) for h in await session.scalars(select(Hold))]
        prefs = [
            (p.exercise_id, p.level, p.excluded)
            for p in await session.scalars(select(ExercisePreference))
        ]
        ratings = [(r.score, r.context) for r in await session.scalars(select(PainRating))]
    return (routine.status, routine.step_no, routine.cursor, holds, prefs, ratings)


STEPS = {
    # button: what to do first to have it on screen
    "4": [],  # the pain rating before the routine
    START_HOLD: [SKIP_PAIN],
    FINISH: [SKIP_PAIN, START_HOLD],
    SKIP: [SKIP_PAIN],
    HURTS: [SKIP_PAIN, START_HOLD],
    STOP: [SKIP_PAIN],
}


@pytest.mark.parametrize("button", list(STEPS))
async def test_a_routine_step_that_fails_before_its_commit_changes_nothing(
    sqlite_bot: tuple[BotHarness, Path], button: str, caplog: pytest.LogCaptureFixture
) -> None:
    bot, path = sqlite_bot
    await keep_only(bot, "knees_to_chest", "glute_bridge", user_id=ALICE)
    await bot.send(ALICE, "/routine")
    for label in STEPS[button]:
        await bot.tap(ALICE, label)
    before = await _state(bot)
    card = bot.message_with_button(ALICE, button)

    locker = sqlite3.connect(path, isolation_level=None, timeout=0)
    locker.execute("BEGIN IMMEDIATE")  # another writer holds the database past the timeout
    try:
        failed = await bot.tap(ALICE, button, message_id=card.message_id)
    finally:
        locker.rollback()
        locker.close()
    during = await _state(bot)
    [error] = bot.errors
    bot.errors.clear()
    again = await bot.tap(ALICE, button, message_id=card.message_id)
    after = await _state(bot)

    assert [c.method for c in failed] == ["answerCallbackQuery", "sendMessage"]
    assert failed[1].text == bot.content.t("error_generic")
    assert "database is locked" in str(error)
    assert during == before
    assert after != before
    assert "sendMessage" in [c.method for c in again] or "editMessageText" in [
        c.method for c in again
    ]
    [line] = [r.getMessage() for r in caplog.records if r.name == "bot.plumbing.errors"]
    assert re.match(rf"update \d+ \(button rt.\) for user {ALICE} failed: OperationalError", line)


async def test_a_routine_step_whose_card_cannot_be_shown_is_kept_and_found_again(
    bot: BotHarness, caplog: pytest.LogCaptureFixture
) -> None:
    await keep_only(bot, "knees_to_chest", user_id=ALICE)
    await bot.send(ALICE, "/routine")
    bot.fake.fail(502, "Bad Gateway", method="sendMessage", chat_id=ALICE, times=3)

    calls = await bot.tap(ALICE, SKIP_PAIN)  # the first card fails three times, then the
    # error message goes out
    [routine] = await bot.rows(RoutineSession)
    errors = [type(e).__name__ for e in bot.errors]
    bot.errors.clear()
    offered = await bot.send(ALICE, "/routine")
    resumed = await bot.tap(ALICE, RESUME)

    assert [c.method for c in calls] == [
        "answerCallbackQuery",
        "editMessageText",  # the pain question closes: "Let's begin."
        "sendMessage",
        "sendMessage",
        "sendMessage",
        "sendMessage",  # "Sorry, something went wrong..."
    ]
    assert calls[-1].text == bot.content.t("error_generic")
    assert errors == ["NetworkError"]
    assert routine.cursor["phase"] == "ready"  # the step moved on and was saved
    assert routine.step_no == 1
    assert RESUME in offered[0].buttons[0]
    assert START_HOLD in resumed[-1].buttons[0]
    warning = [r.getMessage() for r in caplog.records if r.name == "bot.plumbing.errors"]
    assert re.match(
        rf"update \d+ \(button rtp\) for user {ALICE}: gave up on a Bot API call at "
        r"bot/features/routine/screen.py:\d+ in _send_step: NetworkError: Bad Gateway",
        warning[0],
    )
