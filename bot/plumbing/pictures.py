"""Exercise cards with their picture: the one sending helper, and drawing at start-up.

``send_card`` sends a card with its animation (the card as caption; a card longer than
Telegram's caption limit goes as a short caption and the full card as the next message).
The first showing uploads the MP4 and stores the ``file_id`` Telegram returns; later showings
send that ``file_id`` (no upload). A ``file_id`` Telegram refuses is dropped and the file
uploaded again. A picture that is not drawn yet, turned off by the user or the operator, or
that fails to send, leaves the text alone: the card always goes.

``start_drawing`` is a start-up hook: it draws missing pictures in a worker (daemon) thread
and returns at once, so start-up, the event loop and shutdown never wait for it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import Callable
from typing import TypeVar, cast

from telegram import Bot, InlineKeyboardMarkup, InputFile, Message
from telegram.error import BadRequest, Forbidden, TelegramError

from bot.pictures import cache
from bot.pictures.animation import sides_of
from bot.pictures.cache import Kind, Picture
from bot.runtime import BotApp, Runtime, runtime_of
from bot.services import media

log = logging.getLogger(__name__)
T = TypeVar("T")

CAPTION_LIMIT = 1024
"""Telegram's limit on a caption, in UTF-16 code units."""
REFUSALS = ("wrong file identifier", "file not found", "wrong remote file identifier")
"""What Telegram says when a stored file_id no longer works (a new bot token, a purge)."""


