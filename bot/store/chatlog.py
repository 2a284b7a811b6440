"""The private chats' message ids, so /clear and discreet cases can delete them later.

Telegram deletes only messages younger than 48 hours, so the log also knows when each was sent.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import timedelta
from typing import Any

from bot.store.db import Database, Tx
from bot.store.records import iso, now

__all__ = ["ChatLog"]


class ChatLog:
    """The chat_messages table."""

    def __init__(self, db: Database) -> None:
        """Work on ``db``."""
        self._db = db

    async def log(
        self, tx: Tx, chat_id: int, message_id: int, author: str, delete_in: float | None
    ) -> None:
        """Remember one message, to be deleted after ``delete_in`` seconds if given."""
        delete_at = iso(now() + timedelta(seconds=delete_in)) if delete_in is not None else None
        await tx.execute(
            "INSERT INTO chat_messages (chat_id, message_id, at, author, delete_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (chat_id, message_id) DO UPDATE SET "
            "delete_at = COALESCE(excluded.delete_at, delete_at)",
            (chat_id, message_id, iso(now()), author, delete_at),
        )

    async def log_many(
        self, chat_id: int, messages: Iterable[tuple[int, float | None]], author: str
    ) -> None:
        """Remember several messages of one chat, each with its own deletion delay, at once."""
        async with self._db.transaction() as tx:
            for message_id, delete_in in messages:
                await self.log(tx, chat_id, message_id, author, delete_in)

    async def schedule_deletion(
        self,
        tx: Tx,
        chat_id: int,
        delay: float,
        message_id: int | None,
        author: str | None,
        keep: Collection[int] = (),
    ) -> None:
        """Mark one message, or all of a chat's (optionally one author's), for deletion.

        Messages in ``keep`` are left alone (a copy of them has yet to reach staff).
        """
        query = "UPDATE chat_messages SET delete_at = ? WHERE chat_id = ? AND deleted = 0"
        args: list[Any] = [iso(now() + timedelta(seconds=delay)), chat_id]
        if message_id is not None:
            query += " AND message_id = ?"
            args.append(message_id)
        if author is not None:
            query += " AND author = ? AND (delete_at IS NULL OR delete_at > ?)"
            args += [author, args[0]]
        if keep:
            query += f" AND message_id NOT IN ({','.join('?' * len(keep))})"
            args += list(keep)
        await tx.execute(query, tuple(args))

    async def due_deletions(self, max_age: timedelta) -> dict[int, list[int]]:
        """Messages whose deletion time has come, by chat (too old ones are given up)."""
        rows = await self._db.fetchall(
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
        rows = await self._db.fetchall(
            "SELECT message_id FROM chat_messages WHERE chat_id = ? AND deleted = 0 "
            "AND at >= ? ORDER BY message_id",
            (chat_id, iso(now() - max_age)),
        )
        return [int(r[0]) for r in rows]

    async def latest(self, chat_id: int, author: str, before: int) -> int | None:
        """The newest message of ``author`` in a chat before ``before``, not yet deleted."""
        row = await self._db.fetchone(
            "SELECT MAX(message_id) FROM chat_messages WHERE chat_id = ? AND author = ? "
            "AND message_id < ? AND deleted = 0",
            (chat_id, author, before),
        )
        return int(row[0]) if row is not None and row[0] is not None else None

    async def mark_deleted(self, chat_id: int, message_ids: Iterable[int]) -> None:
        """Record that messages are gone from the chat."""
        async with self._db.transaction() as tx:
            await tx.executemany(
                "UPDATE chat_messages SET deleted = 1 WHERE chat_id = ? AND message_id = ?",
                [(chat_id, m) for m in message_ids],
            )
