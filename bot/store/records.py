"""What the store hands out: plain frozen records and the closed sets of values it keeps.

The enum values are the strings in the SQLite file, so databases written before the enums
read back unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum, StrEnum
from typing import Any, TypeVar

from bot.core.errors import StoreError
from bot.core.replies import Mention, ReplyButton
from bot.core.triage import Priority

__all__ = [
    "AuditEntry",
    "Case",
    "CaseKind",
    "CaseMetrics",
    "CaseStatus",
    "CaseTag",
    "CheckIn",
    "Consent",
    "CopyKind",
    "Expired",
    "OutboxItem",
    "OutboxKind",
    "OutboxStats",
    "Outgoing",
    "Party",
    "PhraseKind",
    "Redaction",
    "StaffNote",
    "Topic",
    "TranscriptEntry",
    "Unseen",
    "UserPrefs",
    "UserState",
    "iso",
    "member",
    "now",
]

E = TypeVar("E", bound=Enum)


class CaseStatus(StrEnum):
    """Where a case stands: waiting for staff, taken by someone, or closed."""

    OPEN = "open"
    CLAIMED = "claimed"
    RESOLVED = "resolved"


class CaseKind(StrEnum):
    """How staff handle a case: as usual, or discreetly (the user's phone may be watched)."""

    STANDARD = "standard"
    DISCREET = "discreet"


class OutboxKind(StrEnum):
    """What a queued message is, for ordering (alerts first) and for the delivery log."""

    ALERT = "alert"
    REALERT = "realert"
    RELAY = "relay"
    RELAY_COPY = "relay_copy"
    TO_USER = "to_user"
    STAFF_NOTICE = "staff_notice"
    CHECKIN = "checkin"
    FROM_STAFF = "from_staff"
    """Words a caseworker wrote, to the user: its delivery is confirmed and timed."""
    CASE_NOTICE = "case_notice"
    """A one-line notice in the forum's General topic about a case that has its own topic."""
    DIGEST = "digest"
    """New cases announced together when a burst would make their alerts wait."""
    SUPERVISOR = "supervisor"
    """The ladder's last rung: supervisors mentioned about a case nobody claimed."""
    HANDOVER = "handover"
    """A case handed to another caseworker, who is mentioned."""


class CaseTag(StrEnum):
    """What a case turned out to be, chosen when it is resolved, and counted."""

    TRAPPED = "trapped"
    FAMILY_REPORT = "family_report"
    JOB_CHECK = "job_check"
    FALSE_ALARM = "false_alarm"
    RESCUED = "rescued"
    SAFE = "safe"


class Party(StrEnum):
    """Whom staff may share a person's case with, only with their consent (``/consent``)."""

    EMBASSY = "embassy"
    POLICE = "police"
    FAMILY = "family"


class Consent(StrEnum):
    """Where a person's consent to share with a party stands."""

    ASKED = "asked"
    YES = "yes"
    NO = "no"
    WITHOUT = "without"
    """Staff must act without it (a life at risk); the person was told so."""


class PhraseKind(StrEnum):
    """Which secret phrase a stored hash is of: a code phrase, or a check-in duress word."""

    CODEWORD = "codeword"
    DURESS = "duress"


class CopyKind(StrEnum):
    """What a message linked to a case is, which says how erasing the case removes it."""

    TEXT = "text"
    """The bot's own text: deleted while Telegram allows (48 h), replaced by a stub after."""
    MEDIA = "media"
    """The bot's copy of a photo, voice or location: deleted while Telegram allows."""
    MEMBER = "member"
    """A staff member's own message: deleted if the bot is an admin allowed to delete."""


def member(enum: type[E], value: str, what: str) -> E:
    """The member of ``enum`` whose value is ``value``, or StoreError naming ``what``."""
    try:
        return enum(value)
    except ValueError:
        raise StoreError(f"unknown {what} {value!r}") from None


def now() -> datetime:
    """Current time in UTC; every timestamp in the store is UTC ISO 8601."""
    return datetime.now(UTC)


def iso(moment: datetime) -> str:
    """Format a timestamp for the store."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds")


@dataclass(frozen=True)
class UserPrefs:
    """What we remember about a user between messages."""

    user_id: int
    chat_id: int
    language: str
    language_fixed: bool


@dataclass(frozen=True)
class Case:
    """A person who needs a human, and where their case stands."""

    id: int
    user_id: int
    chat_id: int
    language: str
    status: CaseStatus
    priority: Priority
    kind: CaseKind
    reason: str
    created_at: str
    claimed_by: int | None
    claimed_at: str | None
    resolved_by: int | None
    resolved_at: str | None
    last_alert_at: str | None

    @property
    def active(self) -> bool:
        """Open or claimed: the user's messages go to staff."""
        return self.status != CaseStatus.RESOLVED


@dataclass(frozen=True)
class UserState:
    """What deciding on a user's message needs from the store, read in one query."""

    prefs: UserPrefs | None = None
    codeword_hash: str | None = None
    flow: tuple[str, int, dict[str, Any]] | None = None
    awaiting_checkin: bool = False
    case: Case | None = None


@dataclass(frozen=True)
class TranscriptEntry:
    """One line of a case's conversation."""

    at: str
    author: str
    kind: str
    text: str


@dataclass(frozen=True)
class StaffNote:
    """A caseworker's internal note on a case: kept in the case record, never sent to the user."""

    at: str
    author_id: int
    author_name: str
    text: str


@dataclass(frozen=True)
class OutboxItem:
    """A message waiting to be delivered to Telegram.

    ``thread_id``, ``reply_to`` and ``mentions`` are not stored: the staff group's router
    (bot/delivery/routing.py) sets them just before sending (the case's forum topic, the message a
    confirmation answers, the people a notice calls).
    """

    id: int
    chat_id: int
    case_id: int | None
    kind: OutboxKind
    text: str
    copy_from_chat: int | None
    copy_message_id: int | None
    attempts: int
    buttons: tuple[ReplyButton, ...] = ()
    delete_source: bool = False
    created_at: str = ""
    dedupe_key: str | None = None
    thread_id: int | None = None
    reply_to: int | None = None
    mentions: tuple[Mention, ...] = ()


@dataclass(frozen=True)
class OutboxStats:
    """How the queue stands, for /health: live rows, the oldest's age, and the dead."""

    pending: int
    oldest_pending_at: str | None
    dead: int
    dead_last_day: int
    last_dead_error: str | None


@dataclass(frozen=True)
class Outgoing:
    """A message to put in the outbox together with a change to the store."""

    chat_id: int
    kind: OutboxKind
    text: str
    buttons: tuple[ReplyButton, ...] = ()
    dedupe_key: str | None = None
    copy_from_chat: int | None = None
    copy_message_id: int | None = None
    delete_source: bool = False
    """Delete the copied message from the user's chat once the copy is accepted (discreet)."""


@dataclass(frozen=True)
class CheckIn:
    """A traveller's promise to answer "are you OK?" at an interval."""

    user_id: int
    chat_id: int
    language: str
    destination: str
    departure: str
    interval_minutes: float
    grace_minutes: float
    duress_hash: str | None
    next_prompt_at: str
    awaiting_since: str | None


@dataclass(frozen=True)
class Redaction:
    """A copy of an erased case's message, still to be removed from a chat."""

    chat_id: int
    message_id: int
    case_id: int
    at: str | None
    kind: CopyKind


@dataclass(frozen=True)
class Expired:
    """What one retention pass erased."""

    cases: int = 0
    recent: int = 0
    flows: int = 0
    outbox: int = 0
    chat_messages: int = 0
    timelines: int = 0
    """Resolved cases' timelines folded into counts (bot/store/metrics.py)."""

    @property
    def anything(self) -> bool:
        """Whether the pass erased anything at all."""
        return any(
            (self.cases, self.recent, self.flows, self.outbox, self.chat_messages, self.timelines)
        )


@dataclass(frozen=True)
class AuditEntry:
    """A staff action, allowed or refused."""

    at: str
    actor_id: int | None
    action: str
    case_id: int | None
    allowed: bool
    detail: str


@dataclass(frozen=True)
class Topic:
    """A case's forum topic in the staff group (a thread may serve a person's later cases)."""

    case_id: int
    chat_id: int
    thread_id: int
    closed: bool


@dataclass(frozen=True)
class CaseMetrics:
    """One case's timeline for the numbers: no user id and no text, so it outlives the case."""

    case_id: int
    opened_at: str
    priority: Priority
    language: str
    missed_checkin: bool
    seen_at: str | None
    claimed_at: str | None
    first_reply_at: str | None
    resolved_at: str | None
    tag: CaseTag | None
    realerts: int
    supervisors_at: str | None


@dataclass(frozen=True)
class Unseen:
    """A new case whose alert has not reached the staff group yet, for a digest."""

    case_id: int
    priority: Priority
    language: str
    kind: CaseKind
    first_line: str
    queued_at: str = ""
    """When its alert was queued (the case opened)."""
