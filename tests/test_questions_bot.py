"""Stretches and questions through the real Application: /exercises, /exercise, free text,
red flags, the menu for messages nothing understood, buttons and inline mode."""

from __future__ import annotations

import pytest
from telegram import Update

from bot.plumbing.callbacks import Action, encode
from bot.plumbing.mapping import Sender
from bot.plumbing.text_router import PRIORITY_AWAITING
from bot.runtime import BotContext, runtime_of
from tests.harness import BotHarness, catalog
from tests.question_helpers import answer_of, card_of, topic
from tests.routine_helpers import ROUTINE_ORDER, exercise_name

ALICE = 111_111_111_111

SEVEN = [exercise_name(exercise_id) for exercise_id in ROUTINE_ORDER]  # in routine order
MENU = [[name] for name in SEVEN]
TOPICS = catalog().t("questions.button.topics")
MENU_WITH_TOPICS = [*MENU, [TOPICS]]
DO_NOW = catalog().t("questions.button.do_now")


# --- /exercises and the card --------------------------------------------------------------


async def test_exercises_shows_the_seven_and_a_tap_shows_the_card_with_do_this_one_now(
    bot: BotHarness,
) -> None:
    calls = await bot.send(ALICE, "/exercises")

    assert [(call.method, call.text, call.buttons) for call in calls] == [
        ("sendMessage", bot.content.t("questions.list"), MENU)
    ]
    pigeon = exercise_name("seated_pigeon")
    assert calls[0].button_data[pigeon] == "1|ex|seated_pigeon"

    tapped = await bot.tap(ALICE, pigeon)

    assert [call.method for call in tapped] == ["answerCallbackQuery", "sendMessage"]
    assert "text" not in tapped[0].params
    assert tapped[1].text == card_of(bot, "seated_pigeon")
    assert tapped[1].button_data == {DO_NOW: encode(Action.START_SINGLE, "seated_pigeon")}


async def test_the_card_reads_well(bot: BotHarness) -> None:
    """Read as a person would: one of the few tests that check the English itself (the card's
    template, the exercise file and the dose wording together); the others go by the catalog,
    so a physiotherapist's edit to content/ breaks this test only."""
    calls = await bot.send(ALICE, "/exercise glute bridge")

    assert calls[0].text == (
        "Glute bridge\n"
        "Strengthens the buttock muscles (glutes), the backs of the thighs and the lower back.\n"
        "\n"
        "How to start: Lie on your back with your knees bent and your feet flat on the floor, "
        "about shoulder-width apart.\n"
        "\n"
        "Steps:\n"
        "1. Tighten your buttocks and press down through your heels.\n"
        "2. Lift your hips until your body makes a straight line from your knees to your "
        "shoulders.\n"
        "3. Hold briefly at the top and keep breathing.\n"
        "4. Lower your hips slowly back to the floor. That is one rep.\n"
        "\n"
        "How much: 8 repetitions in one set, holding each for 3 seconds. As it gets easier, "
        "build up to 12 repetitions in 3 sets.\n"
        "\n"
        "Take care:\n"
        "• Stop at the straight line. Don't push your hips higher or arch your back.\n"
        "• If your back or leg pain increases, lift a little lower or stop.\n"
        "\n"
        "Why it helps: Strong buttock muscles help support and steady the lower back, which "
        "takes strain off the area around the nerve."
    )


async def test_a_hold_card_says_where_to_start_and_how_far_to_build_up(bot: BotHarness) -> None:
    calls = await bot.send(ALICE, "/exercise knee to chest")

    t = bot.content.t
    repeat = t("card.per_side", repeat=t("card.repeat_times", reps=3), side_word="leg")
    dose = t("card.hold_line", seconds=20, repeat=repeat) + " " + t("card.build_hold", seconds=30)
    assert f"{dose}\n" in (calls[0].text or "")


# --- /exercise ----------------------------------------------------------------------------


async def test_exercise_with_a_typo_shows_the_card(bot: BotHarness) -> None:
    calls = await bot.send(ALICE, "/exercise piegon")

    assert [(call.method, call.text) for call in calls] == [
        ("sendMessage", card_of(bot, "seated_pigeon"))
    ]


