"""The engine stops or hangs mid-conversation: users still get answers, distress still escalates."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import pytest_asyncio

from bot.engine.services import EnginePorts, EngineServices
from tests.conftest import (
    STAFF_CHAT,
    make_settings,
    silent_server,
    start_harness,
    stop_harness,
    texts,
)
from tests.telegram_stub import BotApiStub


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def own_engine(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[EngineServices]:
    """An engine of this module's own, so stopping it does not disturb other tests."""
    services = EngineServices(
        EnginePorts.free(),
        log_dir=tmp_path_factory.mktemp("own-engine"),
    )
    await services.start()
    yield services
    await services.stop()


@pytest.fixture
def hung_engine() -> Iterator[str]:
    """The address of an engine that accepts connections and never answers."""
    with silent_server() as url:
        yield url


async def test_engine_stopped_mid_conversation(
    stub: BotApiStub, own_engine: EngineServices, tmp_path: Path
) -> None:
    bot = await start_harness(stub, make_settings(stub, tmp_path, own_engine))
    try:
        before = texts(await bot.say(301, "안녕하세요"))
        assert "Haven" in before
        await own_engine.stop_one("engine")
        down = texts(await bot.say(301, "대사관 번호 알려줘"))
        assert "+82-2-3210-0404" in down
        assert "Haven" not in down or "잠시" in down
        await bot.say(301, "여기서 못 나가요 문을 밖에서 잠가요")
        alerts = await bot.staff_alerts(1)
        assert "#1" in alerts[0]["text"]
        user_texts = texts(stub.sent(chat_id=301))
        assert "상담원에게 알렸어요" in user_texts
    finally:
        await stop_harness(bot)


async def test_hung_engine_times_out_and_safety_net_escalates(
    stub: BotApiStub, hung_engine: str, tmp_path: Path
) -> None:
    bot = await start_harness(stub, make_settings(stub, tmp_path, hung_engine, engine_timeout=1.0))
    try:
        started = asyncio.get_running_loop().time()
        replies = await bot.say(
            302, "they took my passport and wont let me leave", language_code="en"
        )
        elapsed = asyncio.get_running_loop().time() - started
        assert elapsed < 10
        assert "alerted" in texts(replies)
        assert "+82-2-3210-0404" in texts(replies)
        await bot.staff_alerts(1)
        calm = await bot.say(303, "what is a good recipe for kimchi stew?", language_code="en")
        assert "+82-2-3210-0404" in texts(calm)
        assert stub.sent(chat_id=STAFF_CHAT)[-1]["text"].count("🚨") == 1
    finally:
        await stop_harness(bot)
