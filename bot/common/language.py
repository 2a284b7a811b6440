"""Which language to answer in: Korean or English, decided per message.

Hangul decides at once; text made mostly of everyday English words is English (two such words
are enough); otherwise langdetect, limited to the two languages and seeded so the same text
always gets the same answer. Short or ambiguous text keeps the user's last language,
because "ok", "117" or an emoji says nothing about it.
"""

from __future__ import annotations

import re
from typing import Literal

from langdetect import DetectorFactory, LangDetectException, detect_langs

from bot.core.folding import has_hangul

__all__ = ["LANGUAGES", "Language", "detect", "from_telegram"]

Language = Literal["ko", "en"]
LANGUAGES: tuple[Language, ...] = ("ko", "en")

LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
MIN_WORDS = 3
MIN_PROBABILITY = 0.80
MIN_COMMON_SHARE = 0.5

# Everyday English words. langdetect costs milliseconds per message and misses short phrases
# ("see you later"); text that is at least half these words is English without it. No other
# Latin-script language our users write (Khmer, Thai or Vietnamese in Latin letters,
# romanised Korean, Indonesian, Tagalog) is made of them.
_COMMON_ENGLISH_WORDS = """
    a about after again all am an and any anyone are as ask at away back be because been
    before being bye can cannot cant could day did didn do does doesn doing don dont down
    each even evening every for friend from get go going good got had has have he hello
    help her here hi him his how i if im in into is isn it its just know last later let
    life like ll look lot make many may me more morning most much must my need never new
    night no not now of off ok okay on one only or other our out over own please re really
    right said same say see she should so some someone something speak still such sure take
    tell than thank thanks that the their them then there these they thing think this those
    through time to today too understand up us ve very want was wasn way we week well were
    what when where which while who why will with without won work would yes yet you your
    abroad address agency brother building call check company contact contacts daughter
    embassy emergency english fake family job jobs korean language money number offer
    passport phone police real safe salary scam sister son travel visa warning
"""
COMMON_ENGLISH = frozenset(_COMMON_ENGLISH_WORDS.split())

DetectorFactory.seed = 0


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
    common = sum(1 for word in words if word.lower() in COMMON_ENGLISH)
    if len(words) >= 2 and common == len(words):
        return "en"
    if len(words) < MIN_WORDS:
        return fallback
    if common >= MIN_COMMON_SHARE * len(words):
        return "en"
    try:
        candidates = detect_langs(" ".join(words))
    except LangDetectException:
        return fallback
    for candidate in candidates:
        if candidate.lang == "en" and candidate.prob >= MIN_PROBABILITY:
            return "en"
    # Latin-script text in a language we do not speak (tolong, cứu): keep what we had.
    return fallback
