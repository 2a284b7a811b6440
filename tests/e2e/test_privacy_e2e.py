"""Grep the disk: after /forget, and after retention, no byte of what a user said is left.

The real bot against the Bot API stand-in and a real engine that forgets after 12 seconds. A
user types a unique marker through a check-in, a question to the engine, a case with a location
and a staff reply, and a rescue request; then the database file and its write-ahead log are read
byte for byte, every sealed value in them opened with the key, and the engine asked whether it
still has a conversation with them.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from bot.core.errors import CaseNotFound
from bot.engine.services import EnginePorts, EngineServices
from tests.conftest import (
    STAFF_CHAT,
    STAFF_MEMBER,
    Harness,
    make_settings,
    start_harness,
    stop_harness,
    texts,
)
from tests.forensics import anywhere, disk_bytes, rows_about
from tests.telegram_stub import BotApiStub

MARKER = "QZXWMARK"
ENGINE_MEMORY_MINUTES = 0.2


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def forgetful(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[EngineServices]:
    """An engine started as `make run` starts it, forgetting a conversation after 12 s."""
    services = EngineServices(
        EnginePorts.free(),
        log_dir=tmp_path_factory.mktemp("forgetful"),
        memory_minutes=ENGINE_MEMORY_MINUTES,
    )
    await services.start()
    yield services
    await services.stop()


@pytest_asyncio.fixture(loop_scope="session")
async def haven(
    stub: BotApiStub, forgetful: EngineServices, tmp_path: Path
) -> AsyncIterator[Harness]:
    """The bot with fast ticks; retention runs at the start and then every five minutes, so
    what goes at once goes because of /forget."""
    settings = make_settings(
        stub, tmp_path, forgetful, tick_seconds=0.2, engine_memory_minutes=ENGINE_MEMORY_MINUTES
    )
    harness = await start_harness(stub, settings)
    yield harness
    await stop_harness(harness)


async def staff(bot: Harness, text: str) -> None:
    """A staff member writes in the staff group."""
    await bot.processed(
        bot.stub.push_text(STAFF_MEMBER, text, chat_id=STAFF_CHAT, chat_type="supergroup")
    )


async def press_staff(bot: Harness, message: dict[str, Any], data: str) -> None:
    """A staff member presses a button of a staff-group message."""
    update = bot.stub.push_callback(STAFF_MEMBER, message["message_id"], data, chat_id=STAFF_CHAT)
    await bot.processed(update)


async def live(bot: Harness, user: int) -> tuple[int, dict[str, Any]]:
    """A user's life with Haven, the marker in everything; return the case and its alert."""
    await bot.say(user, f"/safeword {MARKER} word", language_code="en")
    await bot.say(user, "/checkin")
    await bot.say(user, f"Sihanoukville {MARKER}")
    await bot.say(user, "tomorrow morning")
    step = await bot.say(user, "12h")
    await bot.press(user, step[-1], "Skip")
    await bot.say(user, f"hello, this is {MARKER}")
    await bot.say(user, f"help me, they locked me in a room at {MARKER} tower")
    [alert] = await bot.staff_alerts(1)
    case_id = int(alert["text"].split("#")[1].split()[0])
    await bot.processed(bot.stub.push_location(user, 10.6104, 103.5296))
    await bot.say(user, f"they took my passport {MARKER}")
    await press_staff(bot, alert, f"claim:{case_id}")
    await staff(bot, f"/reply {case_id} We are with you, {MARKER}.")
    await staff(bot, f"/case {case_id}")
    await bot.stub.wait_for(
        lambda s: any(f"We are with you, {MARKER}" in (m["text"] or "") for m in s.sent(user))
    )
    return case_id, alert


def staff_copies(stub: BotApiStub, marker: str) -> list[int]:
    """The bot's messages in the staff group that quote the marker."""
    return [m["message_id"] for m in stub.sent(chat_id=STAFF_CHAT) if marker in (m["text"] or "")]


