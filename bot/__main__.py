"""``python -m bot``: the same as the ``sciatica-bot`` command."""

from bot.cli import main

raise SystemExit(main())
