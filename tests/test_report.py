"""The clinician report: figures gathered from a seeded database, printed on one A4 page."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from pypdf import PdfReader
from sqlalchemy import func, select, update

from bot.domain.progress import Rating, period_start
from bot.domain.progression import LevelChange, dose_at
from bot.domain.routine import Plan, plan_item
from bot.domain.statuses import HoldOutcome
from bot.features.progress.views import one_decimal
from bot.features.report.pdf import render_report
from bot.features.report.words import day_text, dose_text, exercise_row
from bot.services.report import ReportData, ScreeningEvent, gather_report
from bot.services.report.data import weekly_figures
from content import Exercise
from storage.models import ExercisePreference, Hold, PainRating, ReminderDelivery, RoutineSession
from tests.harness import BotHarness
from tests.progress_fixtures import add_routine, local, rate, set_zone

USER = 190_000_001
OTHER = 190_000_002
BERLIN = ZoneInfo("Europe/Berlin")
NOTE = "after gardening with Oma"


def _text(pdf: bytes) -> str:
    """The page's text with runs of whitespace made single spaces (lines wrap anywhere)."""
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(reader.pages[0].extract_text().split())


def _flat(value: str) -> str:
    return " ".join(value.split())


async def _seed(bot: BotHarness) -> date:
    """Ten days: routines on days 0-1 and 5-9 (streaks 5 now, 5 best), ratings, a note,
    a hurt, a skip, one exercise left out, two reminders (one followed by a routine)."""
    subscription = await set_zone(bot, USER, "Europe/Berlin")
    today = bot.clock.now().astimezone(BERLIN).date()
    first = today - timedelta(days=9)
    routine_ids: dict[int, int] = {}
    for offset in (0, 1, 5, 6, 7, 8, 9):
        day = first + timedelta(days=offset)
        if day == today and local(day, 9) > bot.clock.now():
            day_time = bot.clock.now() - timedelta(minutes=1)
        else:
            day_time = local(day, 9)
        before, after = 6 - offset // 3, 5 - offset // 3 + (1 if offset == 7 else 0)
        routine_ids[offset] = await add_routine(
            bot, USER, day_time, pain_before=before, pain_after=after, holds=2
        )
        await rate(bot, USER, before, day_time - timedelta(minutes=11), "before")
        await rate(bot, USER, after, day_time, "after")
    await rate(bot, USER, 8, local(first + timedelta(days=3), 20), note=NOTE)
    await rate(bot, USER, 7, local(first - timedelta(days=2), 20))  # before the period
    await rate(bot, OTHER, 10, local(today, 7))  # someone else
    async with bot.session() as session:
        # The shared fixture marks its holds "done"; the routine writes "completed".
        await session.execute(
            update(Hold).where(Hold.user_id == USER).values(outcome=HoldOutcome.COMPLETED)
        )
        for offset, outcome in ((6, "hurt"), (7, "skipped")):
            routine = await session.get(RoutineSession, routine_ids[offset])
            assert routine is not None
            session.add(
                Hold(
                    session_id=routine.id,
                    user_id=USER,
                    exercise_id="seated_pigeon",
                    rep=1,
                    set_no=1,
                    target_seconds=30,
                    outcome=outcome,
                    started_at=routine.started_at + timedelta(minutes=5),
                    ended_at=routine.started_at + timedelta(minutes=5),
                )
            )
        session.add(ExercisePreference(user_id=USER, exercise_id="seated_pigeon", excluded=True))
        session.add(ExercisePreference(user_id=USER, exercise_id="knees_to_chest", level=2))
        for offset, linked in ((8, True), (2, False)):
            delivery = ReminderDelivery(
                subscription_id=subscription,
                user_id=USER,
                local_date=first + timedelta(days=offset),
                due_at=local(first + timedelta(days=offset), 8),
                claimed_at=local(first + timedelta(days=offset), 8),
                sent_at=local(first + timedelta(days=offset), 8),
                status="sent",
            )
            session.add(delivery)
            await session.flush()
            if linked:
                routine = await session.get(RoutineSession, routine_ids[offset])
                assert routine is not None
                routine.delivery_id = delivery.id
        await session.commit()
    return first


