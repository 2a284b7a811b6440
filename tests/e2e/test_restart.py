"""Killed right after accepting a distress message, the bot delivers the alert on restart."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

from bot.common.settings import ROOT
from bot.engine.services import EngineServices
from tests.conftest import STAFF_CHAT, STAFF_MEMBER, alerts
from tests.telegram_stub import BotApiStub


async def start_bot(
    stub: BotApiStub, engine: EngineServices, db: Path, log: Path, **settings: str
) -> asyncio.subprocess.Process:
    """Run `python -m bot` exactly as `make run` does, against the stand-in; ``settings`` are
    more environment variables."""
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": stub.token,
        "TELEGRAM_BASE_URL": stub.base_url,
        "STAFF_CHAT_ID": str(STAFF_CHAT),
        "STAFF_USER_IDS": str(STAFF_MEMBER),
        "RASA_URL": engine.rasa_url,
        "ENGINE_SECRET": engine.secret,
        "HAVEN_START_ENGINE": "false",
        "DATABASE_PATH": str(db),
        **settings,
    }
    with log.open("ab") as out:
        return await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", cwd=ROOT, env=env, stdout=out, stderr=out,
            start_new_session=True,
        )  # fmt: skip


async def test_alert_delivered_after_kill_and_restart(
    stub: BotApiStub, engine: EngineServices, tmp_path: Path
) -> None:
    db, log = tmp_path / "haven.sqlite3", tmp_path / "bot.log"
    stub.fail("sendMessage", times=1_000_000, error_code=502, chat_id=STAFF_CHAT)
    first = await start_bot(stub, engine, db, log)
    try:
        await stub.wait_for(lambda s: len(s.calls("getUpdates")) > 0, timeout=60)
        stub.push_text(501, "они... help me i am locked in a room, they took my phone and passport")
        await stub.wait_for(lambda s: len(s.sent(chat_id=501)) > 0, timeout=30)
        await stub.wait_for(
            lambda s: any(p.get("chat_id") == STAFF_CHAT for _, p in s.calls("sendMessage")),
            timeout=30,
        )
    finally:
        os.killpg(first.pid, signal.SIGKILL)
        await first.wait()
    assert alerts(stub.sent(chat_id=STAFF_CHAT)) == []
    stub.fail("sendMessage", times=0, chat_id=STAFF_CHAT)
    second = await start_bot(stub, engine, db, log)
    try:
        await stub.wait_for(lambda s: len(alerts(s.sent(chat_id=STAFF_CHAT))) >= 1, timeout=60)
        await asyncio.sleep(2)
        delivered = alerts(stub.sent(chat_id=STAFF_CHAT))
        assert len(delivered) == 1, log.read_text()
        assert "locked in a room" in delivered[0]["text"]
    finally:
        second.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(second.wait(), 20)
        except TimeoutError:
            os.killpg(second.pid, signal.SIGKILL)
            await second.wait()
    assert second.returncode == 0, log.read_text()
