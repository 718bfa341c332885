"""/export and /delete: the texts of the export's caption."""

from __future__ import annotations

from bot.features.progress.views import counted
from bot.services.my_data import ExportBundle
from content import Content

PICTURE_FILENAME = "pain-90-days.png"


def _caption(content: Content, bundle: ExportBundle) -> str:
    return content.t(
        "export.csv_caption",
        ratings=counted(content, "history.ratings", bundle.ratings),
        routines=counted(content, "export.routines", bundle.routines),
        holds=counted(content, "export.holds", bundle.holds),
    )
