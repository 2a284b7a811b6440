"""The SQLite file: one connection, one lock, transactions, reads, migrations and sealing.

Every aggregate goes through ``Database``, so the file's permissions, its pragmas, the rule
that nothing interleaves with a transaction, and the key that seals what people said
(bot/store/crypto.py) live in one place. ``secure_delete`` is on, so erased rows are
overwritten with zeros rather than left in free pages; ``compact`` empties the write-ahead
log after an erasure. SQLite's own errors end here too: callers see ``StoreUnavailable`` (disk
full, locked, I/O) or ``StoreError``.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import logging
import os
import sqlite3
import stat
from collections.abc import AsyncIterator, Iterable, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, overload

import aiosqlite

from bot.core.errors import (
    DataKeyError,
    SchemaTooNew,
    StoreError,
    StoreUnavailable,
    StoreUnreadable,
)
from bot.store.crypto import KeySource, Sealer, sealed_with
from bot.store.migrations import MIGRATIONS, SEALED

__all__ = ["CANARY", "CANARY_COLUMN", "Database", "Row", "Tx", "hold_alone"]

log = logging.getLogger(__name__)

CANARY = "haven data key check"
CANARY_COLUMN = "meta.canary"

Row = aiosqlite.Row


@contextlib.contextmanager
def sqlite_errors() -> Iterator[None]:
    """Raise Haven's store errors in place of SQLite's inside the block."""
    try:
        yield
    except sqlite3.IntegrityError as exc:
        raise StoreError(f"the store refused the change: {exc}") from exc
    except sqlite3.Error as exc:
        raise StoreUnavailable(f"the database failed: {exc}") from exc


class Tx:
    """The connection inside one ``Database.transaction()``; aggregates write through it."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        """Wrap the connection for the length of one transaction."""
        self._conn = conn

    async def execute(self, query: str, args: tuple[Any, ...] = ()) -> aiosqlite.Cursor:
        """Run one statement; the cursor tells ``lastrowid`` and ``rowcount``."""
        with sqlite_errors():
            return await self._conn.execute(query, args)

    async def executemany(self, query: str, rows: Iterable[tuple[Any, ...]]) -> None:
        """Run one statement for each row of arguments."""
        with sqlite_errors():
            await self._conn.executemany(query, rows)

    async def fetchall(self, query: str, args: tuple[Any, ...] = ()) -> list[Row]:
        """Read inside the transaction (sees its own writes)."""
        with sqlite_errors():
            return list(await self._conn.execute_fetchall(query, args))

    async def fetchone(self, query: str, args: tuple[Any, ...] = ()) -> Row | None:
        """Read the first row inside the transaction, if any."""
        rows = await self.fetchall(query, args)
        return rows[0] if rows else None


BUSY_TIMEOUT_MS = 1000
"""How long a statement waits for another process holding the file before it fails.

