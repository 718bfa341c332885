"""The reader on phrasings it never learnt from: the held-out sets in tests/heldout/.

Every ``tests/heldout/free_text_*.yaml`` present is read: a YAML list of ``{text, intent}``,
written by someone who never saw the reader's examples (content/answers.yaml,
content/phrasings/). Prints accuracy per intent and overall, how often the reader was unsure
(it would have offered two choices), and the pairs it confuses most; asserts the overall
figure and that every symptom description gets the symptom answer.

    bash scripts/test tests/test_reader_heldout.py -s
"""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path

import pytest
import yaml

from bot.domain.reading import SYMPTOM, Library, Reading, ReadingKind
from content import load_content

HELDOUT = Path(__file__).resolve().parent / "heldout"
REQUIRED_ACCURACY = 0.97
CONFUSED_SHOWN = 10


def _items() -> list[tuple[str, str, str]]:
    """(file, text, intent) for every item of every held-out file present."""
    found: list[tuple[str, str, str]] = []
    for path in sorted(HELDOUT.glob("free_text_*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        assert isinstance(data, list), f"{path.name}: not a list"
        for index, item in enumerate(data):
            assert isinstance(item, dict), f"{path.name}[{index}]: not a mapping"
            assert set(item) == {"text", "intent"}, f"{path.name}[{index}]: keys {set(item)}"
            found.append((path.name, str(item["text"]), str(item["intent"])))
    return found


def intent_of(reading: Reading) -> str:
    """The label a reading gives (a choice of stretches counts as its best guess)."""
    return reading.intent


@pytest.fixture(scope="module")
def library() -> Library:
    return Library(load_content())


def test_heldout_accuracy_per_intent_and_overall(
    library: Library, capsys: pytest.CaptureFixture[str]
) -> None:
    items = _items()
    if not items:
        pytest.skip("no tests/heldout/free_text_*.yaml present")
    per_intent: dict[str, list[bool]] = defaultdict(list)
    confused: Counter[tuple[str, str]] = Counter()
    unsure = among_choices = 0
    symptom_misses: list[tuple[str, str]] = []
    for _, text, expected in items:
        reading = library.read(text)
        got = intent_of(reading)
        per_intent[expected].append(got == expected)
        among_choices += got == expected or expected in reading.choices
        unsure += reading.unsure or reading.kind is ReadingKind.CHOICE
        if got != expected:
            confused[expected, got] += 1
        if expected == SYMPTOM and got != SYMPTOM:
            symptom_misses.append((text, got))
    correct = sum(sum(results) for results in per_intent.values())
    accuracy = correct / len(items)
    with capsys.disabled():
        files = sorted({name for name, _, _ in items})
        print(f"\nheld-out reading ({', '.join(files)}): {accuracy:.1%} ({correct}/{len(items)})")
        print(f"  unsure (two choices offered): {unsure}/{len(items)}")
        print(f"  right, or one of the two choices offered: {among_choices / len(items):.1%}")
        for intent, results in sorted(per_intent.items()):
            print(
                f"  {sum(results) / len(results):6.1%} {sum(results):3}/{len(results):<3} {intent}"
            )
        print("  most confused (expected -> got):")
        for (expected, got), count in confused.most_common(CONFUSED_SHOWN):
            print(f"    {count:3} {expected} -> {got}")
    assert symptom_misses == [], "symptom descriptions must get the symptom answer"
    assert accuracy >= REQUIRED_ACCURACY
