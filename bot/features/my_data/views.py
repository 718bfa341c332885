"""/export and /delete: the texts of the export's caption."""

from __future__ import annotations

from bot.domain.export_csv import KINDS, Kind
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
        sets=counted(content, "export.sets", bundle.sets),
    )


def file_caption(content: Content, kind: Kind) -> str:
    return content.t(f"export.file_{kind}")


def file_titles(content: Content) -> dict[Kind, str]:
    """Each file's first line: what it holds, the period and the zone (templates)."""
    return {kind: content.t(f"export.title_{kind}") for kind in KINDS}
