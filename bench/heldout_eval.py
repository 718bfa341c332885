"""Scoring the reader and the safety screen on held-out phrasings (shared by the tests and by
``bench/bench_heldout.py``).

Held-out files are YAML lists written by people who never saw the reader's examples nor the
safety rules: ``{text, intent}`` for the reader (``free_text_*.yaml``), ``{text, tier}`` for
the safety screen (``red_flags_*.yaml``, tiers emergency / see_doctor / ordinary / unrelated).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.domain.reading import SYMPTOM, Library, ReadingKind
from bot.domain.safety import SafetyScreen


def load_items(paths: Iterable[Path], key: str) -> list[tuple[str, str, str]]:
    """(file, text, label) for every item of every file; ``key`` is "intent" or "tier"."""
    found: list[tuple[str, str, str]] = []
    for path in paths:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        assert isinstance(data, list), f"{path.name}: not a list"
        for index, item in enumerate(data):
            assert isinstance(item, dict), f"{path.name}[{index}]: not a mapping"
            assert set(item) == {"text", key}, f"{path.name}[{index}]: keys {set(item)}"
            found.append((path.name, str(item["text"]), str(item[key])))
    return found


@dataclass
class ReaderScore:
    per_intent: dict[str, list[bool]] = field(default_factory=lambda: defaultdict(list))
    confused: Counter[tuple[str, str]] = field(default_factory=Counter)
    unsure: int = 0
    among_choices: int = 0
    symptom_misses: list[tuple[str, str]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(len(results) for results in self.per_intent.values())

    @property
    def correct(self) -> int:
        return sum(sum(results) for results in self.per_intent.values())

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0

    def lines(self, title: str, confused_shown: int = 10) -> list[str]:
        out = [f"{title}: {self.accuracy:.1%} ({self.correct}/{self.total})"]
        out.append(f"  unsure (two choices offered): {self.unsure}/{self.total}")
        out.append(
            f"  right, or one of the two choices offered: {self.among_choices / self.total:.1%}"
        )
        for intent, results in sorted(self.per_intent.items()):
            out.append(
                f"  {sum(results) / len(results):6.1%} {sum(results):3}/{len(results):<3} {intent}"
            )
        if confused_shown:
            out.append("  most confused (expected -> got):")
        for (expected, got), count in self.confused.most_common(confused_shown):
            out.append(f"    {count:3} {expected} -> {got}")
        return out


def score_reader(library: Library, items: Iterable[tuple[str, str, str]]) -> ReaderScore:
    score = ReaderScore()
    for _, text, expected in items:
        reading = library.read(text)
        got = reading.intent
        score.per_intent[expected].append(got == expected)
        score.among_choices += got == expected or expected in reading.choices
        score.unsure += reading.unsure or reading.kind is ReadingKind.CHOICE
        if got != expected:
            score.confused[expected, got] += 1
        if expected == SYMPTOM and got != SYMPTOM:
            score.symptom_misses.append((text, got))
    return score


CATCHES = {"emergency": {"emergency", "ask"}, "see_doctor": {"see_doctor", "emergency", "ask"}}
"""What counts as catching a warning tier: that tier, a stricter one, or its yes/no question."""


@dataclass
class SafetyScore:
    """Per expected tier, what the screen answered. A warning tier is *caught* when the screen
    gives that tier or a stricter one, or asks its yes/no question (which leads there)."""

    answers: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    missed: list[tuple[str, str, str]] = field(default_factory=list)
    false_alarms: list[tuple[str, str, str]] = field(default_factory=list)

    def caught(self, tier: str) -> tuple[int, int]:
        answers = self.answers[tier]
        allowed = (
            {"emergency", "ask"} if tier == "emergency" else {"see_doctor", "emergency", "ask"}
        )
        return sum(answers[got] for got in allowed), sum(answers.values())

    def precision(self, tier: str) -> float:
        given = sum(answers[tier] for answers in self.answers.values())
        right = self.answers[tier][tier]
        return right / given if given else 1.0

    def lines(self, title: str, *, quote: bool = True) -> list[str]:
        """The figures; with ``quote`` the missed and falsely warned texts too (for dev sets
        only: a final set's lines are never shown, so nobody tunes on them)."""
        out = [f"{title}:"]
        for tier in ("emergency", "see_doctor"):
            caught, total = self.caught(tier)
            recall = f"{caught / total:.1%}" if total else "n/a"  # a file may lack a tier
            out.append(
                f"  {tier}: recall {recall} ({caught}/{total}), "
                f"precision of its text {self.precision(tier):.1%}"
            )
        for tier in ("ordinary", "unrelated"):
            answers = self.answers[tier]
            warned = answers["emergency"] + answers["see_doctor"]
            out.append(
                f"  {tier}: {warned} of {sum(answers.values())} got a warning "
                f"({answers['emergency']} the emergency text), {answers['ask']} a question"
            )
        if quote:
            out += [f"  missed {tier}: {got} <- {text!r}" for tier, got, text in self.missed]
            out += [
                f"  false alarm {tier}: {got} <- {text!r}" for tier, got, text in self.false_alarms
            ]
        return out


def score_safety(screen: SafetyScreen, items: Iterable[tuple[str, str, str]]) -> SafetyScore:
    score = SafetyScore()
    for _, text, expected in items:
        got = str(screen.screen(text).tier.value)
        score.answers[expected][got] += 1
        if expected in CATCHES and got not in CATCHES[expected]:
            score.missed.append((expected, got, text))
        elif expected in ("ordinary", "unrelated") and got in ("emergency", "see_doctor"):
            score.false_alarms.append((expected, got, text))
    return score