A person's message makes several store calls, each waiting this long at most, and every
one of them may fail without stopping the answer (or the alert): a second, not five."""


def _owner_only(folder: Path) -> None:
    """Tighten Haven's own data folder to 0700 (created so, or found looser).

    Only a folder Haven's user owns and that is not shared (sticky, like /tmp) is changed.
    """
    info = folder.stat()
    mode = stat.S_IMODE(info.st_mode)
    if info.st_uid == os.getuid() and not mode & stat.S_ISVTX and mode & 0o077:
        os.chmod(folder, mode & 0o700)
        log.warning("the data folder %s was open to others: now owner-only (0700)", folder)


class Database:
    """The open SQLite file; a lock keeps reads from interleaving with a transaction."""

    def __init__(self, conn: aiosqlite.Connection, path: Path, lock_fd: int | None = None) -> None:
        """Wrap an open connection; use ``Database.open``."""
        self._conn = conn
        self._path = path
        self._lock = asyncio.Lock()
        self._lock_fd = lock_fd
        self._sealer: Sealer | None = None

    @classmethod
    async def open(
        cls, path: Path, keys: KeySource | None = None, *, exclusive: bool = False
    ) -> Database:
        """Open (creating if needed, owner-only) the file at ``path``, migrate, and unseal.

        ``keys`` says where the data key is (default: ``data.key`` beside the file). Every
        process that opens the file holds a shared lock on ``<file>.lock``; ``exclusive`` (key
        rotation) needs it alone and fails while Haven runs. A file Haven cannot serve stops
        the start with what to do: ``StoreUnreadable`` when it is no readable SQLite database,
        ``SchemaTooNew`` when a newer Haven wrote it.
        """
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            _owner_only(path.parent)
            if not path.exists():
                os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
            os.chmod(path, 0o600)
        except OSError as exc:
            raise StoreUnreadable(
                f"cannot open the database {path}: {exc.strerror or exc}; check the path in "
                f"DATABASE_PATH and that Haven's user owns the file and its folder"
            ) from exc
        lock_fd = _lock(path, exclusive)
        try:
            conn = await aiosqlite.connect(path, isolation_level=None)
        except BaseException:
            os.close(lock_fd)
            raise
        conn.row_factory = aiosqlite.Row
        db = cls(conn, path, lock_fd)
        try:
            try:
                await conn.execute("PRAGMA journal_mode=WAL")
                await conn.execute("PRAGMA synchronous=FULL")
                await conn.execute("PRAGMA foreign_keys=ON")
                await conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
                await conn.execute("PRAGMA secure_delete=ON")
                await conn.execute("SELECT COUNT(*) FROM sqlite_master")
            except sqlite3.Error as exc:
                raise StoreUnreadable(
                    f"the database {path} cannot be read ({exc}): it is damaged or not a Haven "
                    f"database. Restore it from a backup, or move it away to start with an "
                    f"empty one"
                ) from exc
            await db.migrate()
            await db._unseal(keys or KeySource.beside(path))
        except BaseException:
            await db.close()
            raise
        for suffix in ("-wal", "-shm"):
            side = Path(f"{path}{suffix}")
            if side.exists():
                os.chmod(side, 0o600)
        return db

    async def close(self) -> None:
        """Close the connection, then give up the file's lock."""
        try:
            await self._conn.close()
        finally:
            if self._lock_fd is not None:
                os.close(self._lock_fd)
                self._lock_fd = None

    @property
    def key_id(self) -> str:
        """The id of the data key the file is sealed with."""
        return self._sealer_now().key_id

    @overload
    def seal(self, text: str, column: str) -> str: ...
    @overload
    def seal(self, text: str | None, column: str) -> str | None: ...
    def seal(self, text: str | None, column: str) -> str | None:
        """Encrypt a value for ``column`` (``table.column``); None stays None."""
        return None if text is None else self._sealer_now().seal(text, column)

    @overload
    def unseal(self, value: str, column: str) -> str: ...
    @overload
    def unseal(self, value: str | None, column: str) -> str | None: ...
    def unseal(self, value: str | None, column: str) -> str | None:
        """Decrypt a value of ``column``; None stays None."""
        return None if value is None else self._sealer_now().open(value, column)

    async def rotate(self, key: bytes) -> int:
        """Seal every value again with ``key``; return how many values were sealed anew.

        One transaction: a crash leaves every value under the old key or every one under the
        new, and the canary says which.
        """
        both = self._sealer_now().rotated(key)
        async with self.transaction() as tx:
            count = await _reseal(tx, both, both)
        self._sealer = Sealer(key)
        await self.compact()
        return count

    async def compact(self) -> bool:
        """Copy the write-ahead log into the file and truncate it to nothing.

        After an erasure the log still holds the pages as they were; this removes them.
        Returns False when a reader kept the checkpoint from finishing (try again later).
        """
        async with self._lock:
            rows = list(await self._conn.execute_fetchall("PRAGMA wal_checkpoint(TRUNCATE)"))
        busy = bool(rows and rows[0][0])
        if busy:
            log.warning("the write-ahead log could not be emptied yet (a reader is busy)")
        return not busy

    def _sealer_now(self) -> Sealer:
        if self._sealer is None:
            raise StoreError("the database is not unsealed yet")
        return self._sealer

    async def _unseal(self, keys: KeySource) -> None:
        """Load the key the file needs; on first use, seal the rows written before sealing."""
        row = await self.fetchone("SELECT value FROM meta WHERE key = 'canary'")
        canary = str(row[0]) if row is not None else None
        needed = sealed_with(canary) if canary is not None else None
        sealer = Sealer(keys.load(needed, self._path))
        if canary is None:
            async with self.transaction() as tx:
                await _reseal(tx, sealer, sealer)
            await self.compact()
        else:
            try:
                matches = sealer.open(canary, CANARY_COLUMN) == CANARY
            except StoreError:
                matches = False
            if not matches:
                raise DataKeyError(
                    f"the data key {sealer.key_id} does not open {self._path}: restore its key"
                )
        self._sealer = sealer

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Tx]:
        """Run a block as one transaction (BEGIN IMMEDIATE), alone on the connection."""
        async with self._lock:
            with sqlite_errors():
                await self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield Tx(self._conn)
                with sqlite_errors():
                    await self._conn.execute("COMMIT")
            except BaseException:
                await self._rollback()
                raise

    async def _rollback(self) -> None:
        """End a failed transaction; a failed COMMIT (disk full) can leave it open."""
        if self._conn.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                await self._conn.execute("ROLLBACK")

    async def fetchall(self, query: str, args: tuple[Any, ...] = ()) -> list[Row]:
        """Run a read alone on the connection and return all rows (one trip to its thread)."""
        async with self._lock:
            with sqlite_errors():
                return list(await self._conn.execute_fetchall(query, args))

    async def fetchone(self, query: str, args: tuple[Any, ...] = ()) -> Row | None:
        """Run a read alone on the connection and return its first row."""
        rows = await self.fetchall(query, args)
        return rows[0] if rows else None

    async def schema_version(self) -> int:
        """Return the number of migrations applied."""
        async with self._conn.execute("PRAGMA user_version") as cursor:
            row = await cursor.fetchone()
        return int(row[0]) if row else 0

    async def migrate(self) -> None:
        """Apply the migrations the file has not had yet, each in its own transaction.

        A file with more migrations than this Haven knows was written by a newer one: using it
        would fail later, on someone's escalation, so it is refused now.
        """
        version = await self.schema_version()
        if version > len(MIGRATIONS):
            raise SchemaTooNew(
                f"the database {self._path} has schema version {version}, but this Haven "
                f"knows versions up to {len(MIGRATIONS)}: a newer Haven wrote it. Run that "
                f"newer Haven, or restore a backup taken before the upgrade"
            )
        for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
            try:
                await self._conn.executescript(
                    f"BEGIN IMMEDIATE;\n{script}\nPRAGMA user_version = {number};\nCOMMIT;"
                )
            except sqlite3.Error as exc:
                await self._rollback()
                raise StoreUnavailable(
                    f"migrating the database {self._path} to version {number} failed: "
                    f"{exc}; nothing of that step was applied"
                ) from exc


