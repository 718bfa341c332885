"""/history through the real Application: the picture, its figures in words, and the periods."""

from __future__ import annotations

import re
import shutil
from datetime import UTC, datetime
from pathlib import Path

from bot.domain.progress import summarise
from bot.features.progress.views import summary_text
from bot.plumbing.callbacks import Action, encode
from content.loader import CONTENT_DIR, load_content
from tests.harness import BotHarness, make_settings
from tests.png import png_size
from tests.progress_fixtures import add_routine, local, rate, set_zone
from tests.progress_sample import RATINGS, ROUTINE_DAYS, TODAY

ALICE = 111_111_111_111
BOB = 222_222_222


def _period(bot: BotHarness, days: int) -> str:
    return bot.content.t("history.button_period", days=days)


def _periods(bot: BotHarness, current: int) -> list[str]:
    """The period buttons, ``current`` marked."""
    return [
        bot.content.t(
            "history.button_current" if days == current else "history.button_period", days=days
        )
        for days in (7, 30, 90)
    ]


async def _alice_in_berlin_with_the_domain_test_data(bot: BotHarness) -> None:
    """The ratings and routine days of test_progress_domain, at Berlin times."""
    await set_zone(bot, ALICE, "Europe/Berlin")
    routines = {}
    for day in sorted(ROUTINE_DAYS):
        routines[day] = await add_routine(bot, ALICE, local(day, 9, 15), holds=1)
    for number, rating in enumerate(RATINGS):
        # The 5 March rating is at 00:30 Berlin time, still 4 March in UTC: only a
        # zone-aware day split puts it on the right day (and the figures depend on it).
        hour, minute = (0, 30) if rating.day.day == 5 else (8 + number % 3, 0)
        routine = routines[rating.day] if rating.session_id is not None else None
        await rate(
            bot,
            ALICE,
            rating.score,
            local(rating.day, hour, minute),
            rating.context,
            session_id=routine,
        )
    # Not counted: a routine left unfinished, and everything of another user.
    await add_routine(bot, ALICE, local(TODAY, 7), status="abandoned")
    await rate(bot, BOB, 10, local(TODAY, 8))
    await add_routine(bot, BOB, local(TODAY, 8))


async def test_history_sends_a_phone_sized_png_with_the_figures_in_words(
    bot: BotHarness,
) -> None:
    bot.runtime.clock.set(datetime(2026, 3, 10, 19, 0, tzinfo=UTC))  # Tuesday evening in Berlin
    await _alice_in_berlin_with_the_domain_test_data(bot)

    calls = await bot.send(ALICE, "/history 7")

    assert [call.method for call in calls] == ["sendPhoto"]
    photo = calls[0]
    assert photo.chat_id == ALICE
    assert png_size(photo.files["photo"]) == (1080, 1350)
    # summary_text's wording is checked against the catalog in test_progress_output.
    assert photo.text == summary_text(bot.content, summarise(RATINGS, ROUTINE_DAYS, TODAY, 7))
    assert photo.buttons == [_periods(bot, 7)]
    assert photo.button_data[_period(bot, 90)] == encode(Action.HISTORY_PERIOD, 90)


async def test_history_defaults_to_30_days_and_the_buttons_switch_period(bot: BotHarness) -> None:
    bot.runtime.clock.set(datetime(2026, 3, 10, 19, 0, tzinfo=UTC))
    await _alice_in_berlin_with_the_domain_test_data(bot)

    calls = await bot.send(ALICE, "/history")

    first_day = min(ROUTINE_DAYS)  # 18 February: the share counts from the first day of use
    thirty = summary_text(bot.content, summarise(RATINGS, ROUTINE_DAYS, TODAY, 30, first_day))
    assert [(c.method, c.text) for c in calls] == [("sendPhoto", thirty)]
    t = bot.content.t
    ratings, days = t("history.ratings_other", count=9), t("history.days_other", count=6)
    assert f"{ratings} on {days}" in thirty
    assert t("history.routine_share", done=12, days=21, percent=57) in thirty
    assert calls[0].buttons == [_periods(bot, 30)]

    calls = await bot.tap(ALICE, _period(bot, 7))

    assert [c.method for c in calls] == ["answerCallbackQuery", "sendPhoto"]
    assert calls[1].text == summary_text(bot.content, summarise(RATINGS, ROUTINE_DAYS, TODAY, 7))
    assert calls[1].buttons == [_periods(bot, 7)]

    calls = await bot.tap(ALICE, _period(bot, 90))
    assert calls[1].text is not None
    assert calls[1].text.startswith(bot.content.t("history.heading", days=90) + "\n")
    assert png_size(calls[1].files["photo"]) == (1080, 1350)


