"""The routine's texts: cards, countdowns, leads, the hurt note, the summary and settings.

Plain strings from the catalog and the service's plain views; no Telegram objects here.
"""

from __future__ import annotations

from bot.domain.progression import Dose, LevelChange
from bot.domain.routine import WRITTEN_SIDE, PlanItem, Position, mirror_sides
from bot.features.questions.views import numbered_steps
from bot.services.routine import (
    Closing,
    HurtNote,
    LateRating,
    Lead,
    SettingsView,
    StepView,
    Summary,
)
from content import Content, Exercise

BAR_CELLS = 10


def exercise_of(content: Content, exercise_id: str) -> Exercise:
    exercise = content.exercise(exercise_id)
    if exercise is None:
        raise LookupError(f"exercise {exercise_id!r} is not in the content")
    return exercise


def where(content: Content, item: PlanItem, position: Position) -> str | None:
    """ "rep 2 of 3, left leg", "set 1 of 2"; None for an exercise done once."""
    exercise = exercise_of(content, item.exercise_id)
    parts: list[str] = []
    if item.mode == "reps":
        if item.dose.sets > 1:
            return content.t("routine.where_set", set_no=position.set_no, sets=item.dose.sets)
        return None
    if item.dose.reps > 1:
        parts.append(content.t("routine.where_rep", rep=position.rep, reps=item.dose.reps))
    if position.side is not None and exercise.side_word is not None:
        side = content.t(f"routine.side_{position.side}")
        parts.append(content.t("routine.where_side", side=side, side_word=exercise.side_word))
    if item.dose.sets > 1:
        parts.append(content.t("routine.where_set", set_no=position.set_no, sets=item.dose.sets))
    return ", ".join(parts) if parts else None


def title(content: Content, view: StepView) -> str:
    """ "Knees to chest: rep 2 of 3, left leg" (just the name for an exercise done once)."""
    item, position = _exercising(view)
    name = exercise_of(content, item.exercise_id).name
    here = where(content, item, position)
    return name if here is None else content.t("routine.title", name=name, where=here)


def change_text(content: Content, change: LevelChange) -> str:
    """ "↑ A step up: holds of 25 seconds (was 20). Your last three sessions went well." """
    key = {
        "steady": "routine.change_up",
        "pain_rose": "routine.change_down_pain",
        "hurt": "routine.change_down_hurt",
    }[change.reason]
    return content.t(key, what=dose_difference(content, change.before, change.after))


def dose_difference(content: Content, before: Dose, after: Dose) -> str:
    parts: list[str] = []
    if before.hold_seconds != after.hold_seconds:
        parts.append(
            content.t("routine.change_hold", before=before.hold_seconds, after=after.hold_seconds)
        )
    if before.reps != after.reps:
        parts.append(content.t("routine.change_reps", before=before.reps, after=after.reps))
    if before.sets != after.sets:
        parts.append(content.t("routine.change_sets", before=before.sets, after=after.sets))
    return ", ".join(parts)


def _header(content: Content, view: StepView, exercise: Exercise) -> str:
    if view.kind == "single" or view.item_index is None:
        return content.t("routine.header_single", name=exercise.name)
    return content.t(
        "routine.header", number=view.item_index + 1, total=view.items, name=exercise.name
    )


def _steps(exercise: Exercise, position: Position) -> tuple[str, ...]:
    """The steps for this side: written for the right side, mirrored for the left."""
    if position.side is None or position.side == WRITTEN_SIDE:
        return exercise.steps
    return tuple(mirror_sides(step) for step in exercise.steps)


def card_text(content: Content, view: StepView) -> str:
    """The full card shown at the first step of an exercise."""
    item, position = _exercising(view)
    exercise = exercise_of(content, item.exercise_id)
    here = where(content, item, position)
    key = "routine.now_reps" if item.mode == "reps" else "routine.now_hold"
    now = content.t(
        key if here is not None else f"{key}_once",
        where=here,
        reps=item.dose.reps,
        seconds=item.dose.hold_seconds,
    )
    if item.change is not None:
        now = f"{now}\n{change_text(content, item.change)}"
    return content.t(
        "routine.card",
        header=_header(content, view, exercise),
        targets=exercise.targets,
        start_position=exercise.start_position,
        steps=numbered_steps(_steps(exercise, position)),
        cautions="\n".join(f"• {caution}" for caution in exercise.cautions),
        now=now,
    )


