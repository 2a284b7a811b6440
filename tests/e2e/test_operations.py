"""docs/operations.md, run: every Haven command in it, in its order, against a scratch folder,
with the real `python -m bot` standing in for the service; the system commands around them
(apt-get, systemctl enable, git, ...) are checked for syntax, since a test cannot own a server.

`systemctl start|stop haven` start and stop `python -m bot` (against the Bot API stand-in and
the test engine); `make` runs with `-o .venv/.installed`, so a checkout's environments are
never rebuilt; `make train` is what `make test` itself runs first.
"""

from __future__ import annotations

import asyncio
import os
import re
import shlex
import signal
import socket
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from bot.common.settings import ROOT
from bot.engine.services import EngineServices
from tests.e2e.test_restart import start_bot
from tests.telegram_stub import BotApiStub

GUIDE = ROOT / "docs" / "operations.md"
DOC_PORT = "9464"
# Programs the guide runs that only a real server has, or that would change this checkout.
SYSTEM = {"apt-get", "adduser", "install", "git", "ln", "sudoedit", "journalctl", "sh"}
NOT_HERE = {"make train": "run by `make test` before anything else"}


def commands() -> list[tuple[str, str]]:
    """(section, command) of every line in the guide's sh blocks, in order."""
    found = []
    section = ""
    in_block = False
    for line in GUIDE.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            section = line.lstrip("# ")
        elif line.strip() == "```sh":
            in_block = True
        elif line.strip() == "```":
            in_block = False
        elif in_block and line.strip() and not line.lstrip().startswith("#"):
            found.append((section, line.strip()))
    return found


def unprivileged(command: str) -> list[str]:
    """The command without its sudo."""
    words = shlex.split(command)
    if words[0] == "sudo":
        words = words[1:]
        if words[:2] == ["-u", "haven"]:
            words = words[2:]
        if words[:1] == ["-H"]:
            words = words[1:]
    return words


@dataclass
class Server:
    """A scratch server: folders for the data and the keys, and the service."""

    stub: BotApiStub
    engine: EngineServices
    root: Path
    port: int
    service: asyncio.subprocess.Process | None = None
    backups: list[Path] = field(default_factory=list)
    ran: list[str] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)

    @property
    def env(self) -> dict[str, str]:
        return {
            "DATABASE_PATH": str(self.root / "lib" / "haven.sqlite3"),
            "HAVEN_DATA_KEY_FILE": str(self.root / "etc" / "keys" / "data.key"),
            "BACKUP_DIR": str(self.root / "lib" / "backups"),
            "METRICS_PORT": str(self.port),
        }

    def local(self, text: str) -> str:
        """The guide's paths and port, pointed at the scratch server."""
        for theirs, ours in (
            ("/opt/haven", str(ROOT)),
            ("/var/lib/haven", str(self.root / "lib")),
            ("/etc/haven", str(self.root / "etc")),
            (f"127.0.0.1:{DOC_PORT}", f"127.0.0.1:{self.port}"),
        ):
            text = text.replace(theirs, ours)
        return text

    async def run(self, command: str) -> str:
        """Do what the guide says; return what it printed."""
        words = unprivileged(command)
        if words[:1] == ["systemctl"]:
            return await self.systemctl(words[1:], command)
        if words[:1] == ["make"]:
            target = next(w for w in words[1:] if re.fullmatch(r"[a-z-]+", w) and w != "-C")
            if f"make {target}" in NOT_HERE:
                self.checked.append(command)
                return ""
            words = ["make", "-o", ".venv/.installed", *words[1:]]
            words = [self.restore_file(w) for w in words]
        elif words[0] in SYSTEM and "bot.tools.rotate_key --generate" not in command:
            self.checked.append(command)  # its syntax: test_the_guide_is_sound_shell
            return ""
        done = await asyncio.to_thread(
            subprocess.run,
            [self.local(w) for w in words],
            cwd=ROOT,
            env={**os.environ, **self.env},
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, f"{command}\n{done.stdout}\n{done.stderr}"
        self.ran.append(command)
        return done.stdout + done.stderr

    def restore_file(self, word: str) -> str:
        """The guide's example backup name becomes the backup taken before the update."""
        if word.startswith("FILE="):
            return f"FILE={self.backups[-1]}"
        return word

    async def systemctl(self, words: list[str], command: str) -> str:
        if words[0] == "daemon-reload":
            self.checked.append(command)
            return ""
        if words[0] == "stop":
            assert self.service is not None
            self.service.send_signal(signal.SIGTERM)
            assert await asyncio.wait_for(self.service.wait(), 30) == 0
            self.service = None
        else:  # start, or enable --now
            assert self.service is None
            self.service = await start_bot(
                self.stub, self.engine, Path(self.env["DATABASE_PATH"]),
                self.root / "bot.log", **self.env,
            )  # fmt: skip
            await self.healthy()
        self.ran.append(command)
        return ""

    async def healthy(self) -> None:
        """Wait until the service answers /healthz."""
        for _ in range(300):
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            await asyncio.sleep(0.1)
        raise AssertionError((self.root / "bot.log").read_text())


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_every_command_of_the_operations_guide(
    stub: BotApiStub, engine: EngineServices, tmp_path: Path
) -> None:
    server = Server(stub, engine, tmp_path, free_port())
    (tmp_path / "etc" / "keys").mkdir(parents=True, mode=0o700)
    (tmp_path / "lib").mkdir(mode=0o700)
    said: dict[str, list[str]] = {}
    try:
        for section, command in commands():
            out = await server.run(command)
            said.setdefault(section, []).append(out)
            if "backed up to" in out:
                server.backups.append(Path(re.findall(r"backed up to (\S+) ", out)[0]))
            if "/healthz" in command:
                assert out.strip() == "ok", out
    finally:
        if server.service is not None:
            server.service.send_signal(signal.SIGTERM)
            await server.service.wait()
    assert len(server.backups) == 3
    assert any("restored" in out for out in said["Roll back"])
    assert any("sealed" in out for out in said["Rotate keys"])
    print(
        f"ran {len(server.ran)} commands of docs/operations.md; checked the syntax of "
        f"{len(server.checked)} system commands: {sorted({unprivileged(c)[0] for c in server.checked})}"
    )


def test_the_guide_is_sound_shell_using_only_programs_the_walkthrough_knows() -> None:
    known = SYSTEM | {"make", "systemctl", "curl", "df"}
    for _, command in commands():
        assert unprivileged(command)[0] in known, command
        syntax = subprocess.run(["bash", "-n", "-c", command], capture_output=True, check=False)
        assert syntax.returncode == 0, command