async def test_forget_leaves_no_byte_of_the_user_on_disk_or_in_the_engine(
    haven: Harness, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    database = haven.settings.database_path
    key_file = tmp_path / "data.key"
    user = 7301
    case_id, alert = await live(haven, user)
    assert MARKER.encode() not in disk_bytes(database), "never in plain text, even before"
    assert anywhere(database, key_file, MARKER), "but sealed in the database"
    await press_staff(haven, alert, f"resolve:{case_id}")
    other = 7302
    await haven.say(other, "hello", language_code="en")
    engine = haven.haven.engine
    assert engine is not None
    assert await engine.forget(other) is True, "the route finds a conversation the engine has"
    await haven.say(user, f"thank you, {MARKER}")  # the engine has this conversation now
    first = await haven.say(user, "/rescue")
    await haven.press(user, first[-1], "Cambodia")
    await haven.processed(haven.stub.push_location(user, 10.6104, 103.5296))
    assert (await haven.haven.store.flow(user) or ("", 0, {}))[2].get("location")
    # The rescue request opens its case at once (its answers reach staff as they come);
    # staff close it, so /forget may erase it with the rest.
    rescue = await haven.haven.store.active_case(user)
    assert rescue is not None
    await staff(haven, f"/resolve {rescue.id}")
    assert await haven.haven.store.active_case(user) is None
    copies = staff_copies(haven.stub, MARKER)
    assert len(copies) >= 3

    forgotten = await haven.say(user, "/forget")

    assert "erased everything" in texts(forgotten)
    assert anywhere(database, key_file, MARKER) == []
    assert set(rows_about(database, user)) <= {"chat_messages"}, "only the reply's id"
    assert await engine.forget(user) is False, "the engine has no conversation with them"
    assert await haven.haven.store.checkin(user) is None
    with pytest.raises(CaseNotFound):
        await haven.haven.store.case(case_id)
    await haven.stub.wait_for(lambda s: set(copies) <= set(s.deleted(STAFF_CHAT)), timeout=15)
    assert haven.stub.deleted(user), "the chat's own messages were deleted"
    await asyncio.sleep(0.5)
    assert anywhere(database, key_file, MARKER) == []
    assert [r.getMessage() for r in caplog.records if MARKER in r.getMessage()] == []


async def test_an_open_case_outlives_forget_until_staff_close_it(
    haven: Harness, tmp_path: Path
) -> None:
    user = 7303
    case_id, alert = await live(haven, user)
    forgotten = await haven.say(user, "/forget")
    assert f"#{case_id}" not in texts(forgotten), "the phone may be in other hands (#23)"
    assert (await haven.haven.store.case(case_id)).active
    await staff(haven, f"/reply {case_id} still here")
    await haven.stub.wait_for(
        lambda s: any((m["text"] or "").endswith(f"🔑 {MARKER} word") for m in s.sent(user))
    )
    await press_staff(haven, alert, f"resolve:{case_id}")
    assert await haven.haven.store.user(user) is None


async def test_retention_leaves_no_byte_of_a_closed_case(
    stub: BotApiStub, forgetful: EngineServices, tmp_path: Path
) -> None:
    settings = make_settings(
        stub,
        tmp_path,
        forgetful,
        tick_seconds=0.2,
        case_retention_days=2 / 86400,
        recent_messages_hours=2 / 3600,
        retention_check_minutes=0.5 / 60,
        engine_memory_minutes=ENGINE_MEMORY_MINUTES,
    )
    bot = await start_harness(stub, settings)
    try:
        database, key_file = settings.database_path, tmp_path / "data.key"
        user = 7304
        case_id, alert = await live(bot, user)
        await press_staff(bot, alert, f"resolve:{case_id}")
        await bot.stub.wait_for(lambda s: len(s.sent(chat_id=STAFF_CHAT)) > 0)
        copies = staff_copies(bot.stub, MARKER)
        await bot.say(user, "/checkin stop")
        await bot.stub.wait_for(lambda s: set(copies) <= set(s.deleted(STAFF_CHAT)), timeout=20)
        with pytest.raises(CaseNotFound):
            await bot.haven.store.case(case_id)
        await asyncio.sleep(ENGINE_MEMORY_MINUTES * 60 + 1.5)
        assert anywhere(database, key_file, MARKER) == [f"sealed: '{MARKER} word'"], (
            "only the safety word the user chose is kept, until /forget"
        )
        assert set(rows_about(database, user)) <= {"users", "chat_messages"}
        engine = bot.haven.engine
        assert engine is not None
        assert await engine.forget(user) is False, "the engine forgot them by itself"
        logs = b"".join(p.read_bytes() for p in forgetful.log_dir.glob("*.log"))
        assert MARKER.encode() not in logs
    finally:
        await stop_harness(bot)