def short_step_text(content: Content, view: StepView) -> str:
    """A later step of the same exercise: "Next: rep 2 of 3, left leg. ..." """
    item, position = _exercising(view)
    exercise = exercise_of(content, item.exercise_id)
    key = "routine.step_reps" if item.mode == "reps" else "routine.step"
    return content.t(
        key,
        where=where(content, item, position),
        name=exercise.name,
        seconds=item.dose.hold_seconds,
        reps=item.dose.reps,
    )


def running_text(content: Content, view: StepView) -> str:
    """A hold counting down, or a set in progress."""
    item, _ = _exercising(view)
    if item.mode == "reps":
        return content.t(
            "routine.set_running",
            title=title(content, view),
            reps=item.dose.reps,
            seconds=item.dose.hold_seconds,
        )
    remaining = view.remaining if view.remaining is not None else item.dose.hold_seconds
    return content.t(
        "routine.countdown",
        title=title(content, view),
        remaining=remaining,
        bar=progress_bar(item.dose.hold_seconds - remaining, item.dose.hold_seconds),
    )


def progress_bar(done: int, total: int) -> str:
    filled = 0 if total <= 0 else round(BAR_CELLS * max(0, min(done, total)) / total)
    return "▰" * filled + "▱" * (BAR_CELLS - filled)


def step_text(content: Content, view: StepView) -> str:
    """The message for the session's current step, as first shown."""
    if view.phase == "pain_before":
        return content.t("routine.pain_before")
    if view.phase == "pain_after":
        # Hands-free, the routine has already completed: the rating after is optional.
        return content.t("routine.pain_after_optional" if view.hands_free else "routine.pain_after")
    if view.phase == "holding":
        return running_text(content, view)
    if view.first_of_exercise:
        return card_text(content, view)
    return short_step_text(content, view)


def lead_text(content: Content, lead: Lead | None, seconds: int | None) -> str | None:
    if lead is None:
        return None
    return content.t(f"routine.lead_{lead}", seconds=seconds if seconds is not None else 0)


def next_text(content: Content, view: StepView, lead: Lead | None, seconds: int | None) -> str:
    """The new message for the next step, opening with how the last one ended."""
    body = step_text(content, view)
    if lead == "hurt" and view.phase != "ready":
        lead = None  # "Let's go on with the next one" only when there is a next one
    first = lead_text(content, lead, seconds)
    if first is None:
        return body
    short = view.phase == "ready" and not view.first_of_exercise
    return f"{first} {body}" if short else f"{first}\n\n{body}"


def closed_text(content: Content, closing: Closing) -> str:
    """A finished step's message, shrunk to its title, and how it ended."""
    view = closing.view
    if closing.result == "pain":
        if view.phase == "pain_before":
            key = "routine.pain_noted_before" if closing.score is not None else None
            fallback = "routine.pain_skipped_before"
        else:
            key = "routine.pain_noted_after" if closing.score is not None else None
            fallback = "routine.pain_skipped_after"
        return content.t(key, score=closing.score) if key else content.t(fallback)
    body = (
        step_text(content, view).strip()
        if view.phase in ("pain_before", "pain_after")
        else title(content, view)
    )
    target = view.item.dose.hold_seconds if view.item is not None else 0
    line = content.t(f"routine.closed_{closing.result}", seconds=closing.seconds, target=target)
    return f"{body}\n\n{line}"


def hurt_text(content: Content, note: HurtNote, *, left_out: bool = False) -> str:
    exercise = exercise_of(content, note.exercise_id)
    parts = [content.t("routine.hurt", name=exercise.name)]
    if note.change is not None:
        what = dose_difference(content, note.change.before, note.change.after)
        parts.append(content.t("routine.hurt_easier", what=what))
    if left_out:
        parts.append(content.t("routine.left_out", name=exercise.name))
    else:
        parts.append(content.t("routine.hurt_offer"))
    return "\n\n".join(parts)


def duration_text(content: Content, seconds: int) -> str:
    minutes, rest = divmod(max(0, seconds), 60)
    if minutes:
        return content.t("routine.time_minutes", minutes=minutes, seconds=rest)
    return content.t("routine.time_seconds", seconds=rest)


def _names(content: Content, exercise_ids: tuple[str, ...]) -> str:
    return ", ".join(exercise_of(content, exercise_id).name for exercise_id in exercise_ids)


def _change_lines(content: Content, changes: tuple[LevelChange, ...]) -> list[str]:
    """ "Next time:" and a line for each exercise whose dose moved."""
    if not changes:
        return []
    lines = ["", content.t("routine.summary_changes")]
    for change in changes:
        key = (
            "routine.summary_change_up"
            if change.direction == "up"
            else "routine.summary_change_down"
        )
        what = dose_difference(content, change.before, change.after)
        lines.append(content.t(key, name=_names(content, (change.exercise_id,)), what=what))
    return lines


