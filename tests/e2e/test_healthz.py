"""/healthz on the metrics port: 200 only while the store takes a write, the engine answers
and no alert waits too long; 503 with the reason otherwise."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import urllib.error
import urllib.request
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import urlparse

import pytest_asyncio

from bot.desk.health import Health
from bot.desk.metrics import MetricsEndpoint
from bot.engine.services import EngineServices
from bot.store import OutboxKind, Outgoing
from tests.conftest import make_settings, start_harness, stop_harness
from tests.parts import STAFF_CHAT, Parts, build_parts
from tests.telegram_stub import BotApiStub


def free_port() -> int:
    """A port nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def healthz(port: int) -> tuple[int, str]:
    """GET /healthz as an uptime monitor would: the status and the body."""

    def get() -> tuple[int, str]:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=15) as r:
                return r.status, r.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()

    return await asyncio.to_thread(get)


@pytest_asyncio.fixture(loop_scope="session")
async def parts(tmp_path: Path) -> AsyncIterator[Parts]:
    """Freshly wired parts on their own database file."""
    built = await build_parts(tmp_path)
    yield built
    with contextlib.suppress(Exception):
        await built.store.close()


async def test_healthz_answers_503_for_a_stuck_alert_and_a_store_that_cannot_write(
    parts: Parts,
) -> None:
    health = Health(
        parts.store, parts.outbox, parts.desk.access, parts.alarms, None, (), "en", 0.001
    )  # fmt: skip
    port = free_port()
    endpoint = MetricsEndpoint(parts.stats, port, health.verdict)
    endpoint.start()
    try:
        assert await healthz(port) == (200, "ok\n")
        await parts.store.enqueue(Outgoing(STAFF_CHAT, OutboxKind.ALERT, "🚨 #1"), None)
        await asyncio.sleep(0.2)
        status, body = await healthz(port)
        assert status == 503
        assert "1 alerts undelivered" in body
        assert "ALERT_ALARM_MINUTES" in body
        await parts.deliver()
        assert (await healthz(port))[0] == 200
        await parts.store.close()
        status, body = await healthz(port)
        assert status == 503
        assert body.strip()
    finally:
        endpoint.stop()


async def test_healthz_without_haven_running_is_503(parts: Parts) -> None:
    port = free_port()
    endpoint = MetricsEndpoint(parts.stats, port)
    endpoint.start()
    try:
        assert await healthz(port) == (503, "Haven is not running\n")
    finally:
        endpoint.stop()


class Relay:
    """A TCP relay in front of the engine: stopping it is the engine stopping, for the bot."""

    def __init__(self, target: str) -> None:
        parsed = urlparse(target)
        self._host, self._port = parsed.hostname or "127.0.0.1", parsed.port or 80
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self.port = free_port()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", self.port)

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None
        for writer in list(self._writers):
            writer.close()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection(self._host, self._port)
        self._writers |= {writer, up_writer}

        async def pipe(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
            with contextlib.suppress(ConnectionError, OSError):
                while data := await src.read(65536):
                    dst.write(data)
                    await dst.drain()
            dst.close()

        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))
        self._writers -= {writer, up_writer}


async def test_healthz_turns_503_when_the_engine_stops(
    stub: BotApiStub, engine: EngineServices, tmp_path: Path
) -> None:
    relay = Relay(engine.rasa_url)
    await relay.start()
    port = free_port()
    settings = make_settings(stub, tmp_path, engine, rasa_url=relay.url, metrics_port=port)
    harness = await start_harness(stub, settings)
    try:
        assert await healthz(port) == (200, "ok\n")
        await relay.stop()
        status, body = await healthz(port)
        assert status == 503
        assert body == "the engine does not answer\n"
        await relay.start()
        assert (await healthz(port))[0] == 200
    finally:
        await relay.stop()
        await stop_harness(harness)
