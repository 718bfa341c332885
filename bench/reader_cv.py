"""Cross-validated figures for the free-text reader on the dev sets, printed.

    .venv/bin/python -m bench.bench_reader --cv [--folds 5] [--seeds 2]

Two figures, both from dev sets only (``tests/heldout/free_text_en_dev.yaml`` and
``bench/heldout/free_text_en_test.yaml``: written by other hands, since looked at, so dev sets
now; the fresh final set is never read here):

* **content only**: the reader the bot ships (trained on the content's examples) on each dev
  set. It was tuned while looking at them, so it flatters;
* **cross-validation**: the dev items split into ``--folds`` folds (stratified by intent, one
  split per ``--seeds`` seed); each fold is read by a reader trained on the content's examples
  *plus* the other folds. Every item is read by a reader that never saw it, and the readers are
  built the same way (content + more phrasings by other hands) as the shipped one, so this
  estimates how the reader does on phrasings nobody tuned it on. Per intent and a confusion
  summary.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from bench.heldout_eval import ReaderScore, load_items, score_reader
from bot.domain.reading import Library
from content import Content

ROOT = Path(__file__).resolve().parents[1]
DEV_SETS = (
    ROOT / "tests" / "heldout" / "free_text_en_dev.yaml",
    ROOT / "bench" / "heldout" / "free_text_en_test.yaml",
)

Item = tuple[str, str, str]  # (file, text, label)


def training_intent(label: str) -> str:
    """A test label as the intent the reader learns it under ("exercise_hurts:glute_bridge"
    is one example of "exercise_hurts": which stretch hurts comes from the name)."""
    return label.split(":")[0] if label.startswith("exercise_hurts") else label


def with_extra(
    examples: Mapping[str, Sequence[str]], items: Iterable[Item]
) -> dict[str, list[str]]:
    """The content's examples with the items' texts added under their intents."""
    merged = {intent: list(texts) for intent, texts in examples.items()}
    for _, text, label in items:
        merged.setdefault(training_intent(label), []).append(text)
    return merged


def stratified_folds(items: Sequence[Item], folds: int, seed: int) -> list[list[Item]]:
    """``items`` dealt into ``folds`` folds, each intent spread evenly over them."""
    rng = random.Random(seed)
    by_label: dict[str, list[Item]] = defaultdict(list)
    for item in items:
        by_label[item[2]].append(item)
    split: list[list[Item]] = [[] for _ in range(folds)]
    offset = 0
    for label in sorted(by_label):
        group = by_label[label]
        rng.shuffle(group)
        for index, item in enumerate(group):
            split[(index + offset) % folds].append(item)
        offset += len(group)  # the next intent's first item goes to the next fold
    return split


def merge(scores: Iterable[ReaderScore]) -> ReaderScore:
    total = ReaderScore()
    for score in scores:
        for intent, results in score.per_intent.items():
            total.per_intent[intent].extend(results)
        total.confused.update(score.confused)
        total.unsure += score.unsure
        total.among_choices += score.among_choices
        total.symptom_misses.extend(score.symptom_misses)
    return total


def cross_validate(
    content: Content, items: Sequence[Item], folds: int, seeds: int = 1
) -> ReaderScore:
    """Every item read by a reader trained on the content and the other folds' items."""
    examples = content.intent_examples()
    scores = []
    for seed in range(seeds):
        split = stratified_folds(items, folds, seed)
        for fold, tested in enumerate(split):
            trained = [item for other, part in enumerate(split) if other != fold for item in part]
            scores.append(score_reader(Library(content, with_extra(examples, trained)), tested))
    return merge(scores)


def main(content: Content, folds: int, seeds: int, paths: Sequence[Path] = DEV_SETS) -> float:
    """Print both figures; return the cross-validated accuracy."""
    library = Library(content)
    for path in paths:
        score = score_reader(library, load_items([path], "intent"))
        print(f"content only, on {path.name}: {score.accuracy:.1%} ({score.correct}/{score.total})"
              f"; symptom descriptions read otherwise: {len(score.symptom_misses)}")  # fmt: skip
    items = load_items(paths, "intent")
    score = cross_validate(content, items, folds, seeds)
    title = f"cross-validation, content + {folds - 1} of {folds} folds of the dev sets"
    title += f" ({seeds} seeds)"
    print("\n".join(score.lines(title, confused_shown=25)))
    print(f"  symptom descriptions read otherwise: {len(score.symptom_misses)}")
    for text, got in score.symptom_misses:
        print(f"    {got} <- {text!r}")
    return score.accuracy
