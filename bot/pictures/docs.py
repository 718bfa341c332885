"""Regenerate the pictures shown in the docs: the seven stills, one animation, the gallery."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from bot.pictures.animation import render_animation, render_still, sides_of
from bot.pictures.cache import labels
from content.models import Content

DOCS_ANIMATION = "knees_to_chest"
GALLERY_WIDTH = 160


def gallery_markdown(content: Content, folder: str = "docs/exercises") -> str:
    """A small table of the stills for the README, in the routine's order."""
    exercises = [exercise for exercise in content.exercises if exercise.poses is not None]
    cells = [
        f'<img src="{folder}/{e.id}.png" width="{GALLERY_WIDTH}" alt="{e.name}"><br>{e.name}'
        for e in exercises
    ]
    rows = [cells[i : i + 4] for i in range(0, len(cells), 4)]
    lines = ["<table>"]
    for row in rows:
        lines.append(
            "  <tr>" + "".join(f'<td align="center">{cell}</td>' for cell in row) + "</tr>"
        )
    lines.append("</table>")
    return "\n".join(lines) + "\n"


def write_docs(content: Content, docs: Path) -> list[Path]:
    """Stills of every exercise (right side where per side), one animation, docs/gallery.md."""
    folder = docs / "exercises"
    folder.mkdir(parents=True, exist_ok=True)
    view_labels = labels(content)
    written: list[Path] = []
    for exercise in content.exercises:
        if exercise.poses is None:
            continue
        path = folder / f"{exercise.id}.png"
        render_still(exercise, sides_of(exercise)[0], path, view_labels)
        written.append(path)
    chosen = content.exercise(DOCS_ANIMATION)
    if chosen is not None and chosen.poses is not None:
        with tempfile.TemporaryDirectory() as scratch:
            made = Path(scratch) / f"{chosen.id}.mp4"
            render_animation(chosen, sides_of(chosen)[0], made, view_labels)
            target = folder / f"{chosen.id}.mp4"
            shutil.copyfile(made, target)
            written.append(target)
    gallery = docs / "gallery.md"
    gallery.write_text(gallery_markdown(content), encoding="utf-8")
    written.append(gallery)
    return written
