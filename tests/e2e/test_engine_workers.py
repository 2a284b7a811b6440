"""ENGINE_WORKERS: one engine process by default with nothing else started; above 1, Rasa's
workers share Redis for their locks and conversations, and behave as one engine.

The two-worker engine here is started by EngineServices as `make run` starts it with
ENGINE_WORKERS=2 (Debian's redis-server beside it). The rest of the end-to-end suite runs the
same way with ``ENGINE_WORKERS=2 .venv/bin/python -m pytest -m e2e``.
"""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from bot.engine.client import Engine
from bot.engine.services import (
    REDIS_PASSWORD_VARIABLE,
    REDIS_TRACKER_STORE,
    TRACKER_STORE,
    EnginePorts,
    EngineServices,
    endpoints_yaml,
    redis_config,
    redis_ready,
)

KEY = b"k" * 32


def test_one_worker_needs_no_redis() -> None:
    services = EngineServices(EnginePorts(rasa=1, actions=2, redis=3))
    assert services.workers == 1
    assert not services.shared
    text = endpoints_yaml(5077, 60)
    assert f"type: {TRACKER_STORE}" in text
    assert "lock_store" not in text
    assert "redis" not in text.lower()


def test_several_workers_share_redis_without_a_password_in_the_file(tmp_path: Path) -> None:
    text = endpoints_yaml(5077, 12.5, redis_port=6390)
    assert f"type: {REDIS_TRACKER_STORE}" in text
    assert "idle_minutes: 12.5" in text, "the same expiry as the in-memory store"
    assert "lock_store:\n  type: redis" in text
    assert "port: 6390" in text
    assert f"${{{REDIS_PASSWORD_VARIABLE}}}" in text
    config = redis_config(6390, "s3cret", tmp_path)
    assert "bind 127.0.0.1" in config
    assert "requirepass s3cret" in config
    assert 'save ""' in config, "nothing written to disk"
    assert "appendonly no" in config


async def test_redis_ready_is_false_where_nothing_listens() -> None:
    assert await redis_ready(EnginePorts.free().redis, "x") is False


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def two_workers(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[EngineServices]:
    """The engine with two workers and its Redis, started for this module."""
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    services = EngineServices(
        EnginePorts.free(), log_dir=tmp_path_factory.mktemp("two-workers"), workers=2
    )
    await services.start()
    yield services
    await services.stop()


@pytest.mark.e2e
async def test_two_workers_keep_one_conversation_and_forget_it(two_workers: EngineServices) -> None:
    assert set(two_workers.pids()) == {"engine", "actions", "redis"}
    engine_pid = two_workers.pids()["engine"]
    children = Path(f"/proc/{engine_pid}/task/{engine_pid}/children").read_text().split()
    assert len(children) == 2, "Sanic runs one process per worker"
    engine = Engine(two_workers.rasa_url, 30.0, two_workers.secret, KEY)
    try:
        started = await engine.send("4242", "이 해외 취업 제안 진짜인지 확인해 주세요", "ko")
        assert started.active_loop == "job_check_form"
        # Many requests at once land on both workers; the conversation is one, in Redis.
        others = [engine.send(str(5000 + i), "hello", "en") for i in range(12)]
        answered = await asyncio.gather(*others)
        assert all(r.replies for r in answered)
        again = await engine.repeat("4242", "ko")
        assert again.active_loop == "job_check_form"
        assert again.requested_slot == started.requested_slot
        assert await engine.forget(4242) is True
        assert await engine.forget(4242) is False
        fresh = await engine.send("4242", "hello", "en")
        assert fresh.active_loop is None
    finally:
        await engine.close()


@pytest.mark.e2e
async def test_stopping_stops_redis_too(tmp_path_factory: pytest.TempPathFactory) -> None:
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed")
    services = EngineServices(
        EnginePorts.free(), log_dir=tmp_path_factory.mktemp("stop"), workers=2
    )
    await services._start_redis()
    try:
        assert await redis_ready(services.ports.redis, services._redis_password or "")
        assert not await redis_ready(services.ports.redis, "wrong password")
    finally:
        await services.stop()
    assert services.pids() == {}
    assert not await redis_ready(services.ports.redis, services._redis_password or "")
