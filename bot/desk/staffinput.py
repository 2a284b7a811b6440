"""What staff type and press, parsed strictly before anything acts on it.

Case numbers are ASCII digits only (``str.isdigit`` takes "²" and ``int`` takes "٣"), at most
18 of them, so every number fits SQLite's integer and a number that names no case is simply
"no such case". Anything that does not parse is a usage error or an expired button, never an
exception and never another case.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from bot.store import CaseTag

__all__ = [
    "Button",
    "ButtonAction",
    "CommandLine",
    "StaffCommand",
    "in_topic",
    "note_text",
    "parse_button",
    "parse_command",
    "tag_of",
]

CASE_DIGITS = 18
"""10**18 - 1 < 2**63 - 1, SQLite's largest integer."""
NOTE_MARKERS = ("!", "📝")
"""A reply to a case message that starts with one of these is an internal note."""

_CASE_ARGS = re.compile(rf"#?([0-9]{{1,{CASE_DIGITS}}})(?:\s+(.*))?", re.ASCII | re.DOTALL)
_CASE_BUTTON = re.compile(
    rf"(claim|resolve|canned):([0-9]{{1,{CASE_DIGITS}}})(?::([a-z][a-z0-9_]{{0,23}}))?", re.ASCII
)
_KEY = re.compile(r"[a-z][a-z0-9_]{0,23}", re.ASCII)
_USER_ID = re.compile(rf"[0-9]{{1,{CASE_DIGITS}}}", re.ASCII)
_EXPLICIT_CASE = re.compile(r"#?[0-9]", re.ASCII)
_TWO_NUMBERS = re.compile(rf"#?[0-9]{{1,{CASE_DIGITS}}}\s+[0-9]{{1,{CASE_DIGITS}}}", re.ASCII)
_CONSENT = re.compile(r"(embassy|police|family)(?:\s+(without))?", re.ASCII | re.IGNORECASE)
"""``/consent N party`` asks the person; ``without`` tells them staff must act without it."""
_DRAFT_BUTTON = re.compile(r"(send|keep|drop):([A-Za-z0-9_-]{8,32})", re.ASCII)


class StaffCommand(StrEnum):
    """The commands of the staff group."""

    CASES = "cases"
    CASE = "case"
    CLAIM = "claim"
    RESOLVE = "resolve"
    REPLY = "reply"
    NOTE = "note"
    PRIORITY = "priority"
    STAFF = "staff"
    HEALTH = "health"
    UNCLAIM = "unclaim"
    TRANSFER = "transfer"
    CANNED = "canned"
    STATS = "stats"
    CONSENT = "consent"


class ButtonAction(StrEnum):
    """The buttons of the staff group: on a case's alert, and on a reply's draft."""

    CLAIM = "claim"
    RESOLVE = "resolve"
    SEND = "send"
    KEEP = "keep"
    DROP = "drop"
    CANNED = "canned"


NO_CASE = (StaffCommand.CASES, StaffCommand.STAFF, StaffCommand.HEALTH, StaffCommand.STATS)
WITH_TEXT = (
    StaffCommand.REPLY,
    StaffCommand.NOTE,
    StaffCommand.PRIORITY,
    StaffCommand.TRANSFER,
    StaffCommand.CONSENT,
)
FREE_TEXT = (StaffCommand.REPLY, StaffCommand.NOTE)
"""Commands whose text is anything: in a topic, only ``#N`` names another case."""
PRIORITIES = ("high", "normal")
STATS_PERIODS = ("", "week")


@dataclass(frozen=True)
class CommandLine:
    """A staff command that parsed: its case (if it takes one) and its text (if any)."""

    command: StaffCommand
    case_id: int | None = None
    text: str = ""


@dataclass(frozen=True)
class Button:
    """A staff button that parsed: a case number, or a draft's token."""

    action: ButtonAction
    case_id: int | None = None
    token: str = ""
    key: str = ""
    """A resolve button's tag, or a canned reply's key."""


