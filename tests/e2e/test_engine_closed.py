"""Nothing local can read or steer the engine: no HTTP API, a secret, pseudonyms, loopback only.

The engine here is started by EngineServices, as `make run` starts it, while the parent process
holds a bot token and other secrets that no child may inherit.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio

from bot.common.settings import ROOT
from bot.engine.client import READY, WEBHOOK, Engine, auth_header
from bot.engine.services import (
    SECRET_VARIABLE,
    EnginePorts,
    EngineServices,
    child_environment,
    free_port,
)

pytestmark = pytest.mark.e2e

PLANTED = {
    "TELEGRAM_BOT_TOKEN": "123456:planted-telegram-bot-token",
    "ENGINE_SECRET": "planted-engine-secret-of-another-haven",
    "HAVEN_DATA_KEY": "planted-data-key-that-stays-in-the-bot",
}
KEY = b"pseudonym key of the closed-engine tests"
USER = 770_001_234
# Rasa's HTTP API, as `rasa run --enable-api` would serve it.
API_ROUTES = [
    ("GET", "/status"),
    ("GET", "/version"),
    ("GET", "/domain"),
    ("PUT", "/model"),
    ("POST", "/model/parse"),
    ("POST", "/model/train"),
    ("GET", "/conversations/{sender}/tracker"),
    ("POST", "/conversations/{sender}/tracker/events"),
    ("PUT", "/conversations/{sender}/tracker/events"),
    ("GET", "/conversations/{sender}/story"),
    ("POST", "/conversations/{sender}/messages"),
    ("POST", "/conversations/{sender}/trigger_intent"),
    ("POST", "/conversations/{sender}/execute"),
    ("POST", "/conversations/{sender}/predict"),
]


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def closed(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[EngineServices]:
    """An engine started while the parent's environment holds secrets meant for the bot only."""
    services = EngineServices(EnginePorts.free(), log_dir=tmp_path_factory.mktemp("closed"))
    try:
        with pytest.MonkeyPatch.context() as patch:
            for name, value in PLANTED.items():
                patch.setenv(name, value)
            await services.start()
        yield services
    finally:
        await services.stop()


@pytest_asyncio.fixture(loop_scope="session")
async def client(closed: EngineServices) -> AsyncIterator[Engine]:
    """Haven's engine client for the closed engine."""
    engine = Engine(closed.rasa_url, 30, closed.secret, KEY)
    yield engine
    await engine.close()


def listeners(port: int) -> list[str]:
    """Local addresses (hex, as the kernel lists them) of TCP sockets listening on ``port``."""
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(FileNotFoundError):
            for line in Path(table).read_text(encoding="ascii").splitlines()[1:]:
                fields = line.split()
                address, _, hex_port = fields[1].rpartition(":")
                if fields[3] == "0A" and int(hex_port, 16) == port:
                    found.append(address)
    return found


def outward_address() -> str | None:
    """This machine's address on its default route, if it has one (no packet is sent)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))
        except OSError:
            return None
        address = str(probe.getsockname()[0])
    return None if address.startswith("127.") or address == "0.0.0.0" else address


def environment_of(pid: int) -> dict[str, str]:
    """A process's environment as the kernel recorded it at exec."""
    raw = Path(f"/proc/{pid}/environ").read_bytes()
    pairs = (item.decode("utf-8", "replace").partition("=") for item in raw.split(b"\0") if item)
    return {name: value for name, _, value in pairs}


def children_of(pid: int) -> list[int]:
    """Every process below ``pid``."""
    found, queue = [], [pid]
    while queue:
        for tasks in Path(f"/proc/{queue.pop()}/task").glob("*/children"):
            with contextlib.suppress(OSError):
                for child in tasks.read_text(encoding="ascii").split():
                    found.append(int(child))
                    queue.append(int(child))
    return found


async def test_rasa_http_api_is_not_served(closed: EngineServices, client: Engine) -> None:
    await client.send(str(USER), "hello", "en")
    pseudonym = client.sender_for(USER)
    async with httpx.AsyncClient(base_url=closed.rasa_url, timeout=10) as http:
        for method, route in API_ROUTES:
            for sender in (pseudonym, str(USER)):
                for headers in ({}, auth_header(closed.secret)):
                    response = await http.request(
                        method,
                        route.format(sender=sender),
                        headers=headers,
                        json={"model_file": "/tmp/nothing.tar.gz", "event": "restart"},
                    )
                    where = f"{method} {route} {sorted(headers)}"
                    assert not response.is_success, where
                    assert response.status_code in (401, 403, 404, 405), where
                    # (A 404 page may echo the path, so the sender itself is no evidence.)
                    for leak in ("latest_message", "sender_id", "model_file", "intents", "hello"):
                        assert leak not in response.text, where


