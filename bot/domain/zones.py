"""Time zones as stored: an IANA key ("Europe/Berlin") or a fixed offset ("UTC+05:30")."""

from __future__ import annotations

import re
from datetime import timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

_OFFSET_KEY = re.compile(r"^UTC([+-])(\d{2}):(\d{2})$")


def offset_key(minutes: int) -> str:
    """The stored form of a fixed UTC offset, e.g. 330 → "UTC+05:30"."""
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{rest:02d}"


def zone_for(key: str | None) -> tzinfo:
    """The tzinfo for a stored key; UTC for None. ValueError for a key that is not valid."""
    if not key or key == "UTC":
        return ZoneInfo("UTC")
    match = _OFFSET_KEY.match(key)
    if match:
        sign, hours, minutes = match.groups()
        offset = timedelta(hours=int(hours), minutes=int(minutes))
        if offset > timedelta(hours=14):
            raise ValueError(f"offset out of range: {key}")
        return timezone(offset if sign == "+" else -offset, key)
    try:
        return ZoneInfo(key)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone: {key}") from None
