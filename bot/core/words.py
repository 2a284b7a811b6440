"""The words Haven recognises in each language it answers in: each pack's ``words.yml``.

A person ends a flow with "그만" or "stop", answers a check-in with "괜찮아요" or "fine", asks
for "English"; the lock screen must not show "경찰" or "police". These lists are language, so
they live in the language packs (bot/core/packs.py), read once from the repository's
content/ like Haven's texts. Standard library and PyYAML only (Python 3.10).
"""

from __future__ import annotations

import re
from enum import Enum
from pathlib import Path

from bot.core.errors import PackError
from bot.core.packs import ROOT_CONTENT, answering_parts, load_parts

__all__ = ["WORDS_FILE", "WordList", "Words", "load_words", "words"]

WORDS_FILE = "words.yml"


class WordList(str, Enum):
    """The lists of a pack's words.yml."""

    STOP = "stop"
    """Ends a flow or a question."""
    SKIP = "skip"
    """Skips an optional step of a flow."""
    OK = "ok"
    """Answers a check-in with "I'm OK"."""
    ASKS_FOR = "asks_for"
    """Asks Haven to answer in this language (regular expressions, in any language)."""
    REVEALING = "revealing"
    """Must never show on a watched person's lock screen."""


class Words:
    """Every answering pack's lists, by language in pack order."""

    def __init__(self, by_language: dict[str, dict[WordList, tuple[str, ...]]]) -> None:
        """Keep the checked lists; ``load_words`` reads them."""
        self._by_language = by_language
        self._asks_for = {
            lang: re.compile("|".join(lists[WordList.ASKS_FOR]), re.IGNORECASE)
            for lang, lists in by_language.items()
        }

    def all(self, kind: WordList) -> tuple[str, ...]:
        """The words of one list in every language, in pack order."""
        return tuple(word for lists in self._by_language.values() for word in lists[kind])

    def any_of(self, kind: WordList) -> frozenset[str]:
        """The words of one list in every language, for a whole-message lookup."""
        return frozenset(self.all(kind))

    def language_asked(self, text: str) -> str | None:
        """The language a request such as "in English please" / "한국어로" asks for, if any.

        Later-ranked languages are looked for first: "한국어 말고 영어로" asks for English.
        """
        for lang, pattern in reversed(self._asks_for.items()):
            if pattern.search(text):
                return lang
        return None


def load_words(content_dir: Path = ROOT_CONTENT) -> Words:
    """Read each answering pack's words.yml; PackError names the pack and the list at fault."""

    by_language: dict[str, dict[WordList, tuple[str, ...]]] = {}
    for lang, data in load_parts(answering_parts(content_dir, WORDS_FILE)):
        where = content_dir / lang / WORDS_FILE
        if not isinstance(data, dict) or set(data) != {kind.value for kind in WordList}:
            names = ", ".join(kind.value for kind in WordList)
            raise PackError(f"{where}: must have exactly the lists {names}")
        lists: dict[WordList, tuple[str, ...]] = {}
        for kind in WordList:
            raw = data[kind.value]
            if (
                not isinstance(raw, list)
                or not raw
                or not all(isinstance(word, str) and word.strip() for word in raw)
            ):
                raise PackError(f"{where}: '{kind.value}' must be a list of words")
            lists[kind] = tuple(word.strip() for word in raw)
        for pattern in lists[WordList.ASKS_FOR]:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise PackError(f"{where}: asks_for {pattern!r} does not compile: {exc}") from None
        by_language[lang] = lists
    return Words(by_language)


WORDS = load_words()


def words() -> Words:
    """The words of the repository's packs, read once at import."""
    return WORDS
