"""The zone, time or /start safety question, repeated once after a text that was something
else (``bot.domain.pending``)."""

from __future__ import annotations

from bot.domain.onboarding import Awaiting
from bot.features.onboarding import views as onboarding_views
from bot.features.pending.handlers import repeat_question
from bot.plumbing.mapping import Sender
from bot.runtime import BotContext
from bot.services.pending import safety_still_open
from bot.services.reminder_answers import NotAnAnswer


def repeat_later(context: BotContext, sender: Sender, outcome: NotAnAnswer) -> None:
    """Ask ``outcome.what`` again after the reply the text gets from its own route."""
    content = context.runtime.content
    if outcome.what == "zone":
        repeat_question(context, sender, content.t("pending.zone"), awaiting=Awaiting.ZONE)
        return
    if outcome.what == "time":
        repeat_question(context, sender, content.t("pending.time"), awaiting=Awaiting.TIME)
        return
    runtime = context.runtime

    async def still_open() -> bool:
        async with runtime.session() as session:
            return await safety_still_open(session, sender.user_id, outcome.index)

    if outcome.index < 0:
        text, keyboard = onboarding_views.urgent(content)
    else:
        text, keyboard = onboarding_views.safety_question(content, outcome.index)
    text = content.t("pending.safety") + "\n\n" + text
    repeat_question(context, sender, text, still_open=still_open, markup=keyboard)
