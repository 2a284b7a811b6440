"""One user cannot slow everyone: a flood waits on its own lock and budget; the net is linear."""

from __future__ import annotations

import asyncio
import time

import pytest

from bot.common.budget import UserBudget
from bot.core.triage import SafetyNet
from bot.telegram import processor
from bot.telegram.processor import PerUserUpdateProcessor
from tests.parts import CONTENT


async def test_a_flood_from_one_user_does_not_hold_another(monkeypatch: pytest.MonkeyPatch) -> None:
    """600 updates from one user, then one from another: the other's is handled at once."""
    monkeypatch.setattr(processor, "ordering_key", lambda update: update)
    updates = PerUserUpdateProcessor(max_concurrent_updates=256)
    updates._budget = UserBudget(sleep=lambda _s: asyncio.sleep(0))  # slowed, in no time
    done: list[int] = []

    async def handle(user: int) -> None:
        await asyncio.sleep(0.001)
        done.append(user)

    flood = [asyncio.create_task(updates.process_update(1, handle(1))) for _ in range(600)]
    await asyncio.sleep(0.01)
    other = asyncio.create_task(updates.process_update(2, handle(2)))
    await other
    assert done.index(2) < 50, "the other user waited behind the flood"
    await asyncio.gather(*flood)
    assert done.count(1) == 600  # nothing of the flood is lost
    assert updates._budget.slowed > 0


async def test_the_budget_slows_a_flood_and_never_an_ordinary_writer() -> None:
    clock = [0.0]
    waited: list[float] = []

    async def sleep(seconds: float) -> None:
        waited.append(seconds)
        clock[0] += seconds

    budget = UserBudget(burst=10, rate=2, clock=lambda: clock[0], sleep=sleep)
    for _ in range(10):
        await budget.take(7)
    assert not waited
    await budget.take(7)
    assert waited == [0.5]
    for _ in range(5):  # someone typing a message every few seconds is never slowed
        clock[0] += 3
        await budget.take(8)
    assert len(waited) == 1


def _cost(net: SafetyNet, text: str) -> float:
    best = float("inf")
    for _ in range(3):
        net._remembered.cache_clear()
        started = time.perf_counter()
        net.check(text)
        best = min(best, time.perf_counter() - started)
    return best


@pytest.mark.parametrize("unit", ["1", "12", "1 ", "1-", "a", "ab", "하", "help ", "$1"])
def test_the_safety_net_is_linear_in_the_length(unit: str) -> None:
    """4,096 characters cost about 4 times 1,024, not 16 times (no pattern backtracks)."""
    net = SafetyNet.load(CONTENT / "safety_net.yml")
    short = _cost(net, unit * (1024 // len(unit)))
    long = _cost(net, unit * (4096 // len(unit)))
    print(f"{unit!r}: 1,024 chars {short * 1000:.1f} ms, 4,096 chars {long * 1000:.1f} ms")
    assert long < 8 * short + 0.002
