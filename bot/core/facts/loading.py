"""Reading and checking facts.yml and countries.yml; a bad entry is named, with its place in the file."""

from __future__ import annotations

import datetime as dt
import logging
import re
from pathlib import Path
from typing import Any

from bot.core.datafile import Problem, Reloading, read_yaml
from bot.core.errors import FactsError
from bot.core.facts.catalogue import Facts
from bot.core.facts.entries import (
    CALL_CENTER_ID,
    CONFIRMED,
    LEVELS,
    ROLES,
    SPECIAL,
    SPECIAL_LEVEL,
    STATUSES,
    Advisory,
    Area,
    Contact,
    Country,
    Place,
    Sourced,
)
from bot.core.facts.places import compile_names
from bot.core.facts.sources import ISO_DATE, phone_tokens
from bot.core.packs import part_paths

log = logging.getLogger(__name__)

__all__ = ["FactsStore", "load_countries", "load_facts"]

# ----------------------------------------------------------------------------- loading


def _text(raw: dict[str, Any], key: str, where: str, required: bool = False) -> str:
    """Read a text field (numbers and dates written without quotes become text too)."""
    value = raw.get(key)
    if value is None or value == "":
        if required:
            raise FactsError(f"{where}: '{key}' is missing")
        return ""
    if isinstance(value, bool) or not isinstance(value, (str, int, float, dt.date)):
        raise FactsError(f"{where}: '{key}' must be text")
    return str(value).strip()


def _date(raw: dict[str, Any], where: str) -> str:
    """Read the 'checked' date as YYYY-MM-DD."""
    text = _text(raw, "checked", where)
    if not ISO_DATE.fullmatch(text):
        raise FactsError(f"{where}: 'checked' must be a date like 2026-11-25")
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        raise FactsError(f"{where}: 'checked' {text!r} is not a real date") from None
    return text


def _sources(raw: dict[str, Any], where: str) -> tuple[str, ...]:
    """Read 'source' (a text or a list of texts)."""
    value = raw.get("source", [])
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(s, str) for s in items):
        raise FactsError(f"{where}: 'source' must be a text or a list of texts")
    return tuple(s.strip() for s in items if s.strip())


def _status(raw: dict[str, Any], where: str) -> str:
    """Read 'status'; an entry without one is not stated."""
    status = raw.get("status")
    if status not in STATUSES:
        raise FactsError(f"{where}: 'status' must be one of {', '.join(STATUSES)}")
    return str(status)


def _provenance_fields(raw: dict[str, Any], where: str) -> tuple[str, tuple[str, ...], str]:
    """Status, sources and date; a confirmed entry must have both of the latter."""
    status = _status(raw, where)
    sources = _sources(raw, where)
    if status != CONFIRMED:
        return status, sources, _text(raw, "checked", where)
    if not sources:
        raise FactsError(f"{where}: a confirmed entry needs a 'source'")
    return status, sources, _date(raw, where)


def _mapping(raw: Any, where: str) -> dict[str, Any]:
    """Insist on a mapping, naming the entry otherwise."""
    if not isinstance(raw, dict):
        raise FactsError(f"{where}: must be a mapping of fields")
    return raw


def _list(data: dict[str, Any], key: str, where: str) -> list[Any]:
    """Read a top-level list (absent means empty)."""
    value = data.get(key) or []
    if not isinstance(value, list):
        raise FactsError(f"{where}: '{key}' must be a list")
    return value


def _same_numbers(translation: str, original: str, where: str, key: str) -> str:
    """Keep a translation only if it states no number the original does not."""
    if not translation or set(phone_tokens(translation)) <= set(phone_tokens(original)):
        return translation
    log.warning("facts: %s: '%s' states other numbers than the English; not shown", where, key)
    return ""


def _contact(raw: Any, index: int, countries: dict[str, Country]) -> Contact:
    """Validate one contact."""
    where = f"contacts[{index}]"
    entry = _mapping(raw, where)
    entry_id = _text(entry, "id", where, required=True)
    where = f"contact '{entry_id}'"
    status, sources, checked = _provenance_fields(entry, where)
    country = _text(entry, "country", where, required=True).upper()
    if country not in countries:
        raise FactsError(f"{where}: country {country!r} is not in countries.yml")
    role = _text(entry, "role", where) or "hotline"
    if role not in ROLES:
        raise FactsError(f"{where}: 'role' must be one of {ROLES}")
    number = _text(entry, "number", where, required=True)
    name_en = _text(entry, "name_en", where, required=status == CONFIRMED)
    note_en = _text(entry, "note_en", where)
    original = f"{number} {note_en}"
    return Contact(
        id=entry_id,
        country=country,
        status=status,
        role=role,
        number=number,
        name_en=name_en,
        name_ko=_text(entry, "name_ko", where),
        number_ko=_same_numbers(_text(entry, "number_ko", where), number, where, "number_ko"),
        note_en=note_en,
        note_ko=_same_numbers(_text(entry, "note_ko", where), original, where, "note_ko"),
        emergency=entry.get("emergency") is True,
        show_note=entry.get("show_note") is not False,
        source=sources,
        checked=checked,
        serves=tuple(_strings(entry.get("serves"), f"{where} serves")),
    )


