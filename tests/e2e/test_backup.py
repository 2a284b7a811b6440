"""`python -m bot.tools.backup` while the real bot handles traffic (cases opening, staff replying),
restored into a fresh folder, started there: everything committed at the backup's moment is
back, each case whole, and nothing the backup records as delivered is sent again."""

from __future__ import annotations

import asyncio
import os
import shutil
import sqlite3
import sys
from contextlib import closing
from pathlib import Path
from typing import Any

from bot.common.settings import ROOT
from bot.engine.services import EngineServices
from tests.conftest import STAFF_CHAT, Harness, make_settings, start_harness, stop_harness
from tests.e2e.test_delivery_faults import staff_says
from tests.telegram_stub import BotApiStub

DISTRESS = "help me, I am locked in a room and they took my passport"


async def traffic(bot: Harness, users: range) -> None:
    """Each user asks for help; a caseworker answers each case with /reply."""
    for user in users:
        await bot.say(user, DISTRESS)
        case = await bot.haven.store.active_case(user)
        assert case is not None
        said = await staff_says(bot, f"/reply {case.id} we are with you, {user}")
        assert f"#{case.id}" in said


def rows(db: Path, query: str) -> list[tuple[Any, ...]]:
    with closing(sqlite3.connect(db)) as conn:
        return [tuple(r) for r in conn.execute(query)]


async def command(*args: str, **env: str) -> str:
    """Run `python -m bot.tools.backup ...` as the operator would; return what it printed."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.tools.backup", *args, cwd=ROOT, env={**os.environ, **env},
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await proc.communicate()
    assert proc.returncode == 0, err.decode()
    return out.decode()


async def test_a_backup_under_traffic_restores_and_resends_nothing_delivered(
    stub: BotApiStub, engine: EngineServices, tmp_path: Path
) -> None:
    live, fresh, backups = tmp_path / "live", tmp_path / "fresh", tmp_path / "backups"
    live.mkdir(mode=0o700)
    db = live / "haven.sqlite3"
    bot = await start_harness(stub, make_settings(stub, live, engine))
    try:
        await traffic(bot, range(700, 704))
        await stub.wait_for(
            lambda _: len(rows(db, "SELECT id FROM outbox WHERE kind = 'from_staff' "
                                   "AND sent_at IS NOT NULL")) == 4,
        )  # fmt: skip
        delivered_before = {
            r[0] for r in rows(db, "SELECT id FROM outbox WHERE sent_at IS NOT NULL")
        }
        busy = asyncio.create_task(traffic(bot, range(704, 708)))
        said = await command(DATABASE_PATH=str(db), BACKUP_DIR=str(backups))
        await busy
    finally:
        await stop_harness(bot)
    backup = Path(said.split("backed up to ", 1)[1].split(" ", 1)[0])
    fresh.mkdir(mode=0o700)
    for key in ("data.key", "pseudonym.key"):
        shutil.copy2(live / key, fresh / key)
    restored_db = fresh / "haven.sqlite3"
    said = await command(
        "--restore", str(backup), DATABASE_PATH=str(restored_db), BACKUP_DIR=str(backups)
    )
    assert "there was no database to replace" in said
    cases = dict(rows(restored_db, "SELECT id, user_id FROM cases"))
    live_cases = dict(rows(db, "SELECT id, user_id FROM cases"))
    assert set(cases.values()) >= {700, 701, 702, 703}, "committed before the backup: all back"
    assert all(live_cases[case] == user for case, user in cases.items())
    sent = {r[0] for r in rows(restored_db, "SELECT id FROM outbox WHERE sent_at IS NOT NULL")}
    assert delivered_before <= sent, "delivered before the backup: recorded so in it"
    for case in cases:
        kinds = [r[0] for r in rows(restored_db, f"SELECT kind FROM outbox WHERE case_id = {case}")]
        staff = rows(
            restored_db, f"SELECT id FROM transcript WHERE case_id = {case} AND author = 'staff'"
        )
        assert "alert" in kinds, f"case #{case} and its alert were written together"
        assert kinds.count("from_staff") == len(staff), f"case #{case}: reply and its message"
    # Haven starts on the restored copy and sends only what was waiting at the backup's moment.
    waiting = rows(restored_db, "SELECT id FROM outbox WHERE sent_at IS NULL AND dead_at IS NULL")
    recorded = rows(
        restored_db,
        "SELECT chat_id, message_id FROM outbox WHERE sent_at IS NOT NULL AND message_id IS NOT NULL",
    )
    again = await start_harness(stub, make_settings(stub, fresh, engine))
    try:
        await stub.wait_for(
            lambda _: not rows(restored_db, "SELECT id FROM outbox WHERE sent_at IS NULL "
                                            "AND dead_at IS NULL AND kind != 'realert'"),
            timeout=60,
        )  # fmt: skip
        await asyncio.sleep(1)
    finally:
        await stop_harness(again)
    for chat, message_id in recorded:
        text = (stub.message(int(chat), int(message_id)) or {}).get("text")
        if text:
            copies = [m for m in stub.sent(chat_id=int(chat)) if m.get("text") == text]
            assert len(copies) == 1, f"sent again after the restore: {text[:60]!r}"
    print(
        f"backup under traffic: {len(cases)} of {len(live_cases)} cases, {len(sent)} messages "
        f"recorded delivered, {len(waiting)} waiting (sent after the restore)"
    )
    assert STAFF_CHAT in {int(chat) for chat, _ in recorded}
