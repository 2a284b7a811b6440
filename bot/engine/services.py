"""Start and stop the engine and the action server as child processes.

`make run`, the test suite and the benchmark all start the engine this one way, so what the
tests exercise is what users run. Both servers bind to 127.0.0.1 only; the engine serves only
the Haven channel, behind a secret made anew at each start, and each child gets only the
environment it needs (never the bot token).

With ``workers`` above 1 (ENGINE_WORKERS) the engine runs that many Sanic worker processes,
which Rasa allows only with a shared lock store: Debian's ``redis-server`` is started first, on
127.0.0.1 behind a password made anew at each start and writing nothing to disk, and holds the
workers' locks and conversations (components/tracker_store.py). With one worker (the default)
nothing else is started.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import shutil
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

__all__ = [
    "REDIS_PASSWORD_VARIABLE",
    "REDIS_TRACKER_STORE",
    "SECRET_VARIABLE",
    "TRACKER_STORE",
    "EnginePorts",
    "EngineServices",
    "child_environment",
    "endpoints_yaml",
    "free_port",
    "redis_config",
    "redis_ready",
]

log = logging.getLogger(__name__)

ENGINE_START_TIMEOUT = 180.0
ACTIONS_START_TIMEOUT = 60.0
STOP_TIMEOUT = 10.0
REDIS_START_TIMEOUT = 20.0
SECRET_VARIABLE = "HAVEN_ENGINE_SECRET"
REDIS_PASSWORD_VARIABLE = "HAVEN_REDIS_PASSWORD"
TRACKER_STORE = "components.tracker_store.ExpiringTrackerStore"
REDIS_TRACKER_STORE = "components.tracker_store.ExpiringRedisTrackerStore"
REDIS_SERVER = "redis-server"
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
    """Where the engine, the action server and (with several workers) Redis listen."""

    rasa: int = 5005
    actions: int = 5055
    redis: int = 6380

    @classmethod
    def free(cls) -> EnginePorts:
        """Three different ports the system considers free (for tests, eval and benchmarks)."""
        chosen: list[int] = []
        for _ in range(60):
            port = free_port()
            if port not in chosen:
                chosen.append(port)
            if len(chosen) == 3:
                return cls(rasa=chosen[0], actions=chosen[1], redis=chosen[2])
        raise ServiceError("could not find three free ports on 127.0.0.1")


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
        workers: int = 1,
    ) -> None:
        """Describe the services; nothing starts until ``start``.

        The engine forgets a conversation ``memory_minutes`` after its last message; it runs
        ``workers`` processes (above 1: sharing a Redis started for them).
        """
        self.ports = ports
        self.root = root
        self.log_dir = log_dir or root / "var" / "log"
        self.content_dir = content_dir or root / "content"
        self.memory_minutes = memory_minutes
        self.workers = workers
        self._processes: dict[str, asyncio.subprocess.Process] = {}
        self._secret: str | None = None
        self._redis_password: str | None = None

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

    @property
    def shared(self) -> bool:
        """Whether the engine's workers share Redis (more than one worker)."""
        return self.workers > 1

    async def start(self) -> None:
        """Start Redis (several workers only), the action server, then the engine; return
        when all answer."""
        model = self.root / "models" / "haven.tar.gz"
        if not model.is_file():
            raise ServiceError(f"no trained model at {model}: run `make train`")
        needed = [("engine", self.ports.rasa), ("actions", self.ports.actions)]
        if self.shared:
            needed.append(("engine's Redis", self.ports.redis))
        for name, port in needed:
            if not port_free(port):
                raise PortInUse(
                    f"port {port} for the {name} is already in use: stop the other "
                    f"process or choose another port"
                )
        self.log_dir.mkdir(parents=True, exist_ok=True)
        self._secret = secrets.token_urlsafe(32)
        engine_env = {SECRET_VARIABLE: self.secret}
        if self.shared:
            await self._start_redis()
            engine_env[REDIS_PASSWORD_VARIABLE] = self._redis_password or ""
            engine_env["SANIC_WORKERS"] = str(self.workers)
        await self._spawn("actions", self._actions_command(), self._child_env())
        await self._wait_ready(
            "actions",
            f"{self.actions_url}/health",
            ACTIONS_START_TIMEOUT,
            lambda body: body.get("status") == "ok",
        )
        await self._spawn("engine", self._engine_command(model), self._child_env(engine_env))
        await self._wait_ready(
            "engine",
            f"{self.rasa_url}{READY}",
            ENGINE_START_TIMEOUT,
            lambda body: body.get("ready") is True,
            auth_header(self.secret),
        )

    async def stop(self) -> None:
        """Stop every service, politely first (Redis last: the engine holds locks in it)."""
        for name in ("engine", "actions", "redis"):
            await self.stop_one(name)

    async def _start_redis(self) -> None:
        """Debian's redis-server on 127.0.0.1, behind a new password, keeping nothing on disk."""
        server = shutil.which(REDIS_SERVER) or (
            "/usr/bin/redis-server" if Path("/usr/bin/redis-server").is_file() else None
        )
        if server is None:
            raise ServiceError(
                f"ENGINE_WORKERS={self.workers} needs {REDIS_SERVER}: install it "
                f"(apt-get install redis-server) or set ENGINE_WORKERS=1"
            )
        self._redis_password = secrets.token_urlsafe(32)
        config = self.log_dir / f"redis-{self.ports.rasa}.conf"
        config.touch(mode=0o600)
        config.chmod(0o600)
        config.write_text(
            redis_config(self.ports.redis, self._redis_password, self.log_dir), encoding="utf-8"
        )
        await self._spawn("redis", [server, str(config)], self._child_env())
        deadline = time.monotonic() + REDIS_START_TIMEOUT
        while time.monotonic() < deadline:
            process = self._processes["redis"]
            if process.returncode is not None:
                raise ServiceError(
                    f"redis-server exited with code {process.returncode}; see "
                    f"{self.log_dir}/redis-{self.ports.rasa}.log"
                )
            if await redis_ready(self.ports.redis, self._redis_password):
                log.info("redis ready")
                return
            await asyncio.sleep(0.2)
        raise ServiceError(f"redis-server did not become ready within {REDIS_START_TIMEOUT:.0f}s")

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
        redis = self.ports.redis if self.shared else None
        path.write_text(
            endpoints_yaml(self.ports.actions, self.memory_minutes, redis), encoding="utf-8"
        )
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


