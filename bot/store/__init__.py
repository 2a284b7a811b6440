"""The case store: users, cases, transcripts, the staff audit log and the durable outbox.

One SQLite file (WAL mode, owner-only permissions). A case and its staff alert are written in
one transaction before anything is sent, so a crash can delay an alert but never lose it.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import os
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiosqlite

from bot.core.errors import CaseNotFound, StoreError

OPEN, CLAIMED, RESOLVED = "open", "claimed", "resolved"
RECENT_KEPT = 8
TRANSCRIPT_TEXT_LIMIT = 8000

MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE users (
        user_id INTEGER PRIMARY KEY,
        chat_id INTEGER NOT NULL,
        language TEXT NOT NULL CHECK (language IN ('ko', 'en')),
        language_fixed INTEGER NOT NULL DEFAULT 0,
        updated_at TEXT NOT NULL
    );
    CREATE TABLE recent_messages (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        user_id INTEGER NOT NULL,
        at TEXT NOT NULL,
        text TEXT NOT NULL
    );
    CREATE INDEX recent_by_user ON recent_messages (user_id, id);
    CREATE TABLE cases (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        user_id INTEGER NOT NULL,
        chat_id INTEGER NOT NULL,
        language TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('open', 'claimed', 'resolved')),
        priority TEXT NOT NULL CHECK (priority IN ('high', 'normal')),
        kind TEXT NOT NULL DEFAULT 'standard',
        reason TEXT NOT NULL,
        created_at TEXT NOT NULL,
        claimed_by INTEGER,
        claimed_at TEXT,
        resolved_by INTEGER,
        resolved_at TEXT,
        last_alert_at TEXT
    );
    CREATE UNIQUE INDEX one_active_case_per_user ON cases (user_id)
        WHERE status != 'resolved';
    CREATE TABLE transcript (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        case_id INTEGER NOT NULL REFERENCES cases (id),
        at TEXT NOT NULL,
        author TEXT NOT NULL CHECK (author IN ('user', 'staff', 'bot')),
        kind TEXT NOT NULL,
        text TEXT NOT NULL
    );
    CREATE INDEX transcript_by_case ON transcript (case_id, id);
    CREATE TABLE audit (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        actor_id INTEGER,
        action TEXT NOT NULL,
        case_id INTEGER,
        allowed INTEGER NOT NULL,
        detail TEXT NOT NULL DEFAULT ''
    );
    CREATE TABLE outbox (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        created_at TEXT NOT NULL,
        chat_id INTEGER NOT NULL,
        case_id INTEGER,
        kind TEXT NOT NULL,
        text TEXT NOT NULL,
        markup TEXT,
        copy_from_chat INTEGER,
        copy_message_id INTEGER,
        dedupe_key TEXT UNIQUE,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT NOT NULL,
        sent_at TEXT,
        message_id INTEGER,
        last_error TEXT
    );
    CREATE INDEX outbox_pending ON outbox (sent_at, id);
    CREATE TABLE staff_messages (
        chat_id INTEGER NOT NULL,
        message_id INTEGER NOT NULL,
        case_id INTEGER NOT NULL,
        PRIMARY KEY (chat_id, message_id)
    );
    """,
    """
    ALTER TABLE users ADD COLUMN codeword_hash TEXT;
    ALTER TABLE users ADD COLUMN safety_word TEXT;
    ALTER TABLE cases ADD COLUMN contact_note TEXT;
    ALTER TABLE cases ADD COLUMN last_location TEXT;
    CREATE TABLE chat_messages (
        chat_id INTEGER NOT NULL,
        message_id INTEGER NOT NULL,
        at TEXT NOT NULL,
        author TEXT NOT NULL CHECK (author IN ('user', 'bot')),
        delete_at TEXT,
        deleted INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (chat_id, message_id)
    );
    CREATE INDEX chat_messages_due ON chat_messages (delete_at) WHERE deleted = 0;
    CREATE TABLE flows (
        user_id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        step INTEGER NOT NULL,
        answers TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE TABLE checkins (
        user_id INTEGER PRIMARY KEY,
        chat_id INTEGER NOT NULL,
        language TEXT NOT NULL,
        destination TEXT NOT NULL,
        departure TEXT NOT NULL,
        interval_minutes REAL NOT NULL,
        grace_minutes REAL NOT NULL,
        duress_hash TEXT,
        next_prompt_at TEXT NOT NULL,
        awaiting_since TEXT,
        created_at TEXT NOT NULL
    );
    """,
)


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
    status: str
    priority: str
    kind: str
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
        return self.status != RESOLVED


