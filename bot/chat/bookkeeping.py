"""Recording an incoming message without making its reply wait for the disk.

The record of a message (its id for /clear, a changed language, the recent texts an alert
quotes) costs a disk sync, which can take as long as the engine's answer. An ordinary answer
does not read it, so its reply leaves while the write finishes; the user's next message, and
anything that reads what was written, waits for it first (``settle``), so nothing is read
before it is written and a user's records keep their order.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Coroutine
from typing import Any, Protocol

from bot.common.incoming import Incoming
from bot.core.errors import StoreError

__all__ = ["Bookkeeping", "IncomingRecords"]

log = logging.getLogger(__name__)


class IncomingRecords(Protocol):
    """The store's part that records incoming messages."""

    async def take_in(
        self,
        user_id: int,
        chat_id: int,
        message_id: int | None,
        language: str | None = None,
        recent: str | None = None,
    ) -> None: ...
    async def log_message(
        self, chat_id: int, message_id: int, author: str, delete_in: float | None = None
    ) -> None: ...


class Bookkeeping:
    """Writes about a user's incoming messages; at most one still running per user."""

    def __init__(self, store: IncomingRecords) -> None:
        """Record into ``store``."""
        self._store = store
        self._pending: dict[int, asyncio.Task[None]] = {}

    async def take_in(self, msg: Incoming, changed: str | None, recent: str | None) -> None:
        """Record an incoming message; a failing store must not stop an escalation."""
        try:
            await self._store.take_in(msg.user_id, msg.chat_id, msg.message_id, changed, recent)
        except StoreError as exc:
            log.error("could not record an incoming message: %s", exc)

    async def log_incoming(self, msg: Incoming) -> None:
        """Keep the id of a message that is not text, so /clear can remove it."""
        if msg.message_id is not None:
            try:
                await self._store.log_message(msg.chat_id, msg.message_id, "user")
            except StoreError as exc:
                log.error("could not record an incoming message: %s", exc)

    def start(self, user_id: int, write: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
        """Run ``write`` for ``user_id`` now, after any write of theirs still running.

        ``settle`` waits for it; until then it runs beside whatever the caller does next.
        """
        previous = self._pending.get(user_id)

        async def in_turn() -> None:
            if previous is not None:
                try:
                    await asyncio.wait([previous])
                except BaseException:
                    write.close()
                    raise
            await write

        task = asyncio.ensure_future(in_turn())
        self._pending[user_id] = task
        task.add_done_callback(lambda done: self._finished(user_id, done))
        return task

    async def settle(self, user_id: int) -> None:
        """Wait until every write about ``user_id`` is done; a failure is logged, not raised.

        The reply went out already: a write that failed must not look like a failed answer.
        """
        task = self._pending.get(user_id)
        if task is None:
            return
        with contextlib.suppress(Exception):
            await task

    def _finished(self, user_id: int, task: asyncio.Task[None]) -> None:
        if self._pending.get(user_id) is task:
            del self._pending[user_id]
        if not task.cancelled() and task.exception() is not None:
            log.error("recording an incoming message failed", exc_info=task.exception())
