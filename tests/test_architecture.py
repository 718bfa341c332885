"""Layering rules: what each part of the code may import (checked on the source, no import run).

- the Telegram-free core (``bot/domain``, ``bot/services``, ``storage``, ``content``) never
  imports ``telegram`` nor the Telegram layer (``bot.features``, ``bot.plumbing``,
  ``bot.runtime``, ``bot.entry``, ``bot.composition``);
- features never reach the database models or queries (``storage``): they call services;
- the shared plumbing never imports a feature;
- nothing but the entry points imports the composition root;
- no naive ``now``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
TELEGRAM_FREE = ["bot/domain", "bot/services", "bot/pictures", "storage", "content"]
TELEGRAM_LAYER = ("bot.features", "bot.plumbing", "bot.runtime", "bot.entry", "bot.composition")


def _imports(path: Path) -> set[str]:
    """Every module ``path`` imports, at the top or inside a function."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _offenders(folder: str, forbidden: tuple[str, ...]) -> list[str]:
    found = []
    for path in sorted((REPO / folder).rglob("*.py")):
        for name in _imports(path):
            if any(name == bad or name.startswith(bad + ".") for bad in forbidden):
                found.append(f"{path.relative_to(REPO)} imports {name}")
    return found


@pytest.mark.parametrize("folder", TELEGRAM_FREE)
def test_the_core_never_imports_telegram_or_the_telegram_layer(folder: str) -> None:
    assert _offenders(folder, ("telegram", *TELEGRAM_LAYER)) == []


def test_features_never_reach_storage_directly() -> None:
    assert _offenders("bot/features", ("storage",)) == []


def test_the_shared_plumbing_never_imports_a_feature() -> None:
    assert _offenders("bot/plumbing", ("bot.features", "bot.composition", "bot.entry")) == []


def test_nothing_but_the_entry_points_imports_the_composition_root() -> None:
    offenders = [
        line
        for folder in ("bot/features", "bot/plumbing", "bot/runtime", "bot/domain", "bot/services")
        for line in _offenders(folder, ("bot.composition",))
    ]
    assert offenders == []


def test_the_rules_above_see_imports_inside_functions(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    from bot.composition import build_application\n")
    assert "bot.composition" in _imports(sample)


def test_no_naive_now_anywhere_in_the_product() -> None:
    offenders = []
    for folder in ("bot", "content", "storage"):
        for path in (REPO / folder).rglob("*.py"):
            source = path.read_text(encoding="utf-8")
            if "datetime.now()" in source or "utcnow(" in source or "date.today()" in source:
                offenders.append(str(path.relative_to(REPO)))
    assert offenders == []
