"""Small helpers shared by the routine tests: reading the calls, driving common steps."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from bot.entry.fake_records import ApiCall
from storage.models import ExercisePreference, Hold, RoutineSession, User
from tests.harness import BotHarness, catalog
from tests.progress_fixtures import add_user

ALICE = 111_111_111_111
BOB = 222_222_222

_t = catalog().t
START_HOLD = _t("routine.button_start_hold")
START_SET = _t("routine.button_start_set")
FINISH = _t("routine.button_finish")
DONE = _t("routine.button_done")
SET_DONE = _t("routine.button_set_done")
SKIP = _t("routine.button_skip")
HURTS = _t("routine.button_hurts")
STOP = _t("routine.button_stop")
SKIP_PAIN = _t("routine.pain_skip")
LEAVE_OUT = _t("routine.button_leave_out")

READY_BUTTONS = [[START_HOLD], [SKIP, HURTS], [STOP]]
READY_SET_BUTTONS = [[START_SET], [SKIP, HURTS], [STOP]]
HOLDING_BUTTONS = [[FINISH], [HURTS]]
PAIN_BUTTONS = [["0", "1", "2", "3", "4", "5"], ["6", "7", "8", "9", "10"], [SKIP_PAIN]]


RESUME = _t("routine.button_resume")
RESTART = _t("routine.button_restart")
OFFER_BUTTONS = [[RESUME, RESTART]]


# --- the routine's texts, built from the catalog as the views build them -------------------


def exercise_name(exercise_id: str) -> str:
    exercise = catalog().exercise(exercise_id)
    assert exercise is not None, exercise_id
    return exercise.name


def where(
    exercise_id: str, *, rep: int | None = None, reps: int = 0, side: str | None = None
) -> str:
    """ "rep 1 of 3, left leg" (``side``: "left" or "right")."""
    parts = []
    if rep is not None:
        parts.append(_t("routine.where_rep", rep=rep, reps=reps))
    if side is not None:
        side_word = catalog().exercise(exercise_id).side_word  # type: ignore[union-attr]
        parts.append(_t("routine.where_side", side=_t(f"routine.side_{side}"), side_word=side_word))
    return ", ".join(parts)


def title(exercise_id: str, **position: object) -> str:
    """ "Knees to chest: rep 1 of 3, left leg"; just the name with no position."""
    here = where(exercise_id, **position)  # type: ignore[arg-type]
    name = exercise_name(exercise_id)
    return _t("routine.title", name=name, where=here) if here else name


def closed(title_text: str, result: str, **values: object) -> str:
    """A finished step's message: its title, then how it ended (``routine.closed_<result>``)."""
    return f"{title_text}\n\n{_t(f'routine.closed_{result}', **values)}"


def next_step(
    exercise_id: str,
    seconds: int,
    *,
    lead: str | None = None,
    lead_seconds: int = 0,
    **position: object,
) -> str:
    """The short message for the next hold of the same exercise, after ``routine.lead_<lead>``."""
    step = _t(
        "routine.step",
        where=where(exercise_id, **position),  # type: ignore[arg-type]
        name=exercise_name(exercise_id),
        seconds=seconds,
    )
    return step if lead is None else f"{_t(f'routine.lead_{lead}', seconds=lead_seconds)} {step}"


def header(number: int, total: int, exercise_id: str) -> str:
    return _t("routine.header", number=number, total=total, name=exercise_name(exercise_id))


def led(lead: str, body: str, **values: object) -> str:
    """A new exercise's card after ``routine.lead_<lead>``, a paragraph apart."""
    return f"{_t(f'routine.lead_{lead}', **values)}\n\n{body}"


def names(*exercise_ids: str) -> str:
    return ", ".join(exercise_name(exercise_id) for exercise_id in exercise_ids)


# What a tap on a routine button sends, in order (compare with ``methods(calls)``).
TAP_CLOSES_AND_SENDS = ["answerCallbackQuery", "editMessageText", "sendMessage"]
"""The card closed in place, the next step as a new message."""
HURT_TAP = [*TAP_CLOSES_AND_SENDS, "sendMessage"]
"""The card closed, the "it hurts" advice, then the next step."""
OFFER_TAP = ["answerCallbackQuery", "editMessageReplyMarkup", "editMessageText", "sendMessage"]
"""Continue or start again: the offer's buttons go, the old card closes, a new message."""


async def only_hold(bot: BotHarness) -> tuple[str, int | None]:
    """(outcome, seconds held) of the one hold row there is."""
    [hold] = await holds(bot)
    return hold.outcome, hold.actual_seconds


