"""Fuzzing through the real Application: thousands of random, odd and forged updates.

The bot holds real data (users with pain ratings, notes and a routine in progress). Every
update must be handled without an unhandled exception; every private message and button tap
must be answered; input that is invalid must leave the database exactly as it was; a tap on
another user's button must leave that user's rows as they were.
"""

from __future__ import annotations

import asyncio
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from telegram import Update

from bot.entry.fake_records import ApiCall
from bot.plumbing.callbacks import Action, encode
from storage.models import Base
from tests.harness import BotHarness, make_settings

USERS = (7_100_000_001, 7_100_000_002, 7_100_000_003)
GROUP_CHAT = -1_001_234_567_890
UPDATES = int(os.environ.get("FUZZ_UPDATES", "10000"))
BATCH = 50
REPLY_METHODS = {"sendMessage", "sendPhoto", "sendDocument", "editMessageText"}
COMMANDS = [
    "start",
    "help",
    "routine",
    "exercises",
    "exercise",
    "pain",
    "history",
    "export",
    "delete",
    "settings",
    "time",
    "timezone",
    "pause",
    "resume",
    "stop",
    "foo",
    "start@sciatica_coach_bot",
]
SCRIPTS = st.sampled_from(
    [
        "pigeon",
        "how long does sciatica last",
        "pain 7",
        "pain 11",
        "7:30",
        "Berlin",
        "+5:30",
        "مرحبا كيف حالك",
        "שלום",
        "😀😀😀",
        "\u200b",
        "   ",
        "'; DROP TABLE users; --",
        "%s%s%n",
        "I can't pee and my groin is numb",
        "Ｐａｉｎ ５",
        "/",
        "//",
        "@@@",
        "\x00",
    ]
)

# Telegram trims messages and never delivers an empty one.
text_strategy = st.one_of(
    st.text(max_size=300).map(str.strip).filter(bool),
    SCRIPTS,
    st.builds(
        lambda char, n: char * n,
        st.sampled_from(["a", "я", "😀", "ش", " "]),
        st.integers(4000, 10_000),
    ),
)
argument_strategy = st.one_of(
    st.integers(-(10**13), 10**13).map(str),
    st.text(alphabet="abcxyz_-019", min_size=1, max_size=12),
)


@dataclass(frozen=True)
class Case:
    kind: str
    user: int
    payload: Any = None
    victim: int | None = None


case_strategy = st.one_of(
    st.builds(Case, st.just("text"), st.sampled_from(USERS), text_strategy),
    st.builds(
        Case,
        st.just("command"),
        st.sampled_from(USERS),
        st.tuples(st.sampled_from(COMMANDS), st.text(max_size=60)),
    ),
    st.builds(Case, st.just("callback_random"), st.sampled_from(USERS), st.text(max_size=80)),
    st.builds(
        Case,
        st.just("callback_forged"),
        st.sampled_from(USERS),
        st.tuples(st.sampled_from(list(Action)), st.lists(argument_strategy, max_size=4)),
    ),
    st.builds(
        Case, st.just("callback_other"), st.sampled_from(USERS), st.none(), st.sampled_from(USERS)
    ),
    st.builds(Case, st.just("callback_own"), st.sampled_from(USERS), st.integers(0, 30)),
    st.builds(Case, st.just("edited"), st.sampled_from(USERS), text_strategy),
    st.builds(Case, st.just("group"), st.sampled_from(USERS), text_strategy),
    st.builds(
        Case,
        st.just("missing"),
        st.sampled_from(USERS),
        st.sampled_from(["empty", "no_from", "no_text", "callback_no_message", "location"]),
    ),
    st.builds(Case, st.just("tick"), st.sampled_from(USERS), st.integers(1, 4 * 3600)),
)


@dataclass
class Tally:
    updates: int = 0
    unhandled: list[str] = field(default_factory=list)
    unanswered: list[str] = field(default_factory=list)
    changed_by_invalid: list[str] = field(default_factory=list)


