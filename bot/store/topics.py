"""Where a case lives in the staff group: its forum topic, and the digests that announced it.

A topic belongs to a case; a person's later case reopens the topic of their earlier one, so
staff see the whole story in one place. A digest (one message announcing several new cases in
a burst) is linked to each of its cases, so erasing any of them removes it from the group.
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.store.db import Database, Tx
from bot.store.records import Topic, iso, now

__all__ = ["Topics"]


def topic_from_row(row: tuple[int, int, int, int]) -> Topic:
    """A Topic from (case_id, chat_id, thread_id, closed)."""
    return Topic(int(row[0]), int(row[1]), int(row[2]), bool(row[3]))


class Topics:
    """The case_topics and digest_cases tables."""

    def __init__(self, db: Database) -> None:
        """Work on ``db``."""
        self._db = db

    async def of_case(self, case_id: int) -> Topic | None:
        """The case's topic, if it has one."""
        row = await self._db.fetchone(
            "SELECT case_id, chat_id, thread_id, closed FROM case_topics WHERE case_id = ?",
            (case_id,),
        )
        return topic_from_row(tuple(row)) if row is not None else None

    async def earlier(self, case_id: int, chat_id: int) -> Topic | None:
        """The latest topic of the same person's earlier cases in ``chat_id``, to reopen."""
        row = await self._db.fetchone(
            "SELECT t.case_id, t.chat_id, t.thread_id, t.closed FROM case_topics t "
            "JOIN cases c ON c.id = t.case_id "
            "WHERE c.user_id = (SELECT user_id FROM cases WHERE id = ?) AND t.case_id != ? "
            "AND t.chat_id = ? ORDER BY t.case_id DESC LIMIT 1",
            (case_id, case_id, chat_id),
        )
        return topic_from_row(tuple(row)) if row is not None else None

    async def case_for_thread(self, chat_id: int, thread_id: int) -> int | None:
        """The latest case whose topic is ``thread_id`` (a thread may have served older ones)."""
        row = await self._db.fetchone(
            "SELECT MAX(case_id) FROM case_topics WHERE chat_id = ? AND thread_id = ?",
            (chat_id, thread_id),
        )
        return int(row[0]) if row is not None and row[0] is not None else None

    async def set(self, tx: Tx, case_id: int, chat_id: int, thread_id: int) -> None:
        """Give a case its topic (a new one, or a reopened earlier one)."""
        await tx.execute(
            "INSERT OR REPLACE INTO case_topics (case_id, chat_id, thread_id, closed, at) "
            "VALUES (?, ?, ?, 0, ?)",
            (case_id, chat_id, thread_id, iso(now())),
        )

    async def set_closed(self, chat_id: int, thread_id: int, closed: bool) -> None:
        """Record that a thread was closed or reopened in Telegram (for all its cases)."""
        async with self._db.transaction() as tx:
            await tx.execute(
                "UPDATE case_topics SET closed = ? WHERE chat_id = ? AND thread_id = ?",
                (int(closed), chat_id, thread_id),
            )

    async def forget_thread(self, chat_id: int, thread_id: int) -> None:
        """The topic is gone from Telegram (deleted by someone): its cases get a new one."""
        async with self._db.transaction() as tx:
            await tx.execute(
                "DELETE FROM case_topics WHERE chat_id = ? AND thread_id = ?", (chat_id, thread_id)
            )

    async def link_digest(
        self, tx: Tx, chat_id: int, message_id: int, case_ids: Iterable[int]
    ) -> None:
        """Remember which cases a digest message announced."""
        stamp = iso(now())
        await tx.executemany(
            "INSERT OR IGNORE INTO digest_cases (chat_id, message_id, case_id, at) "
            "VALUES (?, ?, ?, ?)",
            [(chat_id, message_id, case_id, stamp) for case_id in case_ids],
        )
