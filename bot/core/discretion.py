"""What a watched phone's lock screen may show: the one rule every message to a person with a case obeys.

Telegram shows the first line or two of a message in the notification, to whoever holds the
phone. For a person with an open case, whatever Haven sends opens with a neutral line long
enough to fill the preview (``PREVIEW_CHARS``), so its substance, and the safety word, start
below what a notification shows. The rule is independent of the body's wording: a text that
says nothing from ``REVEALING`` (nor a secret) anywhere is sent as it is; any other text gets
the neutral opening. Python 3.10, standard library only (bot/core).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = [
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

REVEALING: tuple[str, ...] = (
    # English (matched case-insensitively, anywhere: "rescued" contains "rescue").
    "help",
    "case",
    "counsel",
    "staff",
    "team",
    "police",
    "embassy",
    "consul",
    "rescue",
    "traffick",
    "confine",
    "held against",
    "trapped",
    "danger",
    "alert",
    "alarm",
    "report",
    "sos",
    "emergency",
    "safety word",
    "code word",
    "code phrase",
    # Korean.
    "도움",
    "도와",
    "상담",
    "사건",
    "케이스",
    "경찰",
    "대사관",
    "영사",
    "구조",
    "구출",
    "인신매매",
    "감금",
    "신고",
    "위험",
    "긴급",
    "직원",
    "팀",
    "알렸",
    "납치",
    "탈출",
    "안전 단어",
    "암호 문구",
    # Alarm signs.
    "🆘",
    "🚨",
    "⚠",
    "🚓",
    "🚔",
    "👮",
    "⛑",
    "🔴",
    "❗",
    "‼",
)
"""Words and signs a watcher would read as "this person asked for help" (one list, tested)."""

CASE_NUMBER = re.compile(r"#\s?\d")

# A neutral first line, and a second that carries the preview past PREVIEW_CHARS, so the
# substance starts below what a notification shows. Nothing in them is in REVEALING.
OPENINGS: dict[str, tuple[str, str]] = {
    "ko": (
        "💬 새 메시지",
        "편할 때 채팅을 열어서 천천히 읽어 보세요. 읽은 뒤에는 지워도 되고, 답장은 언제든 보내도 괜찮아요. 자세한 내용은 바로 아래에 있어요.",
    ),
    "en": (
        "💬 New message",
        "Open the chat when it suits you and read it at your own pace. You may delete it after "
        "reading, and reply any time.",
    ),
}
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
    first, fill = OPENINGS.get(lang) or OPENINGS["en"]
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
    if not reveals(text, kept) and text.startswith(tuple(first for first, _ in OPENINGS.values())):
        return text  # already rendered
    return f"{opening(lang, kept)}\n\n{text}"
