"""``python -m bot.pictures docs [--out docs]``: redraw the docs pictures and the gallery.

``python -m bot.pictures cache DIR``: draw every missing picture into a cache folder.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.pictures.cache import render_missing
from bot.pictures.docs import gallery_markdown, write_docs
from content import load_content


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bot.pictures", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    docs = commands.add_parser("docs", help="stills, one animation and gallery.md into docs/")
    docs.add_argument("--out", type=Path, default=Path("docs"))
    fill = commands.add_parser("cache", help="draw every missing picture into DIR")
    fill.add_argument("dir", type=Path)
    args = parser.parse_args(argv)
    content = load_content()
    if args.command == "docs":
        for path in write_docs(content, args.out):
            print(path)
        print()
        print(gallery_markdown(content))
    else:
        for item in render_missing(args.dir, content):
            print(item.path)


if __name__ == "__main__":
    main()
