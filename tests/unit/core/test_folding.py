"""Text folding: the character replacements give what ``str.translate`` gives."""

from __future__ import annotations

import random
import unicodedata

from bot.core.folding import _FOLDED, _JAMO_BACK, fold, nfkc, replace_chars


def _fold_before(text: str) -> str:
    """fold() as it was written with ``str.translate``: the reference."""
    jamo = {ord(k): v for k, v in _JAMO_BACK.items()}
    quotes = {ord(c): "'" for c in "\u2018\u2019\u201b\u2032\u00b4`"}
    return unicodedata.normalize("NFKC", text[:5000]).translate(jamo).translate(quotes).lower()


def test_replace_chars_is_translate() -> None:
    pick = random.Random(7)
    alphabet = "abc`'’‘ㅋㅎ\u110f\u1112가 " + "".join(_FOLDED)
    for _ in range(2000):
        text = "".join(pick.choice(alphabet) for _ in range(pick.randrange(0, 30)))
        table = {ord(k): v for k, v in _FOLDED.items()}
        assert replace_chars(text, _FOLDED) == text.translate(table)


def test_fold_and_nfkc_give_what_they_gave_before() -> None:
    pick = random.Random(8)
    alphabet = "ＡＢｃ１２ﾊﾝｶｸ`´’‘ㅋㅋㅎㅠ가각\u3164\u1100\u1161 İé\u0301"
    for _ in range(3000):
        text = "".join(pick.choice(alphabet) for _ in range(pick.randrange(0, 30)))
        assert fold(text) == _fold_before(text), text
        jamo = {ord(k): v for k, v in _JAMO_BACK.items()}
        assert nfkc(text) == unicodedata.normalize("NFKC", text).translate(jamo), text
