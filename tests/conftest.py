"""Shared fixtures: a clean environment, the real engine, and the real bot on a stand-in API."""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from telegram import Update
from telegram.ext import Application, ContextTypes, TypeHandler

from bot.common.settings import Settings
from bot.engine.services import EnginePorts, EngineServices
from bot.runtime import Haven
from bot.telegram.app import build_application, start_serving, stop_serving
from tests.telegram_stub import BotApiStub

HAVEN_VARIABLES = (
    "TELEGRAM_BOT_TOKEN",
    "TELEGRAM_BASE_URL",
    "TELEGRAM_BASE_FILE_URL",
    "TELEGRAM_WEBHOOK_URL",
    "TELEGRAM_WEBHOOK_SECRET",
    "STAFF_CHAT_ID",
    "STAFF_USER_IDS",
    "STAFF_LANGUAGE",
    "RASA_URL",
    "DATABASE_PATH",
    "ENGINE_TIMEOUT",
    "ESCALATION_REALERT_MINUTES",
    "HAVEN_START_ENGINE",
    "HAVEN_CONTENT_DIR",
    "DISTRESS_THRESHOLD",
    "ENGINE_SECRET",
    "HAVEN_PSEUDONYM_KEY",
    "HAVEN_DATA_KEY",
    "HAVEN_DATA_KEY_FILE",
    "HAVEN_DATA_KEY_NEW",
    "CASE_RETENTION_DAYS",
    "RECENT_MESSAGES_HOURS",
    "ENGINE_MEMORY_MINUTES",
    "RETENTION_CHECK_MINUTES",
    "ALERT_ALARM_MINUTES",
    "STAFF_SUPERVISOR_IDS",
    "STAFF_HOURS",
    "ESCALATION_SUPERVISOR_MINUTES",
    "STATS_DAILY_AT",
    "METRICS_PORT",
    "ENGINE_QUEUE_SECONDS",
    "REDIS_PORT",
    "BACKUP_DIR",
    "BACKUP_KEEP",
    "BACKUP_EVERY_HOURS",
)
STAFF_CHAT = -100777
STAFF_MEMBER = 9001
DONE_GROUP = 99
NO_ENGINE_SECRET = "no-engine-listens-here-so-no-secret-is-needed"


END_TO_END_FIXTURES = frozenset({"engine", "stub", "bot"})


UNIT = Path(__file__).resolve().parent / "unit"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark tests that need the engine or the Bot API stand-in, so the fast tier can skip them;
    such a test belongs in tests/e2e/, never in tests/unit/."""
    misplaced = []
    for item in items:
        if END_TO_END_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.e2e)
            if UNIT in Path(item.path).parents:
                misplaced.append(item.nodeid)
    if misplaced:
        raise pytest.UsageError(f"end-to-end tests under tests/unit/: {misplaced}")


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test sees a developer's Haven settings or .env file."""
    for name in HAVEN_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)