def methods(calls: Sequence[ApiCall]) -> list[str]:
    return [call.method for call in calls]


def bar(done: int, total: int) -> str:
    filled = round(10 * done / total)
    return "▰" * filled + "▱" * (10 - filled)


def countdown(title: str, remaining: int, total: int) -> str:
    return _t(
        "routine.countdown", title=title, remaining=remaining, bar=bar(total - remaining, total)
    )


async def holds(bot: BotHarness, *where: object) -> list[Hold]:
    async with bot.session() as session:
        rows = await session.scalars(select(Hold).where(*where).order_by(Hold.id))  # type: ignore[arg-type]
        return list(rows)


async def sessions(bot: BotHarness, user_id: int = ALICE) -> list[RoutineSession]:
    async with bot.session() as session:
        rows = await session.scalars(
            select(RoutineSession)
            .where(RoutineSession.user_id == user_id)
            .order_by(RoutineSession.id)
        )
        return list(rows)


async def plan_ids(bot: BotHarness, routine: RoutineSession) -> list[str]:
    return [item["exercise"] for item in routine.plan["items"]]


async def set_user(bot: BotHarness, user_id: int = ALICE, **values: object) -> None:
    """Arrange: the user exists (as after /start) with these column values."""
    async with bot.session() as session:
        user = await session.get(User, user_id)
        assert user is not None, "send /start first"
        for name, value in values.items():
            setattr(user, name, value)
        await session.commit()


ROUTINE_ORDER = (
    "pelvic_tilt",
    "knees_to_chest",
    "glute_bridge",
    "seated_pigeon",
    "seated_twist",
    "childs_pose",
    "standing_hamstring",
)
"""The seven in routine order: floor, sitting, kneeling, standing, the pelvic tilt first as
a warm-up."""

WARM_UP = "pelvic_tilt"
"""The routine's first exercise (sets of reps); tests about holds leave it out."""


async def keep_only(bot: BotHarness, *exercise_ids: str, user_id: int = ALICE) -> None:
    """Arrange: every other exercise left out of the user's routine (the user row made if
    needed, so this can come before the first /routine; levels already set are kept)."""
    await _set_excluded(
        bot, {e.id: e.id not in exercise_ids for e in bot.content.exercises}, user_id
    )


async def leave_out_warm_up(bot: BotHarness, user_id: int = ALICE) -> None:
    """Arrange: the routine starts at knees to chest (a per-side hold), six exercises in all."""
    await _set_excluded(bot, {WARM_UP: True}, user_id)


async def _set_excluded(bot: BotHarness, excluded: dict[str, bool], user_id: int) -> None:
    await add_user(bot, user_id)
    async with bot.session() as session:
        for exercise_id, leave_out in excluded.items():
            row = await session.get(ExercisePreference, (user_id, exercise_id))
            if row is None:
                row = ExercisePreference(user_id=user_id, exercise_id=exercise_id, level=0)
                session.add(row)
            row.excluded = leave_out
        await session.commit()


async def preference(bot: BotHarness, exercise_id: str, user_id: int = ALICE) -> ExercisePreference:
    async with bot.session() as session:
        row = await session.get(ExercisePreference, (user_id, exercise_id))
        assert row is not None
        return row


async def begin(bot: BotHarness, user_id: int = ALICE, *, without_warm_up: bool = True) -> None:
    """/routine and skip the pain question: the first card is showing.

    These tests are about holds, so the routine starts at knees to chest (a per-side hold):
    the warm-up before it (the pelvic tilt, sets of reps) is left out, six exercises remain.
    """
    if without_warm_up:
        await leave_out_warm_up(bot, user_id)
    await bot.send(user_id, "/routine")
    await bot.tap(user_id, SKIP_PAIN)


def timer_jobs(bot: BotHarness) -> list[str]:
    assert bot.app.job_queue is not None
    return [str(job.name) for job in bot.app.job_queue.jobs() if str(job.name).startswith("hold:")]


async def skip_through(bot: BotHarness, user_id: int = ALICE) -> None:
    """Skip every remaining exercise until the pain question after the routine."""
    while True:
        newest = max(bot.fake.messages[user_id].values(), key=lambda m: m.message_id)
        labels = [
            str(button["text"])
            for row in (newest.reply_markup or {}).get("inline_keyboard", [])
            for button in row
        ]
        if SKIP not in labels:
            return
        await bot.tap(user_id, SKIP)
