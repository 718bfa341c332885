"""Privacy over a whole session: what reaches the logs, and whose rows each query touches.

One user goes through everything the bot offers (onboarding with the safety questions, zone
and time; a routine with pain before and after; /pain with a note; free-text questions and a
red-flag message; /history, /export, /settings, /pause, /resume, /time, /timezone; /delete)
while another user's data sits in the same database. With every logger at DEBUG:

- no record at INFO or above holds the bot token, anything the user typed (each typed text
  carries a made-up word found nowhere else) or the pain note; the same words do reach the
  DEBUG records (python-telegram-bot logs whole updates there), so the check can fail;
- every SQL statement the user's updates run against a table of user data is scoped to that
  user: by ``user_id`` equal to the caller's id, or by the id of a row (or a parent row)
  that belongs to the caller. Checked dynamically, on the statements SQLAlchemy actually
  sends (``before_cursor_execute``: the compiled statement and its bound values), so it
  follows the code as it is, whatever helper builds the query; its reach is the session's
  paths, which is every command and button above. Unscoped statements (a sweep's "everything
  due") are allowed only in jobs, which this check leaves out.

The SQLite file's 0600 mode is checked by tests/test_cli.py (a real start from the CLI).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import Table, event, select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql import visitors
from sqlalchemy.sql.dml import Insert
from sqlalchemy.sql.elements import BinaryExpression, BindParameter
from sqlalchemy.sql.operators import eq, in_op
from sqlalchemy.sql.schema import Column

from storage.db import create_engine, create_sessionmaker
from storage.models import (
    ExercisePreference,
    Hold,
    PainRating,
    ReminderDelivery,
    RoutineSession,
    Subscription,
    User,
)
from tests.harness import TEST_TOKEN, BotHarness, catalog
from tests.progress_fixtures import add_everything
from tests.routine_helpers import HURTS, SKIP, START_HOLD, keep_only

ALICE = 7_600_000_001
BOB = 7_600_000_002
NOTE = "quokkabramble twinge behind the left knee"
INLINE_NOTE = "after lifting the zibbertoast crate"
TYPED = [
    "Is the plinthogram stretch fine when my snorkelwade hip aches?",
    "how do I do the bridge without hurting my vorpelcrank back",
    "thanks, flibbertine",
    "I can't pee and my groin is numb since the wobbleberry fall",
]
USER_TABLES = {
    "users",
    "subscriptions",
    "reminder_deliveries",
    "routine_sessions",
    "holds",
    "pain_ratings",
    "exercise_preferences",
}
# A column naming a row (or a parent row) by id: the table that row is in.
ROW_REFERENCES = {
    ("subscriptions", "id"): "subscriptions",
    ("reminder_deliveries", "id"): "reminder_deliveries",
    ("reminder_deliveries", "subscription_id"): "subscriptions",
    ("routine_sessions", "id"): "routine_sessions",
    ("routine_sessions", "delivery_id"): "reminder_deliveries",
    ("holds", "id"): "holds",
    ("holds", "session_id"): "routine_sessions",
    ("pain_ratings", "id"): "pain_ratings",
    ("pain_ratings", "session_id"): "routine_sessions",
}
OWNED = {
    "subscriptions": Subscription,
    "reminder_deliveries": ReminderDelivery,
    "routine_sessions": RoutineSession,
    "holds": Hold,
    "pain_ratings": PainRating,
}


@dataclass
class Auditor:
    """Looks at every statement sent while a user's update runs."""

    caller: int | None = None
    statements: int = 0
    findings: list[str] = field(default_factory=list)
    references: list[tuple[int, str, Any, str]] = field(default_factory=list)

    def before_cursor_execute(
        self,
        conn: Connection,
        cursor: Any,
        statement: str,
        parameters: Any,
        context: Any,
        executemany: bool,
    ) -> None:
        if self.caller is None or context is None or context.compiled is None:
            return
        stmt = context.compiled.statement
        tables = {t.name for t in _tables(stmt)} & USER_TABLES
        if not tables:
            return
        self.statements += 1
        for params in context.compiled_parameters:
            self._check(stmt, params, tables, statement)

    def _check(self, stmt: Any, params: dict[str, Any], tables: set[str], sql: str) -> None:
        caller = self.caller
        assert caller is not None
        if isinstance(stmt, Insert):
            table = stmt.table.name
            owner = params.get("id") if table == "users" else params.get("user_id")
            if owner is None and table in OWNED:  # e.g. holds carry user_id too; all do
                self.findings.append(f"insert into {table} without a user id: {sql}")
            elif owner is not None and owner != caller:
                self.findings.append(f"insert into {table} for user {owner}: {sql}")
            return
        user_values: list[Any] = []
        row_refs: list[tuple[str, Any]] = []
        for table, column, values in _comparisons(stmt, params):
            if column == "user_id" or (table == "users" and column == "id"):
                user_values.extend(values)
            elif (table, column) in ROW_REFERENCES:
                row_refs.extend((ROW_REFERENCES[table, column], value) for value in values)
        if user_values:
            strangers = [value for value in user_values if value != caller]
            if strangers:
                self.findings.append(f"scoped to user(s) {strangers}, not {caller}: {sql}")
            return
        if not row_refs:
            self.findings.append(f"not scoped to any user or row ({sorted(tables)}): {sql}")
            return
        for table, value in row_refs:
            self.references.append((caller, table, value, sql))


