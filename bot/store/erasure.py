"""Erasure: what /forget removes at once, and what retention removes when its time has come.

Every table of the schema is named in ``TABLES`` with how it is emptied (tests/unit/chat/test_privacy.py
fails for a table that is not), so /forget, retention and docs/privacy.md cannot drift apart
unnoticed. Erasing a case moves the ids of its copies in other chats (the staff group) to
``redactions``, in the same transaction, so a crash cannot lose track of a copy still to be
removed from Telegram (bot/delivery/retention.py removes them).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from bot.core.pseudonyms import key_id, pseudonym
from bot.store.cases import ACTIVE
from bot.store.db import Database, Tx
from bot.store.records import CaseStatus, CopyKind, Expired, Redaction, iso, now

__all__ = ["TABLES", "ErasedAs", "Erasure", "LoggedErasure", "Namer", "namer"]

TABLES: dict[str, str] = {
    "users": "by /forget (with an open case: all but the safety word, until staff close it)",
    "recent_messages": "by /forget; after RECENT_MESSAGES_HOURS",
    "flows": "by /forget; an unfinished flow after RECENT_MESSAGES_HOURS without an answer",
    "checkins": "by /forget or /checkin stop",
    "chat_messages": "by /forget; once deleted, or 48 hours after the message",
    "cases": "by /forget (an open case when staff close it); CASE_RETENTION_DAYS after closing",
    "transcript": "with its case",
    "staff_notes": "with its case",
    "staff_messages": "with its case (moved to redactions)",
    "case_topics": "with its case (the topic stays in the group, its messages are redacted)",
    "case_consents": "with its case",
    "digest_cases": "with any of its cases (the digest message moves to redactions)",
    "case_metrics": "kept while open and TIMELINE_DAYS after resolving, then folded into counts",
    "outbox": "with its case; a message without a case after RECENT_MESSAGES_HOURS",
    "redactions": "once the copy is removed from the chat (ids only)",
    "audit": "kept: staff ids, actions, case numbers and times, never text",
    "meta": "kept: the data key check and folded timeline counts, no personal data",
    "chat_moves": "kept: which group became which supergroup, no personal data",
    "inbox": "once handled (seconds); by /forget; after RECENT_MESSAGES_HOURS",
    "erasures": "kept as long as the backups (bot/store/backup.py): keyed pseudonyms and times",
    "sqlite_sequence": "SQLite's own counters",
}
# Every table that names a user id: a logged erasure is matched against these on a restore.
USER_TABLES = ("users", "cases", "recent_messages", "flows", "checkins")


@dataclass(frozen=True)
class ErasedAs:
    """How the erasure log names a person: a keyed pseudonym (bot/engine/pseudonym.py) and the id
    of its key, never the Telegram id."""

    key_id: str
    pseudonym: str


@dataclass(frozen=True)
class LoggedErasure:
    """One /forget, as the erasure log keeps it."""

    at: str
    who: ErasedAs


Namer = Callable[[int], ErasedAs]


def namer(key: bytes) -> Namer:
    """How the erasure log names a user id: its pseudonym under ``key``, with the key's id."""
    kid = key_id(key)

    def name(user_id: int) -> ErasedAs:
        return ErasedAs(kid, pseudonym(key, str(user_id)))

    return name


"""Names a user id for the erasure log."""


