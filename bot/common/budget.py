"""A per-user budget of messages: a flood is slowed, never refused, and logged once.

Nobody in danger types several messages a second for long; a script or a stuck key does.
Each user has a small bucket of messages that refills at ``RATE`` a second. A message over
the budget is handled after a short pause (only that user's next messages wait behind it;
other users never do), so one person cannot take the event loop, the engine or the shared
send budget from everyone else. Nothing is dropped: a person in a case is never refused.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable

__all__ = ["BURST", "RATE", "UserBudget"]

log = logging.getLogger(__name__)

BURST = 10.0
"""Messages a user may send at once before being slowed."""
RATE = 5.0
"""Messages a second a user's budget refills by (the pace of a flood once slowed)."""
KEPT = 10_000
"""Users remembered at most; the one idle longest is forgotten first."""
LOG_EVERY = 60.0
"""Seconds between two log lines about the same user's flood."""


class UserBudget:
    """Token buckets by user id; ``take`` waits while a user's bucket is empty."""

    def __init__(
        self,
        burst: float = BURST,
        rate: float = RATE,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        """Buckets of ``burst`` messages refilled at ``rate`` a second of ``clock``."""
        self._burst = burst
        self._rate = rate
        self._clock = clock
        self._sleep = sleep
        self._tokens: dict[int, tuple[float, float]] = {}
        self._logged: dict[int, float] = {}
        self.slowed = 0
        """Messages that waited for the budget (for tests and the log)."""

    async def take(self, user_id: int) -> None:
        """Spend one message of ``user_id``'s budget, waiting for it if it is spent."""
        moment = self._clock()
        tokens, since = self._tokens.pop(user_id, (self._burst, moment))
        tokens = min(self._burst, tokens + (moment - since) * self._rate)
        if tokens < 1.0:
            wait = (1.0 - tokens) / self._rate
            self.slowed += 1
            if moment - self._logged.get(user_id, -LOG_EVERY) >= LOG_EVERY:
                self._logged[user_id] = moment
                log.warning("user %s sends faster than %.0f a second: slowed", user_id, self._rate)
            await self._sleep(wait)
            moment = self._clock()
            tokens = min(self._burst, tokens + wait * self._rate)
        self._tokens[user_id] = (tokens - 1.0, moment)
        while len(self._tokens) > KEPT:
            self._tokens.pop(next(iter(self._tokens)))
        if len(self._logged) > KEPT:
            self._logged.clear()
