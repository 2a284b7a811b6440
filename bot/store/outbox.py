"""The durable outbox: messages written before they are sent, marked sent once Telegram has them.

``bot/delivery/outbox.py`` is the loop that delivers them; this is only the table. A row is live until
it is sent or dead (given up on, with the reason kept); a dead row never holds back its chat.
The text is sealed while it waits and blanked once Telegram has it (or it is given up); the
row stays (ids and times only) while its case does, so erasing the case can find the copy in
the chat. Chats that moved (a group upgraded to a supergroup) are remembered in ``chat_moves``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection
from datetime import datetime, timedelta

from bot.core.discretion import OPENING_ROOM
from bot.core.replies import MAX_TEXT, buttons_from_json, buttons_to_json, split_text, utf16_len
from bot.store.db import Database, Row, Tx
from bot.store.records import OutboxItem, OutboxKind, OutboxStats, Outgoing, iso, now

__all__ = ["OutboxQueue", "parts"]

LIVE = "sent_at IS NULL AND dead_at IS NULL"
ITEM_COLUMNS = (
    "id, chat_id, case_id, kind, text, markup, copy_from_chat, copy_message_id, attempts, "
    "next_attempt_at, delete_source, created_at, dedupe_key"
)
MAX_MOVES = 8


def parts(item: Outgoing) -> list[Outgoing]:
    """An outgoing message as rows Telegram accepts: a long text becomes several.

    Each part is its own row, so each is delivered exactly once and in order; the buttons go
    on the last part, and the parts' dedupe keys derive from the message's. Each part leaves
    room for the neutral opening a watched phone's messages get when sent (bot/delivery/discretion.py).
    """
    limit = MAX_TEXT - OPENING_ROOM
    if item.copy_message_id is not None or utf16_len(item.text) <= limit:
        return [item]
    chunks = split_text(item.text, limit)
    last = len(chunks) - 1
    return [
        dataclasses.replace(
            item,
            text=chunk,
            buttons=item.buttons if index == last else (),
            dedupe_key=(
                None
                if item.dedupe_key is None
                else item.dedupe_key
                if index == 0
                else f"{item.dedupe_key}#{index}"
            ),
        )
        for index, chunk in enumerate(chunks)
    ]


def item_from_row(row: Row, db: Database) -> OutboxItem:
    """Build an OutboxItem from a row selected with ITEM_COLUMNS (its text unsealed)."""
    return OutboxItem(
        id=row[0],
        chat_id=row[1],
        case_id=row[2],
        kind=OutboxKind(row[3]),
        text=db.unseal(row[4], "outbox.text") or "",
        buttons=buttons_from_json(row[5]),
        copy_from_chat=row[6],
        copy_message_id=row[7],
        attempts=row[8],
        delete_source=bool(row[10]),
        created_at=row[11],
        dedupe_key=row[12],
    )


class OutboxQueue:
    """The outbox and chat_moves tables."""

    def __init__(self, db: Database) -> None:
        """Work on ``db``."""
        self._db = db

    async def enqueue(self, tx: Tx, item: Outgoing, case_id: int | None) -> list[int]:
        """Queue a message (split if too long); return the new rows' ids.

        A row whose dedupe key is already queued is ignored and has no id in the answer.
        """
        ids: list[int] = []
        for part in parts(item):
            stamp = iso(now())
            cursor = await tx.execute(
                "INSERT OR IGNORE INTO outbox (created_at, chat_id, case_id, kind, text, "
                "markup, copy_from_chat, copy_message_id, dedupe_key, next_attempt_at, "
                "delete_source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    stamp,
                    part.chat_id,
                    case_id,
                    part.kind,
                    self._db.seal(part.text, "outbox.text") if part.text else "",
                    buttons_to_json(part.buttons),
                    part.copy_from_chat,
                    part.copy_message_id,
                    part.dedupe_key,
                    stamp,
                    int(part.delete_source),
                ),
            )
            if cursor.rowcount and cursor.lastrowid:
                ids.append(int(cursor.lastrowid))
        return ids

    async def pending(self, limit: int, skip: Collection[int] = ()) -> list[OutboxItem]:
        """Live messages whose next attempt is due: new-case alerts first, then oldest first.

        A chat whose oldest live message is still waiting out a backoff blocks its later
        messages, so a user or the staff group never sees them out of order. An alert goes
        before older relays of other cases: a new case must not wait behind chatter. Rows in
        ``skip`` count as sent (Telegram accepted them; the store has not recorded it yet).
        """
        rows = await self._db.fetchall(
            f"SELECT {ITEM_COLUMNS} FROM outbox WHERE {LIVE} ORDER BY kind = ? DESC, id LIMIT ?",
            (OutboxKind.ALERT, limit * 4 + len(skip)),
        )
        due: list[OutboxItem] = []
        blocked: set[int] = set()
        stamp = iso(now())
        for row in rows:
            chat_id = row[1]
            if chat_id in blocked or row[0] in skip:
                continue
            blocked.add(chat_id)
            if row[9] > stamp:
                continue
            due.append(item_from_row(row, self._db))
            if len(due) >= limit:
                break
        return due

    async def next_attempt_at(self, skip: Collection[int] = ()) -> datetime | None:
        """When the earliest live message may be tried again (rows in ``skip`` left out)."""
        marks = ",".join("?" * len(skip))
        where = f"{LIVE} AND id NOT IN ({marks})" if skip else LIVE
        row = await self._db.fetchone(
            f"SELECT MIN(next_attempt_at) FROM outbox WHERE {where}", tuple(skip)
        )
        return datetime.fromisoformat(row[0]) if row and row[0] else None

    async def mark_sent(self, tx: Tx, item: OutboxItem, message_id: int | None) -> None:
        """Record delivery and blank the text: Telegram has it now, the store needs it no more."""
        await tx.execute(
            "UPDATE outbox SET sent_at = ?, message_id = ?, attempts = attempts + 1, text = '', "
            "markup = NULL WHERE id = ?",
            (iso(now()), message_id, item.id),
        )

    async def mark_failed(self, item: OutboxItem, error: str, retry_in: float) -> None:
        """Record a failed attempt and when to try again."""
        async with self._db.transaction() as tx:
            retry_at = now() + timedelta(seconds=retry_in)
            await tx.execute(
                "UPDATE outbox SET attempts = attempts + 1, last_error = ?, "
                "next_attempt_at = ? WHERE id = ?",
                (error[:500], iso(retry_at), item.id),
            )

    async def mark_dead(self, tx: Tx, item: OutboxItem, error: str) -> None:
        """Give up on a message: it leaves the queue, its chat's later messages go on.

        Its text is blanked (staff were told what failed); the reason stays.
        """
        await tx.execute(
            "UPDATE outbox SET dead_at = ?, attempts = attempts + 1, last_error = ?, text = '', "
            "markup = NULL WHERE id = ?",
            (iso(now()), error[:500], item.id),
        )

    async def rewrite(self, item: OutboxItem, text: str) -> OutboxItem:
        """Replace a row's content with ``text`` (a plain message now), due at once."""
        async with self._db.transaction() as tx:
            await tx.execute(
                "UPDATE outbox SET text = ?, copy_from_chat = NULL, copy_message_id = NULL, "
                "next_attempt_at = ? WHERE id = ?",
                (self._db.seal(text, "outbox.text"), iso(now()), item.id),
            )
        return dataclasses.replace(item, text=text, copy_from_chat=None, copy_message_id=None)

    async def defer_source_deletion(
        self, tx: Tx, chat_id: int, message_id: int | None
    ) -> list[int]:
        """Messages of a chat that live rows still have to copy (all, or ``message_id``).

        Their deletion must wait: each such row is marked to delete its source once Telegram
        accepted the copy (or the copy was given up), and their ids are returned.
        """
        query = f"SELECT copy_message_id FROM outbox WHERE {LIVE} AND copy_from_chat = ?"
        args: tuple[int, ...] = (chat_id,)
        if message_id is not None:
            query += " AND copy_message_id = ?"
            args = (chat_id, message_id)
        rows = await tx.fetchall(query, args)
        if rows:
            await tx.execute(
                f"UPDATE outbox SET delete_source = 1 WHERE {LIVE} AND copy_from_chat = ? "
                + ("AND copy_message_id = ?" if message_id is not None else ""),
                args,
            )
        return [int(r[0]) for r in rows]

    async def move_chat(self, tx: Tx, old_chat: int, new_chat: int) -> int:
        """Send a moved chat's live rows to its new id, and remember the move; count them."""
        cursor = await tx.execute(
            f"UPDATE outbox SET chat_id = ?, next_attempt_at = ? WHERE {LIVE} AND chat_id = ?",
            (new_chat, iso(now()), old_chat),
        )
        await tx.execute(
            "INSERT INTO chat_moves (old_chat_id, new_chat_id, at) VALUES (?, ?, ?) "
            "ON CONFLICT (old_chat_id) DO UPDATE SET new_chat_id = excluded.new_chat_id, "
            "at = excluded.at",
            (old_chat, new_chat, iso(now())),
        )
        return int(cursor.rowcount or 0)

    async def moved_to(self, chat_id: int) -> int:
        """Where a chat lives now, following its recorded moves (itself if it never moved)."""
        seen = {chat_id}
        for _ in range(MAX_MOVES):
            row = await self._db.fetchone(
                "SELECT new_chat_id FROM chat_moves WHERE old_chat_id = ?", (chat_id,)
            )
            if row is None or row[0] in seen:
                break
            chat_id = int(row[0])
            seen.add(chat_id)
        return chat_id

    async def stuck(self, kinds: Collection[OutboxKind], older_than: timedelta) -> list[OutboxItem]:
        """Live rows of these kinds queued longer ago than ``older_than``, oldest first."""
        marks = ",".join("?" * len(kinds))
        rows = await self._db.fetchall(
            f"SELECT {ITEM_COLUMNS} FROM outbox WHERE {LIVE} AND kind IN ({marks}) "
            "AND created_at <= ? ORDER BY id",
            (*kinds, iso(now() - older_than)),
        )
        return [item_from_row(row, self._db) for row in rows]

    async def last_error(self, item_id: int) -> str | None:
        """The error of a row's last failed attempt, if any."""
        row = await self._db.fetchone("SELECT last_error FROM outbox WHERE id = ?", (item_id,))
        return row[0] if row else None

    async def stats(self) -> OutboxStats:
        """Live rows, the oldest one's time, and dead letters (in all, and in the last day)."""
        row = await self._db.fetchone(
            f"SELECT (SELECT COUNT(*) FROM outbox WHERE {LIVE}), "
            f"(SELECT MIN(created_at) FROM outbox WHERE {LIVE}), "
            "(SELECT COUNT(*) FROM outbox WHERE dead_at IS NOT NULL), "
            "(SELECT COUNT(*) FROM outbox WHERE dead_at >= ?), "
            "(SELECT last_error FROM outbox WHERE dead_at IS NOT NULL ORDER BY dead_at DESC "
            "LIMIT 1)",
            (iso(now() - timedelta(days=1)),),
        )
        assert row is not None
        return OutboxStats(int(row[0]), row[1], int(row[2]), int(row[3]), row[4])
