"""Find an exercise by the words a person uses for it."""

from __future__ import annotations

import re

from content import Content, Exercise

_NOT_WORD = re.compile(r"[^a-z0-9 ]+")


def normalise(text: str) -> str:
    """Lowercase, straight quotes, no punctuation, single spaces."""
    lowered = text.lower().replace("’", "'").replace("'s", "s")
    return " ".join(_NOT_WORD.sub(" ", lowered).split())


def exact_exercise(content: Content, query: str) -> Exercise | None:
    """The exercise whose id, name or an alias is exactly ``query`` (after normalising)."""
    wanted = normalise(query)
    for exercise in content.exercises:
        names = {normalise(exercise.id.replace("_", " ")), normalise(exercise.name)}
        names.update(normalise(alias) for alias in exercise.aliases)
        if wanted in names:
            return exercise
    return None