@dataclass(frozen=True)
class UserState:
    """What deciding on a user's message needs from the store, read in one query."""

    prefs: UserPrefs | None = None
    codeword_hash: str | None = None
    flow: tuple[str, int, dict[str, Any]] | None = None
    awaiting_checkin: bool = False
    case: Case | None = None


CASE_FIELDS = tuple(field.name for field in dataclasses.fields(Case))
USER_STATE_QUERY = (
    "SELECT u.user_id AS u_user_id, u.chat_id AS u_chat_id, u.language AS u_language, "
    "u.language_fixed AS u_language_fixed, u.codeword_hash AS u_codeword_hash, "
    "f.name AS f_name, f.step AS f_step, f.answers AS f_answers, "
    "k.awaiting_since AS k_awaiting_since, "
    + ", ".join(f"c.{name} AS c_{name}" for name in CASE_FIELDS)
    + " FROM (SELECT ? AS id) AS me "
    "LEFT JOIN users u ON u.user_id = me.id "
    "LEFT JOIN flows f ON f.user_id = me.id "
    "LEFT JOIN checkins k ON k.user_id = me.id "
    "LEFT JOIN cases c ON c.user_id = me.id AND c.status != 'resolved'"
)


@dataclass(frozen=True)
class TranscriptEntry:
    """One line of a case's conversation."""

    at: str
    author: str
    kind: str
    text: str


@dataclass(frozen=True)
class OutboxItem:
    """A message waiting to be delivered to Telegram."""

    id: int
    chat_id: int
    case_id: int | None
    kind: str
    text: str
    markup: dict[str, Any] | None
    copy_from_chat: int | None
    copy_message_id: int | None
    attempts: int


@dataclass(frozen=True)
class Outgoing:
    """A message to put in the outbox together with a change to the store."""

    chat_id: int
    kind: str
    text: str
    markup: dict[str, Any] | None = None
    dedupe_key: str | None = None
    copy_from_chat: int | None = None
    copy_message_id: int | None = None


CHECKIN_COLUMNS = (
    "user_id, chat_id, language, destination, departure, interval_minutes, grace_minutes, "
    "duress_hash, next_prompt_at, awaiting_since"
)


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
class AuditEntry:
    """A staff action, allowed or refused."""

    at: str
    actor_id: int | None
    action: str
    case_id: int | None
    allowed: bool
    detail: str


