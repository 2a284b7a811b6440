"""The durable outbox: messages written before they are sent, marked sent once Telegram has them.

``bot/outbox.py`` is the loop that delivers them; this is only the table. The text is sealed
while it waits and blanked once Telegram has it; the row stays (ids and times only) while its
case does, so erasing the case can find the copy in the chat.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.replies import buttons_from_json, buttons_to_json
from bot.store.db import Database, Tx
from bot.store.records import OutboxItem, OutboxKind, Outgoing, iso, now


class OutboxQueue:
    """The outbox table."""

    def __init__(self, db: Database) -> None:
        """Work on ``db``."""
        self._db = db

    async def enqueue(self, tx: Tx, item: Outgoing, case_id: int | None) -> None:
        """Queue a message for delivery (duplicates by dedupe key are ignored)."""
        stamp = iso(now())
        await tx.execute(
            "INSERT OR IGNORE INTO outbox (created_at, chat_id, case_id, kind, text, "
            "markup, copy_from_chat, copy_message_id, dedupe_key, next_attempt_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                stamp,
                item.chat_id,
                case_id,
                item.kind,
                self._db.seal(item.text, "outbox.text") if item.text else "",
                buttons_to_json(item.buttons),
                item.copy_from_chat,
                item.copy_message_id,
                item.dedupe_key,
                stamp,
            ),
        )

    async def pending(self, limit: int) -> list[OutboxItem]:
        """Unsent messages whose next attempt is due: new-case alerts first, then oldest first.

        A chat whose oldest unsent message is still waiting out a backoff blocks its later
        messages, so a user or the staff group never sees them out of order. An alert goes
        before older relays of other cases: a new case must not wait behind chatter.
        """
        rows = await self._db.fetchall(
            "SELECT id, chat_id, case_id, kind, text, markup, copy_from_chat, "
            "copy_message_id, attempts, next_attempt_at, dedupe_key FROM outbox "
            "WHERE sent_at IS NULL ORDER BY kind = ? DESC, id LIMIT ?",
            (OutboxKind.ALERT, limit * 4),
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
                    kind=OutboxKind(row[3]),
                    text=self._db.unseal(row[4], "outbox.text") or "",
                    buttons=buttons_from_json(row[5]),
                    copy_from_chat=row[6],
                    copy_message_id=row[7],
                    attempts=row[8],
                    dedupe_key=row[10],
                )
            )
            if len(due) >= limit:
                break
        return due

    async def next_attempt_at(self) -> datetime | None:
        """When the earliest unsent message may be tried again."""
        row = await self._db.fetchone(
            "SELECT MIN(next_attempt_at) FROM outbox WHERE sent_at IS NULL"
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
