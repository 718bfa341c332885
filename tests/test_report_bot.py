"""/report through the real Application: the PDF, its buttons, the name, and where it is offered."""

from __future__ import annotations

import io
from datetime import timedelta

from pypdf import PdfReader

from bot.plumbing.callbacks import Action, encode
from storage.models import User
from tests.harness import BotHarness
from tests.progress_fixtures import add_routine, rate, set_zone

ALICE = 111_111_111_111


def pdf_text(data: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(data))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


async def _history(bot: BotHarness) -> None:
    await set_zone(bot, ALICE, "Europe/Berlin")
    now = bot.runtime.clock.now()
    routine = await add_routine(bot, ALICE, now - timedelta(days=2), pain_before=6, pain_after=4)
    await rate(bot, ALICE, 6, now - timedelta(days=2), "before", session_id=routine)
    await rate(bot, ALICE, 4, now - timedelta(days=2), "after", session_id=routine)
    await rate(bot, ALICE, 5, now - timedelta(days=20), note="stiff after the flight")


async def test_report_sends_a_one_page_pdf_for_30_days_with_its_buttons(bot: BotHarness) -> None:
    await _history(bot)

    calls = await bot.send(ALICE, "/report")

    [sent] = calls
    assert sent.method == "sendDocument"
    t = bot.content.t
    assert sent.text == "\n".join(
        [t("report.caption", days=30), t("report.caption_notes_in"), t("report.caption_name_how")]
    )
    assert sent.buttons == [
        [
            t("report.button_days", days=7),
            t("report.button_days_current", days=30),
            t("report.button_days", days=90),
        ],
        [t("report.button_notes_out")],
    ]
    pages, text = pdf_text(sent.files["document"])
    assert pages == 1
    assert "stiff after the flight" in text
    assert t("report.no_name") in text

    leave_out = sent.button_data[t("report.button_notes_out")]
    assert leave_out == encode(Action.REPORT, 30, 0)
    [again] = [c for c in await bot.tap(ALICE, t("report.button_notes_out")) if c.files]
    _, text = pdf_text(again.files["document"])
    assert "stiff after the flight" not in text
    assert t("report.caption_notes_out") in (again.text or "")


async def test_a_7_day_report_leaves_out_what_is_older(bot: BotHarness) -> None:
    await _history(bot)

    [sent] = await bot.send(ALICE, "/report 7")

    _, text = pdf_text(sent.files["document"])
    assert "stiff after the flight" not in text  # 20 days ago
    assert (sent.text or "").startswith(bot.content.t("report.caption", days=7))


async def test_the_name_is_printed_only_once_the_user_gives_it(bot: BotHarness) -> None:
    await _history(bot)

    [said] = await bot.send(ALICE, "/report name  Jürgen   Müller ")
    assert said.text == bot.content.t("report.name_set", name="Jürgen Müller")
    [user] = await bot.rows(User)
    assert user.report_name == "Jürgen Müller"

    [sent] = await bot.send(ALICE, "/report")
    _, text = pdf_text(sent.files["document"])
    assert bot.content.t("report.name", name="Jürgen Müller") in text

    [said] = await bot.send(ALICE, "/report name")
    assert said.text == bot.content.t("report.name_cleared")
    [user] = await bot.rows(User)
    assert user.report_name is None


async def test_a_period_not_offered_and_an_empty_log_get_a_clear_answer(bot: BotHarness) -> None:
    [asked] = await bot.send(ALICE, "/report")
    assert asked.text == bot.content.t("report.nothing", days=30)

    [wrong] = await bot.send(ALICE, "/report 365")
    assert wrong.text == bot.content.t("report.bad_period")

    calls = await bot.tap_data(ALICE, 1, encode(Action.REPORT, 365, 1))
    assert [(c.method, c.params.get("text")) for c in calls] == [
        ("answerCallbackQuery", bot.content.t("button_forged"))
    ]
