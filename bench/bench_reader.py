"""The free-text reader: training time at start, time per message, and cross-validation.

    .venv/bin/python bench/bench_reader.py [--repeat 5] [--folds 5] [--messages 2000]
    .venv/bin/python -m bench.bench_reader --cv [--folds 5] [--seeds 2]

* training: building ``Library`` from the content (both classifiers, the name matcher and the
  red-flag rules), the median of ``--repeat`` builds;
* reading: ``Library.read`` per message, over the project's phrasing table repeated to
  ``--messages`` messages (median and 99th percentile);
* cross-validation: the content's example phrasings split into ``--folds`` folds by intent;
  each fold is read by a reader trained on the others. This flatters: the examples were all
  written by one hand, and held-out phrasings by another hand read worse
  (tests/test_reader_heldout.py is the honest figure).

With ``--cv``: the training time, then the cross-validated figure on the dev sets instead
(content + the other folds of the dev sets, per intent and a confusion summary;
bench/reader_cv.py).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

if __package__ in (None, ""):  # run as a file: python bench/bench_reader.py
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import reader_cv
from bot.domain.reading import Library
from content import Content, load_content
from tests.reading_table import PHRASINGS


def _family(intent: str) -> str:
    return intent.split(":")[0] if intent.startswith("exercise_hurts") else intent


def cross_validate(content: Content, folds: int, seed: int = 0) -> tuple[float, Counter[str]]:
    """Accuracy of readers trained without each fold, on that fold; and the confused pairs."""
    rng = random.Random(seed)
    examples = content.intent_examples()
    split: list[dict[str, list[str]]] = [{} for _ in range(folds)]
    for intent, texts in examples.items():
        shuffled = list(texts)
        rng.shuffle(shuffled)
        for index, text in enumerate(shuffled):
            split[index % folds].setdefault(intent, []).append(text)
    correct = total = 0
    confused: Counter[str] = Counter()
    for fold in range(folds):
        training = {
            intent: [
                t for other in range(folds) if other != fold for t in split[other].get(intent, [])
            ]
            for intent in examples
        }
        library = Library(content, training)
        for intent, texts in split[fold].items():
            for text in texts:
                got = _family(library.read(text).intent)
                total += 1
                if got == intent:
                    correct += 1
                else:
                    confused[f"{intent} -> {got}"] += 1
    return correct / total, confused


def main(argv: list[str] | None = None) -> dict[str, float]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--cv", action="store_true", help="cross-validate on the dev sets")
    parser.add_argument("--seeds", type=int, default=2, help="--cv: splits, one per seed")
    args = parser.parse_args(argv)
    content = load_content()
    builds, cpu = [], []
    for _ in range(args.repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        library = Library(content)
        builds.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)  # on a busy machine, wall time misleads
    if args.cv:
        train_s, train_cpu_s = statistics.median(builds), statistics.median(cpu)
        print(f"training (median of {args.repeat}): {train_s:.3f} s, CPU {train_cpu_s:.3f} s")
        cv = reader_cv.main(content, args.folds, args.seeds)
        return {"train_s": train_s, "train_cpu_s": train_cpu_s, "cv": cv}
    texts = [text for text, _ in PHRASINGS]
    reads = []
    for index in range(args.messages):
        start = time.perf_counter()
        library.read(texts[index % len(texts)])
        reads.append(time.perf_counter() - start)
    reads.sort()
    accuracy, confused = cross_validate(content, args.folds)
    figures = {
        "train_s": statistics.median(builds),
        "train_cpu_s": statistics.median(cpu),
        "read_ms_median": statistics.median(reads) * 1000,
        "read_ms_p99": reads[int(len(reads) * 0.99) - 1] * 1000,
        "cross_validation": accuracy,
    }
    examples = sum(len(texts) for texts in content.intent_examples().values())
    print(
        f"training ({examples} examples, median of {args.repeat}): {figures['train_s']:.3f} s, "
        f"CPU {figures['train_cpu_s']:.3f} s"
    )
    print(
        f"reading ({args.messages} messages): median {figures['read_ms_median']:.2f} ms, "
        f"p99 {figures['read_ms_p99']:.2f} ms"
    )
    print(f"cross-validation ({args.folds} folds, flatters): {accuracy:.1%}")
    for pair, count in confused.most_common(10):
        print(f"  {count:3} {pair}")
    return figures


if __name__ == "__main__":
    main()
