"""The facts Haven may state: contacts, travel advisories, red flags, ways to verify an employer.

Everything comes from ``content/facts.yml`` (built from the shared facts file by
``scripts/build_facts.py``) and ``content/countries.yml``. Only entries with
``status: confirmed``, a source and a checked date are ever rendered, each number with
"checked on <date>": a wrong number can cost a life, so an unconfirmed one is never said, not
even as a fallback, and a country without verified numbers is told so plainly.

Staff edit the files while Haven runs: ``FactsStore.current()`` re-reads them when they change;
a malformed edit keeps the last good version in use and logs a warning.

Imports only the standard library, PyYAML and other bot.core modules (its sentences are in
bot.core.texts), and runs on Python 3.10, because the action server imports it too.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.core.datafile import Problem, Reloading, read_yaml
from bot.core.errors import FactsError
from bot.core.text import fold, has_hangul
from bot.core.texts import t

log = logging.getLogger(__name__)

CONFIRMED = "confirmed"
UNCONFIRMED = "unconfirmed"
STATUSES = (CONFIRMED, UNCONFIRMED)
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
PHONE = re.compile(r"(?<![A-Za-z0-9_.,=/+])\+?\d[\d\-~/]*\d(?!\d|\.?[A-Za-z])")
_DATE_LIKE = re.compile(r"\d{4}-\d{2}-\d{2}|(?:19|20)\d{2}")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DOMAIN = re.compile(r"(?<![\w.])[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.[a-z]{2,}(?![\w])")


def phone_tokens(text: str) -> list[str]:
    """Return the phone-like tokens of a text (3+ digits, dates and years left out)."""
    return [
        m.group(0)
        for m in PHONE.finditer(text)
        if sum(c.isdigit() for c in m.group(0)) >= 3 and not _DATE_LIKE.fullmatch(m.group(0))
    ]


def source_label(source: str) -> str:
    """Shorten one source to what a reader can look up ('OHCHR via english.news.cn'), or ''."""
    head, sep, tail = source.partition(" via ")
    if sep:
        domain = _DOMAIN.search(tail.lower())
        return f"{head.strip()} via {domain.group(0) if domain else tail.split()[0]}"
    domain = _DOMAIN.search(source.lower())
    if domain:
        return domain.group(0)
    words = []
    for word in source.split():
        if any(c.isdigit() for c in word) or word.startswith("("):
            break
        words.append(word)
    return " ".join(words)


def source_labels(sources: Iterable[str]) -> str:
    """Join the short labels of several sources, each once, in order."""
    labels: list[str] = []
    for source in sources:
        for part in source.split(";"):
            label = source_label(part.strip())
            if label and label not in labels:
                labels.append(label)
    return ", ".join(labels)


# ------------------------------------------------------------------------------ entries


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
            text = _mask(self.not_korean, compact)
            match = self.korean.search(text)
            if match:
                found.append(match.start())
        if self.latin is not None:
            text = _mask(self.not_latin, spaced)
            match = self.latin.search(text)
            if match:
                found.append(match.start() - spaced.count(" ", 0, match.start()))
        return min(found) if found else None


@dataclass(frozen=True)
class Country:
    """A country Haven can name, in both languages."""

    code: str
    en: str
    ko: str
    names: Names


@dataclass(frozen=True)
class Place:
    """A city, province or region; ``countries[0]`` is assumed when the text names none."""

    name: str
    ko: str
    countries: tuple[str, ...]
    within: str | None
    names: Names


# ---------------------------------------------------------------------------- matching


def spaced_view(text: str) -> str:
    """Fold the text (bounded, lowercase) and turn all but letters and digits into single spaces."""
    cleaned = "".join(ch if ch.isalnum() else " " for ch in fold(text))
    return " ".join(cleaned.split())


def _mask(pattern: re.Pattern[str] | None, text: str) -> str:
    """Blank out the words that contain a name without meaning the place."""
    if pattern is None:
        return text
    return pattern.sub(lambda m: "\0" * len(m.group(0)), text)


def _latin(name: str) -> str:
    """A whole-word pattern for a Latin name whose inner spaces are optional."""
    words = spaced_view(name).split()
    return r"(?<![a-z0-9])" + r"\s?".join(re.escape(w) for w in words) + r"(?![a-z0-9])"


def _alternation(parts: list[str]) -> re.Pattern[str] | None:
    """Compile the longest-first alternation of patterns, or None if there are none."""
    if not parts:
        return None
    unique = sorted(set(parts), key=len, reverse=True)
    return re.compile("|".join(f"(?:{p})" for p in unique))


def compile_names(names: Iterable[str], excluded: Iterable[str]) -> Names:
    """Split spellings into Korean (matched without spaces) and Latin (whole words)."""
    korean: list[str] = []
    latin: list[str] = []
    not_korean: list[str] = []
    not_latin: list[str] = []
    for raw, ko_list, latin_list in (
        (names, korean, latin),
        (excluded, not_korean, not_latin),
    ):
        for name in raw:
            spaced = spaced_view(name)
            if not spaced:
                continue
            if has_hangul(spaced):
                ko_list.append(re.escape(spaced.replace(" ", "")))
            else:
                latin_list.append(_latin(spaced))
    return Names(
        _alternation(korean), _alternation(latin), _alternation(not_korean), _alternation(not_latin)
    )


# ------------------------------------------------------------------------------- facts


class Facts:
    """One consistent version of the facts and place names, and everything said from them."""

    def __init__(
        self,
        contacts: tuple[Contact, ...],
        call_center: Contact,
        advisories: tuple[Advisory, ...],
        red_flags: tuple[Sourced, ...],
        how_to_verify: tuple[Sourced, ...],
        countries: dict[str, Country],
        places: tuple[Place, ...],
        figures: tuple[Sourced, ...] = (),
    ) -> None:
        """Keep validated entries; use ``load_facts`` to build one from the files."""
        self.contacts = contacts
        self.call_center = call_center
        self.advisories = advisories
        self.red_flags = red_flags
        self.how_to_verify = how_to_verify
        self.figures = figures
        self.countries = countries
        self.places = places
        self._places_by_name = {p.name: p for p in places}

    # Places ---------------------------------------------------------------------------

    def country_codes(self) -> list[str]:
        """The ISO codes of every country in countries.yml, in file order."""
        return list(self.countries)

    def country_name(self, code: str, lang: str) -> str:
        """A country's name in the reply language ("Cambodia" / "캄보디아"); the code if unknown."""
        country = self.countries.get(code.upper())
        if country is None:
            return code.upper()
        return country.ko if lang == "ko" else country.en

    def place_name(self, city: str, lang: str) -> str:
        """A place's name in the reply language; the name as given if unknown."""
        place = self._places_by_name.get(city)
        if place is None:
            return city
        return place.ko if lang == "ko" else place.name

    def find_place(self, text: str) -> tuple[str | None, str | None]:
        """Find (country code, canonical city) named in free Korean or English text.

        A place implies its country; a place inside another named place wins over it; places
        and countries abroad win over Korea, the home country people write from.
        """
        spaced = spaced_view(text)
        compact = spaced.replace(" ", "")
        if not compact:
            return None, None
        named = self._named_countries(spaced, compact)
        places = self._named_places(spaced, compact)
        abroad = [code for code in named if code != HOME]
        foreign = [p for p in places if HOME not in p.countries]
        for place in foreign:
            for code in abroad:
                if code in place.countries:
                    return code, place.name
        if foreign:
            return foreign[0].countries[0], foreign[0].name
        if abroad:
            return abroad[0], None
        if places:
            return places[0].countries[0], places[0].name
        if named:
            return named[0], None
        return None, None

    def _named_countries(self, spaced: str, compact: str) -> list[str]:
        """Country codes named in the text, in order of appearance."""
        hits = []
        for country in self.countries.values():
            pos = country.names.find(spaced, compact)
            if pos is not None:
                hits.append((pos, country.code))
        return [code for _, code in sorted(hits)]

    def _named_places(self, spaced: str, compact: str) -> list[Place]:
        """Places named in the text, in order, without provinces whose inner place is named."""
        hits = []
        for i, place in enumerate(self.places):
            pos = place.names.find(spaced, compact)
            if pos is not None:
                hits.append((pos, i, place))
        found = [place for _, _, place in sorted(hits, key=lambda h: (h[0], h[1]))]
        outer = {a for p in found for a in self._ancestors(p.name)}
        return [p for p in found if p.name not in outer]

    def _ancestors(self, city: str) -> list[str]:
        """The provinces a place lies in, innermost first."""
        result: list[str] = []
        place = self._places_by_name.get(city)
        while place is not None and place.within and place.within not in result:
            result.append(place.within)
            place = self._places_by_name.get(place.within)
        return result

    def _inside(self, city: str) -> set[str]:
        """The places that lie (directly or not) inside a place."""
        return {p.name for p in self.places if city in self._ancestors(p.name)}

    # Contacts ---------------------------------------------------------------------------

    def stated_contacts(self, country: str | None) -> list[Contact]:
        """The confirmed contacts of a country, in file order, without the call center."""
        if country is None:
            return []
        code = country.upper()
        return [
            c for c in self.contacts if c.stated and c.country == code and c.id != CALL_CENTER_ID
        ]

    def phone_numbers(self) -> set[str]:
        """Every phone-like token a reply may contain: those of confirmed contacts only."""
        numbers: set[str] = set()
        for contact in self.contacts:
            if contact.stated:
                for lang in ("en", "ko"):
                    text = f"{contact.number_in(lang)} {contact.note(lang)} {contact.name(lang)}"
                    numbers.update(phone_tokens(text))
        return numbers

    def render_contacts(self, country: str | None, lang: str) -> str:
        """Answer "who do I call": the call center first, then the country's verified numbers."""
        code = country.upper() if country else None
        title = t("facts.contacts_title", lang)
        if code:
            title += f": {self.country_name(code, lang)}"
        blocks = [title, _contact_block(self.call_center, lang)]
        local = self.stated_contacts(code)
        blocks.extend(_contact_block(c, lang) for c in local)
        if code is None:
            blocks.append(t("facts.pick_country", lang))
        elif not local:
            blocks.append(t("facts.no_numbers", lang, country=self.country_name(code, lang)))
        elif code != HOME and not any(c.role == "embassy" for c in local):
            blocks.append(t("facts.no_embassy", lang, country=self.country_name(code, lang)))
        return "\n\n".join(blocks)

    def render_emergency(self, country: str | None, lang: str) -> str:
        """The short list shown right after a distress alert: call center and local help.

        With no country, or Korea (people held abroad write "I can't go back to Korea"), it
        also lists the main risk country's numbers, saying which country they are for.
        """
        code = country.upper() if country else None
        lines = [t("facts.emergency_title", lang), _contact_line(self.call_center, lang)]
        if code is not None and code != MAIN_RISK_COUNTRY:
            lines.extend(self._local_emergency(code, "facts.in_country", lang))
        if code in (None, HOME, MAIN_RISK_COUNTRY):
            key = "facts.in_country" if code == MAIN_RISK_COUNTRY else "facts.if_in_country"
            lines.extend(self._local_emergency(MAIN_RISK_COUNTRY, key, lang))
        if code is None:
            lines.extend(self._local_emergency(HOME, "facts.if_in_country", lang))
        return "\n".join(lines)

    def _local_emergency(self, code: str, heading: str, lang: str) -> list[str]:
        """A country's emergency contacts under a heading, or an honest 'none verified'."""
        name = self.country_name(code, lang)
        local = [c for c in self.stated_contacts(code) if c.emergency]
        if not local:
            return [t("facts.no_local_numbers", lang, country=name)]
        return [t(heading, lang, country=name), *(_contact_line(c, lang) for c in local)]

    # Advisories -------------------------------------------------------------------------

    def _advisories_for(self, country: str) -> list[Advisory]:
        """The confirmed advisories that cover a country."""
        return [a for a in self.advisories if a.stated and country.upper() in a.countries]

    def _areas_for(self, advisory: Advisory, city: str) -> tuple[list[Area], list[Area]]:
        """The advisory's areas covering the place (or a province it lies in), and those inside it."""
        around = {city, *self._ancestors(city)}
        inside = self._inside(city)
        covering = [area for area in advisory.areas if around.intersection(area.places)]
        within = [
            area
            for area in advisory.areas
            if not around.intersection(area.places) and inside.intersection(area.places)
        ]
        return covering, within

    def advisory_level(self, country: str | None, city: str | None) -> int | None:
        """The advisory level for scoring a job offer: 4, 3, 2, or None when unknown.

        A special travel advisory counts as 3. A province counts at the highest level of any
        area inside it (an offer "in Kampot" may well be at Bokor). A country without a city
        gets the level of "the rest of" it, or None when the sources give none.
        """
        if country is None:
            return None
        advisories = self._advisories_for(country)
        if city:
            levels = [
                area.level
                for advisory in advisories
                for areas in self._areas_for(advisory, city)
                for area in areas
            ]
            if levels:
                return max(levels)
        rests = [a.rest.level for a in advisories if a.rest is not None]
        return max(rests) if rests else None

    def render_advisory(self, country: str, city: str | None, lang: str) -> str:
        """The foreign ministry advisory level for a place, dated and sourced, or 'no data'."""
        code = country.upper()
        where = self._where(code, city, lang)
        advisories = self._advisories_for(code)
        if not advisories:
            return t("facts.no_advisory", lang, place=where) + self._ask_call_center(lang)
        if city is None:
            return self._advisory_summary(where, advisories, lang)
        blocks = [t("facts.advisory_title", lang, place=where)]
        for advisory in advisories:
            own, inner = self._areas_for(advisory, city)
            if not own and advisory.rest is not None:
                own = [advisory.rest]
            if own or inner:
                blocks.append(_advisory_block(advisory, (own, inner), lang))
        if len(blocks) == 1:
            return self._no_city_advisory(where, advisories, lang)
        return "\n\n".join(blocks)

    def _advisory_summary(self, where: str, advisories: list[Advisory], lang: str) -> str:
        """Every area of every advisory for a country, highest level first."""
        blocks = [t("facts.advisory_title", lang, place=where)]
        blocks.extend(_advisory_block(a, None, lang) for a in advisories)
        if all(a.rest is None for a in advisories):
            blocks.append(t("facts.no_rest", lang, place=where) + self._ask_call_center(lang))
        return "\n\n".join(blocks)

    def _no_city_advisory(self, where: str, advisories: list[Advisory], lang: str) -> str:
        """No level for this place: say so, and show the areas of the country that have one."""
        text = t("facts.no_advisory", lang, place=where) + self._ask_call_center(lang)
        blocks = [text, t("facts.elsewhere", lang)]
        blocks.extend(_advisory_block(a, None, lang) for a in advisories)
        return "\n\n".join(blocks)

    def _where(self, code: str, city: str | None, lang: str) -> str:
        """'Sihanoukville, Cambodia' / '캄보디아 시아누크빌'."""
        country = self.country_name(code, lang)
        if not city:
            return country
        place = self.place_name(city, lang)
        return f"{country} {place}" if lang == "ko" else f"{place}, {country}"

    def _ask_call_center(self, lang: str) -> str:
        """Point to the call center for what the facts do not cover, with its checked date."""
        center = self.call_center
        return " " + t(
            "facts.ask_call_center",
            lang,
            number=center.number,
            checked=_checked(center.checked, lang),
        )

    # Red flags and verification ---------------------------------------------------------

    def render_red_flags(self, lang: str) -> str:
        """The sourced warning signs of a fake job offer, as a dated list."""
        return _sourced_list(t("facts.red_flags_title", lang), self.red_flags, lang)

    def render_how_to_verify(self, lang: str) -> str:
        """The sourced official ways to check an employer or agency, as a dated list."""
        return _sourced_list(t("facts.verify_title", lang), self.how_to_verify, lang)

    def render_figures(self, lang: str) -> str:
        """How big the problem is: the confirmed counts and estimates, each sourced and dated.

        Only the sentences of the facts file are said, word for word: no figure is ever
        completed, rounded or computed here.
        """
        if not any(item.stated for item in self.figures):
            return t("facts.no_figures", lang)
        return _sourced_list(t("facts.figures_title", lang), self.figures, lang)


