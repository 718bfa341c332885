"""The reader's accuracy and the safety screen's recall on the FINAL held-out sets, printed.

``bench/heldout/`` holds test sets written by hands that never saw the reader's examples or the
safety rules, and never used for tuning (the dev sets the code was tuned against are under
``tests/heldout/``, where the tests assert on them). Keep it that way: when a figure here is
below target, write new examples or rules from your own understanding, never from these lines,
and have a fresh set written before you claim a new figure.

    .venv/bin/python -m bench.bench_heldout
    .venv/bin/python -m bench.bench_heldout --red-flags PATH   # the safety screen on another set

``--red-flags PATH`` (repeatable) scores the safety screen on those files instead of the
``red_flags_*.yaml`` sets here (the reader's figures are printed as usual).
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from bench.heldout_eval import load_items, score_reader, score_safety
from bot.domain.reading import Library
from bot.domain.safety import SafetyScreen
from content import load_content

FOLDER = Path(__file__).resolve().parent / "heldout"


def _arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--red-flags",
        action="append",
        type=Path,
        metavar="PATH",
        help="a YAML list of {text, tier} to score the safety screen on (default: "
        "bench/heldout/red_flags_*.yaml); may be given more than once",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> None:
    arguments = _arguments(argv)
    red_flags = arguments.red_flags or sorted(FOLDER.glob("red_flags_*.yaml"))
    content = load_content()
    for path in sorted(FOLDER.glob("free_text_*.yaml")):
        score = score_reader(Library(content), load_items([path], "intent"))
        print("\n".join(score.lines(f"reader on {path.name}", confused_shown=0)))
        print(f"  symptom descriptions that got something else: {len(score.symptom_misses)}")
    for path in red_flags:
        safety = score_safety(SafetyScreen.from_content(content), load_items([path], "tier"))
        print("\n".join(safety.lines(f"safety screen on {path.name}", quote=False)))


if __name__ == "__main__":
    main()
