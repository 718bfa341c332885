"""Layering rules that keep the core testable without Telegram."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
TELEGRAM_FREE = ["bot/domain", "bot/services", "storage", "content"]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("folder", TELEGRAM_FREE)
def test_core_packages_never_import_telegram(folder: str) -> None:
    offenders = [
        str(path.relative_to(REPO))
        for path in sorted((REPO / folder).rglob("*.py"))
        if "telegram" in _imports(path)
    ]
    assert offenders == []


def test_no_naive_now_anywhere_in_the_product() -> None:
    offenders = []
    for folder in ("bot", "content", "storage"):
        for path in (REPO / folder).rglob("*.py"):
            source = path.read_text(encoding="utf-8")
            if "datetime.now()" in source or "utcnow(" in source or "date.today()" in source:
                offenders.append(str(path.relative_to(REPO)))
    assert offenders == []
