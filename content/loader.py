"""Load and validate the content files; a broken file stops start-up with a clear message."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from content.models import (
    CHAT_INTENTS,
    EXERCISE_INTENT,
    Answer,
    Answers,
    Content,
    Examples,
    Exercise,
    Messages,
    Phrasings,
    RoutineSettings,
    Safety,
    phrasing_key,
)

CONTENT_DIR = Path(__file__).resolve().parent

M = TypeVar("M", bound=BaseModel)


class ContentError(Exception):
    """A content file is missing, unreadable or invalid; the message names the file and entry."""


def _read_yaml(path: Path, root: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise ContentError(f"{path.relative_to(root)}: cannot read: {error}") from None


def _describe(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"])
    return f"{where}: {first['msg']}" if where else str(first["msg"])


def _parse(model: type[M], data: Any, path: Path, root: Path, entry: str) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise ContentError(
            f"{path.relative_to(root)}: entry '{entry}': {_describe(error)}"
        ) from None


def _load_exercises(root: Path) -> tuple[Exercise, ...]:
    folder = root / "exercises"
    files = sorted(folder.glob("*.yaml"))
    if not files:
        raise ContentError(f"{folder.relative_to(root)}: no exercise files")
    exercises: list[Exercise] = []
    alias_owner: dict[str, tuple[str, Path]] = {}
    for path in files:
        data = _read_yaml(path, root)
        entry = str(data.get("id", path.stem)) if isinstance(data, dict) else path.stem
        exercise = _parse(Exercise, data, path, root, entry)
        if exercise.id != path.stem:
            raise ContentError(
                f"{path.relative_to(root)}: entry '{exercise.id}': id must equal the file name"
            )
        for word in (exercise.name.lower(), *exercise.aliases):
            owner = alias_owner.get(word)
            if owner is not None and owner[0] != exercise.id:
                raise ContentError(
                    f"{path.relative_to(root)}: entry '{exercise.id}': duplicate alias "
                    f"'{word}' (also in {owner[1].relative_to(root)}, entry '{owner[0]}')"
                )
            alias_owner[word] = (exercise.id, path)
        exercises.append(exercise)
    orders = [exercise.order for exercise in exercises]
    if len(set(orders)) != len(orders):
        raise ContentError(f"{folder.relative_to(root)}: two exercises share an order number")
    return tuple(exercises)


def _load_answers(root: Path) -> tuple[Answer, ...]:
    path = root / "answers.yaml"
    data = _read_yaml(path, root)
    topics = data.get("topics") if isinstance(data, dict) else None
    if isinstance(topics, list):
        for index, topic in enumerate(topics):
            entry = str(topic.get("id", index)) if isinstance(topic, dict) else str(index)
            _parse(Answer, topic, path, root, entry)
    answers = _parse(Answers, data, path, root, "topics").topics
    ids = [answer.id for answer in answers]
    duplicates = sorted({answer_id for answer_id in ids if ids.count(answer_id) > 1})
    if duplicates:
        raise ContentError(f"answers.yaml: entry '{duplicates[0]}': topic id used twice")
    return answers


def _load_examples(path: Path, root: Path) -> dict[str, tuple[str, ...]]:
    """A phrasings file: a mapping of intent (or exercise id) to its list of examples."""
    data = _read_yaml(path, root)
    if not isinstance(data, dict):
        raise ContentError(f"{path.relative_to(root)}: must be a mapping of intent: examples")
    return {
        str(key): _parse(Examples, {"examples": value}, path, root, str(key)).examples
        for key, value in data.items()
    }


def _load_phrasings(root: Path, exercises: tuple[Exercise, ...]) -> Phrasings:
    folder = root / "phrasings"
    exercise_path, chat_path = folder / "exercises.yaml", folder / "chat.yaml"
    by_exercise = _load_examples(exercise_path, root)
    known = {exercise.id for exercise in exercises}
    for exercise_id in by_exercise:
        if exercise_id not in known:
            raise ContentError(
                f"{exercise_path.relative_to(root)}: entry '{exercise_id}': no such exercise"
            )
    chat = _load_examples(chat_path, root)
    for intent in (*chat, *CHAT_INTENTS):
        if intent not in CHAT_INTENTS or intent not in chat:
            raise ContentError(
                f"{chat_path.relative_to(root)}: entry '{intent}': the intents here are "
                f"exactly {', '.join(CHAT_INTENTS)}"
            )
    return Phrasings(by_exercise, chat)


def _check_examples(content: Content, root: Path) -> None:
    """No phrasing is taught as two intents (names and aliases included)."""
    where = {
        **{EXERCISE_INTENT + exercise.id: f"exercises/{exercise.id}.yaml" for exercise in
           content.exercises},
        **{answer.id: "answers.yaml" for answer in content.all_answers},
        **dict.fromkeys(CHAT_INTENTS, "phrasings/chat.yaml"),
    }  # fmt: skip
    owner: dict[str, str] = {}
    for intent, examples in content.intent_examples().items():
        for example in examples:
            key = phrasing_key(example)
            first = owner.setdefault(key, intent)
            if first != intent:
                raise ContentError(
                    f"{where[intent]}: entry '{intent}': example '{example}' is also an "
                    f"example of '{first}' ({where[first]})"
                )


def _load_messages(root: Path, language: str) -> Messages:
    folder = root / "messages" / language
    entries: dict[str, str] = {}
    origin: dict[str, Path] = {}
    for path in sorted(folder.glob("*.yaml")):
        data = _read_yaml(path, root) or {}
        if not isinstance(data, dict):
            raise ContentError(f"{path.relative_to(root)}: must be a mapping of key: text")
        for key, text in data.items():
            if not isinstance(text, str) or not text.strip():
                raise ContentError(f"{path.relative_to(root)}: entry '{key}': text is empty")
            if key in entries:
                raise ContentError(
                    f"{path.relative_to(root)}: entry '{key}': key also in "
                    f"{origin[key].relative_to(root)}"
                )
            entries[str(key)] = text.strip()
            origin[str(key)] = path
    if not entries:
        raise ContentError(f"{folder.relative_to(root)}: no message files")
    return Messages(entries)


def load_content(root: Path | None = None, language: str = "en") -> Content:
    """Read every content file under ``root`` and check it; raise ContentError if anything is off.

    This reads files, so from async code call it through ``asyncio.to_thread``.
    """
    root = root or CONTENT_DIR
    safety_path = root / "safety.yaml"
    safety = _parse(Safety, _read_yaml(safety_path, root), safety_path, root, "safety")
    exercises = _load_exercises(root)
    routine_path = root / "routine.yaml"
    routine = (
        _parse(RoutineSettings, _read_yaml(routine_path, root), routine_path, root, "routine")
        if routine_path.exists()
        else RoutineSettings()
    )
    content = Content(
        exercises=exercises,
        answers=_load_answers(root),
        safety=safety,
        messages=_load_messages(root, language),
        phrasings=_load_phrasings(root, exercises),
        routine=routine,
    )
    _check_examples(content, root)
    return content
