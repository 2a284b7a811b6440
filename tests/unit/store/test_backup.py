"""`make backup` / `make restore`: a backup taken under traffic restores exactly what was
committed at its moment; wrong keys and newer schemas are refused with their reasons; people
forgotten after a backup stay forgotten after restoring it. Real SQLite files, no engine."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import stat
from contextlib import closing
from datetime import timedelta
from pathlib import Path

import pytest

from bot.common.settings import Settings
from bot.core.errors import BackupError, DataKeyError, SchemaTooNew, StoreError
from bot.delivery.retention import RetentionPolicy
from bot.desk.backups import FIRST_SECONDS, BackupSchedule
from bot.store import CaseStore, KeySource, OutboxKind, Outgoing
from bot.store.backup import ERASURES_SINCE, backups_in, restore, take, verify
from bot.store.crypto import KEY_FILE, Sealer, read_key_file
from bot.store.erasure import namer
from bot.store.migrations import MIGRATIONS
from bot.tools.backup import main
from tests.parts import STAFF_CHAT as PARTS_STAFF_CHAT
from tests.parts import build_parts

NAMES = namer(b"k" * 40)
STAFF_CHAT = -100700
STAFF = 71
KEEP = 7


def keys_of(folder: Path) -> KeySource:
    """The default key file of a database in ``folder``."""
    return KeySource.beside(folder / "haven.sqlite3")


async def open_store(folder: Path) -> CaseStore:
    """A store in ``folder`` whose /forget writes the erasure log."""
    return await CaseStore.open(folder / "haven.sqlite3", names=NAMES)


def dump(db: Path, key: bytes) -> dict[str, list[tuple[object, ...]]]:
    """What a restore must bring back: cases, transcripts and the outbox, text unsealed."""
    sealer = Sealer(key)
    with closing(sqlite3.connect(db)) as conn:
        cases = conn.execute(
            "SELECT id, user_id, status, priority, claimed_by FROM cases ORDER BY id"
        ).fetchall()
        transcript = [
            (i, c, a, sealer.open(text, "transcript.text"))
            for i, c, a, text in conn.execute(
                "SELECT id, case_id, author, text FROM transcript ORDER BY id"
            )
        ]
        outbox = [
            (i, chat, kind, sent is not None, sealer.open(text, "outbox.text"))
            for i, chat, kind, sent, text in conn.execute(
                "SELECT id, chat_id, kind, sent_at, text FROM outbox ORDER BY id"
            )
        ]
        users = conn.execute("SELECT user_id FROM users ORDER BY user_id").fetchall()
    return {"cases": cases, "transcript": transcript, "outbox": outbox, "users": users}


async def traffic_step(store: CaseStore, n: int) -> None:
    """One committed transaction of a busy desk: a user writes, a case opens, is claimed,
    answered, a message is sent."""
    user = 1000 + n // 5
    match n % 5:
        case 0:
            await store.remember_user(user, user, "en")
        case 1:
            await store.open_case(
                user_id=user,
                chat_id=user,
                language="en",
                priority="high",
                reason="distress",
                first_message=f"help {n}",
                render_alert=lambda case: Outgoing(
                    STAFF_CHAT, OutboxKind.ALERT, f"alert #{case.id}"
                ),
            )
        case 2:
            case = await store.active_case(user)
            assert case is not None
            await store.claim(case.id, STAFF)
        case 3:
            case = await store.active_case(user)
            assert case is not None
            await store.add_transcript(
                case.id, "staff", "text", f"we hear you {n}",
                [Outgoing(user, OutboxKind.FROM_STAFF, f"we hear you {n}")],
            )  # fmt: skip
        case 4:
            for item in await store.pending(limit=1):
                await store.mark_sent(item, 10_000 + n)


async def test_a_backup_under_traffic_restores_one_committed_moment(tmp_path: Path) -> None:
    live, fresh = tmp_path / "live", tmp_path / "fresh"
    store = await open_store(live)
    key = read_key_file(live / KEY_FILE)
    states = [dump(live / "haven.sqlite3", key)]
    done = 0
    try:
        for n in range(15):
            await traffic_step(store, n)
            states.append(dump(live / "haven.sqlite3", key))
            done += 1
        backing_up = asyncio.create_task(
            asyncio.to_thread(
                take, live / "haven.sqlite3", tmp_path / "backups", keys_of(live), KEEP
            )
        )
        first = done
        while not backing_up.done():
            await traffic_step(store, done)
            states.append(dump(live / "haven.sqlite3", key))
            done += 1
        last = done
        info, _ = await backing_up
        for n in range(done, done + 8):
            await traffic_step(store, n)
    finally:
        await store.close()
    fresh.mkdir(mode=0o700)
    (fresh / KEY_FILE).write_bytes((live / KEY_FILE).read_bytes())
    os.chmod(fresh / KEY_FILE, 0o600)
    done_restore = await restore(info.path, fresh / "haven.sqlite3", keys_of(fresh), NAMES)
    assert done_restore.aside is None
    restored = dump(fresh / "haven.sqlite3", key)
    assert restored in states[first : last + 1], "the backup is one committed moment"
    assert restored["cases"]
    assert restored["outbox"]
    assert any(sent for *_, sent, _ in restored["outbox"]), "delivered rows stay delivered"
    # The restored copy opens and serves like any store.
    again = await CaseStore.open(fresh / "haven.sqlite3")
    try:
        assert await again.schema_version() == len(MIGRATIONS)
        # What the outbox will send after the restore: exactly what waited at the backup's
        # moment; nothing it had recorded as delivered.
        waiting = {item.id for item in await again.pending(limit=1000)}
        assert waiting == {row[0] for row in restored["outbox"] if not row[3]}
    finally:
        await again.close()


async def test_backups_are_private_verified_and_the_newest_are_kept(tmp_path: Path) -> None:
    store = await open_store(tmp_path)
    await store.close()
    folder = tmp_path / "backups"
    made = [take(tmp_path / "haven.sqlite3", folder, keys_of(tmp_path), 3)[0] for _ in range(5)]
    kept = backups_in(folder)
    assert kept == [info.path for info in made[-3:]]
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    for path in kept:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert verify(path, keys_of(tmp_path)).key_id == made[-1].key_id
    assert not list(folder.glob("*.key")), "no key is ever written with the backups"
    with pytest.raises(BackupError, match="inside BACKUP_DIR"):
        take(tmp_path / "haven.sqlite3", tmp_path, keys_of(tmp_path), 3)


async def test_a_wrong_key_and_a_newer_schema_are_refused_with_their_reasons(
    tmp_path: Path,
) -> None:
    live, other = tmp_path / "live", tmp_path / "other"
    for folder in (live, other):
        store = await open_store(folder)
        await store.remember_user(5, 5, "en")
        await store.set_secret(5, "safety_word", "orange")
        await store.close()
    info, _ = take(live / "haven.sqlite3", tmp_path / "backups", keys_of(live), KEEP)
    theirs = Sealer(read_key_file(other / KEY_FILE)).key_id
    with pytest.raises(DataKeyError, match=f"sealed with data key {info.key_id}.*is key {theirs}"):
        await restore(info.path, other / "haven.sqlite3", keys_of(other), NAMES)
    assert dump(other / "haven.sqlite3", read_key_file(other / KEY_FILE))["users"] == [(5,)]
    newer = tmp_path / "newer.sqlite3"
    newer.write_bytes(info.path.read_bytes())
    with closing(sqlite3.connect(newer)) as conn:
        conn.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    with pytest.raises(SchemaTooNew, match=f"schema version {len(MIGRATIONS) + 1}"):
        await restore(newer, live / "haven.sqlite3", keys_of(live), NAMES)
    damaged = tmp_path / "damaged.sqlite3"
    damaged.write_bytes(b"not a database at all" * 100)
    with pytest.raises(BackupError, match="not a readable SQLite database"):
        await restore(damaged, live / "haven.sqlite3", keys_of(live), NAMES)


async def test_restore_refuses_while_haven_runs(tmp_path: Path) -> None:
    store = await open_store(tmp_path)
    try:
        info, _ = take(tmp_path / "haven.sqlite3", tmp_path / "b", keys_of(tmp_path), KEEP)
        with pytest.raises(StoreError, match="stop Haven before restoring"):
            await restore(info.path, tmp_path / "haven.sqlite3", keys_of(tmp_path), NAMES)
    finally:
        await store.close()


async def test_someone_forgotten_after_the_backup_stays_forgotten(tmp_path: Path) -> None:
    db, folder = tmp_path / "haven.sqlite3", tmp_path / "backups"
    store = await open_store(tmp_path)
    for user in (1, 2, 3):
        await store.remember_user(user, user, "en")
        await store.add_recent(user, f"message of {user}")
    await store.open_case(
        user_id=3, chat_id=3, language="en", priority="high", reason="distress",
        first_message="help",
    )  # fmt: skip
    await store.forget(2)  # before the backup: not in it at all
    await store.close()
    info, _ = take(db, folder, keys_of(tmp_path), KEEP)
    store = await open_store(tmp_path)
    await store.forget(1)
    await store.forget(3)  # an open case stays until staff close it, as /forget promised
    await store.remember_user(4, 4, "en")  # after the backup: lost by the restore
    await store.close()
    done = await restore(info.path, db, keys_of(tmp_path), NAMES, folder)
    assert (done.erasures, done.erased_users) == (2, 2)
    assert done.aside is not None
    assert done.aside.exists()
    key = read_key_file(tmp_path / KEY_FILE)
    state = dump(db, key)
    assert state["users"] == [(3,)], "1 and 2 forgotten, 4 came after the backup"
    assert [c[1] for c in state["cases"]] == [3]
    with closing(sqlite3.connect(db)) as conn:
        recent = conn.execute("SELECT DISTINCT user_id FROM recent_messages").fetchall()
        marked = conn.execute("SELECT erase_after_case FROM users WHERE user_id = 3").fetchone()
        logged = conn.execute("SELECT COUNT(*) FROM erasures").fetchone()[0]
    assert recent == [], "user 3's recent messages went with the forget, the case stays"
    assert marked == (1,)
    assert logged == 3, "the restored log goes on, so a later restore erases them again"
    # The replaced database was kept aside whole.
    assert dump(done.aside, key)["users"] == [(3,), (4,)]


async def test_a_pseudonym_key_that_cannot_match_the_log_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "haven.sqlite3"
    store = await open_store(tmp_path)
    await store.remember_user(1, 1, "en")
    await store.close()
    info, _ = take(db, tmp_path / "backups", keys_of(tmp_path), KEEP)
    store = await open_store(tmp_path)
    await store.forget(1)
    await store.close()
    other = namer(b"z" * 40)
    with pytest.raises(DataKeyError, match=f"pseudonym key {NAMES(0).key_id}"):
        await restore(info.path, db, keys_of(tmp_path), other)


async def test_the_erasure_log_lives_as_long_as_the_backups(tmp_path: Path) -> None:
    db, folder = tmp_path / "haven.sqlite3", tmp_path / "backups"
    store = await open_store(tmp_path)
    await store.remember_user(1, 1, "en")
    await store.close()
    first, _ = take(db, folder, keys_of(tmp_path), 1)
    with closing(sqlite3.connect(db)) as conn, conn:
        conn.execute(
            "INSERT INTO erasures (at, key_id, pseudonym) VALUES "
            "('2020-01-01T00:00:00.000+00:00', 'old', 'gone')"
        )
    second, removed = take(db, folder, keys_of(tmp_path), 1)
    assert removed == [first.path]
    with closing(sqlite3.connect(db)) as conn:
        assert conn.execute("SELECT COUNT(*) FROM erasures").fetchone()[0] == 0
        since = conn.execute("SELECT value FROM meta WHERE key = ?", (ERASURES_SINCE,)).fetchone()
    assert since is not None
    # A copy of the pruned backup kept elsewhere can no longer be restored safely.
    first.path.parent.mkdir(exist_ok=True)
    old = tmp_path / "offsite.sqlite3"
    old.write_bytes(second.path.read_bytes())
    with closing(sqlite3.connect(old)) as conn, conn:
        conn.execute(
            "UPDATE meta SET value = '2020-01-01T00:00:00.000+00:00' WHERE key = 'backup_taken_at'"
        )
    with pytest.raises(BackupError, match="reaches back only to"):
        await restore(old, db, keys_of(tmp_path), NAMES, folder)


def test_the_command_line_backs_up_lists_and_refuses_with_a_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_PATH", str(tmp_path / "haven.sqlite3"))
    monkeypatch.setenv("BACKUP_KEEP", "2")
    assert main([]) == 1
    assert "there is no database" in capsys.readouterr().err
    asyncio.run(_touch(tmp_path))
    assert main([]) == 0
    said = capsys.readouterr().out
    assert "backed up to" in said
    assert "Keep the data key apart" in said
    assert main(["--list"]) == 0
    assert "ok" in capsys.readouterr().out
    assert main(["--restore", str(tmp_path / "missing.sqlite3")]) == 1
    assert "no backup file" in capsys.readouterr().err


async def _touch(folder: Path) -> None:
    store = await open_store(folder)
    await store.close()


@pytest.mark.parametrize(("lang", "said"), [("en", "live for 7 days"), ("ko", "7일 동안")])
def test_privacy_states_how_long_a_backup_lives(lang: str, said: str) -> None:
    daily = Settings.from_env(
        {"BACKUP_EVERY_HOURS": "24", "BACKUP_KEEP": "7"}, dotenv=Path("/nonexistent")
    )
    assert said in RetentionPolicy.from_settings(daily).backups(lang)
    manual = RetentionPolicy.from_settings(Settings.from_env({}, dotenv=Path("/nonexistent")))
    assert "/forget" in manual.backups(lang)
    assert manual.backup_days is None


async def test_a_failing_scheduled_backup_is_told_to_staff_once_and_its_recovery(
    tmp_path: Path,
) -> None:
    parts = await build_parts(tmp_path)
    try:
        blocker = tmp_path / "not-a-folder"
        blocker.write_text("a file where BACKUP_DIR should be")
        settings = Settings(
            database_path=tmp_path / "haven.sqlite3",
            backup_folder=blocker,
            backup_every_hours=24,
            staff_language="en",
        )
        schedule = BackupSchedule(settings, keys_of(tmp_path), parts.alarms)
        assert schedule.interval_seconds == 24 * 3600
        assert schedule.first_delay() == FIRST_SECONDS, "no backup yet: one soon"
        assert await schedule.run() is None
        assert await schedule.run() is None
        shouted = [text for text in parts.to(PARTS_STAFF_CHAT) if "scheduled backup failed" in text]
        assert len(shouted) == 1, "told once, not at every try"
        blocker.unlink()
        info = await schedule.run()
        assert info is not None
        assert info.path.parent == blocker
        later = info.taken_at + timedelta(hours=20)
        assert schedule.first_delay(later) == pytest.approx(4 * 3600, abs=1), "a restart waits"
        await parts.deliver()
        assert any("works again" in text for text in parts.to(PARTS_STAFF_CHAT))
    finally:
        await parts.store.close()


async def test_a_damaged_database_is_replaced_with_a_warning_about_its_erasure_log(
    tmp_path: Path,
) -> None:
    db = tmp_path / "haven.sqlite3"
    store = await open_store(tmp_path)
    await store.remember_user(1, 1, "en")
    await store.close()
    info, _ = take(db, tmp_path / "backups", keys_of(tmp_path), KEEP)
    db.write_bytes(b"\0" * 4096 + b"the disk failed here" * 100)
    done = await restore(info.path, db, keys_of(tmp_path), NAMES, tmp_path / "backups")
    assert len(done.warnings) == 1
    assert "cannot be read" in done.warnings[0]
    assert dump(db, read_key_file(tmp_path / KEY_FILE))["users"] == [(1,)]
