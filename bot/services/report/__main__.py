"""``python -m bot.services.report sample docs/``: write the sample report into a folder."""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.services.report.sample import write_sample


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bot.services.report")
    commands = parser.add_subparsers(dest="command", required=True)
    sample = commands.add_parser("sample", help="write report-sample.pdf (and .png) to FOLDER")
    sample.add_argument("folder", type=Path)
    arguments = parser.parse_args()
    for path in write_sample(arguments.folder):
        print(path)


if __name__ == "__main__":
    main()
