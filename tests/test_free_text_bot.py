"""Free text through the real Application (issue 17): an unsure reading's two choices, a
stretch that hurts (make it easier, leave it out, log the pain) and pain scores in words."""

from __future__ import annotations

from bot.entry.fake_records import ApiCall
from bot.plumbing.callbacks import Action, encode
from storage.models import ExercisePreference, PainRating
from tests.harness import BotHarness
from tests.question_helpers import answer_of, topic

ALICE = 111_111_111_111
BOB = 222_222_222


def title_of(bot: BotHarness, topic_id: str) -> str:
    return topic(bot, topic_id).title


def sent(calls: list[ApiCall]) -> list[tuple[str, list[list[str]]]]:
    return [(c.text or "", c.buttons) for c in calls if c.method == "sendMessage"]


async def ratings(bot: BotHarness) -> list[tuple[int, str | None]]:
    rows = await bot.rows(PainRating, PainRating.user_id == ALICE)
    return [(row.score, row.note) for row in sorted(rows, key=lambda r: r.id)]


async def pref(bot: BotHarness, exercise_id: str) -> ExercisePreference | None:
    async with bot.session() as session:
        return await session.get(ExercisePreference, (ALICE, exercise_id))


# --- unsure: two choices --------------------------------------------------------------------


async def test_an_unsure_reading_offers_both_choices_and_none_of_these(bot: BotHarness) -> None:
    reading = bot.runtime.library.read("should i go to the gym or walk")
    assert set(reading.choices) == {"activity_walking", "activity_gym"}  # the premise

    calls = await bot.send(ALICE, "should i go to the gym or walk")

    first, second = (title_of(bot, choice) for choice in reading.choices)  # likelier first
    gym = title_of(bot, "activity_gym")
    none = bot.content.t("questions.button.none_of_these")
    assert sent(calls) == [(bot.content.t("questions.unsure"), [[first], [second], [none]])]

    calls = await bot.tap(ALICE, gym)
    assert sent(calls) == [(answer_of(bot, "activity_gym"), [])]

    calls = await bot.tap(ALICE, none)
    [(text, buttons)] = sent(calls)
    assert text == bot.content.t("questions.menu")
    assert buttons[-1] == [bot.content.t("questions.button.topics")]
    assert len(buttons) == len(bot.content.exercises) + 1


# --- a stretch that hurts -------------------------------------------------------------------


async def test_a_named_stretch_that_hurts_gets_the_advice_and_three_buttons(
    bot: BotHarness,
) -> None:
    calls = await bot.send(ALICE, "the bridge makes my leg worse")

    t = bot.content.t
    assert sent(calls) == [
        (
            answer_of(bot, "exercise_hurts"),
            [
                [t("questions.hurts.button.easier", exercise="Glute bridge")],
                [t("questions.hurts.button.leave_out", exercise="Glute bridge")],
                [t("questions.hurts.button.log_pain")],
            ],
        )
    ]


async def test_make_it_easier_steps_the_dose_down_once(bot: BotHarness) -> None:
    await bot.send(ALICE, "pain 2")  # the user exists
    async with bot.session() as session:
        session.add(ExercisePreference(user_id=ALICE, exercise_id="glute_bridge", level=2))
        await session.commit()
    await bot.send(ALICE, "the bridge makes my leg worse")
    easier = bot.content.t("questions.hurts.button.easier", exercise="Glute bridge")
    button = bot.message_with_button(ALICE, easier)

    calls = await bot.tap(ALICE, easier)

    done = bot.content.t("questions.hurts.easier_done", exercise="Glute bridge")
    assert sent(calls) == [(done, [])]
    row = await pref(bot, "glute_bridge")
    assert row is not None
    assert (row.level, row.level_reason, row.excluded) == (1, "hurt", False)
    assert row.level_changed_at == bot.runtime.clock.now()

    # The same button again (a double tap): nothing more changes, nothing more is said.
    calls = await bot.tap_data(
        ALICE, button.message_id, encode(Action.HURT_EASIER, "glute_bridge", 2)
    )
    assert sent(calls) == []
    row = await pref(bot, "glute_bridge")
    assert row is not None
    assert row.level == 1


async def test_at_its_gentlest_a_stretch_cannot_get_easier(bot: BotHarness) -> None:
    await bot.send(ALICE, "the bridge makes my leg worse")

    calls = await bot.tap(
        ALICE, bot.content.t("questions.hurts.button.easier", exercise="Glute bridge")
    )

    text = bot.content.t("questions.hurts.already_easiest", exercise="Glute bridge")
    assert sent(calls) == [(text, [])]
    row = await pref(bot, "glute_bridge")
    assert row is None or row.level == 0


