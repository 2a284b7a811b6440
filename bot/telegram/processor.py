"""Process one user's updates in order while different users run concurrently."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

from bot.common.budget import UserBudget

__all__ = ["PerUserUpdateProcessor"]

UNBOUNDED = 1_000_000
"""PTB's own limit on updates in flight, left wide: Haven's slots are taken in turn."""


def ordering_key(update: object) -> int | None:
    """Return the user (or chat) whose updates must not overtake each other."""
    if isinstance(update, Update):
        if update.effective_user is not None:
            return update.effective_user.id
        if update.effective_chat is not None:
            return update.effective_chat.id
    return None


class PerUserUpdateProcessor(BaseUpdateProcessor):
    """A lock per user: asyncio locks wake waiters first-come, first-served.

    PTB starts one task per update in arrival order, so each user's updates acquire their
    lock in that order; a slow engine reply for one user never delays another.
    """

    def __init__(self, max_concurrent_updates: int = 256) -> None:
        """Allow up to ``max_concurrent_updates`` users in flight at once."""
        # PTB's semaphore is taken before the user's lock: left wide, the slots are ours.
        super().__init__(UNBOUNDED)
        self._slots = asyncio.BoundedSemaphore(max_concurrent_updates)
        self._budget = UserBudget()
        self._locks: dict[int, asyncio.Lock] = {}
        self._waiting: dict[int, int] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Wait for the user's turn first, then for a slot among all users.

        PTB's own order (a slot, then the user's lock) let one user's flood hold every slot
        while waiting on their own lock, so another user's cry for help waited behind it.
        Here a user holds at most one slot; the rest of their updates wait on their lock.
        """
        key = ordering_key(update)
        if key is None:
            async with self._slots:
                await coroutine
            return
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._waiting[key] = self._waiting.get(key, 0) + 1
        try:
            async with lock:
                await self._budget.take(key)
                async with self._slots:
                    await coroutine
        finally:
            self._waiting[key] -= 1
            if self._waiting[key] == 0:
                del self._waiting[key]
                del self._locks[key]

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to tear down."""
