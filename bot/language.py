"""Which language to answer in: Korean or English, decided per message.

Hangul decides at once; otherwise langdetect, limited to the two languages and seeded so the
same text always gets the same answer. Short or ambiguous text keeps the user's last language,
because "ok", "117" or an emoji says nothing about it.
"""

from __future__ import annotations

import re
from typing import Literal

from langdetect import DetectorFactory, LangDetectException, detect_langs

Language = Literal["ko", "en"]
LANGUAGES: tuple[Language, ...] = ("ko", "en")

HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]")
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
MIN_WORDS = 3
MIN_PROBABILITY = 0.80

DetectorFactory.seed = 0


def has_hangul(text: str) -> bool:
    """Tell whether the text contains any Korean letter."""
    return bool(HANGUL.search(text))


def from_telegram(code: str | None) -> Language | None:
    """Map Telegram's ``language_code`` (e.g. ``ko``, ``en-GB``) to ours, if it is one."""
    if not code:
        return None
    base = code.split("-")[0].lower()
    for language in LANGUAGES:
        if base == language:
            return language
    return None


def detect(
    text: str, previous: Language | None = None, telegram_code: str | None = None
) -> Language:
    """Decide the reply language for ``text``.

    ``previous`` is the user's last language (or their explicit choice); ``telegram_code`` is
    the first guess for a user we have not heard from.
    """
    fallback: Language = previous or from_telegram(telegram_code) or "en"
    if has_hangul(text):
        return "ko"
    if fallback == "en":
        # Without Hangul the answer is English or the fallback: nothing for langdetect to add.
        return "en"
    words = LATIN_WORD.findall(text)
    if len(words) < MIN_WORDS:
        return fallback
    try:
        candidates = detect_langs(" ".join(words))
    except LangDetectException:
        return fallback
    for candidate in candidates:
        if candidate.lang == "en" and candidate.prob >= MIN_PROBABILITY:
            return "en"
    # Latin-script text in a language we do not speak (tolong, cứu): keep what we had.
    return fallback