# --------------------------------------------------------------------------- rendering


def _checked(date: str, lang: str) -> str:
    """'checked on 2026-11-25' / '확인일 2026-11-25'."""
    return t("facts.checked", lang, date=date)


def _provenance(source: Iterable[str], checked: str, lang: str) -> str:
    """'(source: 0404.go.kr; checked on 2026-11-25)'."""
    labels = source_labels(source)
    sep = " · " if lang == "ko" else "; "
    return f"({t('facts.source', lang, labels=labels)}{sep}{_checked(checked, lang)})"


def _contact_block(contact: Contact, lang: str) -> str:
    """A contact with its name, number, note and provenance, for the full list."""
    lines = [f"• {contact.name(lang)}: {contact.number_in(lang)}"]
    note = contact.note(lang)
    if note:
        lines.append(f"  {note}")
    lines.append(f"  {_provenance(contact.source, contact.checked, lang)}")
    return "\n".join(lines)


def _contact_line(contact: Contact, lang: str) -> str:
    """A contact on one line, for the short emergency message."""
    return f"• {contact.name(lang)}: {contact.number_in(lang)} ({_checked(contact.checked, lang)})"


def _area_line(area: Area, lang: str) -> str:
    """'• Level 4 (travel ban): Poipet'."""
    return f"• {area.level_name(lang)}: {area.name(lang)}"


