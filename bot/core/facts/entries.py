"""The shapes of the facts: contacts, advisories and their areas, sourced entries, countries and places."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.core.texts import t

__all__ = [
    "ADVISORY_SITE",
    "CALL_CENTER_ID",
    "CONFIRMED",
    "DEFAULT_STALE_DAYS",
    "HOME",
    "LEVELS",
    "MAIN_RISK_COUNTRY",
    "MAX_SOURCES_SHOWN",
    "ROLES",
    "SPECIAL",
    "SPECIAL_LEVEL",
    "STATUSES",
    "SUPERSEDED",
    "UNCONFIRMED",
    "Advisory",
    "Area",
    "Contact",
    "Country",
    "Names",
    "Place",
    "Sourced",
    "StaleEntry",
    "mask",
]

CONFIRMED = "confirmed"
UNCONFIRMED = "unconfirmed"
# An advisory replaced by a newer announcement for the same country: kept for history, never
# shown and never scored.
SUPERSEDED = "superseded"
STATUSES = (CONFIRMED, UNCONFIRMED, SUPERSEDED)
# Where a person checks today's advisory level; named in every advisory answer, since levels
# change several times a year and a special advisory lapses unless renewed.
ADVISORY_SITE = "0404.go.kr"
# Staleness: an entry whose checked date is older than this many days is listed to staff.
DEFAULT_STALE_DAYS = 90
# How many sources an answer names (the rest stay in the file, for staff).
MAX_SOURCES_SHOWN = 2
ROLES = ("call_center", "embassy", "police", "hotline", "online")
CALL_CENTER_ID = "kr-consular-call-center"
HOME = "KR"
# Where most people Haven helps are held; the emergency message names it when the user's
# country is unknown, and says so.
MAIN_RISK_COUNTRY = "KH"
SPECIAL = "special"
# A special travel advisory (특별여행주의보) sits between levels 2 and 3; the job-offer check
# counts it as 3, the highest it may mean. It is always shown by its name, never as "level 3".
SPECIAL_LEVEL = 3

# The advisory levels; their names are ``facts.level_<n>`` in bot.core.texts.
LEVELS = (4, 3, 2, 1)

# A phone-like token: digits with + - ~ / separators, not part of a word, domain or amount.

# ------------------------------------------------------------------------------ entries


def mask(pattern: re.Pattern[str] | None, text: str) -> str:
    """Blank out the words that contain a name without meaning the place."""
    if pattern is None:
        return text
    return pattern.sub(lambda m: "\0" * len(m.group(0)), text)


@dataclass(frozen=True)
class Contact:
    """A number (or address) someone can call or write to, and where it was seen."""

    id: str
    country: str
    status: str
    role: str
    number: str
    name_en: str = ""
    name_ko: str = ""
    number_ko: str = ""
    note_en: str = ""
    note_ko: str = ""
    emergency: bool = False
    show_note: bool = True
    source: tuple[str, ...] = ()
    checked: str = ""
    serves: tuple[str, ...] = ()

    @property
    def stated(self) -> bool:
        """Only confirmed entries may ever be said."""
        return self.status == CONFIRMED

    def name(self, lang: str) -> str:
        """The entry's name in the reply language (English if no Korean was given)."""
        return (self.name_ko if lang == "ko" else "") or self.name_en

    def number_in(self, lang: str) -> str:
        """The number with its labels in the reply language."""
        return (self.number_ko if lang == "ko" else "") or self.number

    def note(self, lang: str) -> str:
        """The note to show, if any, in the reply language."""
        if not self.show_note:
            return ""
        return (self.note_ko if lang == "ko" else "") or self.note_en


@dataclass(frozen=True)
class Area:
    """Part of a country with one advisory level, and the places of countries.yml it covers."""

    level: int
    special: bool
    name_en: str
    name_ko: str
    places: tuple[str, ...]

    def name(self, lang: str) -> str:
        """The area's name in the reply language."""
        return self.name_ko if lang == "ko" and self.name_ko else self.name_en

    def level_name(self, lang: str) -> str:
        """'Level 4 (travel ban)', or the special advisory's own name."""
        return (
            t("facts.special_advisory", lang)
            if self.special
            else t(f"facts.level_{self.level}", lang)
        )


@dataclass(frozen=True)
class Advisory:
    """One Korean foreign ministry advisory announcement, with its areas and source."""

    id: str
    countries: tuple[str, ...]
    status: str
    effective: str
    effective_ko: str
    announced: str
    areas: tuple[Area, ...]
    rest: Area | None
    penalty_en: str
    penalty_ko: str
    source: tuple[str, ...]
    checked: str
    since: str = ""

    @property
    def stated(self) -> bool:
        """Only confirmed entries may ever be said."""
        return self.status == CONFIRMED


@dataclass(frozen=True)
class Sourced:
    """A sourced sentence: a red flag or an official way to verify an employer."""

    status: str
    text_en: str
    text_ko: str
    source: tuple[str, ...]
    checked: str

    @property
    def stated(self) -> bool:
        """Only confirmed entries may ever be said."""
        return self.status == CONFIRMED

    def text(self, lang: str) -> str:
        """The sentence in the reply language (English if no Korean was given)."""
        return (self.text_ko if lang == "ko" else "") or self.text_en


@dataclass(frozen=True)
class StaleEntry:
    """An entry shown to people whose checked date is older than the staleness limit."""

    kind: str  # "advisory", "contact", "red_flag", "how_to_verify", "figure"
    label: str
    checked: str


@dataclass(frozen=True)
class Names:
    """Compiled spellings of a country or place, and words that contain them but mean else."""

    korean: re.Pattern[str] | None
    latin: re.Pattern[str] | None
    not_korean: re.Pattern[str] | None
    not_latin: re.Pattern[str] | None

    def find(self, spaced: str, compact: str) -> int | None:
        """Return where the earliest name occurs (index in the compact text), or None."""
        found: list[int] = []
        if self.korean is not None:
            text = mask(self.not_korean, compact)
            match = self.korean.search(text)
            if match:
                found.append(match.start())
        if self.latin is not None:
            text = mask(self.not_latin, spaced)
            match = self.latin.search(text)
            if match:
                found.append(match.start() - spaced.count(" ", 0, match.start()))
        return min(found) if found else None


@dataclass(frozen=True)
class Country:
    """A country Haven can name, in each language it answers in."""

    code: str
    shown: dict[str, str] = field(hash=False)
    """The name shown to people reading each language (its pack's places.yml)."""
    names: Names

    def name(self, lang: str) -> str:
        """The country's name in ``lang`` (English when the language has none)."""
        return self.shown.get(lang) or self.shown["en"]


@dataclass(frozen=True)
class Place:
    """A city, province or region; ``countries[0]`` is assumed when the text names none."""

    name: str
    shown: dict[str, str] = field(hash=False)
    """The name shown to people reading each language (English: ``name`` unless a pack says)."""
    countries: tuple[str, ...]
    within: str | None
    names: Names

    def name_in(self, lang: str) -> str:
        """The place's name in ``lang`` (its canonical English name when the language has none)."""
        return self.shown.get(lang) or self.name
