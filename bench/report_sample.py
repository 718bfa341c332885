"""A synthetic history, for the sample report in ``docs/`` and for the benchmark.

``python -m bench.report_sample docs/`` writes ``docs/report-sample.pdf`` (and a PNG of
it, when poppler's ``pdftoppm`` is installed) from a fresh SQLite database. The rows are
written the way the routine feature writes them: plans with doses from the content, one hold
row per step, pain ratings tied to their session, and dose changes by the progression rule.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import shutil
import subprocess
import tempfile
from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.pain import rose_meaningfully
from bot.domain.progression import LevelChange, Occurrence, decide_level
from bot.domain.routine import Plan, plan_item
from bot.features.report.pdf import render_report
from bot.services.report.data import ReportData, ScreeningEvent, gather_report
from content import Content, Exercise, load_content
from storage.db import create_engine, create_sessionmaker
from storage.migrate import upgrade
from storage.models import (
    ExercisePreference,
    Hold,
    PainRating,
    ReminderDelivery,
    RoutineSession,
    Subscription,
)
from storage.users import upsert_user

SAMPLE_USER = 4_200_000_001
SAMPLE_NAME = "Jürgen Müller-Lüdenscheidt"
SAMPLE_ZONE = "Europe/Berlin"
SAMPLE_NOW = datetime(2026, 6, 1, 17, 30, tzinfo=UTC)
LEFT_OUT = "seated_pigeon"
NOTES = (
    "after a long drive to my sister's",
    "stiff in the morning, eased by lunch",
    "walked 40 minutes, leg felt fine",
    "sat through a three-hour meeting",
    "slept badly, pillow between the knees helped",
    "Gartenarbeit, danach etwas Ziehen im Bein",
)


async def seed_history(
    session: AsyncSession,
    exercises: Sequence[Exercise],
    *,
    user_id: int = SAMPLE_USER,
    now: datetime = SAMPLE_NOW,
    days: int = 90,
    seed: int = 19,
) -> None:
    """``days`` days of routines, prompts and ratings ending at ``now``; commits."""
    rng = random.Random(seed)
    zone = ZoneInfo(SAMPLE_ZONE)
    first = now.astimezone(zone).date() - timedelta(days=days - 1)
    start = datetime.combine(first, time(0), tzinfo=zone).astimezone(UTC)
    await upsert_user(session, user_id=user_id, chat_id=user_id, language_code="en", now=start)
    subscription = Subscription(
        user_id=user_id,
        chat_id=user_id,
        local_time=time(8),
        timezone=SAMPLE_ZONE,
        status="active",
        created_at=start,
        updated_at=start,
    )
    session.add(subscription)
    await session.flush()
    levels: dict[str, int] = defaultdict(int)
    pending: dict[str, LevelChange] = {}
    since_change: dict[str, list[Occurrence]] = defaultdict(list)
    changed_at: dict[str, datetime] = {}
    last_change: dict[str, LevelChange] = {}
    excluded: set[str] = set()
    for offset in range(days):
        day = first + timedelta(days=offset)
        level = 7.5 - 4.0 * offset / days
        due = datetime.combine(day, time(8), tzinfo=zone).astimezone(UTC)
        if due > now:
            break
        delivery = ReminderDelivery(
            subscription_id=subscription.id,
            user_id=user_id,
            local_date=day,
            due_at=due,
            claimed_at=due,
            sent_at=due,
            status="skipped" if rng.random() < 0.08 else "sent",
        )
        session.add(delivery)
        await session.flush()
        if rng.random() < 0.4:
            score = round(min(10, max(0, level + rng.uniform(-1.5, 1.5))))
            note = rng.choice(NOTES) if rng.random() < 0.3 else None
            at = due + timedelta(hours=rng.randint(3, 12))
            if at <= now:
                session.add(
                    PainRating(user_id=user_id, score=score, context="any", note=note, rated_at=at)
                )
        if delivery.status == "skipped" or rng.random() > 0.78:
            continue
        began = due + timedelta(minutes=rng.randint(2, 90))
        if began + timedelta(minutes=20) > now:
            continue
        chosen = [e for e in exercises if e.id not in excluded]
        plan = Plan(
            "full", tuple(plan_item(e, levels[e.id], pending.pop(e.id, None)) for e in chosen)
        )
        before = round(min(10, max(0, level + rng.uniform(-1, 1))))
        after = max(0, min(10, before + rng.choice((-2, -1, -1, -1, -1, 0, 0, 0, 1))))
        routine = RoutineSession(
            user_id=user_id,
            chat_id=user_id,
            delivery_id=delivery.id if rng.random() < 0.85 else None,
            kind="full",
            status="completed",
            plan=plan.to_json(),
            cursor={"phase": "done"},
            step_no=0,
            pain_before=before,
            pain_after=after,
            started_at=began,
            updated_at=began,
            finished_at=None,
        )
        session.add(routine)
        await session.flush()
        session.add(
            PainRating(
                user_id=user_id,
                session_id=routine.id,
                score=before,
                context="before",
                rated_at=began,
            )
        )
        clock = began + timedelta(seconds=30)
        for item in plan.items:
            roll = rng.random()
            outcome = "hurt" if roll < 0.012 else "skipped" if roll < 0.04 else "completed"
            if item.exercise_id == LEFT_OUT and offset >= days // 2:
                outcome = "hurt"  # then left out, as "It hurts" offers
            steps = 1 if outcome != "completed" else item.steps
            for step in range(steps):
                session.add(
                    Hold(
                        session_id=routine.id,
                        user_id=user_id,
                        exercise_id=item.exercise_id,
                        side=item.sides[step % len(item.sides)],
                        rep=1 + step // len(item.sides),
                        set_no=1,
                        target_seconds=item.dose.hold_seconds,
                        target_reps=item.dose.reps if item.mode == "reps" else None,
                        actual_seconds=item.dose.hold_seconds,
                        outcome=outcome,
                        started_at=clock,
                        ends_at=clock + timedelta(seconds=item.dose.hold_seconds),
                        ended_at=clock + timedelta(seconds=item.dose.hold_seconds),
                    )
                )
                clock += timedelta(seconds=item.dose.hold_seconds + 8)
            occurrence = Occurrence(
                done_any=outcome == "completed",
                completed=outcome == "completed",
                pain_rose=rose_meaningfully(before, after),
                hurt=outcome == "hurt",
            )
            exercise = next(e for e in exercises if e.id == item.exercise_id)
            since_change[item.exercise_id].append(occurrence)
            change = decide_level(
                exercise, levels[item.exercise_id], since_change[item.exercise_id]
            )
            if change is not None:
                levels[item.exercise_id] = change.new_level
                pending[item.exercise_id] = change
                since_change[item.exercise_id] = []
                changed_at[item.exercise_id] = clock
                last_change[item.exercise_id] = change
            if item.exercise_id == LEFT_OUT and outcome == "hurt" and offset >= days // 2:
                excluded.add(LEFT_OUT)
        routine.finished_at = clock + timedelta(seconds=20)
        routine.updated_at = routine.finished_at
        session.add(
            PainRating(
                user_id=user_id,
                session_id=routine.id,
                score=after,
                context="after",
                rated_at=routine.finished_at,
            )
        )
    for exercise in exercises:
        session.add(
            ExercisePreference(
                user_id=user_id,
                exercise_id=exercise.id,
                excluded=exercise.id in excluded,
                level=levels[exercise.id],
                level_changed_at=changed_at.get(exercise.id),
                level_reason=last_change[exercise.id].reason
                if exercise.id in last_change
                else None,
            )
        )
    await session.commit()


def sample_screenings(now: datetime = SAMPLE_NOW, days: int = 90) -> tuple[ScreeningEvent, ...]:
    """Two screenings: at the start, all clear; a month ago, one warning sign (a fever)."""
    return (
        ScreeningEvent(now - timedelta(days=days - 1, hours=8), "clear", ()),
        ScreeningEvent(now - timedelta(days=31, hours=2), "urgent", ("other_warning",)),
    )


async def sample_report(
    url: str, content: Content, *, days: int = 90, include_notes: bool = True
) -> ReportData:
    """Seed a fresh, migrated database at ``url`` and gather the sample user's report."""
    engine = create_engine(url)
    try:
        sessions = create_sessionmaker(engine)
        async with sessions() as session:
            await seed_history(session, content.exercises, days=days)
        async with sessions() as session:
            return await gather_sample(session, content, days=days, include_notes=include_notes)
    finally:
        await engine.dispose()


