"""Killed in the middle of delivering, restarted: nothing the outbox recorded as delivered is
sent again, and nothing queued is lost. The real program (`python -m bot`), SIGKILL, a real
SQLite file, the Bot API stand-in."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
from collections import Counter
from contextlib import closing
from pathlib import Path

from bot.engine.services import EngineServices
from tests.conftest import STAFF_CHAT, alerts
from tests.e2e.test_restart import start_bot
from tests.telegram_stub import BotApiStub

USER = 601
NOTES = [f"note {n:02d} from the locked room" for n in range(25)]


def notes_in(stub: BotApiStub) -> Counter[str]:
    """How often each note reached the staff group."""
    return Counter(
        note
        for m in stub.sent(chat_id=STAFF_CHAT)
        for note in NOTES
        if note in (m.get("text") or "")
    )


def queued(db: Path) -> int:
    """How many relays the outbox holds (delivered or not)."""
    with closing(sqlite3.connect(db)) as conn:
        return int(conn.execute("SELECT COUNT(*) FROM outbox WHERE kind = 'relay'").fetchone()[0])


def recorded_delivered(db: Path) -> set[int]:
    """The staff-group message ids the outbox recorded as delivered (Telegram's ids)."""
    with closing(sqlite3.connect(db)) as conn:
        rows = conn.execute(
            "SELECT message_id FROM outbox WHERE sent_at IS NOT NULL AND chat_id = ?",
            (STAFF_CHAT,),
        ).fetchall()
    return {int(row[0]) for row in rows if row[0] is not None}


async def test_a_kill_mid_delivery_neither_repeats_what_was_recorded_nor_loses_anything(
    stub: BotApiStub, engine: EngineServices, tmp_path: Path
) -> None:
    db, log = tmp_path / "haven.sqlite3", tmp_path / "bot.log"
    first = await start_bot(stub, engine, db, log)
    try:
        await stub.wait_for(lambda s: len(s.calls("getUpdates")) > 0, timeout=60)
        stub.push_text(USER, "help me please, they locked me in and took my passport")
        await stub.wait_for(lambda s: len(alerts(s.sent(chat_id=STAFF_CHAT))) >= 1, timeout=30)
        for note in NOTES:
            stub.push_text(USER, note)
        # The bot posts at most 20 messages a minute into the group: once every note is
        # queued, kill it while they are still trickling out.
        await stub.wait_for(lambda s: queued(db) >= len(NOTES), timeout=90)
    finally:
        os.killpg(first.pid, signal.SIGKILL)
        await first.wait()
    before = notes_in(stub)
    assert len(before) < len(NOTES), "the kill came in the middle of delivering"
    recorded = recorded_delivered(db)
    recorded_notes = {
        note
        for m in stub.sent(chat_id=STAFF_CHAT)
        if m["message_id"] in recorded
        for note in NOTES
        if note in (m.get("text") or "")
    }
    second = await start_bot(stub, engine, db, log)
    try:
        await stub.wait_for(lambda s: len(notes_in(s)) == len(NOTES), timeout=120)
        await asyncio.sleep(2)
    finally:
        second.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(second.wait(), 20)
        except TimeoutError:
            os.killpg(second.pid, signal.SIGKILL)
            await second.wait()
    after = notes_in(stub)
    assert set(after) == set(NOTES), "nothing lost"
    repeated = {note for note, count in after.items() if count > 1}
    assert not repeated & recorded_notes, "nothing recorded as delivered was sent again"
    # Only a message Telegram took in the instant before the kill, before the outbox could
    # record it, may come twice (no Bot API call can be made idempotent).
    assert len(repeated) <= 1, repeated
    assert len(alerts(stub.sent(chat_id=STAFF_CHAT))) == 1
    print(
        f"killed after {sum(before.values())} of {len(NOTES)} notes ({len(recorded_notes)} "
        f"recorded); after the restart: {len(after)} notes, {len(repeated)} sent twice"
    )
