"""Exercise cards with their animation, through the real Application and the fake Bot API:
upload once, then the stored file_id; a refused file_id uploaded again; the long card; the
routine's animation per exercise and side; pictures off; drawing at start-up in a thread.

The picture files here are placeholders written where the cache looks (drawing is tested in
tests/test_pictures.py); only ``test_drawing_at_start_up_*`` runs the start-up hook's thread.
"""

from __future__ import annotations

import asyncio
import io
import threading
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bench import bench_media
from bot.domain.routine import SIDES as ROUTINE_ORDER_OF_SIDES
from bot.entry.console import CONSOLE_USER_ID, ConsolePrinter
from bot.entry.fake_media import REFUSED
from bot.entry.fake_records import ApiCall
from bot.features.questions.views import exercise_card
from bot.pictures import cache
from bot.plumbing import pictures
from bot.plumbing.callbacks import Action, encode
from bot.runtime.settings import Settings
from content import Content, load_content
from storage.models import MediaFile, User
from tests.harness import BotHarness, catalog, make_settings
from tests.routine_helpers import ALICE, SET_DONE, START_HOLD, START_SET

ROUTINE_SIDES = [
    (exercise.id, side)
    for exercise in catalog().exercises  # the routine's order
    for side in (ROUTINE_ORDER_OF_SIDES if exercise.per_side else ("both",))
]
"""Every exercise and side of a full routine, in the order the routine shows them."""


def write_placeholders(folder: Path, content: Content) -> None:
    """A file at every path the cache expects, so each picture counts as drawn."""
    folder.mkdir(parents=True, exist_ok=True)
    for item in cache.pictures(folder, content):
        item.path.write_bytes(b"\x00\x00\x00\x18ftypmp42" + item.path.name.encode())


@pytest.fixture(scope="session")
def drawn_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("pictures")
    write_placeholders(folder, load_content())
    return folder


def picture_settings(database_url: str, folder: Path) -> Settings:
    return make_settings(database_url, pictures_enabled=True, pictures_dir=folder)


@pytest.fixture
async def pbot(database_url: str, drawn_dir: Path) -> AsyncIterator[BotHarness]:
    harness = await BotHarness.start(picture_settings(database_url, drawn_dir))
    await pictures.pictures_drawn(harness.runtime)
    try:
        yield harness
    finally:
        await harness.stop()
    assert harness.errors == []


def card(bot: BotHarness, exercise_id: str) -> str:
    exercise = bot.content.exercise(exercise_id)
    assert exercise is not None
    return exercise_card(bot.content, exercise)


def picture_of(bot: BotHarness, exercise_id: str, side: str | None = None) -> cache.Picture:
    found = pictures.picture_for(bot.runtime, exercise_id, side)
    assert found is not None
    return found


def animations(calls: list[ApiCall]) -> list[ApiCall]:
    return [call for call in calls if call.method == "sendAnimation"]


async def stored(bot: BotHarness) -> dict[str, str]:
    return {row.key: row.file_id for row in await bot.rows(MediaFile)}


async def test_the_first_showing_uploads_and_the_second_sends_the_stored_file_id(
    pbot: BotHarness,
) -> None:
    knees = picture_of(pbot, "knees_to_chest")
    first = await pbot.send(ALICE, "/exercise knees to chest")

    assert [call.method for call in first] == ["sendAnimation"]
    assert first[0].text == card(pbot, "knees_to_chest")  # the card is the caption
    assert first[0].files["animation"] == knees.path.read_bytes()
    assert first[0].file_names["animation"] == knees.path.name
    assert first[0].buttons == [[pbot.content.t("questions.button.do_now")]]
    [upload] = pbot.fake.files.uploads
    assert await stored(pbot) == {knees.key: upload.file_id}

    second = await pbot.send(ALICE, "/exercise knees to chest")

    assert [call.method for call in second] == ["sendAnimation"]
    assert second[0].files == {}  # no upload
    assert second[0].params["animation"] == upload.file_id
    assert second[0].text == card(pbot, "knees_to_chest")
    assert len(pbot.fake.files.uploads) == 1

    # A restart (a new process) sends the stored file_id too.
    await pbot.restart()
    third = await pbot.send(ALICE, "/exercise knees to chest")
    assert third[0].params["animation"] == upload.file_id
    assert len(pbot.fake.files.uploads) == 1


