"""The guided routine's work: sessions, steps, holds, pain ratings, progression and settings.

Every function takes an AsyncSession and plain values, commits what it changed, and returns
plain data saying what the user should see next. Taps name the session and the step they
were made for (``step_no``); the session row is locked and the step checked before anything
is written, so a double tap, a button from an old message or a tap racing the hold timer
records nothing twice.

``results`` holds what the services return, ``opening`` starts and resumes sessions, ``steps``
takes the taps on a step, ``timers`` the hold timer, ``settings`` the routine's settings, and
``flow`` what they all share (the guard, moving on, finishing and progression).
"""

from bot.services.routine.cadence import next_tick
from bot.services.routine.hands_free import (
    carry_on_counting,
    countdown_due,
    pause,
    remember_cue,
)
from bot.services.routine.opening import open_routine, restart, resume
from bot.services.routine.results import (
    TICK_SECONDS,
    Closing,
    Cue,
    HurtNote,
    LateRating,
    Lead,
    LeftOut,
    Opened,
    Outcome,
    Recovery,
    Request,
    SettingsChange,
    SettingsView,
    StepView,
    Summary,
    Tick,
    TimerOrder,
)
from bot.services.routine.settings import routine_settings
from bot.services.routine.steps import (
    finish_step,
    it_hurts,
    leave_out,
    rate_pain,
    remember_card,
    skip_exercise,
    start_hold,
    stop,
    stop_for_safety,
)
from bot.services.routine.timers import recover_timers, timer_due

__all__ = [
    "OUTCOME_COMPLETED",
    "OUTCOME_EARLY",
    "OUTCOME_HURT",
    "OUTCOME_SKIPPED",
    "TICK_SECONDS",
    "Closing",
    "Cue",
    "HurtNote",
    "LateRating",
    "Lead",
    "LeftOut",
    "Opened",
    "Outcome",
    "Recovery",
    "Request",
    "SettingsChange",
    "SettingsView",
    "StepView",
    "Summary",
    "Tick",
    "TimerOrder",
    "carry_on_counting",
    "countdown_due",
    "finish_step",
    "it_hurts",
    "leave_out",
    "next_tick",
    "open_routine",
    "pause",
    "rate_pain",
    "recover_timers",
    "remember_card",
    "remember_cue",
    "restart",
    "resume",
    "routine_settings",
    "skip_exercise",
    "start_hold",
    "stop",
    "stop_for_safety",
    "timer_due",
]