async def gather_sample(
    session: AsyncSession, content: Content, *, days: int, include_notes: bool = True
) -> ReportData:
    """The sample user's report over ``days`` days, from rows ``seed_history`` wrote."""
    return await gather_report(
        session,
        SAMPLE_USER,
        days=days,
        now=SAMPLE_NOW,
        zone=ZoneInfo(SAMPLE_ZONE),
        zone_key=SAMPLE_ZONE,
        include_notes=include_notes,
        name=SAMPLE_NAME,
        exercises=content.exercises,
        screenings=sample_screenings(days=days),
    )


def write_sample(folder: Path) -> list[Path]:
    """Write ``report-sample.pdf`` (and ``.png`` if pdftoppm is there) into ``folder``."""
    content = load_content()
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        url = f"sqlite+aiosqlite:///{Path(scratch) / 'sample.sqlite3'}"
        upgrade(url)
        data = asyncio.run(sample_report(url, content))
    pdf = folder / "report-sample.pdf"
    pdf.write_bytes(render_report(data, content))
    written = [pdf]
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is not None:
        # A fixed program and our own file names: no shell, nothing from a user.
        subprocess.run(  # noqa: S603
            [pdftoppm, "-png", "-r", "110", "-singlefile", str(pdf), str(pdf.with_suffix(""))],
            check=True,
        )
        written.append(pdf.with_suffix(".png"))
    return written


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.report_sample")
    parser.add_argument("folder", type=Path, help="where report-sample.pdf (and .png) go")
    for path in write_sample(parser.parse_args().folder):
        print(path)


if __name__ == "__main__":
    main()
