"""The reader's example phrasings are validated at load: enough per intent, none under two."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from content import ContentError, load_content
from content.loader import CONTENT_DIR
from content.models import CHAT_INTENTS, MIN_EXAMPLES, phrasing_key


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, target, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return target


def _edit_yaml(path: Path, change: object) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)  # type: ignore[operator]
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


def test_every_intent_has_enough_examples_and_none_is_under_two() -> None:
    content = load_content()
    examples = content.intent_examples()
    assert {answer.id for answer in content.all_answers} <= set(examples)
    assert set(CHAT_INTENTS) <= set(examples)
    assert all(len(texts) >= MIN_EXAMPLES for texts in examples.values())
    owners: dict[str, set[str]] = {}
    for intent, texts in examples.items():
        for text in texts:
            owners.setdefault(phrasing_key(text), set()).add(intent)
    assert [key for key, intents in owners.items() if len(intents) > 1] == []


def test_an_example_under_two_intents_stops_start_up_naming_both(content_copy: Path) -> None:
    def add(data: dict[str, list[str]]) -> None:
        data["thanks"].append("How do I do the PIGEON?")

    _edit_yaml(content_copy / "phrasings" / "chat.yaml", add)

    with pytest.raises(ContentError, match=r"phrasings/chat\.yaml: entry 'thanks': example .*"
                       r"also an example of 'exercise:seated_pigeon'"):  # fmt: skip
        load_content(content_copy)


def test_an_answer_example_that_is_a_stretch_alias_is_refused(content_copy: Path) -> None:
    def add(data: dict[str, list[dict[str, object]]]) -> None:
        topic = next(item for item in data["topics"] if item["id"] == "care_physio")
        topic["examples"] = [*topic["examples"], "hip lift"]  # type: ignore[list-item]

    _edit_yaml(content_copy / "answers.yaml", add)

    with pytest.raises(ContentError, match=r"'hip lift' is also an example of 'exercise:glute"):
        load_content(content_copy)


def test_too_few_examples_stop_start_up_naming_the_entry(content_copy: Path) -> None:
    def cut(data: dict[str, list[dict[str, object]]]) -> None:
        topic = next(item for item in data["topics"] if item["id"] == "activity_sex")
        topic["examples"] = ["sex"]

    _edit_yaml(content_copy / "answers.yaml", cut)

    with pytest.raises(ContentError, match=r"^answers\.yaml: entry 'activity_sex': examples"):
        load_content(content_copy)


def test_phrasings_for_an_unknown_stretch_or_intent_are_refused(content_copy: Path) -> None:
    exercises = content_copy / "phrasings" / "exercises.yaml"
    _edit_yaml(exercises, lambda data: data.update(cobra=[f"cobra {n}" for n in range(9)]))

    with pytest.raises(ContentError, match=r"exercises\.yaml: entry 'cobra': no such exercise"):
        load_content(content_copy)


def test_the_chat_file_needs_exactly_its_intents(content_copy: Path) -> None:
    _edit_yaml(content_copy / "phrasings" / "chat.yaml", lambda data: data.pop("greeting"))

    with pytest.raises(ContentError, match=r"chat\.yaml: entry 'greeting'"):
        load_content(content_copy)
