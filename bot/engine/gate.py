"""Who goes to the engine next when it is saturated: people in need first, then in arrival order.

The engine answers one message per core at a time. Sending it more than it can take only makes
every request slower, and a request the front end has already given up on still costs the engine
its full price (in a surge, most of the engine's time went to answers nobody waited for). So at
most ``width`` requests are at the engine at once and the others wait here, where the order can
be chosen: a message from a person with an open case, or one the safety net flags, goes before
ordinary questions, and an ordinary question waits up to ``patience`` seconds for its turn before
the caller answers with the fallback. A request still waiting is never sent late.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
import time
from collections.abc import AsyncIterator
from enum import IntEnum

from bot.core.errors import EngineUnavailable

__all__ = ["EngineBusy", "EngineGate", "Need", "engine_width"]

PER_WORKER = 2
"""Requests at the engine per worker: one being answered, one on its way in or out."""


def engine_width(workers: int) -> int:
    """How many requests the front end lets reach ``workers`` engine processes at once."""
    return PER_WORKER * max(1, workers)


class Need(IntEnum):
    """How soon a message must reach the engine; lower goes first."""

    URGENT = 0
    """A person with an open case, or a message the safety net flags."""
    ORDINARY = 1


class EngineBusy(EngineUnavailable):
    """The engine stayed saturated for longer than the message could wait for its turn."""


class EngineGate:
    """A priority semaphore in front of the engine: ``width`` at once, the rest by need."""

    def __init__(self, width: int, patience: float) -> None:
        """Let ``width`` requests through at once; a waiting one gives up after ``patience`` s."""
        if width < 1:
            raise ValueError("the engine gate needs a width of at least 1")
        self.width = width
        self.patience = patience
        self._busy = 0
        self._waiting: list[tuple[int, int, asyncio.Future[None]]] = []
        self._order = itertools.count()

    @property
    def busy(self) -> int:
        """Requests at the engine now."""
        return self._busy

    @property
    def waiting(self) -> int:
        """Requests waiting for their turn."""
        return sum(1 for *_, f in self._waiting if not f.done())

    @contextlib.asynccontextmanager
    async def turn(self, need: Need = Need.ORDINARY) -> AsyncIterator[float]:
        """Hold one of the engine's places while the block runs; yield the seconds waited.

        Raises EngineBusy when no place came free within ``patience`` seconds.
        """
        started = time.monotonic()
        await self._acquire(need)
        try:
            yield time.monotonic() - started
        finally:
            self._release()

    async def _acquire(self, need: Need) -> None:
        if self._busy < self.width and not self.waiting:
            self._busy += 1
            return
        ticket: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._waiting, (int(need), next(self._order), ticket))
        try:
            await asyncio.wait_for(asyncio.shield(ticket), self.patience)
        except TimeoutError:
            if ticket.done() and not ticket.cancelled():
                return  # handed a place at the last moment: keep it
            ticket.cancel()
            raise EngineBusy(
                f"the engine stayed busy for {self.patience:g}s ({self._busy} at it, "
                f"{self.waiting} waiting)"
            ) from None
        except asyncio.CancelledError:
            if ticket.done() and not ticket.cancelled():
                self._release()  # the caller left after being let in: pass the place on
            else:
                ticket.cancel()
            raise

    def _release(self) -> None:
        while self._waiting:
            _, _, ticket = heapq.heappop(self._waiting)
            if not ticket.done():
                ticket.set_result(None)  # the place passes straight to the next in line
                return
        self._busy -= 1
