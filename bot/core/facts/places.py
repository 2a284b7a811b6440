"""Finding countries and places in free Korean or English text."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from bot.core.facts.entries import HOME, Country, Names, Place
from bot.core.folding import fold, has_hangul

__all__ = ["Places", "compile_names", "spaced_view"]

# ---------------------------------------------------------------------------- matching


_NOT_ALNUM = re.compile(r"\W|_")
"""All but letters and digits (a word character is ``str.isalnum`` or the underscore)."""


def spaced_view(text: str) -> str:
    """Fold the text (bounded, lowercase) and turn all but letters and digits into single spaces."""
    return " ".join(_NOT_ALNUM.sub(" ", fold(text)).split())


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


FOUND_KEPT = 32
"""Texts whose places are remembered: the messages being answered now, no more."""


class Places:
    """The countries and places of countries.yml, and finding them in what people write."""

    def __init__(self, countries: dict[str, Country], places: tuple[Place, ...]) -> None:
        """Keep the countries (by code) and the places (in file order)."""
        self.countries = countries
        self.places = places
        self._places_by_name = {p.name: p for p in places}
        self._found = functools.lru_cache(maxsize=FOUND_KEPT)(self._find_place)

    def country_codes(self) -> list[str]:
        """The ISO codes of every country in countries.yml, in file order."""
        return list(self.countries)

    def country_name(self, code: str, lang: str) -> str:
        """A country's name in the reply language ("Cambodia" / "캄보디아"); the code if unknown."""
        country = self.countries.get(code.upper())
        if country is None:
            return code.upper()
        return country.name(lang)

    def place_name(self, city: str, lang: str) -> str:
        """A place's name in the reply language; the name as given if unknown."""
        place = self._places_by_name.get(city)
        if place is None:
            return city
        return place.name_in(lang)

    def find_place(self, text: str) -> tuple[str | None, str | None]:
        """Find (country code, canonical city) named in free Korean or English text.

        A place implies its country; a place inside another named place wins over it; places
        and countries abroad win over Korea, the home country people write from. One message
        is looked at several times on its way (question, ad scan, answers): read once.
        """
        return self._found(text)

    def _find_place(self, text: str) -> tuple[str | None, str | None]:
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