async def _report(bot: BotHarness, days: int = 10, **options: object) -> ReportData:
    values: dict[str, object] = {"include_notes": True, "name": None, "screenings": ()}
    values.update(options)
    async with bot.session() as session:
        return await gather_report(
            session,
            USER,
            days=days,
            now=bot.clock.now(),
            zone=BERLIN,
            zone_key="Europe/Berlin",
            exercises=bot.content.exercises,
            **values,  # type: ignore[arg-type]
        )


async def test_one_a4_page_whose_figures_match_the_database(bot: BotHarness) -> None:
    first = await _seed(bot)
    data = await _report(bot)
    pdf = render_report(data, bot.content)

    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points

    since = datetime.combine(first, datetime.min.time(), tzinfo=BERLIN)
    async with bot.session() as session:
        where = (PainRating.user_id == USER, PainRating.rated_at >= since)
        average, lowest, highest, count = (
            await session.execute(
                select(
                    func.avg(PainRating.score),
                    func.min(PainRating.score),
                    func.max(PainRating.score),
                    func.count(),
                ).where(*where)
            )
        ).one()
        pairs = (
            await session.execute(
                select(
                    func.avg(RoutineSession.pain_before),
                    func.avg(RoutineSession.pain_after),
                    func.count(),
                ).where(RoutineSession.user_id == USER, RoutineSession.pain_after.is_not(None))
            )
        ).one()
    summary = data.summary
    assert (summary.ratings, summary.lowest, summary.highest) == (count, lowest, highest)
    assert summary.average is not None
    assert abs(summary.average - float(average)) < 1e-9
    assert (summary.current_streak, summary.best_streak, summary.routine_days) == (5, 5, 7)
    assert data.pairs.pairs == pairs[2] == 7
    assert data.pairs.before_average is not None
    assert abs(data.pairs.before_average - float(pairs[0])) < 1e-9
    assert (data.pairs.lower, data.pairs.same, data.pairs.higher) == (6, 1, 0)
    assert (data.reminders.sent, data.reminders.routine_started) == (2, 1)

    text = _text(pdf)
    t = bot.content.t
    assert f"{t('report.tile_average')} {one_decimal(float(average))}" in text
    assert f"{t('report.tile_lowest')} {lowest}" in text
    assert f"{t('report.tile_highest')} {highest}" in text
    period = t(
        "report.period",
        start=day_text(first, year=True),
        end=day_text(first + timedelta(days=9), year=True),
        days=10,
    )
    assert _flat(period) in text
    assert (
        _flat(
            t(
                "report.adherence",
                done=7,
                days=10,
                percent=70,
                current="5 days",
                best="5 days",
                started=7,
                completed=7,
            )
        )
        in text
    )
    assert _flat(t("report.reminders", sent=2, routine=1, skipped=0)) in text
    assert t("report.about_heading") in text


async def test_exercises_done_hurt_left_out_and_current_dose(bot: BotHarness) -> None:
    first = await _seed(bot)
    data = await _report(bot)
    lines = {line.exercise_id: line for line in data.exercises}
    assert [line.exercise_id for line in data.exercises] == [
        exercise.id for exercise in bot.content.exercises
    ]
    pigeon = lines["seated_pigeon"]
    assert pigeon.excluded
    assert pigeon.hurt_days == (first + timedelta(days=6),)
    assert (pigeon.sessions_done, pigeon.sessions_skipped) == (0, 1)
    knees = lines["knees_to_chest"]
    assert knees.sessions_done == 7  # every seeded routine has two finished holds of it
    exercise = bot.content.exercise("knees_to_chest")
    assert exercise is not None
    assert knees.dose == dose_at(exercise, 2)
    text = _text(render_report(data, bot.content))
    assert _flat(" ".join(exercise_row(bot.content, knees))) in text
    assert dose_text(bot.content, knees) in text
    day = first + timedelta(days=6)
    assert (
        _flat(
            bot.content.t(
                "report.left_out_after_hurt", name=pigeon.name, day=f"{day.day} {day:%b %Y}"
            )
        )
        in text
    )


