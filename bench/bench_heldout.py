"""The reader's accuracy and the safety screen's recall on the FINAL held-out sets, printed.

``bench/heldout/`` holds test sets written by hands that never saw the reader's examples or the
safety rules, and never used for tuning (the dev sets the code was tuned against are under
``tests/heldout/``, where the tests assert on them). Keep it that way: when a figure here is
below target, write new examples or rules from your own understanding, never from these lines,
and have a fresh set written before you claim a new figure.

    .venv/bin/python -m bench.bench_heldout [--free-text PATH ...] [--red-flags PATH ...]

``--free-text``: score the reader on these files instead of ``bench/heldout/free_text_*.yaml``
(a fresh final set kept elsewhere); ``--red-flags`` likewise for the safety screen.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from bench.heldout_eval import load_items, score_reader, score_safety
from bot.domain.reading import Library
from bot.domain.safety import SafetyScreen
from content import load_content

FOLDER = Path(__file__).resolve().parent / "heldout"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="The reader and the safety screen, held out.")
    parser.add_argument(
        "--free-text",
        type=Path,
        nargs="+",
        action="extend",
        metavar="PATH",
        help="reader test sets (default: bench/heldout/free_text_*.yaml)",
    )
    parser.add_argument(
        "--red-flags",
        type=Path,
        nargs="+",
        action="extend",
        metavar="PATH",
        help="safety test sets (default: bench/heldout/red_flags_*.yaml)",
    )
    args = parser.parse_args(argv)
    content = load_content()
    library = Library(content)
    for path in args.free_text or sorted(FOLDER.glob("free_text_*.yaml")):
        score = score_reader(library, load_items([path], "intent"))
        print("\n".join(score.lines(f"reader on {path.name}", confused_shown=0)))
        print(f"  symptom descriptions that got something else: {len(score.symptom_misses)}")
    for path in args.red_flags or sorted(FOLDER.glob("red_flags_*.yaml")):
        safety = score_safety(SafetyScreen.from_content(content), load_items([path], "tier"))
        print("\n".join(safety.lines(f"safety screen on {path.name}", quote=False)))


if __name__ == "__main__":
    main()
