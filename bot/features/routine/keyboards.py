"""The routine screen's keyboards: a step's buttons, continue or restart, "it hurts", settings."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.features.pain.views import pain_scale_keyboard
from bot.features.routine import views as render
from bot.plumbing.callbacks import Action, encode
from bot.services import routine as service
from content import Content

NO_EXERCISE = "-"


def _button(label: str, action: Action, *args: int | str) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=encode(action, *args))


def step_keyboard(content: Content, view: service.StepView) -> InlineKeyboardMarkup | None:
    """The buttons of a step: they carry the session and the step they belong to."""
    ref = (view.session_id, view.step_no)
    t = content.t
    if view.phase in ("pain_before", "pain_after"):
        return pain_scale_keyboard(Action.ROUTINE_PAIN, *ref, skip_label=t("routine.pain_skip"))
    if view.item is None:
        return None
    reps = view.item.mode == "reps"
    hurts = _button(t("routine.button_hurts"), Action.ROUTINE_HURTS, *ref)
    if view.phase == "holding":
        label = t("routine.button_set_done" if reps else "routine.button_finish")
        return InlineKeyboardMarkup([[_button(label, Action.ROUTINE_FINISH, *ref)], [hurts]])
    if view.phase != "ready":
        return None
    if view.timers:
        label = t("routine.button_start_set" if reps else "routine.button_start_hold")
        main = _button(label, Action.ROUTINE_START_HOLD, *ref)
    else:
        label = t("routine.button_set_done" if reps else "routine.button_done")
        main = _button(label, Action.ROUTINE_FINISH, *ref)
    return InlineKeyboardMarkup(
        [
            [main],
            [_button(t("routine.button_skip"), Action.ROUTINE_SKIP, *ref), hurts],
            [_button(t("routine.button_stop"), Action.ROUTINE_STOP, *ref)],
        ]
    )


def offer_keyboard(
    content: Content, view: service.StepView, request: service.Request
) -> InlineKeyboardMarkup:
    ref = (view.session_id, view.step_no)
    if request.exercise_id is not None:
        name = render.exercise_of(content, request.exercise_id).name
        restart_label = content.t("routine.button_restart_single", name=name)
    else:
        restart_label = content.t("routine.button_restart")
    restart = _button(
        restart_label,
        Action.ROUTINE_RESTART,
        *ref,
        request.delivery_id,
        request.exercise_id or NO_EXERCISE,
    )
    resume = _button(content.t("routine.button_resume"), Action.ROUTINE_RESUME, *ref)
    return InlineKeyboardMarkup([[resume, restart]])


def hurt_keyboard(content: Content, note: service.HurtNote) -> InlineKeyboardMarkup:
    label = content.t("routine.button_leave_out")
    return InlineKeyboardMarkup(
        [[_button(label, Action.ROUTINE_LEAVE_OUT, note.session_id, note.exercise_id)]]
    )


def settings_keyboard(content: Content, settings: service.SettingsView) -> InlineKeyboardMarkup:
    t = content.t

    def length_button(length: str) -> InlineKeyboardButton:
        label = t(f"routine.settings_button_{length}")
        if settings.length == length:
            label = t("routine.settings_selected", label=label)
        return _button(label, Action.ROUTINE_SET_LENGTH, length)

    timers = (
        _button(t("routine.settings_button_timers_off"), Action.ROUTINE_SET_TIMERS, 0)
        if settings.timers
        else _button(t("routine.settings_button_timers_on"), Action.ROUTINE_SET_TIMERS, 1)
    )
    pictures = (
        _button(t("routine.settings_button_pictures_off"), Action.ROUTINE_SET_PICTURES, 0)
        if settings.pictures
        else _button(t("routine.settings_button_pictures_on"), Action.ROUTINE_SET_PICTURES, 1)
    )
    rows = [[length_button("full"), length_button("short")], [timers, pictures]]
    if settings.timers:
        mode = 0 if settings.hands_free else 1
        label = t(f"routine.settings_button_hands_free_{'off' if settings.hands_free else 'on'}")
        row = [_button(label, Action.ROUTINE_SET_HANDS_FREE, mode)]
        if settings.hands_free:
            slow = "off" if settings.slow_pace else "on"
            row.append(
                _button(
                    t(f"routine.settings_button_slow_{slow}"),
                    Action.ROUTINE_SET_SLOW,
                    0 if settings.slow_pace else 1,
                )
            )
        rows.append(row)
    for exercise_id in settings.excluded:
        name = render.exercise_of(content, exercise_id).name
        label = t("routine.settings_button_bring_back", name=name)
        rows.append([_button(label, Action.ROUTINE_BRING_BACK, exercise_id)])
    rows.append([_button(t("remind.btn_back"), Action.SETTINGS_SCREEN, "main")])  # to /settings
    return InlineKeyboardMarkup(rows)
