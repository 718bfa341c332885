"""Zone lookups that read data files: names (``ZoneDirectory``) and shared locations
(timezonefinder, offline)."""

from __future__ import annotations

import asyncio
import threading
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

from bot.domain.zoneparse import ZoneDirectory, offset_zone_key
from content.places import load_places


class ZoneLocator:
    """Finds the zone at a point. The finder loads its data files on first use, in a thread."""

    def __init__(self) -> None:
        self._finder: Any = None
        self._lock = threading.Lock()

    def zone_at(self, latitude: float, longitude: float) -> str | None:
        """The zone key at a point, or None. Blocking: use ``locate`` from async code.

        Over the open sea timezonefinder answers "Etc/GMT+2" (a sign-inverted POSIX name);
        that becomes the plain offset key "UTC-02:00".
        """
        if not (-90.0 <= latitude <= 90.0 and -180.0 <= longitude <= 180.0):
            return None
        with self._lock:
            if self._finder is None:
                from timezonefinder import TimezoneFinder

                self._finder = TimezoneFinder()
            key = self._finder.timezone_at(lat=latitude, lng=longitude)
        if not isinstance(key, str):
            return None
        if key.startswith("Etc/"):
            offset = datetime(2000, 1, 1, tzinfo=UTC).astimezone(ZoneInfo(key)).utcoffset()
            minutes = int(offset.total_seconds() // 60) if offset is not None else 0
            return offset_zone_key(minutes)
        return key

    async def locate(self, latitude: float, longitude: float) -> str | None:
        return await asyncio.to_thread(self.zone_at, latitude, longitude)


def build_zone_directory() -> ZoneDirectory:
    """Every zone name the bot understands: the zone database plus ``content/cities.yaml``.

    Reads files (ContentError for a bad cities.yaml): from async code use ``asyncio.to_thread``.
    """
    places = load_places()
    return ZoneDirectory(
        available_timezones(),
        cities=places.cities,
        countries=places.countries,
        abbreviations=places.abbreviations,
    )