async def test_channel_requires_the_secret(closed: EngineServices) -> None:
    body: dict[str, Any] = {"sender": "someone", "message": "hello", "language": "en"}
    wrong = [
        {},
        auth_header("x" * len(closed.secret)),
        auth_header(closed.secret + "x"),
        {"Authorization": f"Basic {closed.secret}"},
        {"Authorization": closed.secret},
    ]
    async with httpx.AsyncClient(base_url=closed.rasa_url, timeout=30) as http:
        for headers in wrong:
            for method, route in (("POST", WEBHOOK), ("GET", READY)):
                response = await http.request(method, route, headers=headers, json=body)
                assert response.status_code == 401, (method, route, headers)
                assert response.content == b"", (method, route)
        answered = await http.post(WEBHOOK, headers=auth_header(closed.secret), json=body)
        ready = await http.get(READY, headers=auth_header(closed.secret))
    assert answered.status_code == 200
    assert answered.json()["intent"]["name"] == "greet"
    assert answered.json()["responses"]
    assert ready.json() == {"ready": True}


async def test_engine_keeps_conversations_under_the_pseudonym(
    closed: EngineServices, client: Engine
) -> None:
    seen: list[httpx.Request] = []

    async def record(request: httpx.Request) -> None:
        seen.append(request)

    # The Engine's own pooled client: record exactly what goes over the wire.
    client._client.event_hooks["request"].append(record)
    started = await client.send(str(USER + 1), "can you check this offer", "en")
    await client.parse(str(USER + 1), "is this job offer real")
    assert started.active_loop == "job_check_form"
    assert len(seen) == 2
    for request in seen:
        assert str(USER + 1) not in request.content.decode() + str(request.url)
    async with httpx.AsyncClient(
        base_url=closed.rasa_url, timeout=30, headers=auth_header(closed.secret)
    ) as http:
        answer = {"message": "Cambodia", "language": "en"}
        raw = await http.post(WEBHOOK, json={"sender": str(USER + 1), **answer})
        named = await http.post(WEBHOOK, json={"sender": client.sender_for(USER + 1), **answer})
    assert raw.json()["active_loop"] is None, "a tracker exists under the raw user id"
    assert named.json()["active_loop"] == "job_check_form"


def test_children_get_no_bot_token(closed: EngineServices) -> None:
    pids = closed.pids()
    assert set(pids) == {"engine", "actions"}
    for name, pid in pids.items():
        for process in (pid, *children_of(pid)):
            env = environment_of(process)
            raw = Path(f"/proc/{process}/environ").read_bytes()
            assert "TELEGRAM_BOT_TOKEN" not in env, name
            for planted in PLANTED.values():
                assert planted.encode() not in raw, (name, planted)
            if name == "engine":
                assert env.get(SECRET_VARIABLE) == closed.secret
            else:
                assert SECRET_VARIABLE not in env
                assert closed.secret.encode() not in raw


def test_servers_listen_on_loopback_only(closed: EngineServices) -> None:
    loopback = "0100007F"  # 127.0.0.1 in /proc/net/tcp's byte order
    for port in (closed.ports.actions, closed.ports.rasa):
        assert listeners(port) == [loopback], port
    address = outward_address()
    if address is None:
        return
    for port in (closed.ports.actions, closed.ports.rasa):
        with (
            pytest.raises(ConnectionRefusedError),
            socket.create_connection((address, port), timeout=3),
        ):
            pass


@pytest.mark.parametrize("secret", [None, "too-short"])
def test_engine_refuses_to_start_without_a_secret(secret: str | None, tmp_path: Path) -> None:
    fixed = {"PYTHONPATH": str(ROOT), "RASA_TELEMETRY_ENABLED": "false"}
    if secret is not None:
        fixed[SECRET_VARIABLE] = secret
    result = subprocess.run(
        [
            str(ROOT / ".venv-engine" / "bin" / "rasa"), "run", "-i", "127.0.0.1",
            "-p", str(free_port()), "--model", str(ROOT / "models" / "haven.tar.gz"),
            "--credentials", str(ROOT / "credentials.yml"), "--quiet",
        ],
        cwd=ROOT, env=child_environment(os.environ, fixed), capture_output=True, text=True,
        timeout=300,
    )  # fmt: skip
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert f"{SECRET_VARIABLE} must hold the secret" in output, output
