"""Updates fetched from Telegram are kept until handled, so a crash loses none.

python-telegram-bot confirms a batch of updates to Telegram when it asks for the next one
(polling) or answers 200 (webhook): before they are handled. A process killed with a backlog
would lose it, a cry for help among it. So an update still unhandled after ``HOLD`` seconds is
written to the store's inbox (sealed, in one transaction with the others due) and struck once
handled; the next start handles what the inbox holds before anything new. Most updates are
handled sooner and cost no write. A crash can still lose updates fetched in its last ``HOLD``
seconds, and may handle twice an update that was handled but not yet struck.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Iterable
from typing import Any, Protocol

from telegram import Bot, Update

from bot.core.errors import StoreError
from bot.store import Waiting

__all__ = ["HANDLED_GROUP", "HOLD", "DurableUpdates", "InboxQueue", "InboxRecords"]

log = logging.getLogger(__name__)

HOLD = 0.5
"""Seconds an update may wait unhandled before it is written to the inbox."""
HANDLED_GROUP = 98
"""The handler group that marks an update handled: after every group of Haven's own (0)."""


class InboxRecords(Protocol):
    """The store's inbox, the one part of the store the updates need (bot/store/base.py)."""

    async def keep_updates(self, waiting: Iterable[Waiting], handled: Iterable[int]) -> None: ...
    async def unhandled_updates(self) -> list[tuple[int, str]]: ...


class DurableUpdates:
    """Tracks each fetched update until handled; keeps those that wait in the store."""

    def __init__(self) -> None:
        """Nothing kept until ``open`` gives the store."""
        self._store: InboxRecords | None = None
        self._waiting: dict[int, tuple[float, Update]] = {}
        self._kept: set[int] = set()
        self._handled: set[int] = set()
        self._replayed: set[int] = set()
        self._task: asyncio.Task[None] | None = None

    async def open(self, store: InboxRecords, bot: Bot) -> list[Update]:
        """Keep updates in ``store`` from now on; return those a crash left, to handle first."""
        self._store = store
        left = []
        for update_id, body in await store.unhandled_updates():
            try:
                update = Update.de_json(json.loads(body), bot)
            except (ValueError, TypeError) as exc:
                log.error("a kept update %d cannot be read again: %s", update_id, exc)
                self._handled.add(update_id)
                continue
            left.append(update)
            self._kept.add(update_id)
            self._replayed.add(update_id)
        if left:
            log.warning("handling %d updates a crash left unhandled", len(left))
        return left

    def fetched(self, update: Update) -> bool:
        """Note a fetched update; False for one already handled from the inbox (drop it)."""
        if update.update_id in self._replayed:
            return False
        self._waiting[update.update_id] = (time.monotonic(), update)
        self._schedule()
        return True

    async def handled(self, update: object) -> None:
        """The update's handlers are done: strike it now if it was kept (a /forget must not
        leave it behind), else forget it."""
        if not isinstance(update, Update):
            return
        update_id = update.update_id
        self._waiting.pop(update_id, None)
        if update_id not in self._kept or self._store is None:
            return
        self._kept.discard(update_id)
        try:
            await self._store.keep_updates((), (update_id,))
        except StoreError as exc:
            log.warning("could not strike a handled update: %s", exc)
            self._handled.add(update_id)
            self._schedule()

    def _schedule(self) -> None:
        if self._store is not None and (self._task is None or self._task.done()):
            self._task = asyncio.get_running_loop().create_task(self._later())

    async def _later(self) -> None:
        await asyncio.sleep(HOLD)
        self._task = None
        await self.flush()
        if self._waiting or self._handled:
            self._schedule()

    async def flush(self, everything: bool = False) -> None:
        """Write the updates that waited ``HOLD`` (all with ``everything``), strike the handled."""
        if self._store is None:
            return
        cutoff = time.monotonic() - (0 if everything else HOLD)
        due = [
            update
            for at, update in self._waiting.values()
            if at <= cutoff and update.update_id not in self._kept
        ]
        handled = set(self._handled)
        if not due and not handled:
            return
        try:
            await self._store.keep_updates([_waiting(u) for u in due], handled)
        except StoreError as exc:
            log.warning("could not keep %d waiting updates: %s", len(due), exc)
            return
        written = {u.update_id for u in due}
        self._handled -= handled
        self._kept |= written & set(self._waiting)
        late = written - set(self._waiting)
        if late:  # handled while they were being written: strike them now
            try:
                await self._store.keep_updates((), late)
            except StoreError as exc:
                log.warning("could not strike %d handled updates: %s", len(late), exc)
                self._handled |= late


def _waiting(update: Update) -> Waiting:
    user = update.effective_user
    return Waiting(update.update_id, user.id if user else None, json.dumps(update.to_dict()))


class InboxQueue(asyncio.Queue[Any]):
    """The application's update queue: every Update put in passes ``DurableUpdates`` first."""

    def __init__(self, updates: DurableUpdates) -> None:
        """Report fetched updates to ``updates``."""
        super().__init__()
        self.updates = updates

    async def put(self, item: Any) -> None:
        """Queue an update (the poller's and the webhook's way in), unless already handled."""
        if isinstance(item, Update) and not self.updates.fetched(item):
            return
        await super().put(item)
