"""The languages people write to Haven in: their names for staff, and vetted replies.

Haven answers in Korean or English (``bot/common/language.py`` picks which). People held in the
compounds write in many more; when one of them asks for help, staff must see which language
it is ("Tagalog — interpreter needed") and the person should read, in their own language if a
vetted sentence exists, that help was asked for. Both live in the language's pack
(``content/<code>/pack.yml``, bot/core/packs.py) so staff can add a language or a reviewed
sentence without a release.

Imports only the standard library, PyYAML and bot.core, and runs on Python 3.10.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.core.datafile import Problem, Reloading, read_yaml
from bot.core.errors import LanguagesError
from bot.core.folding import HANGUL
from bot.core.packs import CODE, pack_paths

__all__ = ["Languages", "LanguagesFile", "WrittenLanguage", "load_languages"]

_DIGIT = re.compile(r"\d")
_KEYS = {"reply", "interpreter", "answers", "spaced"}
"""The keys of a pack.yml besides the language's names, which are keyed by language tag."""


@dataclass(frozen=True)
class WrittenLanguage:
    """A language a message was written in."""

    code: str
    names: dict[str, str] = field(hash=False)
    """The language's name in each language staff may read ("Tagalog", "타갈로그어")."""
    interpreter: bool = True
    """Staff need an interpreter (false for Korean typed in Latin letters)."""
    reply: str | None = None
    """A vetted sentence in this language saying that help was asked for."""

    def name(self, lang: str) -> str:
        """The language's name in ``lang`` (English when the pack gives none)."""
        return self.names.get(lang) or self.names["en"]


class Languages:
    """The languages Haven hears but does not answer in, by code (from their packs)."""

    def __init__(self, languages: dict[str, WrittenLanguage]) -> None:
        """Keep validated entries; use ``load_languages`` to read the file."""
        self._by_code = dict(languages)

    @property
    def codes(self) -> frozenset[str]:
        """Every code with a name."""
        return frozenset(self._by_code)

    def get(self, code: str | None) -> WrittenLanguage | None:
        """The language with this code, if the file names it."""
        return self._by_code.get(code) if code else None


def _entry(code: Any, raw: Any) -> WrittenLanguage:
    """Validate one language of the file."""
    where = str(code)
    if not isinstance(code, str) or not CODE.fullmatch(code):
        raise LanguagesError(f"{where}: the code must be a language tag like tl or ko-Latn")
    if not isinstance(raw, dict):
        raise LanguagesError(f"{where}: must be a mapping with 'en' and 'ko'")
    unknown = {key for key in raw if key not in _KEYS and not CODE.fullmatch(str(key))}
    if unknown:
        raise LanguagesError(f"{where}: unknown keys {sorted(map(str, unknown))}")
    names = {key: raw[key] for key in raw if key not in _KEYS}
    name_en, name_ko = names.get("en"), names.get("ko")
    if not isinstance(name_en, str) or not name_en.strip() or HANGUL.search(name_en):
        raise LanguagesError(f"{where}.en: an English name without Hangul")
    if name_ko is not None and (not isinstance(name_ko, str) or not HANGUL.search(name_ko)):
        raise LanguagesError(f"{where}.ko: a Korean name in Hangul")
    if not all(isinstance(name, str) and name.strip() for name in names.values()):
        raise LanguagesError(f"{where}: each name is a non-empty text")
    reply = raw.get("reply")
    if reply is not None:
        if not isinstance(reply, str) or not reply.strip():
            raise LanguagesError(f"{where}.reply: a non-empty sentence, or leave it out")
        if _DIGIT.search(reply):
            raise LanguagesError(f"{where}.reply: no digits; numbers come from the facts module")
        if HANGUL.search(reply) and not code.startswith("ko"):
            raise LanguagesError(f"{where}.reply: Hangul in a sentence that is not Korean")
    interpreter = raw.get("interpreter", True)
    if not isinstance(interpreter, bool):
        raise LanguagesError(f"{where}.interpreter: true or false")
    shown = {lang: name.strip() for lang, name in names.items()}
    return WrittenLanguage(code, shown, interpreter, reply.strip() if reply else None)


def load_languages(*paths: Path) -> Languages:
    """Read and validate each pack's ``pack.yml``; raise ``LanguagesError`` naming the fault.

    The languages Haven answers in are left out: they are not "written in" for staff.
    """
    languages: dict[str, WrittenLanguage] = {}
    for path in paths:
        raw = read_yaml(path, LanguagesError)
        try:
            entry = _entry(path.parent.name, raw)
        except LanguagesError as exc:
            raise LanguagesError(f"{path}: {exc}") from None
        if not raw.get("answers"):
            languages[entry.code] = entry
    return Languages(languages)


class LanguagesFile(Reloading[Languages]):
    """The packs' names and replies, re-read when staff edit them; a bad edit keeps the last good."""

    def __init__(self, content_dir: Path, on_problem: Problem | None = None) -> None:
        """Find the packs under ``content_dir``; nothing is read until ``current()``."""
        super().__init__(
            load_languages, *pack_paths(content_dir), error=LanguagesError, on_problem=on_problem
        )