def engine_workers() -> int:
    """Engine workers for the shared test engine: ENGINE_WORKERS (default 1; 2 runs the
    end-to-end tests against two workers sharing Redis, as `make run` does with it)."""
    return max(1, int(os.environ.get("ENGINE_WORKERS") or 1))


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def engine(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[EngineServices]:
    """The real Rasa server and action server, started once for the whole run."""
    services = EngineServices(
        EnginePorts.free(),
        log_dir=tmp_path_factory.mktemp("engine-logs"),
        workers=engine_workers(),
    )
    await services.start()
    yield services
    await services.stop()


class Harness:
    """The real Application polling a Bot API stand-in, and ways to talk to it."""

    def __init__(self, stub: BotApiStub, app: Application, settings: Settings) -> None:
        self.stub = stub
        self.app = app
        self.settings = settings
        self.done: dict[int, float] = {}
        self._waiters: dict[int, asyncio.Future[float]] = {}

    def mark_done(self, update_id: int) -> None:
        """Note the moment the bot finished an update (all its replies sent)."""
        at = time.monotonic()
        self.done[update_id] = at
        waiter = self._waiters.pop(update_id, None)
        if waiter is not None and not waiter.done():
            waiter.set_result(at)

    async def finished(self, update_id: int, timeout: float) -> float | None:
        """When the bot finished ``update_id``; None if it did not within ``timeout``."""
        if update_id in self.done:
            return self.done[update_id]
        future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self._waiters[update_id] = future
        try:
            return await asyncio.wait_for(future, timeout)
        except TimeoutError:
            return None
        finally:
            self._waiters.pop(update_id, None)

    @property
    def haven(self) -> Haven:
        """The running Haven parts (store, desk, ...)."""
        haven: Haven = self.app.bot_data["haven"]
        return haven

    async def processed(self, update: dict[str, Any], timeout: float = 30.0) -> None:
        """Wait until the bot has finished handling ``update``."""
        update_id = update["update_id"]
        if await self.finished(update_id, timeout) is None:
            raise AssertionError(f"update {update_id} was not processed in {timeout}s")

    async def say(self, user_id: int, text: str, **kwargs: Any) -> list[dict[str, Any]]:
        """Send a text as a user; return the bot's replies to it, in order."""
        chat_id = kwargs.get("chat_id", user_id)
        before = len(self.stub.sent(chat_id=chat_id))
        update = self.stub.push_text(user_id, text, **kwargs)
        await self.processed(update)
        return self.stub.sent(chat_id=chat_id)[before:]

    async def press(
        self, user_id: int, message: dict[str, Any], title: str
    ) -> list[dict[str, Any]]:
        """Press the inline button titled ``title`` on one of the bot's messages."""
        data = button_data(message, title)
        before = len(self.stub.sent(chat_id=user_id))
        update = self.stub.push_callback(user_id, message["message_id"], data)
        await self.processed(update)
        return self.stub.sent(chat_id=user_id)[before:]

    async def staff_alerts(self, count: int = 1, timeout: float = 20.0) -> list[dict[str, Any]]:
        """Wait for ``count`` alert messages in the staff group."""
        await self.stub.wait_for(
            lambda s: len(alerts(s.sent(chat_id=STAFF_CHAT))) >= count, timeout=timeout
        )
        return alerts(self.stub.sent(chat_id=STAFF_CHAT))


def is_alert(text: str) -> bool:
    """Whether a staff-group message is a new-case alert (🚨 and a case number)."""
    return "#" in text and "🚨" in text


def alerts(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The new-case alerts among staff-group messages."""
    return [m for m in messages if is_alert(m.get("text") or "")]


@contextlib.contextmanager
def silent_server() -> Iterator[str]:
    """A port that accepts connections and never answers: a hung engine."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        listener.bind(("127.0.0.1", 0))
        listener.listen(256)
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        listener.close()


def button_data(message: dict[str, Any], title: str) -> str:
    """Callback data of the button titled ``title``."""
    markup = message.get("reply_markup") or {}
    for row in markup.get("inline_keyboard", []):
        for button in row:
            if button["text"] == title:
                return str(button["callback_data"])
    raise AssertionError(f"no button {title!r} in {markup}")


def texts(messages: list[dict[str, Any]]) -> str:
    """All the text of some messages, for assertions."""
    return "\n".join(m.get("text") or "" for m in messages)


def make_settings(
    stub: BotApiStub, tmp_path: Path, engine: EngineServices | str, **overrides: Any
) -> Settings:
    """Settings for a bot talking to the stand-in and the test engine.

    ``engine`` is a started EngineServices (its address and secret are used), or the bare
    address of something that is no working engine (stopped, hung), which needs no secret.
    """
    workers = 1
    if isinstance(engine, EngineServices):
        rasa_url, secret, workers = engine.rasa_url, engine.secret, engine.workers
    else:
        rasa_url, secret = engine, NO_ENGINE_SECRET
    values: dict[str, Any] = {
        "telegram_token": stub.token,
        "telegram_base_url": stub.base_url,
        "staff_chat_id": STAFF_CHAT,
        "staff_user_ids": frozenset({STAFF_MEMBER}),
        "rasa_url": rasa_url,
        "engine_secret": secret,
        "start_engine": False,
        "engine_workers": workers,
        "database_path": tmp_path / "haven.sqlite3",
    }
    values.update(overrides)
    return Settings(**values)


async def start_harness(stub: BotApiStub, settings: Settings) -> Harness:
    """Build the application exactly as `make run` does and start polling."""
    app = build_application(settings)
    harness = Harness(stub, app, settings)

    async def mark_done(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        harness.mark_done(update.update_id)

    app.add_handler(TypeHandler(Update, mark_done), group=DONE_GROUP)
    await start_serving(app, settings, poll_timeout=1)
    return harness


async def stop_harness(harness: Harness) -> None:
    """Stop the bot as `make run` does."""
    await stop_serving(harness.app)


@pytest.fixture
def stub() -> Iterator[BotApiStub]:
    """A fresh Bot API stand-in on 127.0.0.1; the staff member is in the staff group."""
    api = BotApiStub()
    api.start()
    api.set_member(STAFF_CHAT, STAFF_MEMBER, "member")
    yield api
    api.stop()


@pytest_asyncio.fixture(loop_scope="session")
async def bot(stub: BotApiStub, engine: EngineServices, tmp_path: Path) -> AsyncIterator[Harness]:
    """The real bot against the stand-in and the real engine."""
    harness = await start_harness(stub, make_settings(stub, tmp_path, engine))
    yield harness
    await stop_harness(harness)
