"""Typed times and time zones, as people write them."""

from __future__ import annotations

from datetime import time
from pathlib import Path

import pytest

from bot.domain.timeparse import format_time, parse_time, time_from_token, time_token
from bot.domain.zoneparse import ZoneDirectory, ZoneMatchKind, parse_offset, zone_token_parts
from bot.plumbing.callbacks import Action, decode, encode
from bot.services.zone_lookup import ZoneLocator, build_zone_directory
from content import ContentError
from content.places import load_places


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("7:30", time(7, 30)),
        ("07:30", time(7, 30)),
        ("19:00", time(19, 0)),
        ("7pm", time(19, 0)),
        ("7 PM", time(19, 0)),
        ("7.30 am", time(7, 30)),
        ("7:30 p.m.", time(19, 30)),
        ("12am", time(0, 0)),
        ("12 pm", time(12, 0)),
        ("0730", time(7, 30)),
        ("1900", time(19, 0)),
        ("7h30", time(7, 30)),
        ("19h", time(19, 0)),
        ("7", time(7, 0)),
        ("  23:59  ", time(23, 59)),
        ("0:00", time(0, 0)),
        ("noon", time(12, 0)),
        ("Midnight", time(0, 0)),
    ],
)
def test_times_people_type(typed: str, expected: time) -> None:
    assert parse_time(typed) == expected


@pytest.mark.parametrize(
    "typed",
    [
        "25:99",
        "24:00",
        "7:60",
        "13pm",
        "0am",
        "noon-ish",
        "seven",
        "7:3",
        "",
        "   ",
        "7:30:15",
        "-7:30",
        "7:30 tomorrow",
        "9" * 10_000,
        "７:３０x",
    ],
)
def test_impossible_times_are_refused(typed: str) -> None:
    assert parse_time(typed) is None


def test_time_tokens_round_trip() -> None:
    for hour in range(24):
        for minute in (0, 15, 30, 59):
            value = time(hour, minute)
            assert time_from_token(time_token(value)) == value
            assert parse_time(format_time(value)) == value
    assert time_from_token("2460") is None
    assert time_from_token("7:30") is None
    assert time_from_token("07³⁰") is None


@pytest.fixture(scope="module")
def directory() -> ZoneDirectory:
    return build_zone_directory()


@pytest.mark.parametrize(
    ("typed", "zone"),
    [
        ("Berlin", "Europe/Berlin"),
        ("berlin", "Europe/Berlin"),
        ("new york", "America/New_York"),
        ("New_York", "America/New_York"),
        ("Asia/Kolkata", "Asia/Kolkata"),
        ("asia/kolkata", "Asia/Kolkata"),
        ("AMERICA/ARGENTINA/BUENOS_AIRES", "America/Argentina/Buenos_Aires"),
        ("Buenos Aires", "America/Argentina/Buenos_Aires"),
        ("Istanbul", "Europe/Istanbul"),
        ("Mumbai", "Asia/Kolkata"),
        ("Bangalore", "Asia/Kolkata"),
        ("San Francisco", "America/Los_Angeles"),
        ("Seattle", "America/Los_Angeles"),
        ("Beijing", "Asia/Shanghai"),
        ("São Paulo", "America/Sao_Paulo"),
        ("Zürich", "Europe/Zurich"),
        ("Paris, France", "Europe/Paris"),
        ("Germany", "Europe/Berlin"),
        ("Singapore", "Asia/Singapore"),
        ("Lord Howe", "Australia/Lord_Howe"),
        ("Chatham", "Pacific/Chatham"),
        ("Adelaide", "Australia/Adelaide"),
        ("+5:30", "UTC+05:30"),
        ("UTC-3", "UTC-03:00"),
        ("GMT+0545", "UTC+05:45"),
        ("utc +12:45", "UTC+12:45"),
        ("UTC", "UTC"),
        ("UTC+0", "UTC"),
    ],
)
def test_zones_people_type(directory: ZoneDirectory, typed: str, zone: str) -> None:
    match = directory.resolve(typed)
    assert (match.kind, match.key) == (ZoneMatchKind.ZONE, zone)


