"""The exercise cards, answers and stretch lists: their texts and keyboards, and the reply to
what a message was read as."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
)

from bot.domain.questions import NOTHING, Library, Reading, ReadingKind
from bot.domain.reading import EXERCISE_HURTS, PAIN_LOG
from bot.plumbing.callbacks import Action, encode
from content import Answer, Content, Exercise
from content.models import EXERCISE_INTENT


def hold_text(content: Content, exercise: Exercise, hold_seconds: int | None = None) -> str:
    seconds = hold_seconds or exercise.hold_seconds.min
    if exercise.mode == "reps":
        return content.t(
            "card.reps_line",
            reps=exercise.reps.start,
            sets=exercise.sets.start,
            seconds=seconds,
        )
    reps = exercise.reps.start
    repeat = (
        content.t("card.repeat_once") if reps == 1 else content.t("card.repeat_times", reps=reps)
    )
    if exercise.per_side:
        repeat = content.t("card.per_side", repeat=repeat, side_word=exercise.side_word)
    return content.t("card.hold_line", seconds=seconds, repeat=repeat)


def card_dose(content: Content, exercise: Exercise) -> str:
    """How much to do, for the card: where to start and, if it grows, how far to build up."""
    hold = exercise.hold_seconds
    if exercise.mode == "reps":
        start = content.t(
            "card.dose_reps",
            reps=exercise.reps.start,
            seconds=hold.min,
            sets=_sets_text(content, exercise.sets.start),
        )
        if (exercise.reps.max, exercise.sets.max) == (exercise.reps.start, exercise.sets.start):
            return start
        build = content.t(
            "card.build_reps", reps=exercise.reps.max, sets=_sets_text(content, exercise.sets.max)
        )
        return f"{start} {build}"
    start = hold_text(content, exercise)
    if hold.max == hold.min:
        return start
    return f"{start} {content.t('card.build_hold', seconds=hold.max)}"


def _sets_text(content: Content, sets: int) -> str:
    return content.t("card.sets_one") if sets == 1 else content.t("card.sets_many", sets=sets)


def numbered_steps(steps: Iterable[str]) -> str:
    """ "1. ...", "2. ..." one per line."""
    return "\n".join(f"{number}. {step}" for number, step in enumerate(steps, 1))


def exercise_card(content: Content, exercise: Exercise) -> str:
    """The full card: name, what it does, position, numbered steps, dose, cautions, why."""
    steps = numbered_steps(exercise.steps)
    cautions = "\n".join(f"• {caution}" for caution in exercise.cautions)
    return content.t(
        "card.full",
        name=exercise.name,
        targets=exercise.targets,
        start_position=exercise.start_position,
        steps=steps,
        dose=card_dose(content, exercise),
        cautions=cautions,
        why=exercise.why,
    )


def answer_text(content: Content, answer: Answer) -> str:
    """A question topic's answer, under its title (so the user sees which question it answers)."""
    return content.t("questions.answer", title=answer.title, text=answer.text)


def exercises_keyboard(content: Content, *, with_topics: bool = False) -> InlineKeyboardMarkup:
    """The seven exercises, one per row, each opening its card.

    With ``with_topics``, a last row opens the list of questions about sciatica (the menu for
    messages the bot could not read).
    """
    rows = [
        [
            InlineKeyboardButton(
                exercise.name, callback_data=encode(Action.SHOW_EXERCISE, exercise.id)
            )
        ]
        for exercise in content.exercises
    ]
    if with_topics:
        rows.append(
            [
                InlineKeyboardButton(
                    content.t("questions.button.topics"),
                    callback_data=encode(Action.QUESTION_TOPICS),
                )
            ]
        )
    return InlineKeyboardMarkup(rows)


def exercise_choice_keyboard(
    content: Content, exercises: Sequence[Exercise]
) -> InlineKeyboardMarkup:
    """A few exercises to choose from, and a way to see all seven."""
    rows = [
        [
            InlineKeyboardButton(
                exercise.name, callback_data=encode(Action.SHOW_EXERCISE, exercise.id)
            )
        ]
        for exercise in exercises
    ]
    rows.append(
        [
            InlineKeyboardButton(
                content.t("questions.button.all_stretches"),
                callback_data=encode(Action.EXERCISE_LIST),
            )
        ]
    )
    return InlineKeyboardMarkup(rows)


def exercise_card_keyboard(content: Content, exercise: Exercise) -> InlineKeyboardMarkup:
    """Under a card: run this one exercise now (handled by the routine feature)."""
    button = InlineKeyboardButton(
        content.t("questions.button.do_now"),
        callback_data=encode(Action.START_SINGLE, exercise.id),
    )
    return InlineKeyboardMarkup([[button]])


def topics_keyboard(content: Content) -> InlineKeyboardMarkup:
    """Every question topic, one per row, each opening its answer."""
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    answer.title, callback_data=encode(Action.SHOW_ANSWER, answer.id)
                )
            ]
            for answer in content.answers
        ]
    )


MAX_QUERY_SHOWN = 60  # characters of an unknown /exercise name echoed back


Reply = tuple[str, InlineKeyboardMarkup | None]