def endpoints_yaml(actions_port: int, memory_minutes: float, redis_port: int | None = None) -> str:
    """The engine's endpoints file: the action server, and the forgetting tracker store.

    With ``redis_port`` (several workers) the conversations and the locks live in that Redis;
    its password comes from the engine's environment (Rasa reads ``${...}`` there), so the
    file holds none.
    """
    actions = f'action_endpoint:\n  url: "http://127.0.0.1:{actions_port}/webhook"\n'
    if redis_port is None:
        return (
            f"{actions}tracker_store:\n"
            f"  type: {TRACKER_STORE}\n"
            f"  idle_minutes: {memory_minutes:g}\n"
        )
    redis = f"  url: 127.0.0.1\n  port: {redis_port}\n  password: ${{{REDIS_PASSWORD_VARIABLE}}}\n"
    return (
        f"{actions}tracker_store:\n"
        f"  type: {REDIS_TRACKER_STORE}\n"
        f"  idle_minutes: {memory_minutes:g}\n"
        f"{redis}  db: 0\n"
        "lock_store:\n"
        "  type: redis\n"
        f"{redis}  db: 1\n"
    )


def redis_config(port: int, password: str, workdir: Path) -> str:
    """redis-server's configuration: loopback only, a password, nothing written to disk."""
    return (
        "bind 127.0.0.1\n"
        f"port {port}\n"
        "protected-mode yes\n"
        f"requirepass {password}\n"
        'save ""\n'
        "appendonly no\n"
        f"dir {workdir}\n"
        "daemonize no\n"
        "loglevel warning\n"
    )


async def redis_ready(port: int, password: str) -> bool:
    """Whether the Redis on 127.0.0.1:port accepts ``password`` and answers PING."""
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), 1.0)
    except (OSError, TimeoutError):
        return False
    try:
        command = f"*2\r\n$4\r\nAUTH\r\n${len(password)}\r\n{password}\r\n*1\r\n$4\r\nPING\r\n"
        writer.write(command.encode("utf-8"))
        await writer.drain()
        answer = b""
        with contextlib.suppress(TimeoutError):
            while b"PONG" not in answer and not answer.startswith(b"-"):
                chunk = await asyncio.wait_for(reader.read(64), 1.0)
                if not chunk:
                    break
                answer += chunk
        return answer.startswith(b"+OK") and b"+PONG" in answer
    except OSError:
        return False
    finally:
        writer.close()
        with contextlib.suppress(OSError):
            await writer.wait_closed()


def child_environment(parent: Mapping[str, str], fixed: Mapping[str, str]) -> dict[str, str]:
    """Only the allow-listed variables of ``parent`` (and LC_*), then ``fixed`` over them."""
    env = {k: v for k, v in parent.items() if k in INHERITED or k.startswith("LC_")}
    env.setdefault("PATH", os.defpath)
    env.update(fixed)
    return env