@pytest.mark.parametrize(
    ("typed", "first"),
    [
        ("Berlni", "Europe/Berlin"),
        ("new yrok", "America/New_York"),
        ("Londn", "Europe/London"),
        ("Sidney", "Australia/Sydney"),
        ("kolkatta", "Asia/Kolkata"),
        ("Europe/Berlni", "Europe/Berlin"),
        ("IST", "Asia/Kolkata"),
        ("EST", "America/New_York"),
        ("CET", "Europe/Berlin"),
        ("gmt", "Europe/London"),
        ("USA", "America/New_York"),
        ("Australia", "Australia/Sydney"),
        ("New Zealand", "Pacific/Auckland"),
    ],
)
def test_typos_abbreviations_and_big_countries_give_suggestions(
    directory: ZoneDirectory, typed: str, first: str
) -> None:
    match = directory.resolve(typed)
    assert match.kind == ZoneMatchKind.SUGGEST
    assert match.key is None
    assert match.suggestions[0] == first


def test_every_suggestion_fits_in_button_data(directory: ZoneDirectory) -> None:
    for typed in ["usa", "canada", "australia", "russia", "brazil", "ist", "cst", "europe/b"]:
        for zone in directory.resolve(typed).suggestions:
            data = encode(Action.ZONE_PICK, *zone_token_parts(zone))
            assert "/".join(decode(data).args) == zone


@pytest.mark.parametrize("typed", ["Narnia", "how do I do the bridge?", "x" * 10_000, "", "7:30"])
def test_nothing_close_is_unknown(directory: ZoneDirectory, typed: str) -> None:
    assert directory.resolve(typed).kind == ZoneMatchKind.UNKNOWN


@pytest.mark.parametrize("typed", ["UTC+5:20", "+15", "UTC-13", "+14:30", "GMT+99"])
def test_offsets_no_place_uses_are_refused(directory: ZoneDirectory, typed: str) -> None:
    assert directory.resolve(typed).kind == ZoneMatchKind.BAD_OFFSET


def test_offsets_in_range() -> None:
    assert parse_offset("+14") == 14 * 60
    assert parse_offset("-12:00") == -12 * 60
    assert parse_offset("Berlin") is None


def test_the_cities_file_loads_and_covers_the_common_cities() -> None:
    places = load_places()
    assert len(places.cities) >= 60
    for name in ["mumbai", "delhi", "bangalore", "san francisco", "seattle", "beijing"]:
        assert name in places.cities


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("cities:\n  Mumbai: Asia/Kolkata\n", "entry 'cities.Mumbai': names are lowercase"),
        (
            "cities:\n  gotham: America/Gotham\n",
            "entry 'cities.gotham': unknown zone America/Gotham",
        ),
        ("cities:\n  x: UTC\ncountries:\n  x: [UTC]\n", "entry 'countries.x': name also in cities"),
        ("cities:\n  x: UTC\nextra: 1\n", "entry 'extra'"),
        ("cities: [\n", "cities.yaml: cannot read"),
    ],
)
def test_a_broken_cities_file_names_the_entry(tmp_path: Path, body: str, message: str) -> None:
    (tmp_path / "cities.yaml").write_text(body, encoding="utf-8")
    with pytest.raises(ContentError, match=message):
        load_places(tmp_path)


def test_locations_resolve_offline() -> None:
    locator = ZoneLocator()
    assert locator.zone_at(52.52, 13.40) == "Europe/Berlin"
    assert locator.zone_at(-31.55, 159.08) == "Australia/Lord_Howe"
    assert locator.zone_at(0.0, -30.0) == "UTC-02:00"
    assert locator.zone_at(91.0, 0.0) is None
