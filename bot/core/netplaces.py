"""The places abroad a watched writer may name: evidence of kind PLACE for the safety net.

"몰래 써요, 시아누크빌이에요" is a cry for help without the word help: a covert writer naming a
place where the compounds are. The names are those of content/countries.yml and the packs'
places.yml, read beside the lexicon; home (Korea) is not evidence. Standard library and PyYAML.
"""

from __future__ import annotations

import logging
from pathlib import Path

from bot.core.facts import HOME, Names, load_countries, spaced_view
from bot.core.fastregex import Anchors, FastPattern, Present

__all__ = ["PLACES_FILE", "AbroadNames", "known_places"]

log = logging.getLogger(__name__)

PLACES_FILE = "countries.yml"
"""The place names Haven knows, read beside the lexicon."""


def known_places(path: Path) -> tuple[Names, ...]:
    """The names of the places and countries abroad that ``countries.yml`` knows.

    The net must load without them: a missing or broken file gives none (and a warning), so a
    bad edit of the place names never stops the screening.
    """
    if not path.exists():
        return ()
    try:
        countries, places = load_countries(path)
    except Exception as exc:  # any fault in that file only costs the names
        log.warning("place names not used by the safety net: %s", exc)
        return ()
    abroad = [c.names for code, c in countries.items() if code != HOME]
    return (*abroad, *(p.names for p in places if HOME not in p.countries))


class AbroadNames:
    """The place names that count as a PLACE, each looked for only where one of its spellings
    could be (looking for every name costs some 10 ms on a long message)."""

    def __init__(self, places: tuple[Names, ...]) -> None:
        """Index the spellings: Korean ones on the compact view, Latin ones on the spaced."""
        self._names = [
            (
                names,
                FastPattern.of(names.korean) if names.korean is not None else None,
                FastPattern.of(names.latin) if names.latin is not None else None,
            )
            for names in places
        ]
        self._korean = Anchors(k for _, k, _ in self._names if k is not None)
        self._latin = Anchors(n for _, _, n in self._names if n is not None)

    def named(self, text: str) -> bool:
        """Whether ``text`` names one of the places (as ``Names.find`` reads it)."""
        if not self._names:
            return False
        spaced = spaced_view(text)
        compact = spaced.replace(" ", "")
        korean = Present(compact, self._korean)
        latin = Present(spaced, self._latin)
        return any(
            names.find(spaced, compact) is not None
            for names, k, n in self._names
            if (k is not None and korean.may_match(k)) or (n is not None and latin.may_match(n))
        )
