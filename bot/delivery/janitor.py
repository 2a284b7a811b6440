"""Leaving no trace on a watched phone: the messages whose time has come are deleted.

Bots may delete messages in private chats for 48 hours; the store keeps each message's due
time, and the janitor deletes them in batches Telegram accepts.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta

from bot.core.errors import DeliveryError
from bot.store.delivery_records import DeliveryRecords

__all__ = [
    "DELETABLE_FOR",
    "READ_THEN_DELETE_SECONDS",
    "SENSITIVE_DELETE_SECONDS",
    "Delete",
    "Janitor",
]

log = logging.getLogger(__name__)

DELETABLE_FOR = timedelta(hours=47)
DELETE_BATCH = 100
READ_THEN_DELETE_SECONDS = 600.0
SENSITIVE_DELETE_SECONDS = 60.0


def batches(message_ids: list[int], size: int = DELETE_BATCH) -> list[list[int]]:
    """Split ids into deleteMessages batches (Telegram takes at most 100)."""
    return [message_ids[i : i + size] for i in range(0, len(message_ids), size)]


Delete = Callable[[int, list[int]], Awaitable[None]]


class Janitor:
    """Deletes the messages whose time has come, in batches Telegram accepts."""

    def __init__(self, store: DeliveryRecords, delete: Delete) -> None:
        """Delete through ``delete(chat_id, message_ids)``."""
        self._store = store
        self._delete = delete

    async def purge(self) -> int:
        """Delete every due message; return how many were deleted."""
        deleted = 0
        for chat_id, message_ids in (await self._store.due_deletions(DELETABLE_FOR)).items():
            for batch in batches(message_ids):
                try:
                    await self._delete(chat_id, batch)
                except DeliveryError as exc:
                    if not exc.permanent:
                        log.warning("deleting messages failed; will retry: %s", exc)
                        continue
                    # Already gone, or too old: asking again cannot help.
                    log.warning("Telegram refused to delete %d messages: %s", len(batch), exc)
                await self._store.mark_deleted(chat_id, batch)
                deleted += len(batch)
        return deleted