async def test_a_refused_file_id_is_dropped_and_the_file_uploaded_again(
    pbot: BotHarness,
) -> None:
    bridge = picture_of(pbot, "glute_bridge")
    await pbot.send(ALICE, "/exercise glute bridge")
    [old] = pbot.fake.files.uploads
    pbot.fake.files.forget()  # as after a new bot token: Telegram refuses the old file_ids

    calls = await pbot.send(ALICE, "/exercise glute bridge")

    assert [call.method for call in calls] == ["sendAnimation", "sendAnimation"]
    assert calls[0].params["animation"] == old.file_id
    assert calls[1].files["animation"] == bridge.path.read_bytes()
    [_, new] = pbot.fake.files.uploads
    assert new.file_id != old.file_id
    assert await stored(pbot) == {bridge.key: new.file_id}
    refused = await pbot.fake.handle("sendAnimation", {"chat_id": ALICE, "animation": old.file_id})
    assert refused[0] == 400
    assert REFUSED.encode() in refused[1]


async def test_a_card_too_long_for_a_caption_follows_the_animation(pbot: BotHarness) -> None:
    long_card = card(pbot, "seated_pigeon")
    assert pictures.caption_length(long_card) > pictures.CAPTION_LIMIT
    await pbot.send(ALICE, "/exercises")

    calls = await pbot.tap(ALICE, "Seated pigeon pose")

    assert [call.method for call in calls] == [
        "answerCallbackQuery",
        "sendAnimation",
        "sendMessage",
    ]
    short = pbot.content.t("picture.caption_short", name="Seated pigeon pose")
    assert (calls[1].text, calls[1].buttons) == (short, [])
    assert calls[2].text == long_card
    assert calls[2].buttons == [[pbot.content.t("questions.button.do_now")]]


async def test_a_stretch_named_in_free_text_opens_its_card_with_the_animation(
    pbot: BotHarness,
) -> None:
    assert pictures.caption_length(card(pbot, "glute_bridge")) <= pictures.CAPTION_LIMIT
    calls = await pbot.send(ALICE, "how do I do the bridge?")

    assert [call.method for call in calls] == ["sendAnimation"]
    assert calls[0].text == card(pbot, "glute_bridge")
    assert calls[0].file_names["animation"] == picture_of(pbot, "glute_bridge").path.name


async def test_a_card_that_fits_with_a_picture_not_drawn_yet_goes_as_text(
    database_url: str, tmp_path: Path
) -> None:
    bot = await BotHarness.start(picture_settings(database_url, tmp_path / "empty"))
    try:
        # The start-up hook is drawing in its thread: the card does not wait for it.
        calls = await bot.send(ALICE, "/exercise pelvic tilt")
        assert [call.method for call in calls] == ["sendMessage"]
        assert calls[0].text == card(bot, "pelvic_tilt")
    finally:
        await bot.stop()