class Erasure:
    """Deletes what Haven holds about a person, or what has outlived its retention."""

    def __init__(self, db: Database, names: Namer | None = None) -> None:
        """Work on ``db``; with ``names``, each /forget is written to the erasure log."""
        self._db = db
        self._names = names

    async def forget(self, tx: Tx, user_id: int, chat_id: int) -> int | None:
        """Erase everything about a user except an open case; return that case's number.

        The kept case keeps its transcript and what staff need to reach the user safely (the
        safety word); the user row is marked so closing the case erases the rest. The erasure
        log notes the user's pseudonym, so restoring an older backup erases them again.
        """
        if self._names is not None:
            who = self._names(user_id)
            await tx.execute(
                "INSERT INTO erasures (at, key_id, pseudonym) VALUES (?, ?, ?)",
                (iso(now()), who.key_id, who.pseudonym),
            )
        return await self._erase_user(tx, user_id, chat_id)

    async def reapply(self, tx: Tx, logged: Iterable[LoggedErasure], names: Namer) -> int:
        """Erase again, in a restored copy, the users a later erasure log names; log them too.

        Returns how many users present in the copy were erased. An open case is kept as
        /forget keeps it: until staff close it.
        """
        entries = list(logged)
        wanted = {entry.who for entry in entries}
        union = " UNION ".join(f"SELECT user_id FROM {table}" for table in USER_TABLES)
        found = [int(row[0]) for row in await tx.fetchall(union)]
        erased = 0
        for user_id in found:
            if names(user_id) in wanted:
                await self._erase_user(tx, user_id, user_id)
                erased += 1
        await tx.executemany(
            "INSERT INTO erasures (at, key_id, pseudonym) VALUES (?, ?, ?)",
            [(e.at, e.who.key_id, e.who.pseudonym) for e in entries],
        )
        return erased

    async def _erase_user(self, tx: Tx, user_id: int, chat_id: int) -> int | None:
        active = await tx.fetchone(
            f"SELECT id FROM cases WHERE user_id = ? AND {ACTIVE}", (user_id,)
        )
        kept = int(active[0]) if active is not None else None
        chats = {chat_id, user_id}
        for row in await tx.fetchall(
            "SELECT chat_id FROM users WHERE user_id = ? UNION SELECT chat_id FROM cases "
            "WHERE user_id = ?",
            (user_id, user_id),
        ):
            chats.add(int(row[0]))
        resolved = await tx.fetchall(
            "SELECT id, chat_id FROM cases WHERE user_id = ? AND status = ?",
            (user_id, CaseStatus.RESOLVED),
        )
        for case_id, case_chat in resolved:
            await self.purge_case(tx, int(case_id), int(case_chat))
        for table in ("recent_messages", "flows", "checkins", "inbox"):
            await tx.execute(f"DELETE FROM {table} WHERE user_id = ?", (user_id,))
        for chat in chats:
            await tx.execute("DELETE FROM chat_messages WHERE chat_id = ?", (chat,))
            if kept is None:
                await tx.execute("DELETE FROM outbox WHERE chat_id = ?", (chat,))
            else:
                await tx.execute(
                    "DELETE FROM outbox WHERE chat_id = ? AND (case_id IS NULL OR case_id != ?)",
                    (chat, kept),
                )
        if kept is None:
            await tx.execute("DELETE FROM users WHERE user_id = ?", (user_id,))
        else:
            await tx.execute(
                "UPDATE users SET codeword_hash = NULL, language_fixed = 0, "
                "erase_after_case = 1 WHERE user_id = ?",
                (user_id,),
            )
        return kept

    async def after_case(self, tx: Tx, user_id: int) -> None:
        """A case closed: a user who asked to be forgotten meanwhile is erased now."""
        await tx.execute("DELETE FROM users WHERE user_id = ? AND erase_after_case = 1", (user_id,))

    async def purge_case(self, tx: Tx, case_id: int, user_chat: int) -> None:
        """Erase a case with its transcript, notes and queued messages.

        Its copies outside the user's own chat are queued in ``redactions`` for removal from
        Telegram; the user's chat is theirs to clear (/clear, /forget).
        """
        await tx.execute(
            "INSERT OR IGNORE INTO redactions (chat_id, message_id, case_id, at, kind) "
            "SELECT chat_id, message_id, case_id, at, kind FROM staff_messages "
            "WHERE case_id = ? AND chat_id != ?",
            (case_id, user_chat),
        )
        # A digest announced several cases: erasing any of them removes the whole message.
        await tx.execute(
            "INSERT OR IGNORE INTO redactions (chat_id, message_id, case_id, at, kind) "
            "SELECT chat_id, message_id, case_id, at, ? FROM digest_cases WHERE case_id = ?",
            (CopyKind.TEXT, case_id),
        )
        await tx.execute(
            "DELETE FROM digest_cases WHERE (chat_id, message_id) IN "
            "(SELECT chat_id, message_id FROM digest_cases WHERE case_id = ?)",
            (case_id,),
        )
        for table, column in (
            ("staff_messages", "case_id"),
            ("case_topics", "case_id"),
            ("case_consents", "case_id"),
            ("transcript", "case_id"),
            ("staff_notes", "case_id"),
            ("outbox", "case_id"),
            ("cases", "id"),
        ):
            await tx.execute(f"DELETE FROM {table} WHERE {column} = ?", (case_id,))

    async def expire(
        self, tx: Tx, *, cases_before: datetime, recent_before: datetime, chats_before: datetime
    ) -> Expired:
        """Erase what has outlived its retention.

        Cases closed before ``cases_before``; recent messages, unfinished flows and delivered
        messages without a case older than ``recent_before``; the ids of chat messages that
        are deleted, or too old for Telegram to delete, from before ``chats_before``.
        """
        old = await tx.fetchall(
            "SELECT id, chat_id FROM cases WHERE status = ? AND resolved_at <= ?",
            (CaseStatus.RESOLVED, iso(cases_before)),
        )
        for case_id, chat_id in old:
            await self.purge_case(tx, int(case_id), int(chat_id))
        # Links made after their case was erased (a delivery finishing meanwhile). Private
        # chats have positive ids: those are the user's own, not copies.
        orphans = "FROM staff_messages WHERE case_id NOT IN (SELECT id FROM cases)"
        await tx.execute(
            "INSERT OR IGNORE INTO redactions (chat_id, message_id, case_id, at, kind) "
            f"SELECT chat_id, message_id, case_id, at, kind {orphans} AND chat_id < 0"
        )
        await tx.execute(f"DELETE {orphans}")
        recent = await tx.execute(
            "DELETE FROM recent_messages WHERE at <= ?", (iso(recent_before),)
        )
        flows = await tx.execute("DELETE FROM flows WHERE updated_at <= ?", (iso(recent_before),))
        await tx.execute("DELETE FROM inbox WHERE at <= ?", (iso(recent_before),))
        outbox = await tx.execute(
            "DELETE FROM outbox WHERE case_id IS NULL AND ((sent_at IS NOT NULL AND sent_at <= ?) "
            "OR (dead_at IS NOT NULL AND dead_at <= ?))",
            (iso(recent_before), iso(recent_before)),
        )
        chats = await tx.execute(
            "DELETE FROM chat_messages WHERE deleted = 1 OR at <= ?", (iso(chats_before),)
        )
        await tx.execute(
            f"DELETE FROM users WHERE erase_after_case = 1 AND user_id NOT IN "
            f"(SELECT user_id FROM cases WHERE {ACTIVE})"
        )
        return Expired(
            cases=len(old),
            recent=max(recent.rowcount, 0),
            flows=max(flows.rowcount, 0),
            outbox=max(outbox.rowcount, 0),
            chat_messages=max(chats.rowcount, 0),
        )

    async def redactions(self, limit: int) -> list[Redaction]:
        """Copies of erased cases still to be removed from their chats, oldest case first."""
        rows = await self._db.fetchall(
            "SELECT chat_id, message_id, case_id, at, kind FROM redactions "
            "ORDER BY case_id, chat_id, message_id LIMIT ?",
            (limit,),
        )
        return [Redaction(int(r[0]), int(r[1]), int(r[2]), r[3], CopyKind(r[4])) for r in rows]

    async def redacted(self, chat_id: int, message_ids: list[int]) -> None:
        """Forget copies that are gone from their chat (or can never be removed)."""
        async with self._db.transaction() as tx:
            await tx.executemany(
                "DELETE FROM redactions WHERE chat_id = ? AND message_id = ?",
                [(chat_id, m) for m in message_ids],
            )