def _area(raw: Any, where: str, places: dict[str, Place]) -> Area:
    """Validate one advisory area (or the rest of the country)."""
    entry = _mapping(raw, where)
    level = entry.get("level")
    special = level == SPECIAL
    if special:
        level = SPECIAL_LEVEL
    if isinstance(level, bool) or level not in LEVELS:
        raise FactsError(f"{where}: 'level' must be 1, 2, 3, 4 or special")
    names = entry.get("places") or []
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise FactsError(f"{where}: 'places' must be a list of place names")
    unknown = [n for n in names if n not in places]
    if unknown:
        raise FactsError(f"{where}: places {unknown} are not in countries.yml")
    return Area(
        level=int(level),
        special=special,
        name_en=_text(entry, "name_en", where, required=True),
        name_ko=_text(entry, "name_ko", where),
        places=tuple(names),
    )


def _advisory(
    raw: Any, index: int, countries: dict[str, Country], places: dict[str, Place]
) -> Advisory:
    """Validate one advisory announcement."""
    where = f"advisories[{index}]"
    entry = _mapping(raw, where)
    advisory_id = _text(entry, "id", where, required=True)
    where = f"advisory '{advisory_id}'"
    status, sources, checked = _provenance_fields(entry, where)
    codes = entry.get("countries")
    if (
        not isinstance(codes, list)
        or not codes
        or not all(isinstance(c, str) and c in countries for c in codes)
    ):
        raise FactsError(f"{where}: 'countries' must list codes from countries.yml")
    areas = tuple(
        _area(a, f"{where} areas[{i}]", places) for i, a in enumerate(_list(entry, "areas", where))
    )
    rest = _area(entry["rest"], f"{where} rest", places) if entry.get("rest") else None
    return Advisory(
        id=advisory_id,
        countries=tuple(codes),
        status=status,
        effective=_text(entry, "effective", where),
        effective_ko=_text(entry, "effective_ko", where),
        announced=_text(entry, "announced", where),
        areas=areas,
        rest=rest,
        penalty_en=_text(entry, "penalty_en", where),
        penalty_ko=_text(entry, "penalty_ko", where),
        source=sources,
        checked=checked,
        since=_text(entry, "since", where),
    )


def _sourced(raw: Any, where: str) -> Sourced:
    """Validate one red flag or way to verify."""
    entry = _mapping(raw, where)
    status, sources, checked = _provenance_fields(entry, where)
    return Sourced(
        status=status,
        text_en=_text(entry, "text_en", where, required=True),
        text_ko=_text(entry, "text_ko", where),
        source=sources,
        checked=checked,
    )


def _read_yaml(path: Path) -> dict[str, Any]:
    """Parse a YAML file that must hold a mapping."""
    data = read_yaml(path, FactsError)
    if not isinstance(data, dict):
        raise FactsError(f"{path}: must be a mapping with sections")
    return data


def _strings(raw: Any, where: str) -> list[str]:
    """Read a list of spellings."""
    value = raw or []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise FactsError(f"{where}: must be a list of texts")
    return value


PLACES_PART = "places.yml"


def place_parts(path: Path) -> tuple[Path, ...]:
    """The place names of every pack beside ``path`` (its places.yml), in pack order."""
    return part_paths(path.parent, PLACES_PART)


def load_countries(path: Path, *parts: Path) -> tuple[dict[str, Country], tuple[Place, ...]]:
    """Read countries.yml and the packs' names: the countries and the places that imply them.

    ``parts`` are the packs' places.yml (every pack's beside ``path`` when none are named).
    """
    data = _read_yaml(path)
    words = [(part, _pack_names(part)) for part in parts or place_parts(path)]
    codes = data.get("countries")
    if not isinstance(codes, list) or not codes:
        raise FactsError(f"{path}: countries must list ISO codes like KH")
    countries: dict[str, Country] = {}
    for code in codes:
        where = f"{path}: country {code}"
        if not isinstance(code, str) or not re.fullmatch(r"[A-Z]{2}", code):
            raise FactsError(f"{where}: must be an ISO code like KH")
        shown, names, excluded = _named(words, "countries", code)
        if "en" not in shown:
            raise FactsError(f"{where}: needs a name in the English pack (en/{PLACES_PART})")
        countries[code] = Country(code, shown, compile_names(names, excluded))
    places: list[Place] = []
    for i, raw in enumerate(_list(data, "places", str(path))):
        places.append(_place(raw, f"{path}: places[{i}]", countries, words))
    known = {p.name for p in places}
    for place in places:
        if place.within is not None and place.within not in known:
            raise FactsError(f"{path}: place {place.name}: 'within' {place.within!r} is unknown")
    if len(known) != len(places):
        raise FactsError(f"{path}: two places have the same name")
    for part, pack in words:
        for section, names_known in (("countries", set(countries)), ("places", known)):
            unknown = sorted(str(name) for name in pack[section] if name not in names_known)
            if unknown:
                raise FactsError(f"{part}: {section} {unknown} are not in {path.name}")
    return countries, tuple(places)


