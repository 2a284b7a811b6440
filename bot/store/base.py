"""The store's connection and aggregates, shared by the record classes that CaseStore joins."""

from __future__ import annotations

from bot.store.cases import Cases
from bot.store.chatlog import ChatLog
from bot.store.consents import Consents
from bot.store.db import Database
from bot.store.erasure import Erasure
from bot.store.flows import Flows
from bot.store.metrics import Metrics
from bot.store.outbox import OutboxQueue
from bot.store.topics import Topics
from bot.store.users import Users

__all__ = ["StoreBase"]


class StoreBase:
    """One open database and the aggregates that own its tables."""

    def __init__(self, db: Database) -> None:
        """Build the aggregates over an open database; use ``CaseStore.open``."""
        self._db = db
        self._users = Users(db)
        self._cases = Cases(db)
        self._outbox = OutboxQueue(db)
        self._chatlog = ChatLog(db)
        self._flows = Flows(db)
        self._erasure = Erasure(db)
        self._topics = Topics(db)
        self._metrics = Metrics(db)
        self._consents = Consents(db)

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
