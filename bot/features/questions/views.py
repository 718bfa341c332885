"""Plain-text rendering of content for Telegram messages (no Telegram objects here)."""

from __future__ import annotations

from collections.abc import Iterable

from content import Answer, Content, Exercise


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
        order=exercise.order,
        count=len(content.exercises),
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
