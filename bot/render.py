"""Plain-text rendering of content for Telegram messages (no Telegram objects here)."""

from __future__ import annotations

from collections.abc import Iterable

from content import Content, Exercise


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
        dose=hold_text(content, exercise),
        cautions=cautions,
        why=exercise.why,
    )
