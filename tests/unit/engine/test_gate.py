"""Under saturation the engine hears people in need first, and ordinary questions wait their turn.

The gate (bot/engine/gate.py) is exercised with real asyncio tasks; no engine is needed. A
stand-in engine that answers only when told shows the order in which requests reach it.
"""

from __future__ import annotations

import asyncio

import pytest

from bot.common.settings import MAX_ENGINE_WORKERS, Settings
from bot.core.errors import ConfigError, EngineUnavailable
from bot.engine.gate import EngineBusy, EngineGate, Need, engine_width


class Crowd:
    """Requests at a gate; each notes when it reaches the engine and stays until ``leave``."""

    def __init__(self, width: int, patience: float) -> None:
        self.gate = EngineGate(width, patience)
        self.order: list[str] = []
        self.leave = asyncio.Event()

    async def ask(self, name: str, need: Need = Need.ORDINARY) -> None:
        async with self.gate.turn(need):
            self.order.append(name)
            await self.leave.wait()

    async def come(self, *names: str, need: Need = Need.ORDINARY) -> list[asyncio.Task[None]]:
        tasks = [asyncio.create_task(self.ask(n, need)) for n in names]
        await asyncio.sleep(0)
        return tasks


async def test_urgent_messages_overtake_ordinary_ones_waiting() -> None:
    crowd = Crowd(1, patience=30)
    first = await crowd.come("first")
    waiting = await crowd.come("question 1", "question 2")
    urgent = await crowd.come("distress", need=Need.URGENT)
    assert (crowd.gate.busy, crowd.gate.waiting) == (1, 3)
    crowd.leave.set()
    await asyncio.gather(*first, *waiting, *urgent)
    assert crowd.order == ["first", "distress", "question 1", "question 2"]
    assert (crowd.gate.busy, crowd.gate.waiting) == (0, 0)


async def test_an_ordinary_question_gives_up_after_its_patience_and_is_never_sent() -> None:
    crowd = Crowd(1, patience=0.05)
    holder = await crowd.come("slow")
    with pytest.raises(EngineBusy) as caught:
        await crowd.ask("late")
    assert isinstance(caught.value, EngineUnavailable), "the caller answers with the fallback"
    crowd.leave.set()
    await asyncio.gather(*holder)
    assert crowd.order == ["slow"], "a request that gave up never reaches the engine"
    assert (crowd.gate.busy, crowd.gate.waiting) == (0, 0)


async def test_width_lets_that_many_through_and_a_cancelled_waiter_frees_its_place() -> None:
    crowd = Crowd(2, patience=30)
    both = await crowd.come("m0", "m1")
    assert crowd.gate.busy == 2
    assert crowd.order == ["m0", "m1"]
    gone, third = await crowd.come("gone", "m2")
    gone.cancel()
    crowd.leave.set()
    await asyncio.gather(*both, third)
    with pytest.raises(asyncio.CancelledError):
        await gone
    assert crowd.order == ["m0", "m1", "m2"]
    assert (crowd.gate.busy, crowd.gate.waiting) == (0, 0)


def test_engine_workers_setting_defaults_to_one_and_refuses_nonsense() -> None:
    assert Settings.from_env({}).engine_workers == 1
    assert Settings.from_env({"ENGINE_WORKERS": "2"}).engine_workers == 2
    for wrong in ("0", "-1", "two", str(MAX_ENGINE_WORKERS + 1)):
        with pytest.raises(ConfigError, match="ENGINE_WORKERS"):
            Settings.from_env({"ENGINE_WORKERS": wrong})
    assert engine_width(1) < engine_width(2)