def _pack_names(part: Path) -> dict[str, dict[Any, Any]]:
    """One pack's places.yml: ``{countries: {code: entry}, places: {name: entry}}``."""
    data = _read_yaml(part)
    unknown = set(data) - {"countries", "places"}
    if unknown:
        raise FactsError(f"{part}: unknown sections {sorted(unknown)}")
    return {
        section: _mapping(data.get(section) or {}, f"{part}: {section}")
        for section in ("countries", "places")
    }


def _named(
    words: list[tuple[Path, dict[str, dict[Any, Any]]]], section: str, key: str
) -> tuple[dict[str, str], list[str], list[str]]:
    """What the packs call one country or place: shown names by language, spellings, not."""
    shown: dict[str, str] = {}
    names: list[str] = []
    excluded: list[str] = []
    for part, pack in words:
        raw = pack[section].get(key)
        if raw is None:
            continue
        where = f"{part}: {section} {key}"
        entry = _mapping(raw, where)
        unknown = set(entry) - {"name", "names", "not"}
        if unknown:
            raise FactsError(f"{where}: unknown keys {sorted(unknown)}")
        name = _text(entry, "name", where)
        if name:
            shown[part.parent.name] = name
            names.append(name)
        names += _strings(entry.get("names"), f"{where} names")
        excluded += _strings(entry.get("not"), f"{where} not")
    return shown, names, excluded


def _place(
    raw: Any,
    where: str,
    countries: dict[str, Country],
    words: list[tuple[Path, dict[str, dict[Any, Any]]]],
) -> Place:
    """Validate one place of countries.yml, with its names from the packs."""
    entry = _mapping(raw, where)
    unknown = set(entry) - {"name", "country", "within"}
    if unknown:
        raise FactsError(f"{where}: unknown keys {sorted(unknown)} (names go in the packs)")
    name = _text(entry, "name", where, required=True)
    where = f"{where} ({name})"
    country = entry.get("country")
    codes = [country] if isinstance(country, str) else country
    if (
        not isinstance(codes, list)
        or not codes
        or not all(isinstance(c, str) and c in countries for c in codes)
    ):
        raise FactsError(f"{where}: 'country' must be a code (or list) from countries")
    shown, names, excluded = _named(words, "places", name)
    within = _text(entry, "within", where) or None
    return Place(name, shown, tuple(codes), within, compile_names([name, *names], excluded))


def load_facts(facts_path: Path, countries_path: Path, *parts: Path) -> Facts:
    """Read and validate both files and the packs' place names; FactsError names the fault."""
    countries, places = load_countries(countries_path, *parts)
    by_name = {p.name: p for p in places}
    data = _read_yaml(facts_path)
    where = str(facts_path)
    contacts = tuple(
        _contact(c, i, countries) for i, c in enumerate(_list(data, "contacts", where))
    )
    ids = [c.id for c in contacts]
    if len(set(ids)) != len(ids):
        raise FactsError(f"{where}: two contacts have the same id")
    center = next((c for c in contacts if c.id == CALL_CENTER_ID), None)
    if center is None or not center.stated:
        raise FactsError(f"{where}: contact '{CALL_CENTER_ID}' must be present and confirmed")
    advisories = tuple(
        _advisory(a, i, countries, by_name) for i, a in enumerate(_list(data, "advisories", where))
    )
    red_flags = tuple(
        _sourced(r, f"red_flags[{i}]") for i, r in enumerate(_list(data, "red_flags", where))
    )
    verify = tuple(
        _sourced(r, f"how_to_verify[{i}]")
        for i, r in enumerate(_list(data, "how_to_verify", where))
    )
    figures = tuple(
        _sourced(r, f"figures[{i}]") for i, r in enumerate(_list(data, "figures", where))
    )
    return Facts(contacts, center, advisories, red_flags, verify, countries, places, figures)


class FactsStore(Reloading[Facts]):
    """The current facts, re-read when either file changes on disk."""

    def __init__(
        self, facts_path: Path, countries_path: Path, on_problem: Problem | None = None
    ) -> None:
        """Remember the files (and the packs' place names); nothing is read until ``current()``."""
        parts = place_parts(countries_path)
        super().__init__(
            load_facts, facts_path, countries_path, *parts, error=FactsError, on_problem=on_problem
        )
        self.facts_path, self.countries_path = self.paths[:2]
