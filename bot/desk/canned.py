"""Canned replies: staff pick one and the person gets it in their language.

``content/canned.yml`` lists them (key, consent); each language's pack has their words
(``content/<code>/canned.yml``: a title and a text per key).

Staff choose by button under a case's alert or with ``/canned N key``; they see the entry in
their own language, and what goes out is the person's version, through the same path as any
staff message (the safety word last, a discreet case's read-then-delete button). The one
placeholder, ``{call_center}``, is the Consular Call Center as content/facts.yml has it: no
number is ever typed into the file, and loading refuses one.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from pathlib import Path

from bot.core.datafile import Reloading, read_yaml
from bot.core.errors import CannedError
from bot.core.facts import FactsStore
from bot.core.folding import has_hangul
from bot.core.packs import answering_parts
from bot.store import Party

__all__ = ["Canned", "CannedReplies", "load_canned"]

KEY = re.compile(r"[a-z][a-z0-9_]{0,23}", re.ASCII)
"""``canned:<18 digits>:<key>`` stays within Telegram's 64 bytes of callback data."""
PLACEHOLDERS = frozenset({"call_center"})
PHONE = re.compile(r"\+?\d[\d\s().-]{5,}\d")
"""Anything that looks like a phone number: numbers come from facts.yml only."""
CANNED_FILE = "canned.yml"
CONTACTING = re.compile(
    r"\bcontact(?:ing)?\b[^.\n]*\b(embass|consul|police|family)"
    r"|(대사관|영사관|경찰|가족)[^.\n]*연락",
    re.IGNORECASE,
)
"""Says we are contacting someone on the person's behalf: needs their consent first."""


@dataclass(frozen=True)
class Canned:
    """One canned reply: its key, its button title and its text, in both languages."""

    key: str
    titles: dict[str, str]
    texts: dict[str, str]
    consent: Party | None = None
    """Whom the reply says we are contacting: it waits for the person's yes (/consent)."""

    def title(self, lang: str) -> str:
        """The button, in ``lang`` (English if there is no such language)."""
        return self.titles.get(lang) or self.titles["en"]


def placeholders(text: str) -> set[str]:
    """The ``{name}`` placeholders of a text."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def load_canned(path: Path, *parts: Path) -> tuple[Canned, ...]:
    """Read and check the list and each answering pack's words; CannedError names what is wrong.

    ``parts`` are the packs' files (every answering pack's beside ``path`` when none are named).
    """
    data = read_yaml(path, CannedError)
    entries = data.get("replies") if isinstance(data, dict) else None
    if not isinstance(entries, list) or not entries:
        raise CannedError(f"{path}: needs a non-empty list 'replies'")
    words = _words(parts or answering_parts(path.parent, CANNED_FILE))
    if not words:
        raise CannedError(f"{path}: no language pack beside it has {CANNED_FILE}")
    found: list[Canned] = []
    for index, entry in enumerate(entries):
        where = f"{path}: reply {index + 1}"
        if not isinstance(entry, dict):
            raise CannedError(f"{where}: not a mapping")
        key = str(entry.get("key") or "")
        if not KEY.fullmatch(key):
            raise CannedError(f"{where}: key {key!r} must be a-z, 0-9 and _ (at most 24)")
        where = f"{path}: {key}"
        if any(c.key == key for c in found):
            raise CannedError(f"{where}: the key is used twice")
        titles: dict[str, str] = {}
        texts: dict[str, str] = {}
        for lang, (part, pack_words) in words.items():
            titles[lang], texts[lang] = _worded(pack_words.get(key), lang, f"{part}: {key}")
        if len({frozenset(placeholders(text)) for text in texts.values()}) > 1:
            raise CannedError(f"{where}: the languages have different placeholders")
        found.append(Canned(key, titles, texts, consent_of(entry, texts, where)))
    return tuple(found)


def _words(parts: tuple[Path, ...]) -> dict[str, tuple[Path, dict[str, object]]]:
    """Each pack's words by its language: ``{code: (file, {key: {title, text}})}``."""
    words: dict[str, tuple[Path, dict[str, object]]] = {}
    for part in parts:
        raw = read_yaml(part, CannedError)
        if not isinstance(raw, dict):
            raise CannedError(f"{part}: must map each key to its title and text")
        words[part.parent.name] = (part, raw)
    return words


def _worded(raw: object, lang: str, where: str) -> tuple[str, str]:
    """One reply's title and text in one language, checked."""
    if not isinstance(raw, dict):
        raise CannedError(f"{where}: needs a title and a text in this language")
    title = str(raw.get("title") or "").strip()
    text = str(raw.get("text") or "").strip()
    if not title or not text:
        raise CannedError(f"{where}: needs a title and a text in this language")
    if not lang.startswith("ko") and (has_hangul(title) or has_hangul(text)):
        raise CannedError(f"{where}: Korean letters in the {lang} version")
    if PHONE.search(text) or PHONE.search(title):
        raise CannedError(f"{where}: a phone number in the text; use {{call_center}} (facts.yml)")
    unknown = placeholders(text) - PLACEHOLDERS
    if unknown:
        raise CannedError(f"{where}: unknown placeholder {sorted(unknown)}")
    return title, text


def consent_of(entry: dict[str, object], texts: dict[str, str], where: str) -> Party | None:
    """The entry's ``consent`` party; a text that says we are contacting someone needs one."""
    raw = str(entry.get("consent") or "").strip().lower()
    if raw:
        try:
            return Party(raw)
        except ValueError:
            parties = ", ".join(Party)
            raise CannedError(f"{where}: consent {raw!r} is not one of {parties}") from None
    if any(CONTACTING.search(text) for text in texts.values()):
        raise CannedError(
            f"{where}: it says we are contacting someone: name whom with 'consent: "
            "embassy|police|family', so it waits for the person's agreement"
        )
    return None


class CannedReplies:
    """The canned replies file, re-read when staff edit it, filled in from the facts."""

    def __init__(self, path: Path, facts: FactsStore) -> None:
        """Read ``path`` (content/canned.yml) and the packs' words; ``facts`` fills them in."""
        self._file = Reloading(
            load_canned, path, *answering_parts(path.parent, CANNED_FILE), error=CannedError
        )
        self._facts = facts

    @property
    def file(self) -> Reloading[tuple[Canned, ...]]:
        """The file behind the replies, for the content-file alarms and /health."""
        return self._file

    def entries(self) -> tuple[Canned, ...]:
        """Every canned reply, in file order."""
        return self._file.current()

    def get(self, key: str) -> Canned | None:
        """The canned reply ``key``, if there is one."""
        return next((entry for entry in self.entries() if entry.key == key), None)

    def text(self, entry: Canned, lang: str) -> str:
        """The reply in ``lang``, its placeholders filled in."""
        raw = entry.texts.get(lang) or entry.texts["en"]
        if not placeholders(raw):
            return raw
        center = self._facts.current().call_center
        return raw.format(call_center=f"{center.name(lang)}: {center.number_in(lang)}")