async def _snapshot(
    bot: BotHarness, user_id: int | None = None
) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (or only those of one user), as plain tuples."""
    tables: dict[str, list[tuple[Any, ...]]] = {}
    async with bot.session() as session:
        for table in Base.metadata.sorted_tables:
            query = select(table)
            if user_id is not None:
                column = table.c.get("user_id") if "user_id" in table.c else None
                if table.name == "users":
                    column = table.c.id
                if column is None:
                    continue
                query = query.where(column == user_id)
            rows = (await session.execute(query.order_by(*table.primary_key.columns))).all()
            tables[table.name] = [tuple(row) for row in rows]
    return tables


def _update_json(bot: BotHarness, case: Case) -> dict[str, Any]:
    fake = bot.fake
    if case.kind == "text":
        return fake.message_update(case.user, case.payload)
    if case.kind == "command":
        name, args = case.payload
        return fake.message_update(case.user, f"/{name} {args}".rstrip())
    if case.kind == "edited":
        return fake.message_update(case.user, case.payload, edited=True)
    if case.kind == "group":
        return fake.message_update(case.user, case.payload, chat_id=GROUP_CHAT)
    if case.kind == "callback_random":
        return fake.callback_update(case.user, 1, case.payload)
    if case.kind == "callback_forged":
        action, args = case.payload
        try:
            data = encode(action, *args)
        except ValueError:
            data = "1|" + action.value
        return fake.callback_update(case.user, 1, data)
    if case.kind == "missing":
        base = fake.message_update(case.user, "hello")
        message = base["message"]
        if case.payload == "empty":
            return {"update_id": base["update_id"]}
        if case.payload == "no_from":
            del message["from"]
        elif case.payload == "no_text":
            del message["text"]
            message["sticker"] = {
                "file_id": "s",
                "file_unique_id": "s",
                "width": 1,
                "height": 1,
                "is_animated": False,
                "is_video": False,
                "type": "regular",
            }
        elif case.payload == "callback_no_message":
            return {
                "update_id": base["update_id"],
                "callback_query": {
                    "id": "cb-x",
                    "from": fake.user_json(case.user),
                    "chat_instance": "x",
                    "inline_message_id": "inline-1",
                    "data": "1|nop",
                },
            }
        elif case.payload == "location":
            return fake.message_update(case.user, location=(52.52, 13.40))
        return base
    raise AssertionError(case.kind)


def _buttons(bot: BotHarness, user_id: int) -> list[tuple[int, str]]:
    found = []
    for message in sorted(bot.fake.messages[user_id].values(), key=lambda m: -m.message_id):
        for row in (message.reply_markup or {}).get("inline_keyboard") or []:
            for button in row:
                if "callback_data" in button:
                    found.append((message.message_id, str(button["callback_data"])))
    return found


async def _run_case(bot: BotHarness, case: Case, tally: Tally) -> None:
    tally.updates += 1
    if case.kind == "tick":
        await bot.advance(seconds=case.payload)
        return
    before_all = await _snapshot(bot) if case.kind == "callback_random" else None
    victim = case.victim if case.victim != case.user else None
    before_victim = await _snapshot(bot, victim) if victim else None
    if case.kind == "callback_other":
        buttons = _buttons(bot, victim) if victim else []
        if not buttons:
            return
        message_id, data = buttons[0]
        update = bot.fake.callback_update(case.user, message_id, data)
    elif case.kind == "callback_own":
        buttons = _buttons(bot, case.user)
        if not buttons:
            return
        message_id, data = buttons[case.payload % len(buttons)]
        update = bot.fake.callback_update(case.user, message_id, data)
    else:
        update = _update_json(bot, case)
    start = len(bot.fake.calls)
    errors_before = len(bot.errors)
    try:
        await bot.app.process_update(Update.de_json(update, bot.app.bot))
    except Exception as error:
        tally.unhandled.append(f"{case!r}: {error!r}")
    if len(bot.errors) > errors_before:
        tally.unhandled.append(f"{case!r}: {bot.errors[errors_before:]!r}")
    calls: list[ApiCall] = bot.fake.calls[start:]
    _check_answered(case, update, calls, tally)
    if before_all is not None and await _snapshot(bot) != before_all:
        tally.changed_by_invalid.append(f"{case!r}")
    if victim and before_victim is not None and await _snapshot(bot, victim) != before_victim:
        tally.changed_by_invalid.append(f"{case!r} changed the rows of user {victim}")


def _check_answered(case: Case, update: dict[str, Any], calls: list[ApiCall], tally: Tally) -> None:
    if "callback_query" in update and case.kind != "missing":
        if not calls or calls[0].method != "answerCallbackQuery":
            tally.unanswered.append(f"{case!r}: first call {calls[:1]!r}")
        return
    if case.kind in {"text", "command"}:
        replies = [
            call for call in calls if call.method in REPLY_METHODS and call.chat_id == case.user
        ]
        if not replies:
            tally.unanswered.append(f"{case!r}")


async def _seed(bot: BotHarness) -> None:
    """Real data: each user has talked to the bot, logged pain with a note, started a routine."""
    for user in USERS:
        await bot.send(user, "/start")
        await bot.send(user, "/pain 4 after a long drive")
        await bot.send(user, "pain 6")
        await bot.send(user, "/routine")
        await bot.tap(user, "Skip")


@pytest.fixture
def fuzz_database(tmp_path: Path, sqlite_template: Path) -> str:
    path = tmp_path / "fuzz.sqlite3"
    shutil.copyfile(sqlite_template, path)
    return f"sqlite+aiosqlite:///{path}"


def test_ten_thousand_random_updates(
    fuzz_database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    loop = asyncio.new_event_loop()
    bot = loop.run_until_complete(BotHarness.start(make_settings(fuzz_database)))
    tally = Tally()
    try:
        loop.run_until_complete(_seed(bot))
        seeded = loop.run_until_complete(_snapshot(bot))
        assert all(seeded[name] for name in ("users", "pain_ratings", "routine_sessions"))

        @settings(
            max_examples=max(1, UPDATES // BATCH),
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(st.lists(case_strategy, min_size=BATCH, max_size=BATCH))
        def run(batch: list[Case]) -> None:
            for case in batch:
                loop.run_until_complete(_run_case(bot, case, tally))

        run()
    finally:
        loop.run_until_complete(bot.stop())
        loop.close()
    with capsys.disabled():
        print(
            f"\nfuzz: {tally.updates} updates, unhandled exceptions {len(tally.unhandled)}, "
            f"unanswered {len(tally.unanswered)}, invalid input that changed rows "
            f"{len(tally.changed_by_invalid)}"
        )
        for line in (tally.unhandled + tally.unanswered + tally.changed_by_invalid)[:40]:
            print("  ", line[:300])
    assert tally.updates >= UPDATES
    assert tally.unhandled == []
    assert tally.unanswered == []
    assert tally.changed_by_invalid == []
