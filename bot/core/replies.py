"""What Haven says, independent of Telegram: the console and the bot render the same replies."""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict
from dataclasses import dataclass

__all__ = [
    "MAX_TEXT",
    "KeyButton",
    "Mention",
    "PayloadBook",
    "Reply",
    "ReplyButton",
    "buttons_from_json",
    "buttons_to_json",
    "clip",
    "split_text",
    "utf16_len",
    "with_mentions",
]

MAX_CALLBACK_BYTES = 64
ENGINE_PREFIX = "e:"
HASHED_PREFIX = "h:"
MAX_TEXT = 4096
"""Telegram's limit on one message's text. Counted here in UTF-16 code units, which is never
less than Telegram's count (reports differ on whether it counts code points or UTF-16 units),
so a part cut to this size is accepted either way."""


@dataclass(frozen=True)
class ReplyButton:
    """An inline button; ``data`` is the callback data Telegram sends back."""

    title: str
    data: str


@dataclass(frozen=True)
class Mention:
    """A person named in a message so Telegram notifies them; offsets count UTF-16 units."""

    user_id: int
    label: str
    offset: int
    length: int


def with_mentions(text: str, people: list[tuple[int, str]]) -> tuple[str, tuple[Mention, ...]]:
    """``text`` followed by a line naming each (user id, label), and the mentions to send."""
    if not people:
        return text, ()
    line = text + "\n"
    mentions: list[Mention] = []
    for index, (user_id, label) in enumerate(people):
        if index:
            line += ", "
        mentions.append(Mention(user_id, label, utf16_len(line), utf16_len(label)))
        line += label
    return line, tuple(mentions)


@dataclass(frozen=True)
class KeyButton:
    """A button of the persistent keyboard; pressing it sends its title as text."""

    title: str
    location: bool = False


@dataclass(frozen=True)
class Reply:
    """One message to the user."""

    text: str
    buttons: tuple[ReplyButton, ...] = ()
    keyboard: tuple[tuple[KeyButton, ...], ...] = ()
    remove_keyboard: bool = False
    sensitive: bool = False
    toast: bool = False
    delete_in: float | None = None
    on_request: bool = False
    """The person asked for it (/keys): shown even under an open case (bot/delivery/discretion.py)."""


def buttons_to_json(buttons: tuple[ReplyButton, ...]) -> str | None:
    """Inline buttons as JSON for the outbox (None when there are none)."""
    if not buttons:
        return None
    return json.dumps([[b.title, b.data] for b in buttons], ensure_ascii=False)


def buttons_from_json(raw: str | None) -> tuple[ReplyButton, ...]:
    """Inline buttons from the outbox; rows queued before 2026-11 hold Bot API markup."""
    if not raw:
        return ()
    data = json.loads(raw)
    if isinstance(data, dict):
        rows = data.get("inline_keyboard") or []
        return tuple(ReplyButton(b["text"], b["callback_data"]) for row in rows for b in row)
    return tuple(ReplyButton(str(title), str(value)) for title, value in data)


class PayloadBook:
    """Callback data for engine payloads; long payloads are kept here behind a short key.

    Telegram limits callback data to 64 bytes; the engine's payloads with entities can be
    longer. Anything not found here later is an expired (or forged) button.
    """

    def __init__(self, capacity: int = 10_000) -> None:
        """Keep up to ``capacity`` long payloads, oldest forgotten first."""
        self._capacity = capacity
        self._payloads: OrderedDict[str, str] = OrderedDict()

    def data_for(self, payload: str) -> str:
        """Return callback data that leads back to ``payload``."""
        data = ENGINE_PREFIX + payload
        if len(data.encode()) <= MAX_CALLBACK_BYTES:
            return data
        key = hashlib.sha256(payload.encode()).hexdigest()[:24]
        self._payloads[key] = payload
        self._payloads.move_to_end(key)
        while len(self._payloads) > self._capacity:
            self._payloads.popitem(last=False)
        return HASHED_PREFIX + key

    def payload_for(self, data: str) -> str | None:
        """Return the engine payload behind callback data, or None if unknown."""
        if data.startswith(ENGINE_PREFIX):
            return data[len(ENGINE_PREFIX) :] or None
        if data.startswith(HASHED_PREFIX):
            return self._payloads.get(data[len(HASHED_PREFIX) :])
        return None


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units: an emoji outside the BMP counts two."""
    return len(text.encode("utf-16-le")) // 2


def fitting(text: str, limit: int) -> int:
    """How many characters of ``text`` fit in ``limit`` UTF-16 code units."""
    units = 0
    for index, char in enumerate(text):
        units += 2 if ord(char) > 0xFFFF else 1
        if units > limit:
            return index
    return len(text)


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Split text into chunks of at most ``limit`` UTF-16 code units, never inside a word.

    Paragraphs, then lines, then spaces are preferred as cut points; a single "word" longer
    than the limit (a URL, say) is the only thing ever cut hard.
    """
    chunks: list[str] = []
    rest = text.strip()
    while utf16_len(rest) > limit:
        end = fitting(rest, limit)
        window = rest[: end + 1]
        cut = -1
        for separator in ("\n\n", "\n", " "):
            cut = window.rfind(separator)
            if cut > 0:
                break
        if cut <= 0:
            cut = end
        chunks.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        chunks.append(rest)
    return chunks


def clip(text: str, limit: int, note: str = "…", *, always: bool = False) -> str:
    """``text`` within ``limit`` UTF-16 code units (Telegram's measure), ``note`` after a cut.

    One clip for staff views and for replies Telegram refused as too long; a note that is a
    sentence rather than "…" carries its own separator ("\\n\\n(clipped)"). ``always`` cuts
    and notes even a text that seems to fit: Telegram refused it as too long all the same.
    """
    if not always and utf16_len(text) <= limit:
        return text
    room = max(0, limit - utf16_len(note))
    return f"{text[: fitting(text, room)].rstrip()}{note}"
