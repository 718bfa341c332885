"""The console chat driven by a script, with what "you" typed shown: the free-text transcript
of docs/transcripts/free-text.txt (issue 17). A fresh SQLite database in a temporary folder.

    .venv/bin/python scripts/free_text_transcript.py > docs/transcripts/free-text.txt
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
from pathlib import Path

# Lines as a user types them; a number presses that button of the bot's last keyboard.
LINES = [
    "hi",
    "how do I do the piegon?",
    "my foot is numb and tingly",
    "the bridge makes my leg worse",
    "1",
    "this stretch hurts",
    "4",
    "2",
    "my pain is 3 today",
    "it's about a seven tonight, after a long drive",
    "pain 4 or 5",
    "1",
    "how many times a day should I do this",
    "should i sleep on my side",
    "can I still go running",
    "i sit at a desk all day",
    "how long will this last",
    "do i need an mri",
    "should i go to the gym or walk",
    "2",
    "kids pose",
    "back of my thigh stretch",
    "i think im having a flare up",
    "whats the weather like tomorrow",
    "thanks!",
]


class Typist(io.StringIO):
    """Standard input that shows each line on standard output as it is "typed"."""

    def readline(self, size: int | None = -1) -> str:  # type: ignore[override]
        line = super().readline()
        if line:
            print(f"\nyou: {line.rstrip()}", flush=True)
        return line


def main() -> int:
    folder = Path(tempfile.mkdtemp(prefix="transcript-"))
    os.environ["DATABASE_URL"] = f"sqlite+aiosqlite:///{folder / 'bot.sqlite3'}"
    os.environ.pop("TELEGRAM_BOT_TOKEN", None)
    sys.stdin = Typist("\n".join(LINES) + "\n")  # before bot.entry.console is imported
    from bot.entry.cli import main as cli

    return cli(["console"])


if __name__ == "__main__":
    raise SystemExit(main())
