"""One user cannot slow everyone: a flood waits on its own lock and budget.

The safety net's linear cost is tested without a clock in tests/unit/core/test_fastregex.py.
"""

from __future__ import annotations

import asyncio

import pytest

from bot.common.budget import UserBudget
from bot.telegram import processor
from bot.telegram.processor import PerUserUpdateProcessor


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


async def test_a_flooding_user_holds_one_slot_and_the_others_run_beside_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With two slots in all, a backlog of 100 from one user never takes the second one."""
    monkeypatch.setattr(processor, "ordering_key", lambda update: update)
    updates = PerUserUpdateProcessor(max_concurrent_updates=2)
    updates._budget = UserBudget(sleep=lambda _s: asyncio.sleep(0))
    running: dict[int, int] = {}
    most: dict[int, int] = {}
    release = asyncio.Event()

    async def handle(user: int) -> None:
        running[user] = running.get(user, 0) + 1
        most[user] = max(most.get(user, 0), running[user])
        if user == 1:
            await release.wait()  # the flood's first message is slow: its backlog waits
        running[user] -= 1

    flood = [asyncio.create_task(updates.process_update(1, handle(1))) for _ in range(100)]
    await asyncio.sleep(0.01)
    for other in (2, 3):  # one after another, each through the one slot the flood left
        await asyncio.wait_for(updates.process_update(other, handle(other)), 1)
    release.set()
    await asyncio.gather(*flood)
    assert most == {1: 1, 2: 1, 3: 1}


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
