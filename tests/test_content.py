"""The content files load, and a broken one stops start-up naming the file and the entry."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from bot.features.questions.views import exercise_card
from content import ContentError, load_content
from content.loader import CONTENT_DIR
from tests.harness import BotHarness, make_settings
from tests.routine_helpers import ROUTINE_ORDER

# Floor, sitting, kneeling, standing; the pelvic tilt first as a warm-up.
EXPECTED_IDS = list(ROUTINE_ORDER)


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, target, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return target


def _edit_exercise(root: Path, exercise_id: str, **changes: object) -> None:
    path = root / "exercises" / f"{exercise_id}.yaml"
    data = yaml.safe_load(path.read_text())
    data.update(changes)
    path.write_text(yaml.safe_dump(data, sort_keys=False))


def test_every_content_file_loads() -> None:
    content = load_content()

    assert [exercise.id for exercise in content.exercises] == EXPECTED_IDS
    assert {answer.id for answer in content.answers} >= {
        "what_is",
        "causes",
        "duration",
        "prevention",
        "home_remedies",
        "why_exercise",
        "when_to_see_doctor",
        "medication",
    }
    assert content.safety.red_flag_questions
    for exercise in content.exercises:
        assert exercise.hold_seconds.min <= exercise.hold_seconds.max
        assert len(exercise.steps) >= 2


def test_translation_errors_of_the_source_are_not_carried_over() -> None:
    content = load_content()
    everything = " ".join(
        [exercise.model_dump_json() for exercise in content.exercises]
        + [answer.text for answer in content.answers]
        + [content.safety.model_dump_json()]
    ).lower()

    for wrong in (
        "pigeon keeping",
        "data carrier",
        "nuclear exercise",
        "achilles",
        "narrowing of the spinal cord",
        "disc itself slips",
    ):
        assert wrong not in everything


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"colour": "blue"}, "seated_pigeon.yaml: entry 'seated_pigeon': colour: Extra inputs"),
        ({"steps": []}, "seated_pigeon.yaml: entry 'seated_pigeon': steps:"),
        ({"hold_seconds": {"min": 40, "max": 20}}, "hold min (40) is greater than hold max (20)"),
        ({"aliases": ["pigeon", "bridge"]}, "duplicate alias 'bridge'"),
    ],
)
def test_a_broken_exercise_file_is_reported_with_file_and_entry(
    content_copy: Path, change: dict[str, object], expected: str
) -> None:
    _edit_exercise(content_copy, "seated_pigeon", **change)

    with pytest.raises(ContentError) as error:
        load_content(content_copy)

    assert "seated_pigeon.yaml" in str(error.value)
    assert expected in str(error.value)


def test_a_duplicate_message_key_names_both_files(content_copy: Path) -> None:
    (content_copy / "messages" / "en" / "zz_extra.yaml").write_text("welcome: Hi again\n")

    with pytest.raises(ContentError, match=r"zz_extra.yaml: entry 'welcome': key also in"):
        load_content(content_copy)


def test_unreadable_yaml_is_reported(content_copy: Path) -> None:
    (content_copy / "answers.yaml").write_text("topics: [unclosed\n")

    with pytest.raises(ContentError, match=r"^answers.yaml: cannot read"):
        load_content(content_copy)


async def test_changing_a_hold_time_in_the_file_changes_the_card(
    content_copy: Path, database_url: str
) -> None:
    _edit_exercise(content_copy, "seated_pigeon", hold_seconds={"min": 25, "max": 40})
    content = load_content(content_copy)
    bot = await BotHarness.start(make_settings(database_url), content=content)
    try:
        calls = await bot.send(42, "/exercise pigeon")
    finally:
        await bot.stop()

    pigeon = content.exercise("seated_pigeon")
    assert pigeon is not None
    assert [call.text for call in calls] == [exercise_card(content, pigeon)]
    assert "Hold 25 seconds" in (calls[0].text or "")
    assert "1. Bend your right leg" in (calls[0].text or "")