def caption_length(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


def is_refused_file(error: BadRequest) -> bool:
    text = error.message.lower()
    return any(words in text for words in REFUSALS)


def picture_for(
    runtime: Runtime, exercise_id: str, side: str | None, kind: Kind = "animation"
) -> Picture | None:
    """The drawn picture of this exercise and side (None: its first side), or None (turned
    off, or not drawn yet)."""
    settings = runtime.settings
    exercise = runtime.content.exercise(exercise_id)
    if not settings.pictures_enabled or exercise is None:
        return None
    chosen = side if side is not None else sides_of(exercise)[0]
    return cache.lookup(settings.pictures_dir, runtime.content, exercise_id, chosen, kind)


async def _wanted(runtime: Runtime, user_id: int | None, session_id: int | None) -> bool:
    if user_id is None and session_id is None:
        return True
    async with runtime.session() as db:
        if session_id is not None:
            return await media.session_wants_pictures(db, session_id=session_id)
        return await media.wants_pictures(db, user_id=user_id or 0)


async def send_picture(
    bot: Bot,
    runtime: Runtime,
    chat_id: int,
    picture: Picture,
    *,
    caption: str,
    markup: InlineKeyboardMarkup | None = None,
    quiet: bool = False,
) -> Message:
    """Send one picture: its stored file_id, else (or when refused) the file, whose new
    file_id is stored (``quiet``: without a notification). Raises what Telegram raises
    otherwise."""
    async with runtime.session() as db:
        file_id = await media.stored_file_id(db, picture.key)
    if file_id is not None:
        try:
            return await _send_file(bot, chat_id, picture, file_id, caption, markup, quiet)
        except BadRequest as error:
            if not is_refused_file(error):
                raise
            log.info("stored file_id refused, uploading again: %s", picture.path.name)
            async with runtime.session() as db:
                await media.forget_file_id(db, picture.key, file_id)
    data = await asyncio.to_thread(picture.path.read_bytes)
    upload = InputFile(data, filename=picture.path.name)
    message = await _send_file(bot, chat_id, picture, upload, caption, markup, quiet)
    new_id = _file_id_of(message)
    if new_id is not None:
        async with runtime.session() as db:
            await media.remember_file_id(
                db,
                key=picture.key,
                kind=picture.kind,
                exercise_id=picture.exercise_id,
                side=picture.side,
                file_id=new_id,
                now=runtime.clock.now(),
            )
    return message


async def _send_file(
    bot: Bot,
    chat_id: int,
    picture: Picture,
    file: str | InputFile,
    caption: str,
    markup: InlineKeyboardMarkup | None,
    quiet: bool = False,
) -> Message:
    if quiet:  # hands-free: the cues are the only sounds
        if picture.kind == "still":
            return await bot.send_photo(
                chat_id, file, caption=caption, reply_markup=markup, disable_notification=True
            )
        return await bot.send_animation(
            chat_id, file, caption=caption, reply_markup=markup, disable_notification=True
        )
    if picture.kind == "still":
        return await bot.send_photo(chat_id, file, caption=caption, reply_markup=markup)
    return await bot.send_animation(chat_id, file, caption=caption, reply_markup=markup)


def _file_id_of(message: Message) -> str | None:
    if message.animation is not None:
        return message.animation.file_id
    if message.photo:
        return message.photo[-1].file_id
    if message.document is not None:
        return message.document.file_id
    return None


async def try_picture(
    bot: Bot,
    runtime: Runtime,
    chat_id: int,
    picture: Picture,
    *,
    caption: str,
    markup: InlineKeyboardMarkup | None = None,
    quiet: bool = False,
) -> Message | None:
    """``send_picture``, but a failure (other than a blocked chat) is logged and answered
    with None, so the caller sends the text instead."""
    try:
        return await send_picture(
            bot, runtime, chat_id, picture, caption=caption, markup=markup, quiet=quiet
        )
    except Forbidden:
        raise
    except TelegramError as error:
        log.warning("picture %s not sent, text only: %s", picture.path.name, error)
        return None


async def send_card(
    bot: Bot,
    runtime: Runtime,
    chat_id: int,
    *,
    exercise_id: str,
    side: str | None,
    text: str,
    markup: InlineKeyboardMarkup | None = None,
    user_id: int | None = None,
) -> Message:
    """An exercise card with its animation when there is one (and ``user_id`` wants it);
    returns the message that carries ``markup``."""
    picture = picture_for(runtime, exercise_id, side)
    if picture is not None and await _wanted(runtime, user_id, None):
        if caption_length(text) <= CAPTION_LIMIT:
            sent = await try_picture(bot, runtime, chat_id, picture, caption=text, markup=markup)
            if sent is not None:
                return sent
        else:
            exercise = runtime.content.exercise(exercise_id)
            name = exercise.name if exercise is not None else exercise_id
            short = runtime.content.t("picture.caption_short", name=name)
            await try_picture(bot, runtime, chat_id, picture, caption=short)
    return await bot.send_message(chat_id, text, reply_markup=markup)


async def send_exercise_picture(
    bot: Bot,
    runtime: Runtime,
    chat_id: int,
    *,
    exercise_id: str,
    side: str | None,
    caption: str,
    session_id: int | None = None,
    quiet: bool = False,
) -> Message | None:
    """The animation alone (the routine sends it before a step's card, and hands-free at the
    switch to the other side; ``quiet``: without a notification); None when there is none to
    send, it is turned off, or it failed (the step card goes anyway)."""
    picture = picture_for(runtime, exercise_id, side)
    if picture is None or not await _wanted(runtime, None, session_id):
        return None
    return await try_picture(bot, runtime, chat_id, picture, caption=caption, quiet=quiet)


async def known_file_ids(runtime: Runtime, pictures: list[Picture]) -> dict[str, str]:
    """Picture key → stored file_id, for those uploaded before (inline mode uses them)."""
    async with runtime.session() as db:
        return await media.stored_file_ids(db, [picture.key for picture in pictures])


# --- drawing at start-up ----------------------------------------------------------------


def _in_daemon_thread(work: Callable[[], T]) -> asyncio.Future[T]:
    """Run ``work`` in a daemon thread: unlike ``asyncio.to_thread`` (the default executor,
    which ``asyncio.run`` waits for at exit), a bot stopped mid-drawing exits at once; files
    are written under a temporary name and renamed, so none is left half-written."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[T] = loop.create_future()

    def settle(result: T | None, error: BaseException | None) -> None:
        if future.done():
            return
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(cast("T", result))

    def run() -> None:
        try:
            result, error = work(), None
        except BaseException as caught:  # handed to the awaiting task
            result, error = None, caught
        with contextlib.suppress(RuntimeError):  # the loop closed: nobody is waiting
            loop.call_soon_threadsafe(settle, result, error)

    threading.Thread(target=run, name="draw-pictures", daemon=True).start()
    return future


async def _draw(runtime: Runtime) -> None:
    settings = runtime.settings
    try:
        drawn = await _in_daemon_thread(
            lambda: cache.render_missing(settings.pictures_dir, runtime.content)
        )
    except Exception:  # a picture is never worth a crash: the cards go as text
        log.exception("drawing the exercise pictures failed; cards go without them")
        return
    log.info("exercise pictures ready in %s (%s drawn)", settings.pictures_dir, len(drawn))


async def start_drawing(app: BotApp) -> None:
    """Start-up hook: draw missing pictures in a worker thread; return at once."""
    runtime = runtime_of(app)
    if not runtime.settings.pictures_enabled or runtime.drawing is not None:
        return
    runtime.drawing = asyncio.create_task(_draw(runtime), name="draw-pictures")


async def pictures_drawn(runtime: Runtime) -> None:
    """Wait for the start-up drawing to end (tests, the benchmark; never a handler)."""
    if runtime.drawing is not None:
        await asyncio.shield(runtime.drawing)
