"""Hands-free: the exercise's live message (its texts and buttons), its cues and the one line
it collapses to. Plain strings from the catalog and the service's views; keyboards built with
the one callback codec."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup

from bot.domain.pace import rep_moment
from bot.features.routine import views as render
from bot.features.routine.keyboards import _button
from bot.plumbing.callbacks import Action
from bot.services.routine import Closing, Cue, StepView
from content import Content

DONE_RESULTS = frozenset({"held", "early", "done", "set_done"})


def is_live(view: StepView) -> bool:
    """A step shown as (part of) an exercise's live message."""
    return view.hands_free and view.item is not None and view.phase in ("ready", "holding")


def live_text(content: Content, view: StepView) -> str:
    """The exercise's card with what is happening now under it."""
    card = render.card_text(content, view)
    return content.t("routine.live", card=card.rstrip(), status=status_text(content, view))


def status_text(content: Content, view: StepView) -> str:
    item = view.item
    if item is None:
        return ""
    t = content.t
    if view.phase == "holding":
        if item.mode == "reps" and view.pace is not None:
            moment = rep_moment(view.pace, item, view.elapsed or 0)
            count = t(
                f"routine.live_rep_{moment.stage}",
                rep=moment.rep,
                reps=moment.reps,
                left=moment.left,
            )
            bar = render.progress_bar(moment.rep - 1, moment.reps)
            return t("routine.live_reps", title=render.title(content, view), count=count, bar=bar)
        total = item.dose.hold_seconds
        remaining = view.remaining if view.remaining is not None else total
        return t(
            "routine.live_hold",
            title=render.title(content, view),
            remaining=remaining,
            bar=render.progress_bar(total - remaining, total),
        )
    if view.paused is not None:
        return t("routine.live_paused", seconds=view.paused)
    if view.wait_left is not None and view.wait is not None:
        return t(f"routine.live_wait_{view.wait}", seconds=view.wait_left)
    return t("routine.live_waiting")


def live_keyboard(content: Content, view: StepView) -> InlineKeyboardMarkup:
    """Start (or Finish), Pause or Resume; Skip and It hurts; Stop: always at hand."""
    t = content.t
    ref = (view.session_id, view.step_no)
    reps = view.item is not None and view.item.mode == "reps"
    if view.phase == "holding":
        label = t("routine.button_set_done" if reps else "routine.button_finish")
        first = [
            _button(label, Action.ROUTINE_FINISH, *ref),
            _button(t("routine.button_pause"), Action.ROUTINE_PAUSE, *ref),
        ]
    elif view.paused is not None:
        first = [_button(t("routine.button_go_on"), Action.ROUTINE_GO_ON, *ref)]
    elif view.wait_left is not None:
        first = [
            _button(t("routine.button_start_now"), Action.ROUTINE_START_HOLD, *ref),
            _button(t("routine.button_pause"), Action.ROUTINE_PAUSE, *ref),
        ]
    else:
        first = [_button(t("routine.button_start"), Action.ROUTINE_START_HOLD, *ref)]
    return InlineKeyboardMarkup(
        [
            first,
            [
                _button(t("routine.button_skip"), Action.ROUTINE_SKIP, *ref),
                _button(t("routine.button_hurts"), Action.ROUTINE_HURTS, *ref),
            ],
            [_button(t("routine.button_stop"), Action.ROUTINE_STOP, *ref)],
        ]
    )


def cue_text(content: Content, cue: Cue, view: StepView) -> str:
    if cue == "hold":
        return content.t("routine.cue_hold", title=render.title(content, view))
    return content.t(f"routine.cue_{cue}")


def collapsed_text(content: Content, closing: Closing) -> str:
    """ "Knees to chest: 3 × 20 s each side ✓" """
    item = closing.view.item
    if item is None:
        return render.closed_text(content, closing)
    name = render.exercise_of(content, item.exercise_id).name
    if closing.result in DONE_RESULTS:
        mark = content.t("routine.collapsed_done")
    elif closing.result in ("skipped", "hurt", "stopped"):
        mark = content.t(f"routine.collapsed_{closing.result}")
    else:
        return render.closed_text(content, closing)
    dose = item.dose
    if item.mode == "reps":
        key = "routine.collapsed_reps"
    else:
        key = "routine.collapsed_hold_sides" if item.per_side else "routine.collapsed_hold"
    return content.t(
        key, name=name, reps=dose.reps, seconds=dose.hold_seconds, sets=dose.sets, mark=mark
    )
