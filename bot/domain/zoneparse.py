"""Reading a time zone the way people type it: a city, a country, an IANA name or an offset.

Nothing here is guessed silently: an exact name gives a zone, anything looser (a typo, an
abbreviation such as "IST", a country with several zones) gives suggestions to pick from.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from rapidfuzz import fuzz, process

from bot.domain.zones import offset_key

MAX_INPUT = 80
MAX_SUGGESTIONS = 5
FUZZY_CUTOFF = 75.0
MIN_OFFSET_MINUTES = -12 * 60
MAX_OFFSET_MINUTES = 14 * 60

GEOGRAPHIC_AREAS = frozenset(
    {
        "Africa",
        "America",
        "Antarctica",
        "Arctic",
        "Asia",
        "Atlantic",
        "Australia",
        "Europe",
        "Indian",
        "Pacific",
    }
)
_NOT_ZONES = frozenset({"Factory", "localtime"})

_OFFSET = re.compile(
    r"^(?:utc|gmt)?\s*(?P<sign>[+-])\s*(?P<hours>\d{1,2})(?::?(?P<minutes>\d{2}))?$"
)
_UTC_WORDS = frozenset({"utc", "utc+0", "utc-0", "utc+00:00", "z", "zulu", "universal"})
_PUNCTUATION = re.compile(r"[^a-z0-9/+\-: ]+")


class ZoneMatchKind(StrEnum):
    ZONE = "zone"  # one zone, take it
    SUGGEST = "suggest"  # several candidates: let the user pick
    BAD_OFFSET = "bad_offset"  # looks like an offset but is not a real one
    UNKNOWN = "unknown"  # nothing close


@dataclass(frozen=True, slots=True)
class ZoneMatch:
    kind: ZoneMatchKind
    key: str | None = None
    suggestions: tuple[str, ...] = field(default_factory=tuple)


def normalise_place(text: str) -> str:
    """Lowercase ASCII without accents, "_" as a space: "São_Paulo" → "sao paulo"."""
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_text = "".join(char for char in decomposed if not unicodedata.combining(char))
    lowered = ascii_text.lower().replace("_", " ").replace("’", "'").replace("'", "")
    lowered = _PUNCTUATION.sub(" ", lowered)
    return " ".join(lowered.split())


def parse_offset(text: str) -> int | ZoneMatchKind | None:
    """Minutes east of UTC for "+5:30", "UTC-3", "GMT+0530"; None if it is no offset at all;
    BAD_OFFSET for an offset that no place uses (beyond -12/+14, or not a quarter hour)."""
    cleaned = text.strip().lower().replace(" ", "")
    if cleaned in _UTC_WORDS:
        return 0
    match = _OFFSET.match(cleaned)
    if match is None:
        return None
    hours = int(match["hours"])
    minutes = int(match["minutes"] or 0)
    if minutes % 15 or minutes >= 60:
        return ZoneMatchKind.BAD_OFFSET
    total = hours * 60 + minutes
    total = -total if match["sign"] == "-" else total
    if not MIN_OFFSET_MINUTES <= total <= MAX_OFFSET_MINUTES:
        return ZoneMatchKind.BAD_OFFSET
    return total


def offset_zone_key(minutes: int) -> str:
    """The stored key for a fixed offset; plain "UTC" for zero."""
    return "UTC" if minutes == 0 else offset_key(minutes)


class ZoneDirectory:
    """Every name the bot understands for a zone, built once at start from the zone database
    and ``content/cities.yaml``."""

    def __init__(
        self,
        zone_keys: Iterable[str],
        *,
        cities: Mapping[str, str],
        countries: Mapping[str, Sequence[str]],
        abbreviations: Mapping[str, Sequence[str]],
    ) -> None:
        keys = sorted(key for key in zone_keys if key not in _NOT_ZONES)
        self._exact: dict[str, tuple[str, ...]] = {}
        last_parts: dict[str, list[str]] = {}
        for key in keys:
            self._exact[normalise_place(key)] = (key,)
            if key.split("/", 1)[0] in GEOGRAPHIC_AREAS and "/" in key:
                last_parts.setdefault(normalise_place(key.rsplit("/", 1)[-1]), []).append(key)
        self._exact["utc"] = ("UTC",)
        # A city's IANA name beats an old country-style alias ("Singapore" → Asia/Singapore).
        # A last part shared by two keys: the deeper (canonical) path, then alphabetical;
        # cities.yaml settles the ones that matter (Istanbul, Buenos Aires...).
        for name, owners in last_parts.items():
            owners.sort(key=lambda key: (-key.count("/"), key))
            self._exact[name] = (owners[0],)
        for name, countries_zones in countries.items():
            self._exact[normalise_place(name)] = tuple(countries_zones)
        for name, zone in cities.items():
            self._exact[normalise_place(name)] = (zone,)
        self._abbreviations = {
            normalise_place(name): tuple(zones) for name, zones in abbreviations.items()
        }
        # Typos are matched against place names and geographic keys only (not old aliases
        # such as "ROK" or "Navajo").
        fuzzy_names = {
            normalise_place(key) for key in keys if key.split("/", 1)[0] in GEOGRAPHIC_AREAS
        }
        fuzzy_names |= set(last_parts) | {normalise_place(name) for name in (*countries, *cities)}
        self._fuzzy: dict[str, tuple[str, ...]] = {
            name: self._exact[name] for name in sorted(fuzzy_names)
        }
        self._fuzzy_names = list(self._fuzzy)

    def resolve(self, text: str) -> ZoneMatch:
        """What ``text`` names: one zone, suggestions, a bad offset, or nothing known."""
        if len(text) > MAX_INPUT:
            return ZoneMatch(ZoneMatchKind.UNKNOWN)
        offset = parse_offset(text)
        if isinstance(offset, ZoneMatchKind):
            return ZoneMatch(offset)
        if offset is not None:
            return ZoneMatch(ZoneMatchKind.ZONE, offset_zone_key(offset))
        name = normalise_place(text)
        if not name:
            return ZoneMatch(ZoneMatchKind.UNKNOWN)
        if name in self._abbreviations:
            return ZoneMatch(ZoneMatchKind.SUGGEST, suggestions=self._abbreviations[name])
        exact = self._exact_or_parts(text, name)
        if exact is not None:
            return exact
        return self._suggest(name)

    def _exact_or_parts(self, text: str, name: str) -> ZoneMatch | None:
        candidates = [name]
        if "," in text:  # "Paris, France", "Portland, Oregon"
            candidates += [normalise_place(part) for part in text.split(",")]
        for candidate in candidates:
            zones = self._exact.get(candidate)
            if zones is None:
                continue
            if len(zones) == 1:
                return ZoneMatch(ZoneMatchKind.ZONE, zones[0])
            return ZoneMatch(ZoneMatchKind.SUGGEST, suggestions=zones[: MAX_SUGGESTIONS + 2])
        return None

    def _suggest(self, name: str) -> ZoneMatch:
        if len(name) < 3:
            return ZoneMatch(ZoneMatchKind.UNKNOWN)
        found = process.extract(
            name,
            self._fuzzy_names,
            scorer=fuzz.ratio,
            limit=MAX_SUGGESTIONS * 3,
            score_cutoff=FUZZY_CUTOFF,
        )
        suggestions: list[str] = []
        for match_name, _score, _index in found:
            for zone in self._fuzzy[match_name]:
                if zone not in suggestions:
                    suggestions.append(zone)
        if not suggestions:
            return ZoneMatch(ZoneMatchKind.UNKNOWN)
        return ZoneMatch(ZoneMatchKind.SUGGEST, suggestions=tuple(suggestions[:MAX_SUGGESTIONS]))


def zone_token_parts(key: str) -> tuple[str, ...]:
    """A zone key as callback-data tokens ("America/New_York" → ("America", "New_York"))."""
    return tuple(key.split("/"))


def zone_from_token_parts(parts: Sequence[str]) -> str:
    return "/".join(parts)
