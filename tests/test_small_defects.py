"""The smaller defects of issue 13 item 8, each through the real Application."""

from __future__ import annotations

from bot.entry.fake_records import ApiCall
from bot.plumbing.callbacks import Action, encode
from tests.harness import BotHarness, catalog_fragment
from tests.routine_helpers import skip_through

ALICE = 181_818_181_818


def sent(calls: list[ApiCall]) -> list[ApiCall]:
    return [call for call in calls if call.method == "sendMessage"]


async def test_a_typed_time_takes_the_buttons_off_the_time_question(bot: BotHarness) -> None:
    await bot.send(ALICE, "/start")
    for _ in bot.content.safety.red_flag_questions:
        await bot.tap(ALICE, bot.content.t("onboard.no"))
    await bot.send(ALICE, "Berlin")
    question = bot.message_with_button(ALICE, "07:30")

    calls = await bot.send(ALICE, "7:45")

    assert any(c.method == "editMessageReplyMarkup" for c in calls)
    assert not bot.fake.messages[ALICE][question.message_id].reply_markup
    done = catalog_fragment(bot.content, "remind.subscribed")
    assert any(done in (c.text or "") for c in sent(calls))


async def test_the_offer_names_the_exercise_its_button_offers(bot: BotHarness) -> None:
    await bot.send(ALICE, "/start")
    await bot.send(ALICE, "/routine")
    pigeon = bot.content.exercise("seated_pigeon")
    assert pigeon is not None

    calls = await bot.tap_data(ALICE, 1, encode(Action.START_SINGLE, "seated_pigeon"))

    (offer,) = sent(calls)
    instead = bot.content.t("routine.button_restart_single", name=pigeon.name)
    assert instead in offer.button_data
    assert pigeon.name in (offer.text or "")
    assert "from the beginning" not in (offer.text or "")


async def test_history_with_a_period_it_has_not_got_says_what_is_possible(
    bot: BotHarness,
) -> None:
    await bot.send(ALICE, "/pain 4")

    calls = await bot.send(ALICE, "/history 365")

    assert [c.method for c in calls] == ["sendMessage", "sendPhoto"]
    assert calls[0].text == bot.content.t(
        "history.period_unknown", wanted="365", periods="7, 30, 90", days=30
    )


async def test_on_day_one_the_routine_share_counts_from_the_first_day(bot: BotHarness) -> None:
    skip = bot.content.t("routine.pain_skip")
    await bot.send(ALICE, "/start")
    await bot.send(ALICE, "/routine")
    await bot.tap(ALICE, skip)
    await skip_through(bot, ALICE)
    await bot.tap(ALICE, skip)
    await bot.send(ALICE, "/pain 4")

    calls = await bot.send(ALICE, "/history")

    share = bot.content.t("history.routine_share", done=1, days=1, percent=100)
    assert share in (calls[-1].text or "")


def test_the_chart_legend_names_only_what_is_drawn() -> None:
    from datetime import date

    from bot.domain.progress import Rating, chart_data, summarise
    from bot.features.progress.charts import legend_entries
    from bot.features.progress.views import chart_labels
    from tests.harness import catalog

    today = date(2026, 3, 10)
    one = [Rating(today, 5)]
    labels = chart_labels(catalog(), summarise(one, set(), today, 30))

    _, names = legend_entries(chart_data(one, set(), today, 30), labels)

    assert names == [labels.daily]
    two = [Rating(date(2026, 3, 9), 6), *one]
    _, names = legend_entries(chart_data(two, {today}, today, 30), labels)
    assert names == [labels.daily, labels.routine, labels.trend]


async def test_a_pain_rise_after_a_done_routine_gets_no_well_done(bot: BotHarness) -> None:
    from tests.routine_helpers import DONE, SET_DONE, set_user

    await bot.send(ALICE, "/start")
    await set_user(bot, ALICE, timers_enabled=False)
    await bot.send(ALICE, "/routine")
    calls = await bot.tap(ALICE, "2")
    while True:
        labels = calls[-1].button_data
        button = DONE if DONE in labels else SET_DONE if SET_DONE in labels else None
        if button is None:
            break
        calls = await bot.tap(ALICE, button)

    calls = await bot.tap(ALICE, "6")

    summary = calls[-1].text or ""
    assert summary.startswith(bot.content.t("routine.summary_title_plain") + "\n")
    # The pain rule's advice (2 -> 6: a rise that matters) closes it, nothing cheerful after.
    assert summary.endswith(bot.content.t("pain.ease_off").strip())


async def test_exercise_with_a_name_that_fits_one_stretch_shows_its_card(bot: BotHarness) -> None:
    tilt = bot.content.exercise("pelvic_tilt")
    assert tilt is not None

    calls = await bot.send(ALICE, "/exercise pelvic")

    assert (calls[0].text or "").startswith(tilt.name + "\n")
    assert calls[0].text != bot.content.t("questions.choice_one")


def test_the_daily_prompt_is_called_one_thing_everywhere() -> None:
    """Issue 13.8: "prompt" and "reminder" were used for the same thing."""
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / "content"
    said = []
    for path in [*sorted((root / "messages" / "en").glob("*.yaml")), root / "answers.yaml"]:
        for line in path.read_text(encoding="utf-8").splitlines():
            text = line.split(": ", 1)[-1] if line[:1].isalpha() else line  # a key: its text
            if "reminder" in text.lower() and not line.lstrip().startswith("#"):
                said.append(f"{path.name}: {line.strip()}")
    assert said == []
