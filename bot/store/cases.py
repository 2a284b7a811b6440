"""Cases and what hangs off them: the transcript, the staff audit log, notes, staff-group links.

A user has at most one active case (a partial unique index), so a second escalation joins the
first instead of alerting staff twice.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from bot.core.errors import CaseNotFound, CaseResolved, StoreError
from bot.core.triage import Priority
from bot.store.db import Database, Row, Tx
from bot.store.nocase import NoOpenCase
from bot.store.records import (
    AuditEntry,
    Case,
    CaseKind,
    CaseStatus,
    CopyKind,
    StaffNote,
    TranscriptEntry,
    iso,
    now,
)

__all__ = ["ACTIVE", "CASE_FIELDS", "TRANSCRIPT_TEXT_LIMIT", "Cases", "case_from_row"]

log = logging.getLogger(__name__)

TRANSCRIPT_TEXT_LIMIT = 8000
AUDIT_DETAIL = re.compile(r"[a-z0-9_.:=-]{0,32}")
CASE_FIELDS = tuple(field.name for field in dataclasses.fields(Case))
# Spelled out, not bound, so SQLite can use the one_active_case_per_user partial index.
ACTIVE = f"status != '{CaseStatus.RESOLVED}'"


def case_from_row(row: Row, prefix: str = "") -> Case:
    """Build a Case from a row whose case columns are named ``prefix`` + field name."""
    values: dict[str, Any] = {name: row[prefix + name] for name in CASE_FIELDS}
    values["status"] = CaseStatus(values["status"])
    values["priority"] = Priority(values["priority"])
    values["kind"] = CaseKind(values["kind"])
    return Case(**values)


class Cases:
    """The cases table and the tables keyed by case."""

    def __init__(self, db: Database, no_case: NoOpenCase) -> None:
        """Work on ``db``; ``no_case`` is told of every opening and of every user read without one."""
        self._db = db
        self._no_case = no_case

    async def active(self, user_id: int, tx: Tx | None = None) -> Case | None:
        """Return the user's open or claimed case, if any."""
        if tx is None and self._no_case.known(user_id):
            return None
        stamp = self._no_case.stamp()
        row = await (tx or self._db).fetchone(
            f"SELECT * FROM cases WHERE user_id = ? AND {ACTIVE}", (user_id,)
        )
        if row is None:
            if tx is None:
                self._no_case.learn(user_id, stamp)
            return None
        return case_from_row(row)

    async def get(self, case_id: int, tx: Tx | None = None) -> Case:
        """Return a case by number, or raise CaseNotFound."""
        row = await (tx or self._db).fetchone("SELECT * FROM cases WHERE id = ?", (case_id,))
        if row is None:
            raise CaseNotFound(f"no case #{case_id}")
        return case_from_row(row)

    async def open(
        self,
        tx: Tx,
        *,
        user_id: int,
        chat_id: int,
        language: str,
        priority: Priority,
        reason: str,
        first_message: str,
        kind: CaseKind,
    ) -> tuple[Case, bool]:
        """Open a case with its first message, or add the message to the user's active case."""
        existing = await self.active(user_id, tx)
        if existing is not None:
            await self.add_transcript(tx, existing.id, "user", "text", first_message)
            return existing, False
        stamp = iso(now())
        self._no_case.opening()
        cursor = await tx.execute(
            "INSERT INTO cases (user_id, chat_id, language, status, priority, kind, "
            "reason, created_at, last_alert_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (user_id, chat_id, language, CaseStatus.OPEN, priority, kind, reason, stamp, stamp),
        )
        case_id = int(cursor.lastrowid or 0)
        await self.add_transcript(tx, case_id, "user", "text", first_message)
        return await self.get(case_id, tx), True

    async def list_active(self) -> list[Case]:
        """Open and claimed cases, high priority first, then oldest first."""
        rows = await self._db.fetchall(
            f"SELECT * FROM cases WHERE {ACTIVE} ORDER BY priority = ? DESC, created_at ASC",
            (Priority.HIGH,),
        )
        return [case_from_row(row) for row in rows]

    async def claim(self, case_id: int, staff_id: int, tx: Tx) -> Case:
        """Mark a case claimed by ``staff_id`` (a claimed case can be re-claimed, or handed on)."""
        return await self._move_in(tx, case_id, CaseStatus.CLAIMED, "claimed", staff_id)

    async def unclaim(self, case_id: int, tx: Tx) -> Case:
        """Put a claimed case back in the queue: nobody holds it, and its re-alerts start again."""
        case = await self.get(case_id, tx)
        if case.status == CaseStatus.RESOLVED:
            raise CaseResolved(f"case #{case_id} is already resolved")
        await tx.execute(
            "UPDATE cases SET status = ?, claimed_by = NULL, claimed_at = NULL, "
            "last_alert_at = ? WHERE id = ?",
            (CaseStatus.OPEN, iso(now()), case_id),
        )
        return await self.get(case_id, tx)

    async def resolve(self, case_id: int, staff_id: int, tx: Tx) -> Case:
        """Close a case, inside the caller's transaction; the user goes back to the bot."""
        return await self._move_in(tx, case_id, CaseStatus.RESOLVED, "resolved", staff_id)

    async def set_kind(self, case_id: int, kind: CaseKind) -> None:
        """Switch a case to discreet handling (or back)."""
        async with self._db.transaction() as tx:
            await tx.execute("UPDATE cases SET kind = ? WHERE id = ?", (kind, case_id))

    async def set_priority(self, case_id: int, priority: Priority) -> Case:
        """Change a case's priority."""
        async with self._db.transaction() as tx:
            await self.get(case_id, tx)
            await tx.execute("UPDATE cases SET priority = ? WHERE id = ?", (priority, case_id))
            return await self.get(case_id, tx)

    async def due_for_realert(self, interval: timedelta) -> list[Case]:
        """Unclaimed cases whose last alert is older than ``interval``."""
        rows = await self._db.fetchall(
            "SELECT * FROM cases WHERE status = ? AND last_alert_at <= ? ORDER BY id",
            (CaseStatus.OPEN, iso(now() - interval)),
        )
        return [case_from_row(row) for row in rows]

    async def note_alerted(self, tx: Tx, case_id: int) -> None:
        """Record that staff were alerted about a case just now."""
        await tx.execute("UPDATE cases SET last_alert_at = ? WHERE id = ?", (iso(now()), case_id))

    async def add_transcript(self, tx: Tx, case_id: int, author: str, kind: str, text: str) -> None:
        """Append a line to a case's conversation."""
        await tx.execute(
            "INSERT INTO transcript (case_id, at, author, kind, text) VALUES (?, ?, ?, ?, ?)",
            (
                case_id,
                iso(now()),
                author,
                kind,
                self._db.seal(text[:TRANSCRIPT_TEXT_LIMIT], "transcript.text"),
            ),
        )

    async def transcript(self, case_id: int) -> list[TranscriptEntry]:
        """Return a case's conversation, oldest first."""
        rows = await self._db.fetchall(
            "SELECT at, author, kind, text FROM transcript WHERE case_id = ? ORDER BY id",
            (case_id,),
        )
        return [
            TranscriptEntry(at, author, kind, self._db.unseal(text, "transcript.text") or "")
            for at, author, kind, text in rows
        ]

    async def audit(
        self, actor_id: int | None, action: str, case_id: int | None, allowed: bool, detail: str
    ) -> None:
        """Record a staff action (or a refused attempt at one).

        The log keeps ids, actions and times, never what anyone wrote: a ``detail`` that is not
        a short code (a priority, a count) is dropped.
        """
        if not AUDIT_DETAIL.fullmatch(detail):
            log.warning("audit of %s: a detail that is not a short code was not kept", action)
            detail = ""
        async with self._db.transaction() as tx:
            await tx.execute(
                "INSERT INTO audit (at, actor_id, action, case_id, allowed, detail) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (iso(now()), actor_id, action, case_id, int(allowed), detail),
            )

    async def audit_log(self, case_id: int | None = None) -> list[AuditEntry]:
        """Return the audit log, optionally for one case."""
        query = "SELECT at, actor_id, action, case_id, allowed, detail FROM audit"
        args: tuple[Any, ...] = ()
        if case_id is not None:
            query += " WHERE case_id = ?"
            args = (case_id,)
        rows = await self._db.fetchall(query + " ORDER BY id", args)
        return [AuditEntry(r[0], r[1], r[2], r[3], bool(r[4]), r[5]) for r in rows]

    async def set_note(self, case_id: int, column: str, value: str) -> None:
        """Record how to reach the user, or their latest location, on a case."""
        if column not in ("contact_note", "last_location"):
            raise StoreError(f"unknown case note {column!r}")
        sealed = self._db.seal(value, f"cases.{column}")
        async with self._db.transaction() as tx:
            await tx.execute(f"UPDATE cases SET {column} = ? WHERE id = ?", (sealed, case_id))

    async def notes(self, case_id: int) -> tuple[str | None, str | None]:
        """A case's (contact note, last location)."""
        row = await self._db.fetchone(
            "SELECT contact_note, last_location FROM cases WHERE id = ?", (case_id,)
        )
        if row is None:
            return (None, None)
        return (
            self._db.unseal(row[0], "cases.contact_note"),
            self._db.unseal(row[1], "cases.last_location"),
        )

    async def add_staff_note(
        self, case_id: int, author_id: int, author_name: str, text: str
    ) -> None:
        """Keep a caseworker's internal note on a case (CaseNotFound if there is no such case)."""
        async with self._db.transaction() as tx:
            await self.get(case_id, tx)
            await tx.execute(
                "INSERT INTO staff_notes (case_id, at, author_id, author_name, text) "
                "VALUES (?, ?, ?, ?, ?)",
                (
                    case_id,
                    iso(now()),
                    author_id,
                    author_name,
                    self._db.seal(text[:TRANSCRIPT_TEXT_LIMIT], "staff_notes.text"),
                ),
            )

    async def staff_notes(self, case_id: int) -> list[StaffNote]:
        """A case's internal notes, oldest first."""
        rows = await self._db.fetchall(
            "SELECT at, author_id, author_name, text FROM staff_notes WHERE case_id = ? "
            "ORDER BY id",
            (case_id,),
        )
        return [
            StaffNote(at, author_id, name, self._db.unseal(text, "staff_notes.text") or "")
            for at, author_id, name, text in rows
        ]

    async def link_staff_message(
        self, tx: Tx, chat_id: int, message_id: int, case_id: int, kind: CopyKind = CopyKind.TEXT
    ) -> None:
        """Remember that a message (in the staff group, mostly) belongs to a case.

        The link routes replies to the case, and erasing the case finds its copies by it.
        """
        await tx.execute(
            "INSERT OR IGNORE INTO staff_messages (chat_id, message_id, case_id, at, kind) "
            "VALUES (?, ?, ?, ?, ?)",
            (chat_id, message_id, case_id, iso(now()), kind),
        )

    async def link_messages(
        self, case_id: int, chat_id: int, messages: Iterable[tuple[int, CopyKind]]
    ) -> None:
        """Link messages sent outside the outbox (a /case listing, a staff command) to a case."""
        async with self._db.transaction() as tx:
            if await tx.fetchone("SELECT 1 FROM cases WHERE id = ?", (case_id,)) is None:
                return
            for message_id, kind in messages:
                await self.link_staff_message(tx, chat_id, message_id, case_id, kind)

    async def for_staff_message(self, chat_id: int, message_id: int) -> int | None:
        """Return the case a staff-group message belongs to, if any."""
        row = await self._db.fetchone(
            "SELECT case_id FROM staff_messages WHERE chat_id = ? AND message_id = ?",
            (chat_id, message_id),
        )
        return int(row[0]) if row else None

    async def mark_blocked(self, tx: Tx, case_id: int) -> bool:
        """Note that the case's user blocked the bot; True if this is news."""
        cursor = await tx.execute(
            "UPDATE cases SET blocked_at = ? WHERE id = ? AND blocked_at IS NULL",
            (iso(now()), case_id),
        )
        return bool(cursor.rowcount)

    async def clear_blocked(self, tx: Tx, case_id: int) -> None:
        """A message reached the user again: they no longer block the bot."""
        await tx.execute(
            "UPDATE cases SET blocked_at = NULL WHERE id = ? AND blocked_at IS NOT NULL",
            (case_id,),
        )

    async def blocked_at(self, case_id: int) -> str | None:
        """When the case's user was found to have blocked the bot (None: they have not)."""
        row = await self._db.fetchone("SELECT blocked_at FROM cases WHERE id = ?", (case_id,))
        return row[0] if row else None

    async def _move_in(
        self, tx: Tx, case_id: int, status: CaseStatus, column: str, staff_id: int
    ) -> Case:
        case = await self.get(case_id, tx)
        if case.status == CaseStatus.RESOLVED:
            raise CaseResolved(f"case #{case_id} is already resolved")
        await tx.execute(
            f"UPDATE cases SET status = ?, {column}_by = ?, {column}_at = ? WHERE id = ?",
            (status, staff_id, iso(now()), case_id),
        )
        return await self.get(case_id, tx)