async def test_a_period_in_other_digits_gets_the_default_period(bot: BotHarness) -> None:
    """Found by the fuzzer: "²²" passed str.isdigit and then failed int()."""
    await bot.send(ALICE, "/pain 4")

    calls = await bot.send(ALICE, "/history ²²")  # superscripts: not a period (it says so)
    assert [c.method for c in calls] == ["sendMessage", "sendPhoto"]
    calls = await bot.send(ALICE, "/history ７")  # a full-width 7 is a 7
    assert [c.method for c in calls] == ["sendPhoto"]
    assert calls[0].buttons == [["• 7 days •", "30 days", "90 days"]]
    assert bot.errors == []


async def test_without_any_data_history_says_how_to_start(bot: BotHarness) -> None:
    await rate(bot, BOB, 6, bot.runtime.clock.now())

    calls = await bot.send(ALICE, "/history")

    assert [(c.method, c.text) for c in calls] == [
        ("sendMessage", bot.content.t("history.nothing_yet", days=30))
    ]
    assert calls[0].buttons == [["7 days", "• 30 days •", "90 days"]]


async def test_forged_period_buttons_are_refused(bot: BotHarness) -> None:
    await bot.send(ALICE, "/pain 4")
    message = bot.message_with_button(ALICE, bot.content.t("pain.button_add_note"))

    for data in (encode(Action.HISTORY_PERIOD, 45), "1|ph|x", "1|ph"):
        calls = await bot.tap_data(ALICE, message.message_id, data)
        assert [(c.method, c.params.get("text")) for c in calls] == [
            ("answerCallbackQuery", bot.content.t("button_forged"))
        ]


async def test_words_too_long_for_a_caption_go_in_their_own_message(
    database_url: str, tmp_path: Path
) -> None:
    """Telegram refuses captions over 1024 characters; a wordy translation must still work."""
    root = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, root)
    catalog = root / "messages" / "en" / "pain.yaml"
    long_heading = "Your pain over the last {days} days. " + "Many words here. " * 70
    shipped = catalog.read_text(encoding="utf-8")
    edited = re.sub(
        r"^history\.heading: .*$", f'history.heading: "{long_heading}"', shipped, flags=re.M
    )
    assert edited != shipped
    catalog.write_text(edited, encoding="utf-8")
    bot = await BotHarness.start(make_settings(database_url), content=load_content(root))
    try:
        await bot.send(ALICE, "/pain 4")

        calls = await bot.send(ALICE, "/history")

        assert [c.method for c in calls] == ["sendPhoto", "sendMessage"]
        assert "caption" not in calls[0].params
        assert png_size(calls[0].files["photo"]) == (1080, 1350)
        assert (calls[1].text or "").startswith(long_heading.format(days=30).strip())
        assert len(calls[1].text or "") > 1024
        assert calls[1].buttons == [_periods(bot, 30)]
    finally:
        await bot.stop()
    assert bot.errors == []


async def test_before_and_after_are_compared_in_pairs_from_the_same_routine(
    bot: BotHarness,
) -> None:
    """Issue 13 item 6: a stopped routine (before 4) and a finished one (7, then 9): the
    change is +2, not "3.5 points higher" (the mean of 4 and 7 against 9)."""
    bot.runtime.clock.set(datetime(2026, 3, 10, 19, 0, tzinfo=UTC))
    await set_zone(bot, ALICE, "Europe/Berlin")
    stopped = await add_routine(bot, ALICE, local(TODAY, 8), status="stopped")
    finished = await add_routine(bot, ALICE, local(TODAY, 9))
    await rate(bot, ALICE, 4, local(TODAY, 7, 50), "before", session_id=stopped)
    await rate(bot, ALICE, 7, local(TODAY, 8, 50), "before", session_id=finished)
    await rate(bot, ALICE, 9, local(TODAY, 9, 1), "after", session_id=finished)

    calls = await bot.send(ALICE, "/history 7")

    text = calls[0].text or ""
    higher = bot.content.t("history.before_after_higher", before="7.0", after="9.0", points="2.0")
    assert higher in text


async def test_the_shown_difference_is_the_difference_of_the_shown_values(
    bot: BotHarness,
) -> None:
    """Before 8 / 6 = 1.33 and after 1 / 6 = 0.17 on average print as 1.3 and 0.2: the change
    shown is 1.1, not the 1.2 of the exact values (which reads as an arithmetic error)."""
    bot.runtime.clock.set(datetime(2026, 3, 10, 19, 0, tzinfo=UTC))
    await set_zone(bot, ALICE, "Europe/Berlin")
    befores, afters = [2, 2, 1, 1, 1, 1], [1, 0, 0, 0, 0, 0]
    for number, (before, after) in enumerate(zip(befores, afters, strict=True)):
        routine = await add_routine(bot, ALICE, local(TODAY, 8 + number))
        await rate(bot, ALICE, before, local(TODAY, 7 + number, 50), "before", session_id=routine)
        await rate(bot, ALICE, after, local(TODAY, 8 + number, 1), "after", session_id=routine)

    calls = await bot.send(ALICE, "/history 7")

    text = calls[0].text or ""
    lower = bot.content.t("history.before_after_lower", before="1.3", after="0.2", points="1.1")
    assert lower in text
