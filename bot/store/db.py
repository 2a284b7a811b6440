"""The SQLite file: one connection, one lock, transactions, reads and migrations.

Every aggregate goes through ``Database``, so the file's permissions, its pragmas and the
rule that nothing interleaves with a transaction live in one place. SQLite's own errors end
here too: callers see ``StoreUnavailable`` (disk full, locked, I/O) or ``StoreError``.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sqlite3
from collections.abc import AsyncIterator, Iterable, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiosqlite

from bot.core.errors import SchemaTooNew, StoreError, StoreUnavailable, StoreUnreadable
from bot.store.migrations import MIGRATIONS

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


class Database:
    """The open SQLite file; a lock keeps reads from interleaving with a transaction."""

    def __init__(self, conn: aiosqlite.Connection, path: Path | None = None) -> None:
        """Wrap an open connection; use ``Database.open``."""
        self._conn = conn
        self._path = path
        self._lock = asyncio.Lock()

    @classmethod
    async def open(cls, path: Path) -> Database:
        """Open (creating if needed, owner-only) the file at ``path`` and apply migrations.

        A file Haven cannot serve stops the start with what to do: ``StoreUnreadable`` when it
        is no readable SQLite database, ``SchemaTooNew`` when a newer Haven wrote it.
        """
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            if not path.exists():
                os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
            os.chmod(path, 0o600)
        except OSError as exc:
            raise StoreUnreadable(
                f"cannot open the database {path}: {exc.strerror or exc}; check the path in "
                f"DATABASE_PATH and that Haven's user owns the file and its folder"
            ) from exc
        conn = await aiosqlite.connect(path, isolation_level=None)
        try:
            conn.row_factory = aiosqlite.Row
            await conn.execute("PRAGMA journal_mode=WAL")
            await conn.execute("PRAGMA synchronous=FULL")
            await conn.execute("PRAGMA foreign_keys=ON")
            await conn.execute("PRAGMA busy_timeout=5000")
            await conn.execute("SELECT COUNT(*) FROM sqlite_master")
        except sqlite3.Error as exc:
            await conn.close()
            raise StoreUnreadable(
                f"the database {path} cannot be read ({exc}): it is damaged or not a Haven "
                f"database. Restore it from a backup, or move it away to start with an empty one"
            ) from exc
        db = cls(conn, path)
        try:
            await db.migrate()
        except BaseException:
            await conn.close()
            raise
        for suffix in ("-wal", "-shm"):
            side = Path(f"{path}{suffix}")
            if side.exists():
                os.chmod(side, 0o600)
        return db

    async def close(self) -> None:
        """Close the connection."""
        await self._conn.close()

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
                f"the database {self._path or ''} has schema version {version}, but this Haven "
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
                    f"migrating the database {self._path or ''} to version {number} failed: "
                    f"{exc}; nothing of that step was applied"
                ) from exc
