"""Place names for time zones (``cities.yaml``): loaded and checked like the other content."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import available_timezones

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from content.loader import CONTENT_DIR, ContentError, _read_yaml

PLACES_FILE = "cities.yaml"


class Places(BaseModel):
    """Names people type → IANA zones. Names are lowercase; see the file's header."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    cities: dict[str, str] = Field(min_length=1)
    countries: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    abbreviations: dict[str, tuple[str, ...]] = Field(default_factory=dict)


def load_places(root: Path | None = None) -> Places:
    """Read and check ``cities.yaml``; ContentError names the file and the entry at fault.

    Reads files: from async code call it through ``asyncio.to_thread``.
    """
    root = root or CONTENT_DIR
    path = root / PLACES_FILE
    try:
        places = Places.model_validate(_read_yaml(path, root))
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise ContentError(f"{PLACES_FILE}: entry '{where}': {first['msg']}") from None
    known = available_timezones() | {"UTC"}
    sections: dict[str, dict[str, tuple[str, ...]]] = {
        "cities": {name: (zone,) for name, zone in places.cities.items()},
        "countries": places.countries,
        "abbreviations": places.abbreviations,
    }
    seen: dict[str, str] = {}
    for section, entries in sections.items():
        for name, zones in entries.items():
            entry = f"{section}.{name}"
            if name != " ".join(name.lower().split()) or not name.isascii():
                raise ContentError(
                    f"{PLACES_FILE}: entry '{entry}': names are lowercase ASCII, single spaces"
                )
            if not zones:
                raise ContentError(f"{PLACES_FILE}: entry '{entry}': no zone given")
            unknown = [zone for zone in zones if zone not in known]
            if unknown:
                raise ContentError(f"{PLACES_FILE}: entry '{entry}': unknown zone {unknown[0]}")
            if name in seen:
                raise ContentError(
                    f"{PLACES_FILE}: entry '{entry}': name also in {seen[name]} section"
                )
            seen[name] = section
    return places
