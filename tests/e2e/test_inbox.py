"""Updates fetched but not handled when the bot dies are handled after the restart: the store
keeps those that wait (bot/telegram/inbox.py), and python-telegram-bot's early confirmation to
Telegram loses nothing."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
from contextlib import closing
from pathlib import Path

from telegram import Bot, Update

from bot.engine.services import EngineServices
from bot.store import CaseStore
from bot.telegram.inbox import HOLD, DurableUpdates, InboxQueue
from tests.conftest import NO_ENGINE_SECRET, silent_server
from tests.e2e.test_restart import start_bot
from tests.telegram_stub import BotApiStub

USER = 801


def update(update_id: int, text: str, bot: Bot) -> Update:
    """A private text message as Telegram sends it."""
    return Update.de_json(
        {
            "update_id": update_id,
            "message": {
                "message_id": update_id,
                "date": 0,
                "chat": {"id": USER, "type": "private"},
                "from": {"id": USER, "is_bot": False, "first_name": "A"},
                "text": text,
            },
        },
        bot,
    )


def kept(db: Path) -> list[int]:
    with closing(sqlite3.connect(db)) as conn:
        return [int(r[0]) for r in conn.execute("SELECT update_id FROM inbox ORDER BY 1")]


async def test_only_updates_that_wait_are_kept_and_each_is_struck_once_handled(
    tmp_path: Path,
) -> None:
    bot = Bot("1:x")
    store = await CaseStore.open(tmp_path / "haven.sqlite3")
    try:
        updates = DurableUpdates()
        queue = InboxQueue(updates)
        assert await updates.open(store, bot) == []
        quick, slow = update(1, "hello", bot), update(2, "they took my passport", bot)
        await queue.put(quick)
        await queue.put(slow)
        await updates.handled(quick)
        await asyncio.sleep(HOLD * 3)
        assert kept(tmp_path / "haven.sqlite3") == [2], "only the update still waiting is written"
        assert b"passport" not in (tmp_path / "haven.sqlite3").read_bytes(), "kept sealed"
        # A crash now: the next start handles it first, and drops Telegram's second copy.
        again = DurableUpdates()
        [left] = await again.open(store, bot)
        assert left.update_id == 2
        assert left.message is not None
        assert left.message.text == "they took my passport"
        assert not again.fetched(slow)
        await again.handled(left)
        assert kept(tmp_path / "haven.sqlite3") == [], "struck at once"
    finally:
        await store.close()


async def test_a_backlog_killed_with_the_bot_is_handled_after_the_restart(
    stub: BotApiStub, engine: EngineServices, tmp_path: Path
) -> None:
    db, log = tmp_path / "haven.sqlite3", tmp_path / "bot.log"
    texts = [f"what should I check in a job offer, question {n}" for n in range(6)]
    with silent_server() as hung:
        # A hung engine makes each message wait ENGINE_TIMEOUT: the rest of them queue.
        first = await start_bot(
            stub, engine, db, log, RASA_URL=hung, ENGINE_SECRET=NO_ENGINE_SECRET
        )
        try:
            await stub.wait_for(lambda s: len(s.calls("getUpdates")) > 0, timeout=60)
            pushed = [stub.push_text(USER, text)["message"]["message_id"] for text in texts]
            await stub.wait_for(lambda _: len(kept(db)) >= 4, timeout=30)
        finally:
            os.killpg(first.pid, signal.SIGKILL)
            await first.wait()
    assert not stub.pending_updates(), "Telegram was told they were all taken"
    second = await start_bot(stub, engine, db, log)
    try:
        await stub.wait_for(lambda _: handled(db) >= set(pushed), timeout=90)
        await stub.wait_for(lambda _: kept(db) == [], timeout=10)
    finally:
        second.send_signal(signal.SIGTERM)
        await asyncio.wait_for(second.wait(), 30)
    assert second.returncode == 0, log.read_text()


def handled(db: Path) -> set[int]:
    """The user's messages the bot took in (it logs each one's id, for /clear)."""
    with closing(sqlite3.connect(db)) as conn:
        rows = conn.execute(
            "SELECT message_id FROM chat_messages WHERE chat_id = ? AND author = 'user'", (USER,)
        ).fetchall()
    return {int(r[0]) for r in rows}