def late_rating_text(content: Content, late: LateRating) -> str:
    """After the rating that came once a hands-free routine had completed: the pain rule's
    texts and the doses a rise stepped back ("" when there is nothing to add)."""
    parts = ["\n".join(_change_lines(content, late.changes)).strip()]
    parts += [content.t(key).strip() for key in late.advice_keys]
    return "\n\n".join(part for part in parts if part)


def summary_text(content: Content, summary: Summary) -> str:
    """The end of a routine: what was done, time, pain before → after, streak, warnings."""
    time = content.t("routine.summary_time", time=duration_text(content, summary.seconds))
    if summary.kind == "single":
        name = _names(content, summary.done or summary.hurt or summary.skipped)
        key = "routine.single_title" if summary.done else "routine.single_title_not_done"
        lines = [content.t(key, name=name), "", time]
    else:
        key = "routine.summary_title" if summary.done else "routine.summary_title_not_done"
        if summary.warning and summary.done:
            key = "routine.summary_title_plain"  # no "Well done!" before a pain warning
        lines = [
            content.t(key),
            "",
            content.t("routine.summary_done", done=len(summary.done), total=summary.total),
        ]
        if summary.skipped:
            lines.append(
                content.t("routine.summary_skipped", names=_names(content, summary.skipped))
            )
        if summary.hurt:
            lines.append(content.t("routine.summary_hurt", names=_names(content, summary.hurt)))
        lines.append(time)
        none = content.t("routine.summary_pain_none")
        if summary.pain_before is not None or summary.pain_after is not None:
            lines.append(
                content.t(
                    "routine.summary_pain",
                    before=none if summary.pain_before is None else summary.pain_before,
                    after=none if summary.pain_after is None else summary.pain_after,
                )
            )
        if summary.streak == 1:
            lines.append(content.t("routine.summary_streak_one"))
        elif summary.streak > 1:
            lines.append(content.t("routine.summary_streak", days=summary.streak))
    lines += _change_lines(content, summary.changes)
    text = "\n".join(lines)
    for key in summary.advice_keys:
        text += "\n\n" + content.t(key).strip()
    if summary.warning and summary.hurt:
        names = _names(content, summary.hurt)
        text += "\n\n" + content.t("routine.summary_stop_hurting", names=names)
    return text


def offer_text(content: Content, view: StepView, instead: str | None = None) -> str:
    """ "You have a routine in progress (at Glute bridge, exercise 2 of 7)..."; ``instead``:
    the exercise id asked for on its own (the question then names it, as its button does)."""
    if view.item is not None and view.item_index is not None:
        name = exercise_of(content, view.item.exercise_id).name
        if view.kind == "single":
            here = content.t("routine.offer_at_single", name=name)
        else:
            here = content.t(
                "routine.offer_at_exercise", name=name, number=view.item_index + 1, total=view.items
            )
    elif view.phase == "pain_after":
        here = content.t("routine.offer_at_end")
    else:
        here = content.t("routine.offer_not_started")
    if instead is not None:
        name = exercise_of(content, instead).name
        return content.t("routine.offer_instead", where=here, name=name)
    return content.t("routine.offer", where=here)


def settings_text(content: Content, settings: SettingsView) -> str:
    if settings.length == "short":
        length = content.t("routine.settings_short", minutes=settings.short_minutes)
    else:
        count = len(content.exercises) - len(settings.excluded)
        length = content.t("routine.settings_full", count=count, minutes=settings.full_minutes)
    timers = content.t(
        "routine.settings_timers_on" if settings.timers else "routine.settings_timers_off"
    )
    if settings.timers and settings.hands_free:
        slow = "_slow" if settings.slow_pace else ""
        timers = content.t(f"routine.settings_timers_hands_free{slow}")
    excluded = (
        _names(content, settings.excluded)
        if settings.excluded
        else content.t("routine.settings_none")
    )
    pictures = content.t(
        "routine.settings_pictures_on" if settings.pictures else "routine.settings_pictures_off"
    )
    return content.t(
        "routine.settings", length=length, timers=timers, pictures=pictures, excluded=excluded
    )


def _exercising(view: StepView) -> tuple[PlanItem, Position]:
    if view.item is None or view.position is None:
        raise ValueError(f"no exercise at phase {view.phase}")
    return view.item, view.position
