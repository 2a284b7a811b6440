"""The case store: one SQLite file (WAL, owner-only), one module per aggregate.

``db`` owns the connection, transactions and the data key (``crypto``); ``users``, ``cases``,
``outbox``, ``chatlog``, ``flows``, ``topics`` and ``metrics`` own their tables, and ``erasure``
deletes across them (/forget and retention). Three record classes are where operations that
span aggregates share one transaction (``person_records``, ``case_records``,
``delivery_records``): a case and its staff alert are written together before anything is
sent, so a crash can delay an alert but never lose it. ``CaseStore`` joins the three; only the
wiring (bot/runtime.py) and the tools name it. Each other part of the app takes what it calls:
one record class, or a Protocol beside it listing the store's methods it uses
(tests/unit/store/test_interfaces.py).
"""

from __future__ import annotations

from pathlib import Path

from bot.core.triage import Priority
from bot.store.case_records import CaseRecords
from bot.store.crypto import KeySource
from bot.store.db import Database
from bot.store.delivery_records import DeliveryRecords
from bot.store.erasure import Namer
from bot.store.inbox import Waiting
from bot.store.metrics import counts_of
from bot.store.migrations import MIGRATIONS
from bot.store.person_records import PersonRecords
from bot.store.records import (
    AuditEntry,
    Case,
    CaseKind,
    CaseMetrics,
    CaseStatus,
    CaseTag,
    CheckIn,
    Consent,
    CopyKind,
    Expired,
    OutboxItem,
    OutboxKind,
    OutboxStats,
    Outgoing,
    Party,
    PhraseKind,
    Redaction,
    StaffNote,
    Topic,
    TranscriptEntry,
    Unseen,
    UserPrefs,
    UserState,
    iso,
    now,
)

__all__ = [
    "MIGRATIONS",
    "AuditEntry",
    "Case",
    "CaseKind",
    "CaseMetrics",
    "CaseStatus",
    "CaseStore",
    "CaseTag",
    "CheckIn",
    "Consent",
    "CopyKind",
    "Expired",
    "KeySource",
    "OutboxItem",
    "OutboxKind",
    "OutboxStats",
    "Outgoing",
    "Party",
    "PhraseKind",
    "Priority",
    "Redaction",
    "StaffNote",
    "Topic",
    "TranscriptEntry",
    "Unseen",
    "UserPrefs",
    "UserState",
    "Waiting",
    "counts_of",
    "iso",
    "now",
]


class CaseStore(PersonRecords, CaseRecords, DeliveryRecords):
    """Everything Haven keeps, behind one object.

    Each part of the app takes the narrowest interface it uses (a record class, or a
    Protocol of its own such as ``TopicRecords``); the wiring passes this one to all.
    """

    @classmethod
    async def open(
        cls,
        path: Path,
        keys: KeySource | None = None,
        *,
        exclusive: bool = False,
        names: Namer | None = None,
    ) -> CaseStore:
        """Open (creating if needed) the store at ``path``, apply migrations, load the data key.

        ``keys`` says where the data key is (default: ``data.key`` beside the file);
        ``exclusive`` is for a key rotation, which needs the file to itself; ``names`` makes
        /forget write the erasure log (bot/store/backup.py).
        """
        return cls(await Database.open(path, keys, exclusive=exclusive), names)