class CaseStore:
    """Async access to the SQLite file; one connection, serialised by aiosqlite."""

    def __init__(self, db: aiosqlite.Connection) -> None:
        """Wrap an open connection; use ``CaseStore.open``."""
        self._db = db
        self._lock = asyncio.Lock()

    @classmethod
    async def open(cls, path: Path) -> CaseStore:
        """Open (creating if needed) the store at ``path`` and apply migrations."""
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not path.exists():
            os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
        os.chmod(path, 0o600)
        db = await aiosqlite.connect(path, isolation_level=None)
        db.row_factory = aiosqlite.Row
        await db.execute("PRAGMA journal_mode=WAL")
        await db.execute("PRAGMA synchronous=FULL")
        await db.execute("PRAGMA foreign_keys=ON")
        await db.execute("PRAGMA busy_timeout=5000")
        store = cls(db)
        await store._migrate()
        for suffix in ("-wal", "-shm"):
            side = Path(f"{path}{suffix}")
            if side.exists():
                os.chmod(side, 0o600)
        return store

    async def close(self) -> None:
        """Close the connection."""
        await self._db.close()

    @asynccontextmanager
    async def _transaction(self) -> AsyncIterator[None]:
        """Run a block as one transaction, alone on the connection."""
        async with self._lock:
            await self._db.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                await self._db.execute("ROLLBACK")
                raise
            await self._db.execute("COMMIT")

    @asynccontextmanager
    async def _alone(self) -> AsyncIterator[None]:
        """Keep other coroutines' transactions from interleaving with a read."""
        async with self._lock:
            yield

    async def _fetchone(self, query: str, args: tuple[Any, ...] = ()) -> Any:
        """Run a read alone on the connection and return its first row."""
        rows = await self._fetchall(query, args)
        return rows[0] if rows else None

    async def _fetchall(self, query: str, args: tuple[Any, ...] = ()) -> list[Any]:
        """Run a read alone on the connection and return all rows (one trip to its thread)."""
        async with self._lock:
            return list(await self._db.execute_fetchall(query, args))

    async def schema_version(self) -> int:
        """Return the number of migrations applied."""
        async with self._db.execute("PRAGMA user_version") as cursor:
            row = await cursor.fetchone()
        return int(row[0]) if row else 0

    async def _migrate(self) -> None:
        version = await self.schema_version()
        for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
            await self._db.executescript(
                f"BEGIN IMMEDIATE;\n{script}\nPRAGMA user_version = {number};\nCOMMIT;"
            )

    # Users ---------------------------------------------------------------------------

    async def user(self, user_id: int) -> UserPrefs | None:
        """Return what we remember about a user, if anything."""
        return (await self.user_state(user_id)).prefs

    async def user_state(self, user_id: int) -> UserState:
        """Read the user's settings, flow, check-in and active case in one query."""
        row = await self._fetchone(USER_STATE_QUERY, (user_id,))
        if row is None:
            return UserState()
        prefs = None
        if row["u_user_id"] is not None:
            prefs = UserPrefs(
                row["u_user_id"], row["u_chat_id"], row["u_language"], bool(row["u_language_fixed"])
            )
        flow = None
        if row["f_name"] is not None:
            flow = (row["f_name"], int(row["f_step"]), json.loads(row["f_answers"]))
        return UserState(
            prefs=prefs,
            codeword_hash=row["u_codeword_hash"],
            flow=flow,
            awaiting_checkin=row["k_awaiting_since"] is not None,
            case=_case(row, "c_") if row["c_id"] is not None else None,
        )

    async def take_in(
        self,
        user_id: int,
        chat_id: int,
        message_id: int | None,
        language: str | None = None,
        recent: str | None = None,
    ) -> None:
        """Record an incoming message in one transaction (one disk sync).

        Its id, so the chat can be cleared later; the user's ``language`` if it changed; and
        the text among the ``recent`` ones that give a later alert its context.
        """
        async with self._transaction():
            if message_id is not None:
                await self._log_message(chat_id, message_id, "user", None)
            if language is not None:
                await self._remember_user(user_id, chat_id, language, None)
            if recent is not None:
                await self._add_recent(user_id, recent)

    async def remember_user(
        self, user_id: int, chat_id: int, language: str, fixed: bool | None = None
    ) -> None:
        """Record the user's chat and language; ``fixed`` pins or unpins the language."""
        async with self._transaction():
            await self._remember_user(user_id, chat_id, language, fixed)

    async def add_recent(self, user_id: int, text: str) -> None:
        """Keep the user's last few messages, for the context of a later alert."""
        async with self._transaction():
            await self._add_recent(user_id, text)

    async def recent(self, user_id: int, limit: int = RECENT_KEPT) -> list[str]:
        """Return the user's last messages, oldest first."""
        rows = await self._fetchall(
            "SELECT text FROM recent_messages WHERE user_id = ? ORDER BY id DESC LIMIT ?",
            (user_id, limit),
        )
        return [row[0] for row in reversed(list(rows))]

    async def forget(self, user_id: int) -> None:
        """Delete the user's settings and recent messages (cases stay for safety)."""
        async with self._transaction():
            await self._db.execute("DELETE FROM users WHERE user_id = ?", (user_id,))
            await self._db.execute("DELETE FROM recent_messages WHERE user_id = ?", (user_id,))

    # Cases ---------------------------------------------------------------------------

    async def active_case(self, user_id: int) -> Case | None:
        """Return the user's open or claimed case, if any."""
        async with self._alone():
            return await self._one_case(
                "SELECT * FROM cases WHERE user_id = ? AND status != 'resolved'",
                (user_id,),
            )

    async def case(self, case_id: int) -> Case:
        """Return a case by number, or raise CaseNotFound."""
        async with self._alone():
            return await self._case_by_id(case_id)

    async def open_case(
        self,
        *,
        user_id: int,
        chat_id: int,
        language: str,
        priority: str,
        reason: str,
        first_message: str,
        kind: str = "standard",
        render_alert: Callable[[Case], Outgoing] | None = None,
    ) -> tuple[Case, bool]:
        """Open a case and queue its alert in one transaction.

        A user with an active case gets no second one: the message joins it and
        ``(case, False)`` is returned. ``render_alert(case)`` builds the alert once the
        case number is known.
        """
        async with self._transaction():
            existing = await self._one_case(
                "SELECT * FROM cases WHERE user_id = ? AND status != 'resolved'",
                (user_id,),
            )
            if existing is not None:
                await self._add_transcript(existing.id, "user", "text", first_message)
                return existing, False
            stamp = iso(now())
            cursor = await self._db.execute(
                "INSERT INTO cases (user_id, chat_id, language, status, priority, kind, "
                "reason, created_at, last_alert_at) VALUES (?, ?, ?, 'open', ?, ?, ?, ?, ?)",
                (user_id, chat_id, language, priority, kind, reason, stamp, stamp),
            )
            case_id = int(cursor.lastrowid or 0)
            await self._add_transcript(case_id, "user", "text", first_message)
            if render_alert is not None:
                await self._enqueue(render_alert(await self._case_by_id(case_id)), case_id)
        return await self.case(case_id), True

    async def list_active(self) -> list[Case]:
        """Open and claimed cases, high priority first, then oldest first."""
        rows = await self._fetchall(
            "SELECT * FROM cases WHERE status != 'resolved' "
            "ORDER BY priority = 'high' DESC, created_at ASC"
        )
        return [_case(row) for row in rows]

    async def claim(self, case_id: int, staff_id: int) -> Case:
        """Mark a case claimed by ``staff_id`` (a claimed case can be re-claimed)."""
        async with self._transaction():
            case = await self._case_by_id(case_id)
            if case.status == RESOLVED:
                raise StoreError(f"case #{case_id} is already resolved")
            await self._db.execute(
                "UPDATE cases SET status = 'claimed', claimed_by = ?, claimed_at = ? WHERE id = ?",
                (staff_id, iso(now()), case_id),
            )
            return await self._case_by_id(case_id)

    async def resolve(self, case_id: int, staff_id: int) -> Case:
        """Close a case; the user goes back to the bot."""
        async with self._transaction():
            case = await self._case_by_id(case_id)
            if case.status == RESOLVED:
                raise StoreError(f"case #{case_id} is already resolved")
            await self._db.execute(
                "UPDATE cases SET status = 'resolved', resolved_by = ?, "
                "resolved_at = ? WHERE id = ?",
                (staff_id, iso(now()), case_id),
            )
            return await self._case_by_id(case_id)

    async def set_kind(self, case_id: int, kind: str) -> None:
        """Switch a case to discreet handling (or back)."""
        async with self._transaction():
            await self._db.execute("UPDATE cases SET kind = ? WHERE id = ?", (kind, case_id))

    async def set_priority(self, case_id: int, priority: str) -> Case:
        """Change a case's priority."""
        if priority not in ("high", "normal"):
            raise StoreError(f"unknown priority {priority!r}")
        async with self._transaction():
            await self._case_by_id(case_id)
            await self._db.execute(
                "UPDATE cases SET priority = ? WHERE id = ?", (priority, case_id)
            )
            return await self._case_by_id(case_id)

    async def due_for_realert(self, interval: timedelta) -> list[Case]:
        """Unclaimed cases whose last alert is older than ``interval``."""
        rows = await self._fetchall(
            "SELECT * FROM cases WHERE status = 'open' AND last_alert_at <= ? ORDER BY id",
            (iso(now() - interval),),
        )
        return [_case(row) for row in rows]

    async def realert(self, case_id: int, outgoing: Outgoing) -> None:
        """Queue a reminder about an unclaimed case and note when."""
        async with self._transaction():
            await self._db.execute(
                "UPDATE cases SET last_alert_at = ? WHERE id = ?", (iso(now()), case_id)
            )
            await self._enqueue(outgoing, case_id)

    # Transcript and audit ----------------------------------------------------------

    async def add_transcript(
        self,
        case_id: int,
        author: str,
        kind: str,
        text: str,
        outgoing: Iterable[Outgoing] = (),
    ) -> None:
        """Append to a case's transcript, queueing any messages in the same transaction."""
        async with self._transaction():
            await self._add_transcript(case_id, author, kind, text)
            for item in outgoing:
                await self._enqueue(item, case_id)

    async def transcript(self, case_id: int) -> list[TranscriptEntry]:
        """Return a case's conversation, oldest first."""
        rows = await self._fetchall(
            "SELECT at, author, kind, text FROM transcript WHERE case_id = ? ORDER BY id",
            (case_id,),
        )
        return [TranscriptEntry(*row) for row in rows]

    async def audit(
        self,
        actor_id: int | None,
        action: str,
        case_id: int | None,
        allowed: bool,
        detail: str = "",
    ) -> None:
        """Record a staff action (or a refused attempt at one)."""
        async with self._transaction():
            await self._db.execute(
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
        rows = await self._fetchall(query + " ORDER BY id", args)
        return [AuditEntry(r[0], r[1], r[2], r[3], bool(r[4]), r[5]) for r in rows]

    # Outbox --------------------------------------------------------------------------

    async def enqueue(self, outgoing: Outgoing, case_id: int | None = None) -> None:
        """Queue a message for delivery (duplicates by dedupe key are ignored)."""
        async with self._transaction():
            await self._enqueue(outgoing, case_id)

    async def pending(self, limit: int = 50) -> list[OutboxItem]:
        """Unsent messages whose next attempt is due: new-case alerts first, then oldest first.

        A chat whose oldest unsent message is still waiting out a backoff blocks its later
        messages, so a user or the staff group never sees them out of order. An alert goes
        before older relays of other cases: a new case must not wait behind chatter.
        """
        rows = await self._fetchall(
            "SELECT id, chat_id, case_id, kind, text, markup, copy_from_chat, "
            "copy_message_id, attempts, next_attempt_at FROM outbox "
            "WHERE sent_at IS NULL ORDER BY kind = 'alert' DESC, id LIMIT ?",
            (limit * 4,),
        )
        due: list[OutboxItem] = []
        blocked: set[int] = set()
        stamp = iso(now())
        for row in rows:
            chat_id = row[1]
            if chat_id in blocked:
                continue
            if row[9] > stamp:
                blocked.add(chat_id)
                continue
            blocked.add(chat_id)
            due.append(
                OutboxItem(
                    id=row[0],
                    chat_id=chat_id,
                    case_id=row[2],
                    kind=row[3],
                    text=row[4],
                    markup=json.loads(row[5]) if row[5] else None,
                    copy_from_chat=row[6],
                    copy_message_id=row[7],
                    attempts=row[8],
                )
            )
            if len(due) >= limit:
                break
        return due

    async def next_attempt_at(self) -> datetime | None:
        """When the earliest unsent message may be tried again."""
        row = await self._fetchone("SELECT MIN(next_attempt_at) FROM outbox WHERE sent_at IS NULL")
        return datetime.fromisoformat(row[0]) if row and row[0] else None

    async def mark_sent(self, item: OutboxItem, message_id: int | None) -> None:
        """Record delivery, and remember which case a staff-group message belongs to."""
        async with self._transaction():
            await self._db.execute(
                "UPDATE outbox SET sent_at = ?, message_id = ?, attempts = attempts + 1 "
                "WHERE id = ?",
                (iso(now()), message_id, item.id),
            )
            if item.case_id is not None and message_id is not None:
                await self._db.execute(
                    "INSERT OR IGNORE INTO staff_messages (chat_id, message_id, case_id) "
                    "VALUES (?, ?, ?)",
                    (item.chat_id, message_id, item.case_id),
                )

    async def mark_failed(self, item: OutboxItem, error: str, retry_in: float) -> None:
        """Record a failed attempt and when to try again."""
        async with self._transaction():
            retry_at = now() + timedelta(seconds=retry_in)
            await self._db.execute(
                "UPDATE outbox SET attempts = attempts + 1, last_error = ?, "
                "next_attempt_at = ? WHERE id = ?",
                (error[:500], iso(retry_at), item.id),
            )

    async def sent_messages(self, kind: str | None = None) -> list[tuple[int, int, str]]:
        """Delivered messages as (chat_id, message_id, kind), for tests and /case."""
        query = "SELECT chat_id, message_id, kind FROM outbox WHERE sent_at IS NOT NULL"
        args: tuple[Any, ...] = ()
        if kind is not None:
            query += " AND kind = ?"
            args = (kind,)
        rows = await self._fetchall(query + " ORDER BY id", args)
        return [(r[0], r[1], r[2]) for r in rows]

    async def link_staff_message(self, chat_id: int, message_id: int, case_id: int) -> None:
        """Remember that a message in the staff group belongs to a case."""
        async with self._transaction():
            await self._db.execute(
                "INSERT OR IGNORE INTO staff_messages (chat_id, message_id, case_id) "
                "VALUES (?, ?, ?)",
                (chat_id, message_id, case_id),
            )

    async def case_for_staff_message(self, chat_id: int, message_id: int) -> int | None:
        """Return the case a staff-group message belongs to, if any."""
        row = await self._fetchone(
            "SELECT case_id FROM staff_messages WHERE chat_id = ? AND message_id = ?",
            (chat_id, message_id),
        )
        return int(row[0]) if row else None

    # Discreet help: secrets, the chat's messages, multi-step flows, check-ins ---------

    async def set_secret(self, user_id: int, column: str, value: str | None) -> None:
        """Store a user's code phrase hash or safety word (None clears it)."""
        if column not in ("codeword_hash", "safety_word"):
            raise StoreError(f"unknown secret {column!r}")
        async with self._transaction():
            await self._db.execute(
                f"UPDATE users SET {column} = ? WHERE user_id = ?", (value, user_id)
            )

    async def secrets(self, user_id: int) -> tuple[str | None, str | None]:
        """The user's (code phrase hash, safety word)."""
        row = await self._fetchone(
            "SELECT codeword_hash, safety_word FROM users WHERE user_id = ?", (user_id,)
        )
        return (row[0], row[1]) if row else (None, None)

    async def log_message(
        self, chat_id: int, message_id: int, author: str, delete_in: float | None = None
    ) -> None:
        """Remember a private-chat message so it can be deleted later (/clear, discreet cases)."""
        await self.log_messages(chat_id, [(message_id, delete_in)], author)

    async def log_messages(
        self, chat_id: int, messages: Iterable[tuple[int, float | None]], author: str
    ) -> None:
        """Remember several messages of one chat, each with its own deletion delay, at once."""
        async with self._transaction():
            for message_id, delete_in in messages:
                await self._log_message(chat_id, message_id, author, delete_in)

    async def schedule_deletion(
        self, chat_id: int, delay: float, message_id: int | None = None, author: str | None = None
    ) -> None:
        """Mark one message, or all of a chat's (optionally one author's), for deletion."""
        query = "UPDATE chat_messages SET delete_at = ? WHERE chat_id = ? AND deleted = 0"
        args: list[Any] = [iso(now() + timedelta(seconds=delay)), chat_id]
        if message_id is not None:
            query += " AND message_id = ?"
            args.append(message_id)
        if author is not None:
            query += " AND author = ? AND (delete_at IS NULL OR delete_at > ?)"
            args += [author, args[0]]
        async with self._transaction():
            await self._db.execute(query, tuple(args))

    async def due_deletions(self, max_age: timedelta) -> dict[int, list[int]]:
        """Messages whose deletion time has come, by chat (too old ones are given up)."""
        rows = await self._fetchall(
            "SELECT chat_id, message_id FROM chat_messages WHERE deleted = 0 "
            "AND delete_at IS NOT NULL AND delete_at <= ? AND at >= ? ORDER BY chat_id, message_id",
            (iso(now()), iso(now() - max_age)),
        )
        due: dict[int, list[int]] = {}
        for chat_id, message_id in rows:
            due.setdefault(int(chat_id), []).append(int(message_id))
        return due

    async def deletable_messages(self, chat_id: int, max_age: timedelta) -> list[int]:
        """Messages of a chat not yet deleted and young enough for Telegram to delete."""
        rows = await self._fetchall(
            "SELECT message_id FROM chat_messages WHERE chat_id = ? AND deleted = 0 "
            "AND at >= ? ORDER BY message_id",
            (chat_id, iso(now() - max_age)),
        )
        return [int(r[0]) for r in rows]

    async def mark_deleted(self, chat_id: int, message_ids: Iterable[int]) -> None:
        """Record that messages are gone from the chat."""
        async with self._transaction():
            await self._db.executemany(
                "UPDATE chat_messages SET deleted = 1 WHERE chat_id = ? AND message_id = ?",
                [(chat_id, m) for m in message_ids],
            )

    async def set_case_note(self, case_id: int, column: str, value: str) -> None:
        """Record how to reach the user, or their latest location, on a case."""
        if column not in ("contact_note", "last_location"):
            raise StoreError(f"unknown case note {column!r}")
        async with self._transaction():
            await self._db.execute(f"UPDATE cases SET {column} = ? WHERE id = ?", (value, case_id))

    async def case_notes(self, case_id: int) -> tuple[str | None, str | None]:
        """A case's (contact note, last location)."""
        row = await self._fetchone(
            "SELECT contact_note, last_location FROM cases WHERE id = ?", (case_id,)
        )
        return (row[0], row[1]) if row else (None, None)

    async def flow(self, user_id: int) -> tuple[str, int, dict[str, Any]] | None:
        """The multi-step flow a user is in: (name, step, answers so far)."""
        return (await self.user_state(user_id)).flow

    async def save_flow(self, user_id: int, name: str, step: int, answers: dict[str, Any]) -> None:
        """Start or advance a user's flow."""
        async with self._transaction():
            await self._db.execute(
                "INSERT INTO flows (user_id, name, step, answers, updated_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET "
                "name = excluded.name, step = excluded.step, answers = excluded.answers, "
                "updated_at = excluded.updated_at",
                (user_id, name, step, json.dumps(answers, ensure_ascii=False), iso(now())),
            )

    async def end_flow(self, user_id: int) -> None:
        """Leave the current flow."""
        async with self._transaction():
            await self._db.execute("DELETE FROM flows WHERE user_id = ?", (user_id,))

    async def save_checkin(self, checkin: CheckIn) -> None:
        """Register (or replace) a user's check-in schedule."""
        async with self._transaction():
            await self._db.execute(
                f"INSERT OR REPLACE INTO checkins ({CHECKIN_COLUMNS}, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (*dataclasses.astuple(checkin), iso(now())),
            )

    async def checkin(self, user_id: int) -> CheckIn | None:
        """A user's check-in, if registered."""
        row = await self._fetchone(
            f"SELECT {CHECKIN_COLUMNS} FROM checkins WHERE user_id = ?", (user_id,)
        )
        return CheckIn(*row) if row else None

    async def checkins(self) -> list[CheckIn]:
        """Every registered check-in."""
        return [
            CheckIn(*row) for row in await self._fetchall(f"SELECT {CHECKIN_COLUMNS} FROM checkins")
        ]

    async def stop_checkin(self, user_id: int) -> bool:
        """End a user's check-ins; tell whether there were any."""
        async with self._transaction():
            cursor = await self._db.execute("DELETE FROM checkins WHERE user_id = ?", (user_id,))
            return bool(cursor.rowcount)

    # Internals -----------------------------------------------------------------------

    async def _remember_user(
        self, user_id: int, chat_id: int, language: str, fixed: bool | None
    ) -> None:
        await self._db.execute(
            "INSERT INTO users (user_id, chat_id, language, language_fixed, updated_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET "
            "chat_id = excluded.chat_id, language = excluded.language, "
            "language_fixed = COALESCE(?, language_fixed), updated_at = excluded.updated_at",
            (
                user_id,
                chat_id,
                language,
                int(bool(fixed)),
                iso(now()),
                None if fixed is None else int(fixed),
            ),
        )

    async def _add_recent(self, user_id: int, text: str) -> None:
        await self._db.execute(
            "INSERT INTO recent_messages (user_id, at, text) VALUES (?, ?, ?)",
            (user_id, iso(now()), text[:TRANSCRIPT_TEXT_LIMIT]),
        )
        await self._db.execute(
            "DELETE FROM recent_messages WHERE user_id = ? AND id NOT IN "
            "(SELECT id FROM recent_messages WHERE user_id = ? "
            "ORDER BY id DESC LIMIT ?)",
            (user_id, user_id, RECENT_KEPT),
        )

    async def _log_message(
        self, chat_id: int, message_id: int, author: str, delete_in: float | None
    ) -> None:
        delete_at = iso(now() + timedelta(seconds=delete_in)) if delete_in is not None else None
        await self._db.execute(
            "INSERT INTO chat_messages (chat_id, message_id, at, author, delete_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (chat_id, message_id) DO UPDATE SET "
            "delete_at = COALESCE(excluded.delete_at, delete_at)",
            (chat_id, message_id, iso(now()), author, delete_at),
        )

    async def _case_by_id(self, case_id: int) -> Case:
        found = await self._one_case("SELECT * FROM cases WHERE id = ?", (case_id,))
        if found is None:
            raise CaseNotFound(f"no case #{case_id}")
        return found

    async def _one_case(self, query: str, args: tuple[Any, ...]) -> Case | None:
        rows = list(await self._db.execute_fetchall(query, args))
        return _case(rows[0]) if rows else None

    async def _add_transcript(self, case_id: int, author: str, kind: str, text: str) -> None:
        await self._db.execute(
            "INSERT INTO transcript (case_id, at, author, kind, text) VALUES (?, ?, ?, ?, ?)",
            (case_id, iso(now()), author, kind, text[:TRANSCRIPT_TEXT_LIMIT]),
        )

    async def _enqueue(self, item: Outgoing, case_id: int | None) -> None:
        stamp = iso(now())
        await self._db.execute(
            "INSERT OR IGNORE INTO outbox (created_at, chat_id, case_id, kind, text, "
            "markup, copy_from_chat, copy_message_id, dedupe_key, next_attempt_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                stamp,
                item.chat_id,
                case_id,
                item.kind,
                item.text,
                json.dumps(item.markup, ensure_ascii=False) if item.markup else None,
                item.copy_from_chat,
                item.copy_message_id,
                item.dedupe_key,
                stamp,
            ),
        )


def _case(row: Any, prefix: str = "") -> Case:
    return Case(**{name: row[prefix + name] for name in CASE_FIELDS})