async def test_drawing_at_start_up_runs_in_a_thread_and_never_holds_start_up(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "pictures"
    release = threading.Event()
    threads: list[str] = []

    def slow_render(cache_dir: Path, content: Content) -> list[cache.Picture]:
        threads.append(threading.current_thread().name)
        assert release.wait(timeout=60), "the test never released the drawing"
        write_placeholders(cache_dir, content)
        return cache.pictures(cache_dir, content)

    monkeypatch.setattr(cache, "render_missing", slow_render)
    bot = await BotHarness.start(picture_settings(database_url, folder))
    try:
        assert bot.runtime.drawing is not None
        assert not bot.runtime.drawing.done()
        before = await bot.send(ALICE, "/exercise glute bridge")
        assert [call.method for call in before] == ["sendMessage"]

        release.set()
        await asyncio.wait_for(pictures.pictures_drawn(bot.runtime), timeout=60)
        after = await bot.send(ALICE, "/exercise glute bridge")
        assert [call.method for call in after] == ["sendAnimation"]
        assert threads
        assert threads[0] != threading.main_thread().name
    finally:
        release.set()
        await bot.stop()


async def _walk_routine(bot: BotHarness) -> list[ApiCall]:
    """The whole routine: pain 3 before, every hold and set to its end, pain 3 after."""
    before = len(bot.fake.calls)
    await bot.send(ALICE, "/routine")
    await bot.tap(ALICE, "3")
    while True:
        newest = max(bot.fake.messages[ALICE].values(), key=lambda m: m.message_id)
        labels = [
            str(button["text"])
            for row in (newest.reply_markup or {}).get("inline_keyboard", [])
            for button in row
        ]
        if START_HOLD in labels:
            await bot.tap(ALICE, START_HOLD)
            await bot.advance(minutes=2)
        elif START_SET in labels:
            await bot.tap(ALICE, START_SET)
            await bot.tap(ALICE, SET_DONE)
        elif "3" in labels:
            await bot.tap(ALICE, "3")
        else:
            return bot.fake.calls[before:]


async def test_the_whole_routine_shows_one_animation_per_exercise_and_side(
    pbot: BotHarness,
) -> None:
    await pbot.send(ALICE, "/start")
    calls = await _walk_routine(pbot)

    sent = animations(calls)
    names = [call.file_names.get("animation") for call in sent]
    expected = [picture_of(pbot, exercise, side).path.name for exercise, side in ROUTINE_SIDES]
    assert names == expected  # each uploaded once, in the routine's order
    # Each animation comes just before its step card, which names the same exercise.
    for call in sent:
        following = calls[calls.index(call) + 1]
        assert following.method == "sendMessage"
        exercise = pbot.content.exercise(call.file_names["animation"].split("-")[0])
        assert exercise is not None
        assert exercise.name in (following.text or "")
        assert exercise.name in (call.text or "")
    assert len(await stored(pbot)) == len(ROUTINE_SIDES)

    # The next day's routine sends the same animations by their stored file_ids.
    again = animations(await _walk_routine(pbot))
    assert len(again) == len(ROUTINE_SIDES)
    assert all(call.files == {} for call in again)
    assert [call.params["animation"] for call in again] == [
        (await stored(pbot))[picture_of(pbot, exercise, side).key]
        for exercise, side in ROUTINE_SIDES
    ]


async def test_pictures_off_in_settings_sends_text_only(pbot: BotHarness) -> None:
    t = pbot.content.t
    await pbot.send(ALICE, "/start")
    await pbot.tap_data(ALICE, 1, encode(Action.SETTINGS_ROUTINE))

    calls = await pbot.tap(ALICE, t("routine.settings_button_pictures_off"))

    assert t("routine.settings_pictures_off") in (calls[1].text or "")
    assert [t("routine.settings_button_timers_off"), t("routine.settings_button_pictures_on")] in (
        calls[1].buttons
    )
    [user] = await pbot.rows(User)
    assert user.pictures_enabled is False
    routine = await _walk_routine(pbot)
    assert animations(routine) == []
    assert sum(call.method == "sendMessage" for call in routine) > len(ROUTINE_SIDES)
    card_calls = await pbot.send(ALICE, "/exercise child's pose")
    assert [(call.method, call.text) for call in card_calls] == [
        ("sendMessage", card(pbot, "childs_pose"))
    ]

    await pbot.tap(ALICE, t("routine.settings_button_pictures_on"))
    assert animations(await pbot.send(ALICE, "/exercise child's pose")) != []


async def test_inline_mode_shares_the_card_with_its_animation_once_uploaded(
    pbot: BotHarness,
) -> None:
    calls = await pbot.inline(ALICE, "knees")
    [result] = calls[0].params["results"]
    assert result["type"] == "article"  # nothing uploaded yet: the card as text

    await pbot.send(ALICE, "/exercise knees to chest")
    await pbot.send(ALICE, "/exercise seated pigeon")
    [knees_upload, _] = pbot.fake.files.uploads
    calls = await pbot.inline(ALICE, "")
    results = {result["id"]: result for result in calls[0].params["results"]}

    knees = results["knees_to_chest"]
    assert (knees["type"], knees["mpeg4_file_id"]) == ("mpeg4_gif", knees_upload.file_id)
    assert knees["caption"] == card(pbot, "knees_to_chest")
    assert knees["reply_markup"]["inline_keyboard"][0][0]["url"].startswith("https://t.me/")
    assert results["seated_pigeon"]["type"] == "article"  # too long for a caption
    assert results["glute_bridge"]["type"] == "article"  # never uploaded


async def test_the_console_prints_where_the_picture_is(pbot: BotHarness, drawn_dir: Path) -> None:
    out = io.StringIO()
    printer = ConsolePrinter(out, pictures_dir=drawn_dir)
    pbot.fake.listeners.append(printer.on_call)

    await pbot.send(CONSOLE_USER_ID, "/exercise glute bridge")

    path = picture_of(pbot, "glute_bridge").path
    assert f"   picture: {path}\n" in out.getvalue()
    assert "[animation]" in out.getvalue()


def test_the_media_benchmark_sends_with_the_cached_file_id_after_one_upload() -> None:
    result = bench_media.main(
        ["--only", "pelvic_tilt", "--lookups", "3", "--sends", "3", "--rtt-ms", "0"]
    )

    assert [(row.exercise_id, row.side) for row in result.animations] == [("pelvic_tilt", "both")]
    assert result.send is not None
    assert result.send.sends == 3  # and the benchmark asserted a single upload