async def test_exercise_ambiguous_offers_a_short_choice(bot: BotHarness) -> None:
    calls = await bot.send(ALICE, "/exercise seated")

    assert [(call.text, call.buttons) for call in calls] == [
        (
            bot.content.t("questions.choice_several"),
            [
                [exercise_name("seated_pigeon")],
                [exercise_name("seated_twist")],
                [bot.content.t("questions.button.all_stretches")],
            ],
        )
    ]

    tapped = await bot.tap(ALICE, exercise_name("seated_twist"))

    assert tapped[-1].text == card_of(bot, "seated_twist")


async def test_exercise_with_nothing_close_lists_the_seven(bot: BotHarness) -> None:
    calls = await bot.send(ALICE, "/exercise frobnicate")

    assert [(call.text, call.buttons) for call in calls] == [
        (bot.content.t("questions.exercise_not_found", query="frobnicate"), MENU)
    ]


async def test_exercise_without_a_name_asks_which_and_lists_the_seven(bot: BotHarness) -> None:
    calls = await bot.send(ALICE, "/exercise")

    assert [(call.text, call.buttons) for call in calls] == [
        (bot.content.t("questions.exercise_usage"), MENU)
    ]


async def test_exercise_echoes_a_long_unknown_name_shortened(bot: BotHarness) -> None:
    calls = await bot.send(ALICE, "/exercise " + "z" * 300)

    assert calls[0].text == bot.content.t("questions.exercise_not_found", query="z" * 60 + "…")


async def test_the_menu_offers_exercises(bot: BotHarness) -> None:
    set_commands = [call for call in bot.fake.calls if call.method == "setMyCommands"]

    commands = [command["command"] for command in set_commands[-1].params["commands"]]
    assert {"exercises", "exercise"} <= set(commands)


# --- free text ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "exercise_id"),
    [
        ("how do I do the pigeon?", "seated_pigeon"),
        ("glute bridge", "glute_bridge"),
        ("knee to chest stretch", "knees_to_chest"),
        ("child pose", "childs_pose"),
        ("piegon", "seated_pigeon"),
        ("Seated Twist", "seated_twist"),
        ("hamstring", "standing_hamstring"),
        ("HOW DO I DO PELVIC TILTS", "pelvic_tilt"),
    ],
)
async def test_free_text_naming_a_stretch_gets_its_card(
    bot: BotHarness, text: str, exercise_id: str
) -> None:
    calls = await bot.send(ALICE, text)

    assert [(call.method, call.text, call.button_data) for call in calls] == [
        (
            "sendMessage",
            card_of(bot, exercise_id),
            {DO_NOW: encode(Action.START_SINGLE, exercise_id)},
        )
    ]


@pytest.mark.parametrize(
    ("text", "topic_id"),
    [
        ("What is sciatica?", "what_is"),
        ("what causes it", "causes"),
        ("how long does sciatica last", "duration"),
        ("how can I prevent it", "prevention"),
        ("what can I do at home", "home_remedies"),
        ("why does exercise help", "why_exercise"),
        ("should I rest or keep moving?", "rest_or_move"),
        ("heat or ice?", "heat_or_cold"),
        ("when should I see a doctor", "when_to_see_doctor"),
        ("who are you", "about_bot"),
    ],
)
async def test_questions_about_sciatica_are_answered_from_the_content(
    bot: BotHarness, text: str, topic_id: str
) -> None:
    calls = await bot.send(ALICE, text)

    assert [(call.method, call.text, call.buttons) for call in calls] == [
        ("sendMessage", answer_of(bot, topic_id), [])
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Can I take ibuprofen?",
        "what painkillers should I take",
        "are pills ok for the pain",
        "what should I take",
        "can I take paracetemol before the bridge",
    ],
)
async def test_medicine_questions_go_to_a_doctor_or_pharmacist(bot: BotHarness, text: str) -> None:
    calls = await bot.send(ALICE, text)

    assert [call.text for call in calls] == [answer_of(bot, "medication")]
    # Read as a person would (a safety rule, NHS/NICE): the answer sends the user to a
    # doctor or pharmacist and never names a drug, whatever the content says.
    reply = (calls[0].text or "").lower()
    assert "doctor or pharmacist" in reply
    assert not any(drug in reply for drug in ("ibuprofen", "paracetamol", "naproxen", "codeine"))


