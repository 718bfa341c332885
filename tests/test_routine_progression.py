"""The routine adapts over days: doses step up after steady sessions and back down after a
pain rise; short routines rotate; /settings changes the length, timers and left-out ones."""

from __future__ import annotations

from content import Content
from storage.models import ExercisePreference, Hold, User
from tests.harness import BotHarness
from tests.reminder_flow import subscribe
from tests.routine_helpers import (
    ALICE,
    DONE,
    ROUTINE_ORDER,
    SET_DONE,
    SKIP,
    SKIP_PAIN,
    STOP,
    holds,
    keep_only,
    methods,
    plan_ids,
    preference,
    sessions,
    set_user,
    skip_through,
)


def _name(content: Content, exercise_id: str) -> str:
    exercise = content.exercise(exercise_id)
    assert exercise is not None
    return exercise.name


def _knees_now(content: Content, seconds: int) -> str:
    """The knees-to-chest card's "Now:" line for its first rep (left leg, 3 reps)."""
    exercise = content.exercise("knees_to_chest")
    assert exercise is not None
    side = content.t(
        "routine.where_side", side=content.t("routine.side_left"), side_word=exercise.side_word
    )
    where = f"{content.t('routine.where_rep', rep=1, reps=3)}, {side}"
    return content.t("routine.now_hold", where=where, seconds=seconds)


def _holds(content: Content, before: int, after: int) -> str:
    return content.t("routine.change_hold", before=before, after=after)


def _changes(content: Content, key: str, knees: tuple[int, int], bridge: tuple[int, int]) -> str:
    """The summary's "Next time:" block for knees to chest and the bridge."""
    lines = [content.t("routine.summary_changes")]
    for exercise_id, (before, after) in (("knees_to_chest", knees), ("glute_bridge", bridge)):
        what = _holds(content, before, after)
        lines.append(content.t(key, name=_name(content, exercise_id), what=what))
    return "\n".join(lines)


async def _day(bot: BotHarness, before: int, after: int) -> tuple[str, str, str]:
    """One routine of knees to chest and the bridge, timers off, each step given its time;
    returns the two exercise cards and the summary. Then a day passes."""
    await bot.send(ALICE, "/routine")
    calls = await bot.tap(ALICE, str(before))
    knees = calls[-1].text or ""
    for _ in range(6):
        await bot.advance(seconds=30)
        calls = await bot.tap(ALICE, DONE)
    bridge = calls[-1].text or ""
    await bot.advance(seconds=60)
    await bot.tap(ALICE, SET_DONE)
    calls = await bot.tap(ALICE, str(after))
    await bot.advance(days=1)
    return knees, bridge, calls[-1].text or ""


async def test_progression_steps_up_after_three_steady_days_and_back_after_a_pain_rise(
    bot: BotHarness,
) -> None:
    await bot.send(ALICE, "/start")
    await set_user(bot, timers_enabled=False)
    await keep_only(bot, "knees_to_chest", "glute_bridge")

    t = bot.content.t
    levels = []
    for _ in range(2):
        knees, _, summary = await _day(bot, 4, 4)
        assert knees.endswith(_knees_now(bot.content, 20))
        assert t("routine.summary_changes") not in summary
        levels.append((await preference(bot, "knees_to_chest")).level)
    assert t("routine.summary_streak", days=2) in summary

    # Day 3: the third steady session in a row. Both exercises go up a step.
    _, _, summary = await _day(bot, 4, 3)
    assert summary.endswith(_changes(bot.content, "routine.summary_change_up", (20, 25), (3, 4)))
    knees_pref = await preference(bot, "knees_to_chest")
    assert (knees_pref.level, knees_pref.level_reason) == (1, "steady")

    # Day 4: the cards say what changed and why; the pain rises by 3 points.
    knees, bridge, summary = await _day(bot, 3, 6)
    assert knees.endswith(
        _knees_now(bot.content, 25)
        + "\n"
        + t("routine.change_up", what=_holds(bot.content, 20, 25))
    )
    assert bridge.endswith(
        t("routine.now_reps_once", reps=8, seconds=4)
        + "\n"
        + t("routine.change_up", what=_holds(bot.content, 3, 4))
    )
    assert t("routine.summary_pain", before=3, after=6) in summary
    assert _changes(bot.content, "routine.summary_change_down", (25, 20), (4, 3)) in summary
    assert summary.endswith(bot.content.t("pain.ease_off").strip())
    day4 = (await sessions(bot))[3]
    assert {h.target_seconds for h in await holds(bot, Hold.session_id == day4.id)} == {25, 4}

    # Day 5: a step easier, and the card says so once.
    knees, _, summary = await _day(bot, 3, 3)
    assert knees.endswith(
        _knees_now(bot.content, 20)
        + "\n"
        + t("routine.change_down_pain", what=_holds(bot.content, 25, 20))
    )
    knees, _, _ = await _day(bot, 3, 3)
    assert knees.endswith(_knees_now(bot.content, 20))

    # Day 7: three steady sessions since the step down: up again.
    _, _, summary = await _day(bot, 3, 2)
    knees_up = t(
        "routine.summary_change_up",
        name=_name(bot.content, "knees_to_chest"),
        what=_holds(bot.content, 20, 25),
    )
    assert knees_up in summary
    levels += [
        (await preference(bot, "knees_to_chest")).level,
    ]
    assert levels == [0, 0, 1]
    assert t("routine.summary_streak", days=7) in summary