def _tables(stmt: Any) -> Iterator[Table]:
    for element in visitors.iterate(stmt):
        if isinstance(element, Table):
            yield element


def _comparisons(stmt: Any, params: dict[str, Any]) -> Iterator[tuple[str, str, list[Any]]]:
    """Every ``column = :value`` and ``column IN (:values)`` in the statement, with values."""
    for element in visitors.iterate(stmt):
        if not isinstance(element, BinaryExpression) or element.operator not in (eq, in_op):
            continue
        column, bind = element.left, element.right
        if isinstance(column, BindParameter):
            column, bind = bind, column
        if not isinstance(column, Column) or not isinstance(bind, BindParameter):
            continue
        if not isinstance(column.table, Table):
            continue
        value = params.get(bind.key, bind.value)
        values = list(value) if isinstance(value, list | tuple) else [value]
        yield column.table.name, column.name, values


async def _owners(bot: BotHarness) -> dict[tuple[str, Any], int]:
    owners: dict[tuple[str, Any], int] = {}
    async with bot.session() as session:
        for name, model in OWNED.items():
            for row_id, user_id in await session.execute(select(model.id, model.user_id)):
                owners[name, row_id] = user_id
    return owners


@dataclass
class Session:
    bot: BotHarness
    auditor: Auditor
    calls: int = 0

    async def act(self, action: Any) -> list[Any]:
        """One update of Alice's, audited; rows it names are checked against their owners
        before and after (a row it creates, or erases, is in one of the two)."""
        before = await _owners(self.bot)
        self.auditor.caller = ALICE
        try:
            calls = await action
        finally:
            self.auditor.caller = None
        after = await _owners(self.bot)
        for caller, table, value, sql in self.auditor.references:
            owner = before.get((table, value), after.get((table, value)))
            if owner != caller:
                self.auditor.findings.append(f"{table} row {value} is user {owner}'s: {sql}")
        self.auditor.references.clear()
        self.calls += 1
        return list(calls)


async def _full_session(bot: BotHarness, s: Session) -> None:
    await s.act(bot.send(ALICE, "/start"))
    for _ in bot.content.safety.red_flag_questions:
        await s.act(bot.tap(ALICE, "No"))
    await s.act(bot.send(ALICE, "Berlin"))
    await s.act(bot.send(ALICE, "7:30"))
    await keep_only(bot, "knees_to_chest", "glute_bridge", user_id=ALICE)
    # A routine with pain before and after: one hold, "It hurts" once, the rest skipped.
    await s.act(bot.send(ALICE, "/routine"))
    await s.act(bot.tap(ALICE, "6"))
    await s.act(bot.tap(ALICE, START_HOLD))
    await bot.advance(seconds=25)  # the hold timer (a job: not audited)
    await s.act(bot.tap(ALICE, HURTS))
    while True:
        try:
            bot.message_with_button(ALICE, SKIP)
        except AssertionError:
            break
        await s.act(bot.tap(ALICE, SKIP))
    await s.act(bot.tap(ALICE, "4"))
    # /pain with a note typed afterwards, and one given inline.
    await s.act(bot.send(ALICE, "/pain"))
    await s.act(bot.tap(ALICE, "5"))
    await s.act(bot.tap(ALICE, catalog().t("pain.button_add_note")))
    await s.act(bot.send(ALICE, NOTE))
    await s.act(bot.send(ALICE, f"/pain 3 {INLINE_NOTE}"))
    # Free text: questions, thanks, and a red flag.
    for text in TYPED:
        await s.act(bot.send(ALICE, text))
    await s.act(bot.inline(ALICE, "pigeon snorkelwade"))
    # Looking back, settings, reminders.
    await s.act(bot.send(ALICE, "/history"))
    await s.act(bot.send(ALICE, "/export"))
    await s.act(bot.send(ALICE, "/settings"))
    await s.act(bot.send(ALICE, "/time 8:15"))
    await s.act(bot.send(ALICE, "/timezone Tokyo"))
    await s.act(bot.send(ALICE, "/pause"))
    await s.act(bot.tap(ALICE, "1 day"))
    await s.act(bot.send(ALICE, "/resume"))
    # Erase everything.
    await s.act(bot.send(ALICE, "/delete"))
    await s.act(bot.tap(ALICE, catalog().t("erase.button_yes")))