def _advisory_block(
    advisory: Advisory, chosen: tuple[list[Area], list[Area]] | None, lang: str
) -> str:
    """Area lines (all, or those of a place and inside it), effective date, penalty, source."""
    if chosen is None:
        own = sorted(advisory.areas, key=lambda a: (-a.level, a.special))
        own += [advisory.rest] if advisory.rest is not None else []
        inner: list[Area] = []
    else:
        own, inner = chosen
    lines = [_area_line(a, lang) for a in own]
    if inner:
        lines.append(t("facts.but_inside", lang))
        lines.extend(_area_line(a, lang) for a in inner)
    effective = (advisory.effective_ko if lang == "ko" else "") or advisory.effective
    announced = t("facts.announced", lang, date=advisory.announced) if advisory.announced else ""
    lines.append(t("facts.effective", lang, effective=effective, announced=announced))
    penalty = (advisory.penalty_ko if lang == "ko" else "") or advisory.penalty_en
    if penalty and any(a.level == 4 and not a.special for a in own + inner):
        lines.append(penalty)
    lines.append(_provenance(advisory.source, advisory.checked, lang))
    return "\n".join(lines)


def _sourced_list(title: str, items: Iterable[Sourced], lang: str) -> str:
    """A titled bulleted list of confirmed sentences, each with its source and date."""
    lines = [title]
    for item in items:
        if item.stated:
            lines.append(f"• {item.text(lang)} {_provenance(item.source, item.checked, lang)}")
    return "\n".join(lines)


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
    if not _ISO_DATE.fullmatch(text):
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
        raise FactsError(f"{where}: 'status' must be confirmed or unconfirmed")
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
        effective=_text(entry, "effective", where, required=True),
        effective_ko=_text(entry, "effective_ko", where),
        announced=_text(entry, "announced", where),
        areas=areas,
        rest=rest,
        penalty_en=_text(entry, "penalty_en", where),
        penalty_ko=_text(entry, "penalty_ko", where),
        source=sources,
        checked=checked,
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