async def test_a_vague_name_gets_a_short_choice(bot: BotHarness) -> None:
    calls = await bot.send(ALICE, "tilt")

    assert [(call.text, call.buttons) for call in calls] == [
        (
            bot.content.t("questions.choice_one"),
            [[exercise_name("pelvic_tilt")], [bot.content.t("questions.button.all_stretches")]],
        )
    ]

    listed = await bot.tap(ALICE, bot.content.t("questions.button.all_stretches"))

    assert [(call.text, call.buttons) for call in listed[1:]] == [
        (bot.content.t("questions.list"), MENU)
    ]


async def test_asking_for_the_stretches_in_general_lists_them(bot: BotHarness) -> None:
    calls = await bot.send(ALICE, "which stretches are there?")

    assert [(call.text, call.buttons) for call in calls] == [
        (bot.content.t("questions.list"), MENU)
    ]


async def test_hello_and_thanks_get_a_friendly_word(bot: BotHarness) -> None:
    hello = await bot.send(ALICE, "Hi there")
    thanks = await bot.send(ALICE, "thank you!")

    assert [call.text for call in hello] == [bot.content.t("questions.greeting")]
    assert [call.text for call in thanks] == [bot.content.t("questions.thanks")]


# --- nothing close: the menu, never silence ------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "asdfgh qwerty",
        "the weather is lovely today",
        "\u200b",
        "🙂🙂🙂",
        "🔥" * 2_000,
        "مرحبا، كيف حالك؟",
        "שלום, מה שלומך?",
        "x" * 10_000,
        "lorem ipsum dolor sit amet " * 370,
    ],
    ids=["nonsense", "off-topic", "zero-width", "emoji", "emoji-long", "arabic", "hebrew",
         "10000-x", "10000-words"],
)  # fmt: skip
async def test_messages_nothing_understands_get_the_menu(bot: BotHarness, text: str) -> None:
    calls = await bot.send(ALICE, text)

    assert [(call.method, call.text, call.buttons) for call in calls] == [
        ("sendMessage", bot.content.t("text_fallback"), MENU_WITH_TOPICS)
    ]


async def test_a_question_at_the_start_of_a_very_long_message_is_still_answered(
    bot: BotHarness,
) -> None:
    text = ("how do I do the bridge? " + "and so on " * 1_000)[:10_000]

    calls = await bot.send(ALICE, text)

    assert [call.text for call in calls] == [card_of(bot, "glute_bridge")]


async def test_the_menu_leads_to_the_questions_and_their_answers(bot: BotHarness) -> None:
    await bot.send(ALICE, "asdfgh")

    topics = await bot.tap(ALICE, TOPICS)

    titles = [[answer.title] for answer in bot.content.answers]
    assert [(call.method, call.text, call.buttons) for call in topics] == [
        ("answerCallbackQuery", None, []),
        ("sendMessage", bot.content.t("questions.topics"), titles),
    ]
    assert len(titles) == 11

    answered = await bot.tap(ALICE, topic(bot, "heat_or_cold").title)

    assert [(call.method, call.text) for call in answered] == [
        ("answerCallbackQuery", None),
        ("sendMessage", answer_of(bot, "heat_or_cold")),
    ]


async def test_the_menu_leads_to_a_card(bot: BotHarness) -> None:
    await bot.send(ALICE, "hmm")

    tapped = await bot.tap(ALICE, exercise_name("childs_pose"))

    assert tapped[-1].text == card_of(bot, "childs_pose")


# --- red flags ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "I have numbness in my groin",
        "Since yesterday I can’t pee properly",
        "both my legs hurt and feel weak",
        "my leg is getting weaker",
        "how do I do the pigeon? my groin has gone numb",
        "pain 9, and I've lost control of my bladder",
        "numbnes around my genitles",
    ],
)
async def test_red_flag_wording_gets_urgent_care_first_and_nothing_else(
    bot: BotHarness, text: str
) -> None:
    calls = await bot.send(ALICE, text)

    assert [(call.method, call.text, call.buttons) for call in calls] == [
        ("sendMessage", bot.content.safety.urgent_care.strip(), []),
        ("sendMessage", bot.content.t("safety.after_message_emergency").strip(), []),
        ("sendMessage", bot.content.t("questions.red_flag_next"), []),
    ]