def hold_alone(path: Path, doing: str) -> int:
    """Hold ``<file>.lock`` alone (its descriptor; close it to let go), or StoreError naming
    ``doing`` while any Haven process has the file open."""
    return _lock(path, True, doing)


def _lock(path: Path, exclusive: bool, doing: str = "rotating its key") -> int:
    """Hold ``<file>.lock``: shared by every Haven process, exclusive for a key rotation."""
    lock_path = Path(f"{path}.lock")
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(lock_path, os.O_CREAT | os.O_RDWR | os.O_NOFOLLOW, 0o600)
    try:
        fcntl.flock(fd, (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        if exclusive:
            raise StoreError(f"{path} is in use: stop Haven before {doing}") from None
        raise StoreError(
            f"{path} is being sealed with a new key or restored from a backup: wait for it"
        ) from None
    return fd


async def _reseal(tx: Tx, opener: Sealer, sealer: Sealer) -> int:
    """Open every sealed value (or unsealed one) with ``opener`` and seal it with ``sealer``."""
    count = 0
    for table, column, key in SEALED:
        name = f"{table}.{column}"
        rows = await tx.fetchall(
            f"SELECT {key}, {column} FROM {table} WHERE {column} IS NOT NULL AND {column} != ''"
        )
        await tx.executemany(
            f"UPDATE {table} SET {column} = ? WHERE {key} = ?",
            [(sealer.seal(opener.open(value, name), name), row_key) for row_key, value in rows],
        )
        count += len(rows)
    await tx.execute(
        "INSERT INTO meta (key, value) VALUES ('canary', ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (sealer.seal(CANARY, CANARY_COLUMN),),
    )
    return count
