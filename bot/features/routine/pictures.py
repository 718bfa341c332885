"""The routine's exercise animations: before the first step of an exercise and of each side
(hands-free, also at the switch to the other side within the live message)."""

from __future__ import annotations

from bot.features.routine import views as render
from bot.plumbing import pictures
from bot.runtime import BotApp, runtime_of
from bot.services import routine as service


def opens_side(view: service.StepView) -> bool:
    """The first step of an exercise, or of one side of a per-side one."""
    position = view.position
    return (
        view.item is not None
        and position is not None
        and view.phase == "ready"
        and position.set_no == 1
        and position.rep == 1
    )


async def show_picture(app: BotApp, view: service.StepView, chat_id: int) -> None:
    """The exercise's animation before its first step on each side (when drawn and wanted);
    hands-free, without a sound (the cues are the sounds)."""
    if view.item is None or view.position is None:
        return
    runtime = runtime_of(app)
    content = runtime.content
    name = render.exercise_of(content, view.item.exercise_id).name
    side = view.position.side
    caption = (
        content.t("picture.caption_routine_side", name=name, side=content.t(f"routine.side_{side}"))
        if side is not None
        else content.t("picture.caption_routine", name=name)
    )
    await pictures.send_exercise_picture(
        app.bot,
        runtime,
        chat_id,
        exercise_id=view.item.exercise_id,
        side=side,
        caption=caption,
        session_id=view.session_id,
        quiet=view.hands_free,
    )