async def test_a_partly_done_exercise_does_not_count_towards_a_step_up(bot: BotHarness) -> None:
    await bot.send(ALICE, "/start")
    await set_user(bot, timers_enabled=False)
    await keep_only(bot, "childs_pose")
    for day in range(3):
        await bot.send(ALICE, "/routine")
        await bot.tap(ALICE, SKIP_PAIN)
        if day == 1:
            await bot.tap(ALICE, SKIP)
        else:
            await bot.tap(ALICE, DONE)
        await bot.tap(ALICE, SKIP_PAIN)
        await bot.advance(days=1)
    assert (await preference(bot, "childs_pose")).level == 0


async def test_short_routines_rotate_through_the_exercises(bot: BotHarness) -> None:
    await bot.send(ALICE, "/start")
    await set_user(bot, routine_length="short")
    rounds = []
    for day in range(4):
        await bot.send(ALICE, "/routine")
        calls = await bot.tap(ALICE, SKIP_PAIN)
        first_card = calls[-1].text or ""
        if day == 1:
            # A routine stopped half-way does not move the rotation on.
            await bot.tap(ALICE, STOP)
            await bot.send(ALICE, "/routine")
            calls = await bot.tap(ALICE, SKIP_PAIN)
            assert calls[-1].text == first_card
        await skip_through(bot)
        await bot.tap(ALICE, SKIP_PAIN)
        rounds.append(await plan_ids(bot, (await sessions(bot))[-1]))
        if day == 0:
            header = bot.content.t(
                "routine.header", number=1, total=2, name=_name(bot.content, "pelvic_tilt")
            )
            assert first_card.startswith(header + "\n")
        await bot.advance(days=1)

    assert rounds == [
        ["pelvic_tilt", "knees_to_chest"],
        ["glute_bridge", "seated_pigeon", "seated_twist", "childs_pose"],
        ["pelvic_tilt", "standing_hamstring"],
        ["knees_to_chest", "glute_bridge", "seated_pigeon"],
    ]
    assert [routine.kind for routine in await sessions(bot)] == ["short"] * 5


def _settings_text(content: Content, length: str, timers: str, excluded: str) -> str:
    pictures = content.t("routine.settings_pictures_on")
    return content.t(
        "routine.settings", length=length, timers=timers, pictures=pictures, excluded=excluded
    )


async def test_the_routine_settings_section(bot: BotHarness) -> None:
    t = bot.content.t
    full, short = t("routine.settings_button_full"), t("routine.settings_button_short")
    timers_off, timers_on = (
        t("routine.settings_button_timers_off"),
        t("routine.settings_button_timers_on"),
    )
    pictures_off = t("routine.settings_button_pictures_off")
    hands_free_on = t("routine.settings_button_hands_free_on")  # timers on: the mode to choose

    def selected(label: str) -> str:
        return t("routine.settings_selected", label=label)

    await subscribe(bot, ALICE)
    await bot.send(ALICE, "/settings")
    settings = bot.message_with_button(ALICE, t("remind.btn_routine"))

    calls = await bot.tap(ALICE, t("remind.btn_routine"))

    # In place of the /settings message, like every settings screen, with a way back.
    assert methods(calls) == ["answerCallbackQuery", "editMessageText"]
    assert calls[1].params["message_id"] == settings.message_id
    assert calls[1].text == _settings_text(
        bot.content,
        t("routine.settings_full", count=7, minutes=12),
        t("routine.settings_timers_on"),
        t("routine.settings_none"),
    )
    back = [t("remind.btn_back")]
    assert calls[1].buttons == [
        [selected(full), short],
        [timers_off, pictures_off],
        [hands_free_on],
        back,
    ]
    screen = bot.message_with_button(ALICE, short)

    calls = await bot.tap(ALICE, short)

    assert methods(calls) == ["answerCallbackQuery", "editMessageText"]
    assert calls[1].params["message_id"] == screen.message_id
    assert t("routine.settings_short", minutes=5) in (calls[1].text or "")
    assert calls[1].buttons == [
        [full, selected(short)],
        [timers_off, pictures_off],
        [hands_free_on],
        back,
    ]

    calls = await bot.tap(ALICE, timers_off)
    assert t("routine.settings_timers_off") in (calls[1].text or "")
    assert calls[1].buttons == [[full, selected(short)], [timers_on, pictures_off], back]
    [user] = await bot.rows(User)
    assert (user.routine_length, user.timers_enabled) == ("short", False)

    # Exercises left out are listed, and can be brought back.
    async with bot.session() as session:
        for exercise_id in ("glute_bridge", "pelvic_tilt"):
            session.add(ExercisePreference(user_id=ALICE, exercise_id=exercise_id, excluded=True))
        await session.commit()
    bridge, tilt = _name(bot.content, "glute_bridge"), _name(bot.content, "pelvic_tilt")
    await bot.tap(ALICE, full)
    calls = await bot.tap(ALICE, timers_on)
    assert calls[1].text == _settings_text(
        bot.content,
        t("routine.settings_full", count=5, minutes=10),
        t("routine.settings_timers_on"),
        f"{tilt}, {bridge}",
    )
    bring_back = [t("routine.settings_button_bring_back", name=name) for name in (tilt, bridge)]
    assert calls[1].buttons == [
        [selected(full), short],
        [timers_off, pictures_off],
        [hands_free_on],
        [bring_back[0]],
        [bring_back[1]],
        back,
    ]

    calls = await bot.tap(ALICE, bring_back[1])  # the bridge

    assert (calls[1].text or "").endswith(_settings_text(bot.content, "", "", tilt).split("\n")[-1])
    assert (await preference(bot, "glute_bridge")).excluded is False
    await bot.send(ALICE, "/routine")
    await bot.tap(ALICE, SKIP_PAIN)
    [routine] = await sessions(bot)
    assert await plan_ids(bot, routine) == list(ROUTINE_ORDER[1:])  # all but the tilt