def reply_for(content: Content, reading: Reading) -> Reply | None:
    """The message for a reading of free text; None when there is nothing to say (NOTHING)."""
    kind = reading.kind
    exercises = [item for i in reading.exercise_ids if (item := content.exercise(i)) is not None]
    if kind is ReadingKind.EXERCISE and exercises:
        return exercise_card(content, exercises[0]), exercise_card_keyboard(content, exercises[0])
    if kind is ReadingKind.CHOICE and exercises:
        key = "questions.choice_one" if len(exercises) == 1 else "questions.choice_several"
        return content.t(key), exercise_choice_keyboard(content, exercises)
    answer = content.answer(reading.topic_id) if reading.topic_id else None
    if kind in (ReadingKind.TOPIC, ReadingKind.EXERCISE_HURTS) and answer is not None:
        return answer_text(content, answer), None
    if kind is ReadingKind.LIST:
        return content.t("questions.list"), exercises_keyboard(content)
    if kind is ReadingKind.GREETING:
        return content.t("questions.greeting"), None
    if kind is ReadingKind.THANKS:
        return content.t("questions.thanks"), None
    return None


def card_exercise_id(content: Content, reading: Reading) -> str | None:
    """The exercise whose card ``reply_for`` shows for this reading, if it shows one."""
    if reading.kind is not ReadingKind.EXERCISE:
        return None
    for exercise_id in reading.exercise_ids:
        if content.exercise(exercise_id) is not None:
            return exercise_id
    return None


def exercise_command_reply(content: Content, library: Library, query: str) -> Reply:
    """/exercise NAME: the card, a choice, or (nothing close, or no name) the list of seven.
    A name that fits one stretch only gets its card: the command asks for a stretch."""
    reading = library.find_exercise(query) if query else NOTHING
    if reading.kind is ReadingKind.CHOICE and len(reading.exercise_ids) == 1:
        reading = replace(reading, kind=ReadingKind.EXERCISE)
    reply = reply_for(content, reading) if query else None
    if reply is not None:
        return reply
    if not query:
        return content.t("questions.exercise_usage"), exercises_keyboard(content)
    shown = query[:MAX_QUERY_SHOWN] + ("…" if len(query) > MAX_QUERY_SHOWN else "")
    return content.t("questions.exercise_not_found", query=shown), exercises_keyboard(content)


# --- an unsure reading: the two most likely intents as buttons ------------------------------


def choice_button(content: Content, reading: Reading, label: str) -> InlineKeyboardButton | None:
    """The button opening one intent label of ``reading.choices``; None when a label has
    nothing to open (hello, thanks, nothing: the "None of these" row covers those)."""
    kind, _, arg = label.partition(":")
    if kind == EXERCISE_INTENT.rstrip(":") and (exercise := content.exercise(arg)) is not None:
        return InlineKeyboardButton(
            exercise.name, callback_data=encode(Action.SHOW_EXERCISE, exercise.id)
        )
    if kind == EXERCISE_HURTS and (answer := content.answer(EXERCISE_HURTS)) is not None:
        args = (arg,) if content.exercise(arg) is not None else ()
        return InlineKeyboardButton(answer.title, callback_data=encode(Action.HURT_ANSWER, *args))
    if kind == PAIN_LOG and reading.pain is not None and reading.pain.score is not None:
        score = reading.pain.score
        text = content.t("questions.pain.button.yes", score=score)
        return InlineKeyboardButton(text, callback_data=encode(Action.PAIN_SCORE, score))
    if kind == "list":
        text = content.t("questions.button.all_stretches")
        return InlineKeyboardButton(text, callback_data=encode(Action.EXERCISE_LIST))
    if (answer := content.answer(label)) is not None:
        return InlineKeyboardButton(answer.title, callback_data=encode(Action.SHOW_ANSWER, label))
    return None


def unsure_reply(content: Content, reading: Reading) -> Reply | None:
    """ "Did you mean one of these?" with a button per choice and "None of these" (the menu);
    None when no choice has anything to open."""
    buttons: list[InlineKeyboardButton] = []
    for label in reading.choices:
        button = choice_button(content, reading, label)
        if button is not None and button.callback_data not in {b.callback_data for b in buttons}:
            buttons.append(button)
    if not buttons:
        return None
    none = InlineKeyboardButton(
        content.t("questions.button.none_of_these"), callback_data=encode(Action.QUESTION_MENU)
    )
    rows = [[button] for button in buttons] + [[none]]
    return content.t("questions.unsure"), InlineKeyboardMarkup(rows)


def menu_reply(content: Content) -> Reply:
    """What the bot can help with: the stretches and the questions."""
    return content.t("questions.menu"), exercises_keyboard(content, with_topics=True)


# --- a stretch that hurts -------------------------------------------------------------------


def hurt_keyboard(content: Content, exercise: Exercise, level: int) -> InlineKeyboardMarkup:
    """Make it easier (one step down from ``level``), leave it out, or log the pain."""
    name = exercise.name
    rows = [
        [
            InlineKeyboardButton(
                content.t("questions.hurts.button.easier", exercise=name),
                callback_data=encode(Action.HURT_EASIER, exercise.id, level),
            )
        ],
        [
            InlineKeyboardButton(
                content.t("questions.hurts.button.leave_out", exercise=name),
                callback_data=encode(Action.HURT_LEAVE_OUT, exercise.id),
            )
        ],
        [log_pain_button(content)],
    ]
    return InlineKeyboardMarkup(rows)


def log_pain_button(content: Content) -> InlineKeyboardButton:
    return InlineKeyboardButton(
        content.t("questions.hurts.button.log_pain"), callback_data=encode(Action.HURT_LOG_PAIN)
    )


def hurt_which_keyboard(content: Content) -> InlineKeyboardMarkup:
    """ "Which stretch was it?": the seven, and logging the pain."""
    rows = [
        [InlineKeyboardButton(item.name, callback_data=encode(Action.HURT_PICK, item.id))]
        for item in content.exercises
    ]
    rows.append([log_pain_button(content)])
    return InlineKeyboardMarkup(rows)
