"""The views of a message the safety net reads: normalised, then spaced, compact and bare.

A frightened person types fast, on a phone, in any script: "도 와 주 세 요", "heeelp!!!",
"cứu". Every message is normalised once (content/safety_net.yml's header says how) and read
in three views, so one rule written once catches every spelling. Standard library only.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from bot.core.folding import fold, is_compat_jamo, replace_chars

__all__ = ["BARE", "COMPACT", "KNOWN_CHARACTERS", "SPACED", "VIEWS", "bare", "normalise", "views"]

COMPACT = "compact"
SPACED = "spaced"
BARE = "bare"
VIEWS = (COMPACT, SPACED, BARE)
KNOWN_CHARACTERS = 100_000
"""Characters whose normalisation is kept once worked out (bounds the tables' memory)."""

_NOISE_JAMO = re.compile(r"[ㅠㅜㅡ]+")
_REPEAT = re.compile(r"(.)\1{2,}", re.DOTALL)
_KEEP_PUNCT = frozenset("!?$")
_ODD = re.compile(r"[^\w\s]|_")
"""Every character but letters, digits and spaces: the only ones normalisation rewrites one
by one (punctuation, format characters, combining marks; a test checks all of Unicode)."""


def _collapse(match: re.Match[str]) -> str:
    """Cut a run of one character: letters to one, jamo and punctuation to two, digits kept."""
    ch = match.group(1)
    if ch.isdigit():
        return match.group(0)
    if is_compat_jamo(ch) or not ch.isalnum():
        return ch * 2
    return ch


class _CharRule:
    """A rewrite of single characters worked out once per character met (its Unicode
    category is looked up once, not once per message); past ``KNOWN_CHARACTERS`` characters
    the answer is worked out each time and not kept."""

    def __init__(self, rule: Callable[[str], str]) -> None:
        """``rule`` says what a character becomes: itself, another string, or "" (dropped);
        it must keep every letter, digit and space (``_ODD`` finds the others)."""
        self._rule = rule
        self._known: dict[str, str] = {}
        self._ascii = {code: rule(chr(code)) for code in range(128)}

    def changes(self, text: str) -> dict[str, str]:
        """The characters of ``text`` that the rule changes, with what each becomes."""
        out: dict[str, str] = {}
        for ch in set(_ODD.findall(text)):
            new = self._known.get(ch)
            if new is None:
                new = self._rule(ch)
                if len(self._known) < KNOWN_CHARACTERS:
                    self._known[ch] = new
            if new != ch:
                out[ch] = new
        return out

    def apply(self, text: str) -> str:
        """``text`` with the rule applied to every character (no value holds a changed one)."""
        if text.isascii():
            return text.translate(self._ascii)  # ASCII is translated without look-ups
        return replace_chars(text, self.changes(text))


def _unpunctuated(ch: str) -> str:
    """Apostrophes and invisible format characters go; punctuation but ! ? $ becomes a space."""
    category = unicodedata.category(ch)
    if ch == "'" or category == "Cf":
        return ""
    if category.startswith("P") and ch not in _KEEP_PUNCT:
        return " "
    return ch


_UNPUNCTUATED = _CharRule(_unpunctuated)
_UNMARKED = _CharRule(lambda ch: "" if unicodedata.category(ch) == "Mn" else ch)


def normalise(text: str) -> str:
    """Return the spaced view: folded, no apostrophes, repeats and noise reduced."""
    text = _UNPUNCTUATED.apply(fold(text))
    text = _NOISE_JAMO.sub("", text)
    text = _REPEAT.sub(_collapse, text)
    return " ".join(text.split())  # runs of spaces to one (str.split and \s agree on spaces)


_BARE_LETTERS = {"đ": "d", "ð": "d", "ł": "l", "ø": "o"}
_BARE_ALREADY = re.compile(r"[\x00-\x7f\u3131-\u318e\uac00-\ud7a3]*")
"""ASCII, compatibility jamo and Hangul syllables: NFD then NFC gives them back, unmarked."""


def bare(spaced: str) -> str:
    """The spaced view without accents (cứu -> cuu, ayúdenme -> ayudenme), as phones type it.

    Only for rules in Latin-script languages: combining marks carry the vowels of Thai, Khmer,
    Burmese and Lao, so their rules use the other views.
    """
    if _BARE_ALREADY.fullmatch(spaced):
        return spaced  # nothing to decompose, no combining mark, no letter to replace
    decomposed = unicodedata.normalize("NFD", replace_chars(spaced, _BARE_LETTERS))
    return unicodedata.normalize("NFC", _UNMARKED.apply(decomposed))


def views(text: str) -> dict[str, str]:
    """The views of a message: ``spaced`` for words, ``compact`` for Korean spacing and
    unspaced scripts, ``bare`` for Latin-script languages typed without accents."""
    spaced = normalise(text)
    return {SPACED: spaced, COMPACT: spaced.replace(" ", ""), BARE: bare(spaced)}