def load_countries(path: Path) -> tuple[dict[str, Country], tuple[Place, ...]]:
    """Read countries.yml: country names and the places that imply them."""
    data = _read_yaml(path)
    raw_countries = _mapping(data.get("countries"), f"{path}: countries")
    countries: dict[str, Country] = {}
    for code, raw in raw_countries.items():
        where = f"{path}: country {code}"
        if not isinstance(code, str) or not re.fullmatch(r"[A-Z]{2}", code):
            raise FactsError(f"{where}: the key must be an ISO code like KH")
        entry = _mapping(raw, where)
        en = _text(entry, "en", where, required=True)
        ko = _text(entry, "ko", where, required=True)
        names = [en, ko, *_strings(entry.get("names"), f"{where} names")]
        excluded = _strings(entry.get("not"), f"{where} not")
        countries[code] = Country(code, en, ko, compile_names(names, excluded))
    places: list[Place] = []
    for i, raw in enumerate(_list(data, "places", str(path))):
        places.append(_place(raw, f"{path}: places[{i}]", countries))
    known = {p.name for p in places}
    for place in places:
        if place.within is not None and place.within not in known:
            raise FactsError(f"{path}: place {place.name}: 'within' {place.within!r} is unknown")
    if len(known) != len(places):
        raise FactsError(f"{path}: two places have the same name")
    return countries, tuple(places)


def _place(raw: Any, where: str, countries: dict[str, Country]) -> Place:
    """Validate one place of countries.yml."""
    entry = _mapping(raw, where)
    name = _text(entry, "name", where, required=True)
    where = f"{where} ({name})"
    ko = _text(entry, "ko", where, required=True)
    country = entry.get("country")
    codes = [country] if isinstance(country, str) else country
    if (
        not isinstance(codes, list)
        or not codes
        or not all(isinstance(c, str) and c in countries for c in codes)
    ):
        raise FactsError(f"{where}: 'country' must be a code (or list) from countries")
    names = [name, ko, *_strings(entry.get("names"), f"{where} names")]
    excluded = _strings(entry.get("not"), f"{where} not")
    within = _text(entry, "within", where) or None
    return Place(name, ko, tuple(codes), within, compile_names(names, excluded))


def load_facts(facts_path: Path, countries_path: Path) -> Facts:
    """Read and validate both files; raise FactsError naming the entry at fault."""
    countries, places = load_countries(countries_path)
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
        """Remember the files; nothing is read until ``current()``."""
        super().__init__(
            load_facts, facts_path, countries_path, error=FactsError, on_problem=on_problem
        )
        self.facts_path, self.countries_path = self.paths