async def test_leave_it_out_takes_it_out_of_the_routine(bot: BotHarness) -> None:
    await bot.send(ALICE, "the twist hurts my back")

    calls = await bot.tap(
        ALICE, bot.content.t("questions.hurts.button.leave_out", exercise="Seated twist")
    )

    text = bot.content.t("questions.hurts.left_out_done", exercise="Seated twist")
    assert sent(calls) == [(text, [])]
    row = await pref(bot, "seated_twist")
    assert row is not None
    assert row.excluded is True
    other = await pref(bot, "glute_bridge")
    assert other is None or other.excluded is False


async def test_log_my_pain_opens_the_pain_keyboard(bot: BotHarness) -> None:
    await bot.send(ALICE, "the bridge makes my leg worse")

    calls = await bot.tap(ALICE, bot.content.t("questions.hurts.button.log_pain"))

    [(text, buttons)] = sent(calls)
    assert text == bot.content.t("pain.ask")
    assert buttons[0][0] == "0"
    await bot.tap(ALICE, "5")
    assert await ratings(bot) == [(5, None)]


async def test_no_stretch_named_asks_which_with_the_seven(bot: BotHarness) -> None:
    calls = await bot.send(ALICE, "this exercise makes it worse")

    names = [[exercise.name] for exercise in bot.content.exercises]
    log_pain = [bot.content.t("questions.hurts.button.log_pain")]
    assert sent(calls) == [
        (answer_of(bot, "exercise_hurts"), []),
        (bot.content.t("questions.hurts.which"), [*names, log_pain]),
    ]

    calls = await bot.tap(ALICE, "Seated twist")

    [edit] = [c for c in calls if c.method == "editMessageText"]
    assert edit.text == bot.content.t("questions.hurts.chosen", exercise="Seated twist")
    assert edit.buttons[0] == [
        bot.content.t("questions.hurts.button.easier", exercise="Seated twist")
    ]


async def test_a_symptom_description_never_gets_a_stretch_card(bot: BotHarness) -> None:
    calls = await bot.send(ALICE, "my foot is numb and it shoots down my leg")

    # The safety screen reads it as ordinary one-sided sciatica: its explanation, then the
    # symptom answer; no card.
    assert sent(calls) == [
        (bot.content.safety.ordinary_sciatica.strip(), []),
        (answer_of(bot, "symptom"), []),
    ]
    assert not any(call.method == "sendAnimation" for call in calls)


# --- pain in plain words --------------------------------------------------------------------


async def test_a_score_in_a_sentence_is_logged_with_the_rest_as_its_note(
    bot: BotHarness,
) -> None:
    calls = await bot.send(ALICE, "it's a 3 this morning")

    assert await ratings(bot) == [(3, "this morning")]
    [(text, _)] = sent(calls)
    assert text.startswith(bot.content.t("pain.logged_with_note", score=3))


async def test_a_high_score_in_words_gets_the_same_reply_as_pain(bot: BotHarness) -> None:
    calls = await bot.send(ALICE, "about a nine tonight")

    assert await ratings(bot) == [(9, "tonight")]
    by_command = await bot.send(BOB, "/pain 9 tonight")
    assert sent(calls) == sent(by_command)  # the same reply, and the pain rule's advice, as /pain


async def test_an_unclear_score_is_one_tap_that_records_once(bot: BotHarness) -> None:
    calls = await bot.send(ALICE, "pain 4 or 5")

    yes = bot.content.t("questions.pain.button.yes", score=4)
    no = bot.content.t("questions.pain.button.no")
    assert sent(calls) == [(bot.content.t("questions.pain.confirm", score=4), [[yes], [no]])]
    assert await ratings(bot) == []
    keyboard = bot.message_with_button(ALICE, yes).message_id

    await bot.tap(ALICE, yes)
    calls = await bot.tap_data(ALICE, keyboard, encode(Action.PAIN_SCORE, 4))

    assert await ratings(bot) == [(4, None)]
    assert [(c.method, c.params.get("text")) for c in calls] == [
        ("answerCallbackQuery", bot.content.t("pain.already_saved"))
    ]


async def test_no_dont_log_it_logs_nothing(bot: BotHarness) -> None:
    await bot.send(ALICE, "pain 4 or 5")

    calls = await bot.tap(ALICE, bot.content.t("questions.pain.button.no"))

    assert [c.text for c in calls if c.method == "editMessageText"] == [
        bot.content.t("questions.pain.not_logged")
    ]
    assert await ratings(bot) == []
