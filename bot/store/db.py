"""The SQLite file: one connection, one lock, transactions, reads and migrations.

Every aggregate goes through ``Database``, so the file's permissions, its pragmas and the
rule that nothing interleaves with a transaction live in one place.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiosqlite

from bot.store.migrations import MIGRATIONS

Row = aiosqlite.Row


class Tx:
    """The connection inside one ``Database.transaction()``; aggregates write through it."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        """Wrap the connection for the length of one transaction."""
        self._conn = conn

    async def execute(self, query: str, args: tuple[Any, ...] = ()) -> aiosqlite.Cursor:
        """Run one statement; the cursor tells ``lastrowid`` and ``rowcount``."""
        return await self._conn.execute(query, args)

    async def executemany(self, query: str, rows: Iterable[tuple[Any, ...]]) -> None:
        """Run one statement for each row of arguments."""
        await self._conn.executemany(query, rows)

    async def fetchall(self, query: str, args: tuple[Any, ...] = ()) -> list[Row]:
        """Read inside the transaction (sees its own writes)."""
        return list(await self._conn.execute_fetchall(query, args))

    async def fetchone(self, query: str, args: tuple[Any, ...] = ()) -> Row | None:
        """Read the first row inside the transaction, if any."""
        rows = await self.fetchall(query, args)
        return rows[0] if rows else None


class Database:
    """The open SQLite file; a lock keeps reads from interleaving with a transaction."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        """Wrap an open connection; use ``Database.open``."""
        self._conn = conn
        self._lock = asyncio.Lock()

    @classmethod
    async def open(cls, path: Path) -> Database:
        """Open (creating if needed, owner-only) the file at ``path`` and apply migrations."""
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not path.exists():
            os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
        os.chmod(path, 0o600)
        conn = await aiosqlite.connect(path, isolation_level=None)
        conn.row_factory = aiosqlite.Row
        await conn.execute("PRAGMA journal_mode=WAL")
        await conn.execute("PRAGMA synchronous=FULL")
        await conn.execute("PRAGMA foreign_keys=ON")
        await conn.execute("PRAGMA busy_timeout=5000")
        db = cls(conn)
        await db.migrate()
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
            await self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield Tx(self._conn)
            except BaseException:
                await self._conn.execute("ROLLBACK")
                raise
            await self._conn.execute("COMMIT")

    async def fetchall(self, query: str, args: tuple[Any, ...] = ()) -> list[Row]:
        """Run a read alone on the connection and return all rows (one trip to its thread)."""
        async with self._lock:
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
        """Apply the migrations the file has not had yet, each in its own transaction."""
        version = await self.schema_version()
        for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
            await self._conn.executescript(
                f"BEGIN IMMEDIATE;\n{script}\nPRAGMA user_version = {number};\nCOMMIT;"
            )
