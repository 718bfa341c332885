"""The routine's settings screen, and the answer to "leave it out of my routines"."""

from __future__ import annotations

from bot.features.routine import views as render
from bot.features.routine.keyboards import (
    settings_keyboard,
)
from bot.plumbing.replies import drop_buttons, edit_text
from bot.runtime import BotApp, runtime_of
from bot.services import routine as service


async def show_left_out(
    app: BotApp, left: service.LeftOut, *, chat_id: int, message_id: int | None
) -> None:
    if left.verdict != "ok" or left.exercise_id is None or message_id is None:
        if left.verdict == "stale" and message_id is not None:
            await drop_buttons(app.bot, chat_id, message_id)
        return
    content = runtime_of(app).content
    note = service.HurtNote(0, left.exercise_id, None)
    await edit_text(app.bot, chat_id, message_id, render.hurt_text(content, note, left_out=True))


async def show_settings(
    app: BotApp, settings: service.SettingsView, *, chat_id: int, message_id: int | None
) -> None:
    """The routine settings: a new message, or an edit of the one being changed."""
    content = runtime_of(app).content
    text = render.settings_text(content, settings)
    markup = settings_keyboard(content, settings)
    if message_id is not None and await edit_text(app.bot, chat_id, message_id, text, markup):
        return
    await app.bot.send_message(chat_id, text, reply_markup=markup)
