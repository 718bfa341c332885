"""The safety screen on phrasings written by other hands: every ``tests/heldout/red_flags_*.yaml``.

Each file is a YAML list of ``{text, tier}`` (tiers emergency, see_doctor, ordinary, unrelated),
written by someone who never saw the rules in content/safety.yaml. ``red_flags_en_dev.yaml`` is
the development set (rules were improved against it in general, never by copying its
sentences); the final set is added by the integrator. Prints, per file: recall and precision of
each warning tier (a sign "caught" gets its warning text; "caught or asked" also counts the
yes/no question whose "yes" gives that warning), and how many ordinary-sciatica and unrelated
phrasings got a warning or a question; the misses are listed.

    bash scripts/test tests/test_safety_heldout.py -s
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest
import yaml

from bot.domain.safety import SafetyScreen, Screening, Tier
from content import load_content

HELDOUT = Path(__file__).resolve().parent / "heldout"
TIERS = ("emergency", "see_doctor", "ordinary", "unrelated")
# Floors for any table: the screen must stay useful on wording it has never seen.
MIN_EMERGENCY_CAUGHT_OR_ASKED = 0.90
MIN_SEE_DOCTOR_CAUGHT_OR_ASKED = 0.85
MAX_UNRELATED_FLAGGED = 0.05


def _files() -> list[Path]:
    return sorted(HELDOUT.glob("red_flags_*.yaml"))


def _items(path: Path) -> list[tuple[str, str]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    assert isinstance(data, list), f"{path.name}: not a list"
    items: list[tuple[str, str]] = []
    for index, item in enumerate(data):
        assert isinstance(item, dict), f"{path.name}[{index}]: not a mapping"
        assert set(item) == {"text", "tier"}, f"{path.name}[{index}]: keys {set(item)}"
        assert item["tier"] in TIERS, f"{path.name}[{index}]: tier {item['tier']!r}"
        items.append((str(item["text"]), str(item["tier"])))
    return items


@pytest.fixture(scope="module")
def screen() -> SafetyScreen:
    return SafetyScreen.from_content(load_content())


def _warned(screen: SafetyScreen, screening: Screening) -> Tier:
    """The warning the user would get: the tier, or for a question the tier of its "yes"."""
    if screening.tier is Tier.ASK:
        return screen.answer(screening, yes=True).tier
    return screening.tier


def _ratio(hits: int, total: int) -> float:
    return hits / total if total else 1.0


def _report(screen: SafetyScreen, name: str, items: Sequence[tuple[str, str]]) -> dict[str, float]:
    results = [(text, tier, screen.screen(text)) for text, tier in items]
    by_tier = {tier: [(t, s) for t, k, s in results if k == tier] for tier in TIERS}
    every = [s for _, _, s in results]
    figures: dict[str, float] = {}
    lines = [f"\n{name}: {len(items)} phrasings"]
    for tier, shown in (("emergency", Tier.EMERGENCY), ("see_doctor", Tier.SEE_DOCTOR)):
        wanted = by_tier[tier]
        good = (Tier.EMERGENCY,) if tier == "emergency" else (Tier.EMERGENCY, Tier.SEE_DOCTOR)
        caught = [t for t, s in wanted if s.tier in good]
        asked = [t for t, s in wanted if s.tier is Tier.ASK and _warned(screen, s) in good]
        missed = [t for t, s in wanted if t not in caught and t not in asked]
        predicted = [s for s in every if s.tier is shown]
        right = sum(s.tier is shown for _, s in wanted)
        figures[tier] = _ratio(len(caught) + len(asked), len(wanted))
        strict = _ratio(len(caught), len(wanted))
        lines.append(
            f"  {tier}: caught {len(caught)}/{len(wanted)} ({strict:.0%}),"
            f" caught or asked {len(caught) + len(asked)}/{len(wanted)} ({figures[tier]:.0%}),"
            f" precision {_ratio(right, len(predicted)):.0%} of {len(predicted)} {tier} texts"
        )
        lines += [f"    missed: {text}" for text in missed]
    ordinary = by_tier["ordinary"]
    emergency_texts = [t for t, s in ordinary if s.tier is Tier.EMERGENCY]
    warned = [t for t, s in ordinary if s.is_warning]
    asked = [t for t, s in ordinary if s.tier is Tier.ASK]
    figures["ordinary_emergency"] = len(emergency_texts)
    lines.append(
        f"  ordinary ({len(ordinary)}): {len(warned)} got a warning"
        f" ({len(emergency_texts)} the emergency text), {len(asked)} a question,"
        f" {sum(s.tier is Tier.ORDINARY_SCIATICA for _, s in ordinary)} the explanation"
    )
    lines += [f"    warned: {text}" for text in warned]
    unrelated = by_tier["unrelated"]
    flagged = [t for t, s in unrelated if s.tier is not Tier.NONE]
    figures["unrelated_flagged"] = _ratio(len(flagged), len(unrelated)) if unrelated else 0.0
    lines.append(f"  unrelated ({len(unrelated)}): {len(flagged)} got anything")
    lines += [f"    flagged: {text}" for text in flagged]
    print("\n".join(lines))
    return figures


@pytest.mark.parametrize("path", _files(), ids=lambda path: path.stem)
def test_recall_and_precision_per_tier(screen: SafetyScreen, path: Path) -> None:
    figures = _report(screen, path.name, _items(path))

    assert figures["ordinary_emergency"] == 0
    assert figures["emergency"] >= MIN_EMERGENCY_CAUGHT_OR_ASKED
    assert figures["see_doctor"] >= MIN_SEE_DOCTOR_CAUGHT_OR_ASKED
    assert figures["unrelated_flagged"] <= MAX_UNRELATED_FLAGGED


def test_the_dev_set_is_here() -> None:
    assert (HELDOUT / "red_flags_en_dev.yaml").is_file()