async def test_a_dose_change_counts_once_however_many_plans_carry_it(bot: BotHarness) -> None:
    await set_zone(bot, USER, "Europe/Berlin")
    exercise = bot.content.exercise("glute_bridge")
    assert exercise is not None
    easier = plan_item(exercise, 0)
    shown = Plan("full", (plan_item(exercise, 0, change=_change(exercise)),))
    now = bot.clock.now()
    async with bot.session() as session:
        for hours, plan in ((30, shown), (20, shown), (10, Plan("full", (easier,)))):
            at = now - timedelta(hours=hours)
            session.add(
                RoutineSession(
                    user_id=USER,
                    chat_id=USER,
                    kind="full",
                    status="stopped",
                    plan=plan.to_json(),
                    cursor={},
                    step_no=0,
                    started_at=at,
                    updated_at=at,
                )
            )
        await session.commit()
    lines = {line.exercise_id: line for line in (await _report(bot, days=7)).exercises}
    assert (lines["glute_bridge"].easier, lines["glute_bridge"].harder) == (1, 0)


def _change(exercise: Exercise) -> LevelChange:
    """A step down from level 1 after "It hurts", as a plan records it."""
    return LevelChange(exercise.id, 1, 0, "hurt", dose_at(exercise, 1), dose_at(exercise, 0))


async def test_notes_print_only_when_the_user_keeps_them(bot: BotHarness) -> None:
    await _seed(bot)
    with_notes = _text(render_report(await _report(bot, include_notes=True), bot.content))
    without = _text(render_report(await _report(bot, include_notes=False), bot.content))
    assert NOTE in with_notes
    assert NOTE not in without
    assert bot.content.t("report.notes_left_out") in without


async def test_umlauts_and_cyrillic_in_the_name_print_with_embedded_fonts(
    bot: BotHarness,
) -> None:
    await _seed(bot)
    name = "Jürgen Größe-Öztürk, Юлия"
    pdf = render_report(await _report(bot, name=name), bot.content)
    assert _flat(bot.content.t("report.name", name=name)) in _text(pdf)
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    fonts = page["/Resources"]["/Font"]
    for ref in fonts.values():
        font = ref.get_object()
        descendant = (
            font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
        )
        assert "/FontFile2" in descendant["/FontDescriptor"].get_object()  # TrueType, embedded


async def test_screenings_in_the_period_print_with_their_signs(bot: BotHarness) -> None:
    await _seed(bot)
    now = bot.clock.now()
    events = (
        ScreeningEvent(now - timedelta(days=40), "emergency", ("bladder_bowel",)),
        ScreeningEvent(now - timedelta(days=3), "urgent", ("other_warning", "both_legs")),
        ScreeningEvent(now - timedelta(days=1), "clear", ()),
    )
    data = await _report(bot, screenings=events)
    assert [event.tier for event in data.screenings] == ["urgent", "clear"]
    text = _text(render_report(data, bot.content))
    t = bot.content.t
    assert t("report.sign.other_warning") in text
    assert t("report.sign.both_legs") in text
    assert t("report.sign.bladder_bowel") not in text
    assert t("report.screening_no_signs") in text


async def test_an_empty_history_still_makes_one_readable_page(bot: BotHarness) -> None:
    await set_zone(bot, USER, "Europe/Berlin")
    data = await _report(bot, days=30)
    pdf = render_report(data, bot.content)
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
    text = _text(pdf)
    t = bot.content.t
    assert t("report.pairs_none") in text
    assert t("report.screening_none") in text
    assert t("report.notes_none") in text
    assert t("report.reminders_none") in text


def test_weeks_count_back_from_the_last_day() -> None:
    end = date(2026, 6, 1)
    start = period_start(end, 10)
    ratings = [Rating(start, 8), Rating(end - timedelta(days=6), 4), Rating(end, 2)]
    weeks = weekly_figures(ratings, start, end)
    assert [(week.start, week.end) for week in weeks] == [
        (start, end - timedelta(days=7)),
        (end - timedelta(days=6), end),
    ]
    assert [(week.average, week.ratings) for week in weeks] == [(8.0, 1), (3.0, 2)]


def test_the_benchmark_runs_at_a_tiny_size_and_makes_one_page() -> None:
    from bench import bench_report

    result = bench_report.main(["--days", "7", "--runs", "1"])
    assert result.pages == 1
    assert result.routines > 0
    assert len(result.total) == 2  # the cold run and one warm run
