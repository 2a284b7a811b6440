"""Deliver queued messages until Telegram accepts them.

Alerts and staff relays are written to the store first (``bot/store/``); this loop sends
them, honouring 429 ``retry_after`` and backing off on network errors and 5xx. A message is
marked sent only after Telegram returned it, so a crash means a retry, never a loss. ``send``
reports failures as ``DeliveryError`` (``bot/telegram/delivery.py`` translates Telegram's).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from bot.core.errors import DeliveryError, DeliveryRefused, RetryLater
from bot.store import CaseStore, OutboxItem, now

log = logging.getLogger(__name__)

Send = Callable[[OutboxItem], Awaitable[int | None]]

BASE_DELAY = 1.0
MAX_DELAY = 60.0
IDLE_WAIT = 1.0


def backoff(attempts: int, base: float = BASE_DELAY, cap: float = MAX_DELAY) -> float:
    """Exponential delay after ``attempts`` failures, capped."""
    return float(min(cap, base * (2 ** max(0, attempts))))


class Outbox:
    """The delivery loop; ``wake()`` after queueing something to send it at once."""

    def __init__(
        self,
        store: CaseStore,
        send: Send,
        base_delay: float = BASE_DELAY,
        max_delay: float = MAX_DELAY,
    ) -> None:
        """Deliver from ``store`` through ``send`` (which returns the sent message id)."""
        self._store = store
        self._send = send
        self._base = base_delay
        self._cap = max_delay
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def wake(self) -> None:
        """Look at the queue now instead of at the next tick."""
        self._wake.set()

    def start(self) -> None:
        """Run the delivery loop in the background."""
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="haven-outbox")

    async def stop(self) -> None:
        """Stop the loop; anything unsent stays queued for the next start."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def deliver_due(self) -> int:
        """Try every message that is due once; return how many were sent."""
        sent = 0
        for item in await self._store.pending():
            if await self._deliver(item):
                sent += 1
        return sent

    async def _run(self) -> None:
        while True:
            try:
                sent = await self.deliver_due()
            except Exception:
                log.exception("outbox pass failed; retrying")
                sent = 0
            if sent:
                continue
            await self._sleep_until_due()

    async def _sleep_until_due(self) -> None:
        wait = IDLE_WAIT
        next_at = await self._store.next_attempt_at()
        if next_at is not None:
            wait = min(IDLE_WAIT, max(0.0, (next_at - now()).total_seconds()))
        self._wake.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), timeout=max(wait, 0.05))

    async def _deliver(self, item: OutboxItem) -> bool:
        try:
            message_id = await self._send(item)
        except RetryLater as exc:
            delay = exc.seconds
            log.warning("outbox %s: Telegram asks to wait %.1fs", item.kind, delay)
            await self._store.mark_failed(item, f"429 retry after {delay}", delay)
            return False
        except DeliveryRefused as exc:
            # Not transient, but an alert must not vanish: keep trying slowly and shout.
            log.error("outbox %s #%s refused by Telegram: %s", item.kind, item.id, exc)
            await self._store.mark_failed(item, str(exc), self._cap)
            return False
        except (DeliveryError, OSError) as exc:
            delay = backoff(item.attempts, self._base, self._cap)
            reason = str(exc) if isinstance(exc, DeliveryError) else f"{type(exc).__name__}: {exc}"
            log.warning("outbox %s: %s; retry in %.1fs", item.kind, reason.partition(":")[0], delay)
            await self._store.mark_failed(item, reason, delay)
            return False
        await self._store.mark_sent(item, message_id)
        log.info("outbox delivered %s #%s (case %s)", item.kind, item.id, item.case_id)
        return True
