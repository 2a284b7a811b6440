"""The inbox: updates fetched from Telegram and not handled yet, sealed, so a crash loses none.

Only updates that wait (a backlog, a slow engine) are written, in one transaction with the
others due and with the deletion of those handled since (bot/telegram/inbox.py decides).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bot.store.db import Database
from bot.store.records import iso, now

__all__ = ["Inbox", "Waiting"]

COLUMN = "inbox.body"


@dataclass(frozen=True)
class Waiting:
    """One update to keep: Telegram's id, the user it came from, its JSON."""

    update_id: int
    user_id: int | None
    body: str


class Inbox:
    """Keeps and strikes updates; reads back what a crash left."""

    def __init__(self, db: Database) -> None:
        """Work on ``db``."""
        self._db = db

    async def keep(self, waiting: Iterable[Waiting], handled: Iterable[int]) -> None:
        """Write the waiting updates and strike the handled ones, in one transaction."""
        moment = iso(now())
        async with self._db.transaction() as tx:
            await tx.executemany(
                "INSERT OR IGNORE INTO inbox (update_id, user_id, at, body) VALUES (?, ?, ?, ?)",
                [(w.update_id, w.user_id, moment, self._db.seal(w.body, COLUMN)) for w in waiting],
            )
            await tx.executemany(
                "DELETE FROM inbox WHERE update_id = ?", [(update_id,) for update_id in handled]
            )

    async def left(self) -> list[tuple[int, str]]:
        """(update id, JSON) of every update kept and not handled, oldest first."""
        rows = await self._db.fetchall("SELECT update_id, body FROM inbox ORDER BY update_id")
        return [(int(r[0]), self._db.unseal(str(r[1]), COLUMN)) for r in rows]
