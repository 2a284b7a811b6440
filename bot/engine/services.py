"""Start and stop the engine and the action server as child processes.

`make run`, the test suite and the benchmark all start the engine this one way, so what the
tests exercise is what users run. Both servers bind to 127.0.0.1 only; the engine serves only
the Haven channel, behind a secret made anew at each start, and each child gets only the
environment it needs (never the bot token).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import signal
import socket
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from bot.common.settings import ENGINE_MEMORY_MINUTES, ROOT
from bot.core.errors import PortInUse, ServiceError
from bot.engine.client import READY, auth_header

log = logging.getLogger(__name__)

ENGINE_START_TIMEOUT = 180.0
ACTIONS_START_TIMEOUT = 60.0
STOP_TIMEOUT = 10.0
SECRET_VARIABLE = "HAVEN_ENGINE_SECRET"
TRACKER_STORE = "components.tracker_store.ExpiringTrackerStore"
# What a child may inherit from Haven's environment; everything else (TELEGRAM_BOT_TOKEN,
# ENGINE_SECRET, HAVEN_DATA_KEY, ...) stays in the bot. LC_* are inherited too.
INHERITED = (
    "PATH",
    "HOME",
    "LANG",
    "TMPDIR",
    "PYTHONDONTWRITEBYTECODE",
    "OPENBLAS_CORETYPE",
    "OPENBLAS_L2_SIZE",
)


@dataclass(frozen=True)
class EnginePorts:
    """Where the engine and the action server listen."""

    rasa: int = 5005
    actions: int = 5055

    @classmethod
    def free(cls) -> EnginePorts:
        """Two different ports the system considers free (for tests, eval and benchmarks)."""
        rasa = free_port()
        for _ in range(20):
            actions = free_port()
            if actions != rasa:
                return cls(rasa=rasa, actions=actions)
        raise ServiceError("could not find two free ports on 127.0.0.1")


def port_free(port: int) -> bool:
    """Tell whether 127.0.0.1:port can be bound right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_port() -> int:
    """Return a port the system considers free (for tests and benchmarks)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class EngineServices:
    """The Rasa server and the rasa-sdk action server, started in that order's reverse."""

    def __init__(
        self,
        ports: EnginePorts = EnginePorts(),
        root: Path = ROOT,
        log_dir: Path | None = None,
        content_dir: Path | None = None,
        memory_minutes: float = ENGINE_MEMORY_MINUTES,
    ) -> None:
        """Describe the services; nothing starts until ``start``.

        The engine forgets a conversation ``memory_minutes`` after its last message.
        """
        self.ports = ports
        self.root = root
        self.log_dir = log_dir or root / "var" / "log"
        self.content_dir = content_dir or root / "content"
        self.memory_minutes = memory_minutes
        self._processes: dict[str, asyncio.subprocess.Process] = {}
        self._secret: str | None = None

    @property
    def secret(self) -> str:
        """The shared secret of the running engine (a new one at each start)."""
        if self._secret is None:
            raise ServiceError("the engine has not been started, so it has no secret yet")
        return self._secret

    @property
    def rasa_url(self) -> str:
        """Base URL of the engine."""
        return f"http://127.0.0.1:{self.ports.rasa}"

    @property
    def actions_url(self) -> str:
        """Base URL of the action server."""
        return f"http://127.0.0.1:{self.ports.actions}"

    async def start(self) -> None:
        """Start the action server, then the engine; return when both answer."""
        model = self.root / "models" / "haven.tar.gz"
        if not model.is_file():
            raise ServiceError(f"no trained model at {model}: run `make train`")
        for name, port in (("engine", self.ports.rasa), ("actions", self.ports.actions)):
            if not port_free(port):
                raise PortInUse(
                    f"port {port} for the {name} is already in use: stop the other "
                    f"process or choose another port"
                )
        self.log_dir.mkdir(parents=True, exist_ok=True)
        self._secret = secrets.token_urlsafe(32)
        await self._spawn("actions", self._actions_command(), self._child_env())
        await self._wait_ready(
            "actions",
            f"{self.actions_url}/health",
            ACTIONS_START_TIMEOUT,
            lambda body: body.get("status") == "ok",
        )
        await self._spawn(
            "engine", self._engine_command(model), self._child_env({SECRET_VARIABLE: self.secret})
        )
        await self._wait_ready(
            "engine",
            f"{self.rasa_url}{READY}",
            ENGINE_START_TIMEOUT,
            lambda body: body.get("ready") is True,
            auth_header(self.secret),
        )

    async def stop(self) -> None:
        """Stop both services, politely first."""
        for name in ("engine", "actions"):
            await self.stop_one(name)

    async def stop_one(self, name: str) -> None:
        """Stop one service (tests stop the engine to prove the safety net)."""
        process = self._processes.pop(name, None)
        if process is None or process.returncode is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            await asyncio.wait_for(process.wait(), STOP_TIMEOUT)
        except TimeoutError:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            await process.wait()

    def pids(self) -> dict[str, int]:
        """Process ids of the running services (for the benchmark's memory figures)."""
        return {n: p.pid for n, p in self._processes.items() if p.returncode is None}

    def _engine_command(self, model: Path) -> list[str]:
        rasa = str(self.root / ".venv-engine" / "bin" / "rasa")
        # No --enable-api: Rasa's HTTP API (trackers, events, PUT /model) is not served at all.
        return [
            rasa, "run", "-i", "127.0.0.1", "-p", str(self.ports.rasa),
            "--model", str(model), "--credentials", str(self.root / "credentials.yml"),
            "--endpoints", str(self._endpoints_file()), "--quiet",
        ]  # fmt: skip

    def _actions_command(self) -> list[str]:
        python = str(self.root / ".venv-engine" / "bin" / "python")
        return [python, "-m", "components.action_server", "--port", str(self.ports.actions)]

    def _child_env(self, extra: Mapping[str, str] | None = None) -> dict[str, str]:
        """A child's environment: the allow-listed part of ours, and what the child needs."""
        return child_environment(
            os.environ,
            {
                "PYTHONPATH": str(self.root),
                "SANIC_HOST": "127.0.0.1",
                "RASA_TELEMETRY_ENABLED": "false",
                "TF_CPP_MIN_LOG_LEVEL": "2",
                "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
                "HAVEN_CONTENT_DIR": str(self.content_dir),
                **(extra or {}),
            },
        )

    def _endpoints_file(self) -> Path:
        """The engine's endpoints: this action server, and a tracker store that forgets.

        Written for every start, so the engine's memory follows ENGINE_MEMORY_MINUTES; the
        endpoints.yml at the root is for an engine started by hand, with the defaults.
        """
        path = self.log_dir / f"endpoints-{self.ports.rasa}.yml"
        path.write_text(endpoints_yaml(self.ports.actions, self.memory_minutes), encoding="utf-8")
        return path

    async def _spawn(self, name: str, command: list[str], env: dict[str, str]) -> None:
        log_file = open(self.log_dir / f"{name}-{self.ports.rasa}.log", "ab")  # noqa: SIM115, ASYNC230
        try:
            self._processes[name] = await asyncio.create_subprocess_exec(
                *command,
                cwd=self.root,
                env=env,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=log_file,
                stderr=log_file,
                start_new_session=True,
            )
        finally:
            log_file.close()
        log.info("started %s (pid %s)", name, self._processes[name].pid)

    async def _wait_ready(
        self,
        name: str,
        url: str,
        timeout: float,
        ready: Callable[[dict[str, Any]], bool],
        headers: dict[str, str] | None = None,
    ) -> None:
        deadline = time.monotonic() + timeout
        async with httpx.AsyncClient(timeout=2.0, headers=headers) as client:
            while time.monotonic() < deadline:
                process = self._processes[name]
                if process.returncode is not None:
                    raise ServiceError(
                        f"the {name} exited with code {process.returncode}; see "
                        f"{self.log_dir}/{name}-{self.ports.rasa}.log"
                    )
                with contextlib.suppress(httpx.HTTPError, ValueError):
                    response = await client.get(url)
                    if response.status_code == 401:
                        raise ServiceError(f"the {name} refused the secret it was started with")
                    if response.status_code == 200 and ready(response.json()):
                        log.info("%s ready", name)
                        return
                await asyncio.sleep(0.5)
        raise ServiceError(f"the {name} did not become ready within {timeout:.0f}s")


def endpoints_yaml(actions_port: int, memory_minutes: float) -> str:
    """The engine's endpoints file: the action server, and the forgetting tracker store."""
    return (
        "action_endpoint:\n"
        f'  url: "http://127.0.0.1:{actions_port}/webhook"\n'
        "tracker_store:\n"
        f"  type: {TRACKER_STORE}\n"
        f"  idle_minutes: {memory_minutes:g}\n"
    )


def child_environment(parent: Mapping[str, str], fixed: Mapping[str, str]) -> dict[str, str]:
    """Only the allow-listed variables of ``parent`` (and LC_*), then ``fixed`` over them."""
    env = {k: v for k, v in parent.items() if k in INHERITED or k.startswith("LC_")}
    env.setdefault("PATH", os.defpath)
    env.update(fixed)
    return env
