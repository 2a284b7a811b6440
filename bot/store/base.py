"""The store's connection and aggregates, shared by the record classes that CaseStore joins."""

from __future__ import annotations

from collections.abc import Iterable

from bot.store.cases import Cases
from bot.store.chatlog import ChatLog
from bot.store.consents import Consents
from bot.store.db import Database
from bot.store.erasure import Erasure, Namer
from bot.store.flows import Flows
from bot.store.inbox import Inbox, Waiting
from bot.store.metrics import Metrics
from bot.store.nocase import NoOpenCase
from bot.store.outbox import OutboxQueue
from bot.store.records import iso, now
from bot.store.topics import Topics
from bot.store.users import Users

__all__ = ["StoreBase"]


class StoreBase:
    """One open database and the aggregates that own its tables."""

    def __init__(self, db: Database, names: Namer | None = None) -> None:
        """Build the aggregates over an open database; use ``CaseStore.open``.

        ``names`` gives the pseudonym the erasure log keeps of each user who is forgotten.
        """
        self._db = db
        no_case = NoOpenCase()
        self._users = Users(db, no_case)
        self._cases = Cases(db, no_case)
        self._outbox = OutboxQueue(db)
        self._chatlog = ChatLog(db)
        self._flows = Flows(db)
        self._erasure = Erasure(db, names)
        self._topics = Topics(db)
        self._metrics = Metrics(db)
        self._consents = Consents(db)
        self._inbox = Inbox(db)

    @property
    def key_id(self) -> str:
        """The id of the data key the store is sealed with."""
        return self._db.key_id

    async def rotate_key(self, key: bytes) -> int:
        """Seal every stored value again with ``key``; return how many there were."""
        return await self._db.rotate(key)

    async def close(self) -> None:
        """Close the connection."""
        await self._db.close()

    async def schema_version(self) -> int:
        """Return the number of migrations applied."""
        return await self._db.schema_version()

    async def check_writable(self) -> None:
        """Commit one small write (the time of this check); StoreError when the store cannot
        be written (disk full, locked, read-only), for /healthz."""
        async with self._db.transaction() as tx:
            await tx.execute(
                "INSERT INTO meta (key, value) VALUES ('health_checked_at', ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (iso(now()),),
            )

    # The inbox: updates fetched from Telegram but not handled yet ----------------------

    async def keep_updates(self, waiting: Iterable[Waiting], handled: Iterable[int]) -> None:
        """Keep updates not handled yet, and strike those handled, in one transaction."""
        await self._inbox.keep(waiting, handled)

    async def unhandled_updates(self) -> list[tuple[int, str]]:
        """(update id, JSON) of the updates a crash left unhandled, oldest first."""
        return await self._inbox.left()