async def test_a_full_session_logs_nothing_private_and_touches_only_its_own_rows(
    bot: BotHarness, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    caplog.set_level(logging.DEBUG)
    await add_everything(bot, BOB)
    bob_rows = await _owners(bot)
    assert bot.runtime.engine is not None
    auditor = Auditor()
    engine = bot.runtime.engine.sync_engine
    event.listen(engine, "before_cursor_execute", auditor.before_cursor_execute)
    try:
        session = Session(bot, auditor)
        await _full_session(bot, session)
    finally:
        event.remove(engine, "before_cursor_execute", auditor.before_cursor_execute)

    assert await bot.rows(User, User.id == ALICE) == []  # /delete went through
    assert await bot.count(PainRating, PainRating.user_id == ALICE) == 0
    assert set(await _owners(bot)) == set(bob_rows)  # Bob's rows all still there

    secrets = [TEST_TOKEN, TEST_TOKEN.split(":")[1], NOTE, INLINE_NOTE, *TYPED]
    formatter = logging.Formatter()
    loud = [
        record.getMessage()
        + (formatter.formatException(record.exc_info) if record.exc_info else "")
        for record in caplog.records
        if record.levelno >= logging.INFO
    ]
    quiet = [r.getMessage() for r in caplog.records if r.levelno < logging.INFO]
    leaks = [(secret, line) for secret in secrets for line in loud if secret in line]
    assert leaks == []
    # The words were there to be found: the DEBUG records hold the updates (as PTB logs them).
    for secret in (NOTE, INLINE_NOTE, *TYPED):
        assert any(secret in line for line in quiet), secret
    assert auditor.findings == []
    assert auditor.statements > 100
    with capsys.disabled():
        print(
            f"\nprivacy: {session.calls} updates, {len(caplog.records)} log records "
            f"({len(loud)} at INFO or above, none with the token, a typed text or a note); "
            f"{auditor.statements} statements on user tables, all scoped to the caller"
        )


async def test_the_auditor_catches_an_unscoped_or_foreign_query(bot: BotHarness) -> None:
    """The check above can fail: a query for everyone's ratings, or for Bob's, is caught."""
    await add_everything(bot, BOB)
    assert bot.runtime.engine is not None
    auditor = Auditor(caller=ALICE)
    engine = bot.runtime.engine.sync_engine
    event.listen(engine, "before_cursor_execute", auditor.before_cursor_execute)
    try:
        async with bot.session() as db:
            await db.execute(select(PainRating))
            await db.execute(select(PainRating).where(PainRating.user_id == BOB))
            await db.execute(select(ExercisePreference).where(ExercisePreference.user_id == ALICE))
            [bobs_session] = (
                await db.scalars(select(RoutineSession.id).where(RoutineSession.user_id == BOB))
            ).all()[:1]
            await db.execute(select(Hold).where(Hold.session_id == bobs_session))
    finally:
        event.remove(engine, "before_cursor_execute", auditor.before_cursor_execute)

    assert [f.split(":")[0] for f in auditor.findings] == [
        "not scoped to any user or row (['pain_ratings'])",
        f"scoped to user(s) [{BOB}], not {ALICE}",
        f"scoped to user(s) [{BOB}], not {ALICE}",
    ]
    assert [(table, value) for _, table, value, _ in auditor.references] == [
        ("routine_sessions", bobs_session)
    ]


async def test_database_errors_never_quote_the_values_written(database_url: str) -> None:
    """Error messages end up in logs; the engine keeps statement parameters out of them."""
    engine = create_engine(database_url)
    sessions = create_sessionmaker(engine)
    now = datetime(2026, 3, 2, tzinfo=UTC)
    try:
        async with sessions() as session:
            session.add(User(id=ALICE, chat_id=ALICE, created_at=now, updated_at=now))
            session.add(PainRating(user_id=ALICE, score=11, context="any", note=NOTE, rated_at=now))
            with pytest.raises(IntegrityError) as caught:
                await session.commit()
    finally:
        await engine.dispose()
    assert "pain_ratings" in str(caught.value)
    assert NOTE not in str(caught.value)
