"""Messages Telegram has taken whose delivery the store has not recorded yet.

Kept in memory first, then written: once Telegram has a message it is never sent again,
whatever the store says next; a write that fails is retried with backoff.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass

from bot.core.errors import StoreError, StoreUnavailable
from bot.delivery.backoff import STORE_RETRY_CAP, backoff
from bot.store import OutboxItem
from bot.store.delivery_records import DeliveryRecords

__all__ = ["Accepted", "AcceptedLedger"]

log = logging.getLogger(__name__)


@dataclass
class Accepted:
    """A message Telegram accepted whose acceptance the store has not recorded yet."""

    item: OutboxItem
    message_id: int | None
    tries: int = 0
    retry_at: float = 0.0


class AcceptedLedger:
    """The acceptances not yet recorded, by row id, and writing them to the store."""

    def __init__(self, store: DeliveryRecords, discreet_delete_in: float) -> None:
        """Record in ``store``; in a discreet case a delivered message deletes itself after
        ``discreet_delete_in`` seconds."""
        self._store = store
        self._delete_in = discreet_delete_in
        self._entries: dict[int, Accepted] = {}

    def __len__(self) -> int:
        return len(self._entries)

    def add(self, item: OutboxItem, message_id: int | None) -> Accepted:
        """Telegram has ``item``: it is never sent again from here on."""
        entry = Accepted(item, message_id)
        self._entries[item.id] = entry
        return entry

    def ids(self) -> set[int]:
        """The rows accepted but not recorded: the queue must skip them."""
        return set(self._entries)

    def retry_times(self) -> Iterator[float]:
        """When each unrecorded acceptance is next written (monotonic clock)."""
        return (entry.retry_at for entry in self._entries.values())

    def case_for_message(self, chat_id: int, message_id: int) -> int | None:
        """The case of a message delivered but not yet recorded (a reply to it must work)."""
        for entry in self._entries.values():
            if entry.item.chat_id == chat_id and entry.message_id == message_id:
                return entry.item.case_id
        return None

    async def record(self, entry: Accepted) -> Exception | None:
        """Write an acceptance; the failure if it must be retried (None: written, or given up
        because its rows were erased meanwhile)."""
        try:
            await self._store.mark_sent(entry.item, entry.message_id, self._delete_in)
        except StoreError as exc:
            if isinstance(exc, StoreUnavailable):
                return self._later(entry, exc)
            # Refused for good (its rows erased meanwhile): retrying cannot help.
            log.warning(
                "outbox %s #%s: delivered, not recordable: %s", entry.item.kind, entry.item.id, exc
            )
        except Exception as exc:
            return self._later(entry, exc)
        self._entries.pop(entry.item.id, None)
        return None

    async def record_due(self, force: bool = False) -> list[Exception]:
        """Write the acceptances whose retry time has come (all with ``force``); the failures."""
        clock = time.monotonic()
        failures = []
        for entry in list(self._entries.values()):
            if force or entry.retry_at <= clock:
                failure = await self.record(entry)
                if failure is not None:
                    failures.append(failure)
        return failures

    def _later(self, entry: Accepted, exc: Exception) -> Exception:
        """Keep an acceptance the store could not write; retry with backoff."""
        entry.tries += 1
        entry.retry_at = time.monotonic() + backoff(entry.tries - 1, 0.5, STORE_RETRY_CAP)
        log.error(
            "outbox %s #%s was delivered but the store could not record it (%s); it will "
            "not be sent again, recording retried",
            entry.item.kind,
            entry.item.id,
            exc,
        )
        return exc
