"""Who waits on which rows: a caseworker's /reply waits a few seconds for Telegram to take the
words, and is told later (once) when rows it was told are queued all arrive."""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from bot.core.errors import DeliveryError

__all__ = ["Delivery", "LateReport", "Outcome", "Waiters"]

SETTLED_KEPT = 1000
"""Outcomes remembered for a waiter that comes after the row settled."""


class Outcome(StrEnum):
    """Where a queued message stands for whoever waits on it."""

    SENT = "sent"
    QUEUED = "queued"
    DEAD = "dead"


@dataclass(frozen=True)
class Delivery:
    """The outcome of one or more rows; ``error`` says why they are queued or dead."""

    outcome: Outcome
    error: DeliveryError | None = None


@dataclass
class LateReport:
    """Rows a caseworker was told are queued: when all arrive, they are told again."""

    case_id: int | None
    ids: set[int] = field(default_factory=set)


class Waiters:
    """Futures per row, the outcomes of rows already settled, and the late reports owed."""

    def __init__(self) -> None:
        """Nobody waits yet."""
        self._waiters: dict[int, list[asyncio.Future[Delivery]]] = {}
        self._settled: OrderedDict[int, Delivery] = OrderedDict()
        self._late: dict[int, LateReport] = {}

    def waiting(self, item_id: int) -> bool:
        """Whether someone waits on the row now (they are told its outcome directly)."""
        return bool(self._waiters.get(item_id))

    async def wait(
        self,
        ids: Sequence[int],
        timeout: float,
        case_id: int | None,
        errors: Mapping[int, DeliveryError],
    ) -> Delivery:
        """All sent, one dead, or queued (with the first known error) after ``timeout``;
        rows still queued owe a late report."""
        if not ids:
            return Delivery(Outcome.SENT)
        futures = [self._future(i) for i in ids]
        if timeout > 0:
            await asyncio.wait(futures, timeout=timeout)
        results = {i: f.result() for i, f in zip(ids, futures, strict=True) if f.done()}
        self._forget(ids, futures)
        dead = next((r for r in results.values() if r.outcome == Outcome.DEAD), None)
        if dead is not None:
            return dead
        waiting = [i for i in ids if i not in results]
        if not waiting:
            return Delivery(Outcome.SENT)
        report = LateReport(case_id, set(waiting))
        for i in waiting:
            self._late[i] = report
        known = (errors[i] for i in waiting if i in errors)
        return Delivery(Outcome.QUEUED, next(known, None))

    def settle(self, item_id: int, delivery: Delivery) -> LateReport | None:
        """A row's outcome: its waiters learn it; the late report it completes, if any."""
        self._settled[item_id] = delivery
        while len(self._settled) > SETTLED_KEPT:
            self._settled.popitem(last=False)
        for future in self._waiters.pop(item_id, []):
            if not future.done():
                future.set_result(delivery)
        report = self._late.pop(item_id, None)
        if report is None:
            return None
        if delivery.outcome == Outcome.DEAD:
            for other in report.ids:
                self._late.pop(other, None)
            return None
        report.ids.discard(item_id)
        return None if report.ids else report

    def _future(self, item_id: int) -> asyncio.Future[Delivery]:
        future: asyncio.Future[Delivery] = asyncio.get_running_loop().create_future()
        settled = self._settled.get(item_id)
        if settled is not None:
            future.set_result(settled)
        else:
            self._waiters.setdefault(item_id, []).append(future)
        return future

    def _forget(self, ids: Sequence[int], futures: list[asyncio.Future[Delivery]]) -> None:
        for item_id, future in zip(ids, futures, strict=True):
            waiting = self._waiters.get(item_id, [])
            if future in waiting:
                waiting.remove(future)
            if not waiting:
                self._waiters.pop(item_id, None)
            future.cancel()
