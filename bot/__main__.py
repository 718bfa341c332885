"""``python -m bot``: the same as the ``sciatica-bot`` command."""

from bot.entry.cli import main

raise SystemExit(main())