def parse_command(name: str, rest: str) -> CommandLine | None:
    """Parse ``/name rest``; None for an unknown command or wrong arguments (show the usage)."""
    try:
        command = StaffCommand(name)
    except ValueError:
        return None
    if command == StaffCommand.STATS:
        period = rest.strip().lower()
        return CommandLine(command, text=period) if period in STATS_PERIODS else None
    if command in NO_CASE:
        return CommandLine(command)
    match = _CASE_ARGS.fullmatch(rest.strip())
    if match is None:
        return None
    case_id, text = int(match.group(1)), (match.group(2) or "").strip()
    if command in WITH_TEXT and not text:
        return None
    if command == StaffCommand.PRIORITY:
        text = text.lower()
        if text not in PRIORITIES:
            return None
    if command == StaffCommand.RESOLVE and text:
        text = tag_of(text) or ""
        if not text:
            return None
    if command == StaffCommand.TRANSFER and not _USER_ID.fullmatch(text):
        return None
    if command == StaffCommand.CANNED and text and not _KEY.fullmatch(text.lower()):
        return None
    if command == StaffCommand.CANNED:
        text = text.lower()
    if command == StaffCommand.CONSENT:
        consent = _CONSENT.fullmatch(text)
        if consent is None:
            return None
        text = " ".join(word.lower() for word in consent.groups() if word)
    return CommandLine(command, case_id, text)


def tag_of(text: str) -> CaseTag | None:
    """A resolve tag as staff type it: "false alarm", "false-alarm" or "false_alarm"."""
    try:
        return CaseTag("_".join(text.lower().replace("-", " ").split()))
    except ValueError:
        return None


def in_topic(name: str, rest: str, case_id: int) -> str:
    """A command typed in a case's topic: the case number may be left out.

    ``/note text`` and ``/reply text`` are about the topic's case (``#N`` names another);
    for the others a leading number is the case, and ``/transfer 9003`` hands the topic's
    case to staff member 9003.
    """
    try:
        command = StaffCommand(name)
    except ValueError:
        return rest
    stripped = rest.strip()
    if command in NO_CASE:
        return rest
    if command in FREE_TEXT:
        explicit = stripped.startswith("#") and _CASE_ARGS.fullmatch(stripped)
        return rest if explicit else f"{case_id} {stripped}"
    if command == StaffCommand.TRANSFER:
        return rest if _TWO_NUMBERS.fullmatch(stripped) else f"{case_id} {stripped}"
    if _EXPLICIT_CASE.match(stripped):
        return rest
    return f"{case_id} {stripped}".strip()


def parse_button(data: str) -> Button | None:
    """Parse a staff button's callback data; None for anything else (expired or forged)."""
    case = _CASE_BUTTON.fullmatch(data)
    if case is not None:
        action, key = ButtonAction(case.group(1)), case.group(3) or ""
        if action == ButtonAction.CLAIM and key:
            return None
        if action == ButtonAction.RESOLVE and key and tag_of(key) != key:
            return None
        return Button(action, case_id=int(case.group(2)), key=key)
    draft = _DRAFT_BUTTON.fullmatch(data)
    if draft is not None:
        return Button(ButtonAction(draft.group(1)), token=draft.group(2))
    return None


def note_text(text: str) -> str | None:
    """The note in a reply that starts with a note marker; None if it is no note.

    A marker typed on another keyboard counts too: full-width ！ and the other look-alikes
    (NFKC folds most to !; ❗ ❕ ¡ ǃ ‼ ⁉ and 🗒 ✏ besides), after invisible characters.
    Words wrongly kept as a note are seen by staff; words wrongly sent reach a phone.
    """
    stripped = text.lstrip(_INVISIBLE)
    if stripped and unicodedata.normalize("NFKC", stripped[0])[:1] in _NOTE_LOOKALIKES:
        return stripped[1:].lstrip("\ufe0f").strip()
    return None


_INVISIBLE = " \t\n\r\u00a0\u200b\u200c\u200d\u2060\ufeff\u3000"
_NOTE_LOOKALIKES = frozenset(NOTE_MARKERS) | frozenset("¡ǃ❗❕‼⁉🗒✏✎✐")