async def test_red_flags_come_before_any_feature_waiting_for_an_answer(bot: BotHarness) -> None:
    """A feature waiting for the user's reply (priority 20) is not reached, so whatever it was
    waiting for stays as it was; the next ordinary message reaches it as usual."""
    seen: list[str] = []

    async def waiting_feature(update: Update, context: BotContext, sender: Sender) -> bool:
        seen.append(sender.text or "")
        return False

    runtime_of(bot.app).add_text_route(PRIORITY_AWAITING, waiting_feature)

    urgent = await bot.send(ALICE, "I can't feel my inner thighs")
    assert seen == []
    assert urgent[0].text == bot.content.safety.urgent_care.strip()

    await bot.send(ALICE, "pigeon")
    assert seen == ["pigeon"]


@pytest.mark.parametrize(
    "text",
    ["stretch both legs", "do I stretch both legs?", "my left leg hurts", "I need to pee first"],
)
async def test_harmless_mentions_of_legs_get_no_urgent_message(bot: BotHarness, text: str) -> None:
    calls = await bot.send(ALICE, text)

    assert calls
    assert bot.content.safety.urgent_care.strip() not in [call.text for call in calls]


async def test_red_flag_wording_in_the_exercise_command_also_gets_urgent_care(
    bot: BotHarness,
) -> None:
    calls = await bot.send(ALICE, "/exercise bridge, but my groin is numb")

    assert [call.text for call in calls] == [
        bot.content.safety.urgent_care.strip(),
        bot.content.t("safety.after_message_emergency").strip(),
        bot.content.t("questions.red_flag_next"),
    ]


# --- buttons that are stale or forged ------------------------------------------------------


@pytest.mark.parametrize("data", ["1|ex|no_such_stretch", "1|qa|no_such_topic"])
async def test_a_button_for_something_no_longer_there_is_stale(bot: BotHarness, data: str) -> None:
    calls = await bot.tap_data(ALICE, 1, data)

    assert [(call.method, call.params.get("text")) for call in calls] == [
        ("answerCallbackQuery", bot.content.t("button_stale"))
    ]


@pytest.mark.parametrize("data", ["1|ex|", "1|qa|a b", "1|ex|" + "x" * 30])
async def test_a_forged_button_is_rejected(bot: BotHarness, data: str) -> None:
    calls = await bot.tap_data(ALICE, 1, data)

    assert [(call.method, call.params.get("text")) for call in calls] == [
        ("answerCallbackQuery", bot.content.t("button_forged"))
    ]


# --- inline mode ----------------------------------------------------------------------------


async def test_inline_query_offers_the_matching_card_to_share(bot: BotHarness) -> None:
    calls = await bot.inline(ALICE, "piegon")

    assert [call.method for call in calls] == ["answerInlineQuery"]
    results = calls[0].params["results"]
    assert [(result["type"], result["id"], result["title"]) for result in results] == [
        ("article", "seated_pigeon", exercise_name("seated_pigeon"))
    ]
    assert results[0]["input_message_content"]["message_text"] == card_of(bot, "seated_pigeon")
    assert results[0]["reply_markup"]["inline_keyboard"] == [
        [
            {
                "text": bot.content.t("questions.inline.open_bot"),
                "url": "https://t.me/sciatica_coach_bot",
            }
        ]
    ]
    assert calls[0].params["inline_query_id"] == "iq-1"


@pytest.mark.parametrize("query", ["", "   ", "zzzz", "🙂"])
async def test_inline_query_with_nothing_close_offers_all_seven(
    bot: BotHarness, query: str
) -> None:
    calls = await bot.inline(ALICE, query)

    titles = [result["title"] for result in calls[0].params["results"]]
    assert titles == SEVEN


async def test_inline_query_that_is_ambiguous_offers_the_candidates(bot: BotHarness) -> None:
    calls = await bot.inline(ALICE, "seated")

    ids = [result["id"] for result in calls[0].params["results"]]
    assert ids == ["seated_pigeon", "seated_twist"]
