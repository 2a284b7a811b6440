"""What a watched phone's lock screen may show: the one rule every message to a person with a case obeys.

Telegram shows the first line or two of a message in the notification, to whoever holds the
phone. For a person with an open case, whatever Haven sends opens with a neutral line long
enough to fill the preview (``PREVIEW_CHARS``), so its substance, and the safety word, start
below what a notification shows. The rule is independent of the body's wording: a text that
says nothing from ``REVEALING`` (nor a secret) anywhere is sent as it is; any other text gets
the neutral opening. The words are the language packs' (``revealing`` in words.yml, the openings in texts.yml).
Python 3.10, standard library and PyYAML only (bot/core).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.core.texts import TEXTS, t
from bot.core.words import WordList, words

__all__ = [
    "ALARM_SIGNS",
    "OPENING_ROOM",
    "PREVIEW_CHARS",
    "REVEALING",
    "is_neutral",
    "notification_safe",
    "opening",
    "reveals",
]

PREVIEW_CHARS = 80
"""Characters a lock-screen notification may show: nothing in them may tell of help."""

ALARM_SIGNS = ("🆘", "🚨", "⚠", "🚓", "🚔", "👮", "⛑", "🔴", "❗", "‼")
"""Signs a watcher reads in any language."""

REVEALING: tuple[str, ...] = (*words().all(WordList.REVEALING), *ALARM_SIGNS)
"""Words and signs a watcher would read as "this person asked for help" (one list, tested)."""

CASE_NUMBER = re.compile(r"#\s?\d")

# A neutral first line, and a second that carries the preview past PREVIEW_CHARS, so the
# substance starts below what a notification shows: the packs' discreet.opening_first and
# discreet.opening_fill. Nothing in them is in REVEALING (a test reads every pack).
OPENING_ROOM = 300
"""UTF-16 units a long text leaves free when it is split, for the opening put before it."""
FALLBACK_FILL = "· · · · · · · · · · · · · · · · · · · · · · · · · · · · · · · · · · · · · · · ·"
"""Used instead of the second line when a person's own secret happens to be in it."""


def reveals(
    text: str, secrets: Iterable[str] = (), window: int | None = PREVIEW_CHARS
) -> list[str]:
    """What in the first ``window`` characters (None: all) tells of help, or is a secret."""
    head = (text if window is None else text[:window]).casefold()
    found = [word for word in REVEALING if word.casefold() in head]
    if CASE_NUMBER.search(head):
        found.append("#N")
    found.extend(
        "(secret)" for secret in secrets if secret.strip() and secret.strip().casefold() in head
    )
    return found


def is_neutral(text: str, secrets: Iterable[str] = ()) -> bool:
    """Nothing anywhere in ``text`` tells of help, and no secret is in it."""
    return not reveals(text, secrets, window=None)


def opening(lang: str, secrets: Iterable[str] = ()) -> str:
    """The neutral opening in ``lang``: a first line, then enough to fill the preview."""
    first, fill = t("discreet.opening_first", lang), t("discreet.opening_fill", lang)
    kept = [s for s in secrets if s.strip()]
    if reveals(fill, kept, window=None) or reveals(first, kept, window=None):
        first, fill = "💬", FALLBACK_FILL
    return f"{first}\n{fill}"


def notification_safe(text: str, lang: str, secrets: Iterable[str] = ()) -> str:
    """``text`` as a person with an open case may receive it: nothing telling in the preview.

    A neutral text is left as it is; any other opens with the neutral opening, and the
    substance follows below it. Applying it twice changes nothing.
    """
    kept = [s for s in secrets if s.strip()]
    if not text or is_neutral(text, kept):
        return text
    firsts = tuple(TEXTS["discreet.opening_first"].values())
    if not reveals(text, kept) and text.startswith(firsts):
        return text  # already rendered
    return f"{opening(lang, kept)}\n\n{text}"
