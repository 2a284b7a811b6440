"""Encryption at rest: what people said never reaches the database file in plain text.

The data key comes from HAVEN_DATA_KEY or a key file made on first run; a database whose key is
missing or wrong stops the start instead of failing message by message.
"""

from __future__ import annotations

import base64
import os
import re
import sqlite3
import stat
from contextlib import closing
from pathlib import Path

import pytest

from bot.core.errors import DataKeyError, StoreError
from bot.store import CaseStore, CheckIn, KeySource, OutboxKind, Outgoing, Waiting, iso, now
from bot.store.crypto import (
    KEY_FILE,
    Sealer,
    decode_key,
    encode_key,
    key_id,
    new_key,
    read_key_file,
    sealed_with,
)
from bot.store.migrations import MIGRATIONS, SEALED

MARKER = "QXZMARKER-7731"
TOKEN = re.compile(rb"v1:[0-9a-f]{8}:[A-Za-z0-9+/=]+")


def disk_bytes(path: Path) -> bytes:
    """The database file and its write-ahead log, as they are on disk."""
    return b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists())


async def fill(store: CaseStore, user: int, text: str) -> int:
    """Write ``text`` into every sealed column, the way Haven does."""
    await store.remember_user(user, user, "en")
    await store.set_secret(user, "safety_word", text)
    await store.add_recent(user, text)
    case, _ = await store.open_case(
        user_id=user,
        chat_id=user,
        language="en",
        priority="high",
        reason="net:self",
        first_message=text,
        render_alert=lambda c: Outgoing(-100, OutboxKind.ALERT, f"alert {text}"),
    )
    await store.set_case_note(case.id, "contact_note", text)
    await store.set_case_note(case.id, "last_location", text)
    await store.add_staff_note(case.id, 9001, "Kim", text)
    await store.save_flow(user, "rescue", 2, {"name": text, "location": {"lat": 1.5, "lon": 2.5}})
    await store.save_checkin(
        CheckIn(user, user, "en", text, text, 60.0, 60.0, None, iso(now()), None)
    )
    await store.keep_updates([Waiting(user, user, f'{{"message": {{"text": "{text}"}}}}')], ())
    return case.id


def test_a_sealed_value_opens_only_with_its_key_and_column() -> None:
    key = new_key()
    sealer = Sealer(key)
    sealed = sealer.seal("도와주세요 help", "transcript.text")
    assert sealed.startswith(f"v1:{key_id(key)}:")
    assert sealed_with(sealed) == key_id(key)
    assert "help" not in sealed
    assert sealer.seal("same", "x.y") != sealer.seal("same", "x.y"), "a fresh nonce each time"
    assert sealer.open(sealed, "transcript.text") == "도와주세요 help"
    with pytest.raises(StoreError, match="damaged"):
        sealer.open(sealed, "outbox.text")
    with pytest.raises(DataKeyError, match=key_id(key)):
        Sealer(new_key()).open(sealed, "transcript.text")
    assert sealer.open("written before sealing", "transcript.text") == "written before sealing"
    newer = sealer.rotated(new_key())
    assert newer.open(sealed, "transcript.text") == "도와주세요 help"
    assert sealed_with(newer.seal("x", "a.b")) == newer.key_id != key_id(key)


def test_keys_read_in_either_base64_and_nothing_else() -> None:
    key = new_key()
    assert decode_key(encode_key(key), "k") == key
    assert decode_key(base64.b64encode(key).decode(), "k") == key
    for bad in ("", "not base64 at all!", base64.b64encode(b"short").decode()):
        with pytest.raises(DataKeyError, match="32 bytes"):
            decode_key(bad, "HAVEN_DATA_KEY")


async def test_the_file_never_holds_the_plain_text(tmp_path: Path) -> None:
    path = tmp_path / "haven.sqlite3"
    store = await CaseStore.open(path)
    case_id = await fill(store, 11, MARKER)
    await store.add_transcript(case_id, "staff", "text", f"staff says {MARKER}")
    assert MARKER.encode() not in disk_bytes(path)
    assert MARKER.encode("utf-16-le") not in disk_bytes(path)
    # What Haven reads back is the text itself.
    assert await store.secrets(11) == (None, MARKER)
    assert await store.recent(11) == [MARKER]
    assert [e.text for e in await store.transcript(case_id)] == [MARKER, f"staff says {MARKER}"]
    assert await store.case_notes(case_id) == (MARKER, MARKER)
    assert await store.flow(11) == (
        "rescue",
        2,
        {"name": MARKER, "location": {"lat": 1.5, "lon": 2.5}},
    )
    checkin = await store.checkin(11)
    assert checkin is not None
    assert (checkin.destination, checkin.departure) == (MARKER, MARKER)
    [alert] = await store.pending()
    assert alert.text == f"alert {MARKER}"
    await store.close()
    with closing(sqlite3.connect(path)) as conn:
        for table, column, _key in SEALED:
            values = [r[0] for r in conn.execute(f"SELECT {column} FROM {table}")]
            assert values, f"{table}.{column} was not filled"
            assert all(sealed_with(v) for v in values), f"{table}.{column} holds plain text"


async def test_delivered_text_is_blanked(tmp_path: Path) -> None:
    path = tmp_path / "haven.sqlite3"
    store = await CaseStore.open(path)
    await fill(store, 12, MARKER)
    [alert] = await store.pending()
    await store.mark_sent(alert, 555)
    await store.close()
    with closing(sqlite3.connect(path)) as conn:
        assert conn.execute("SELECT text, sent_at IS NOT NULL FROM outbox").fetchall() == [("", 1)]


async def test_rows_written_before_sealing_are_sealed_at_the_first_start(tmp_path: Path) -> None:
    path = tmp_path / "haven.sqlite3"
    with closing(sqlite3.connect(path)) as conn, conn:
        for script in MIGRATIONS[:2]:
            conn.executescript(script)
        conn.execute("PRAGMA user_version = 2")
        conn.execute(
            "INSERT INTO users (user_id, chat_id, language, updated_at, safety_word) "
            f"VALUES (5, 5, 'ko', '2024-01-01', '{MARKER}')"
        )
        conn.execute(f"INSERT INTO recent_messages (user_id, at, text) VALUES (5, 'x', '{MARKER}')")
    assert MARKER.encode() in disk_bytes(path)
    store = await CaseStore.open(path)
    assert await store.secrets(5) == (None, MARKER)
    assert await store.recent(5) == [MARKER]
    await store.close()
    assert MARKER.encode() not in disk_bytes(path), "secure_delete and the checkpoint wipe it"


async def test_the_key_file_is_made_once_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "var" / "haven.sqlite3"
    store = await CaseStore.open(path)
    key_file = path.parent / KEY_FILE
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert store.key_id == key_id(read_key_file(key_file))
    await store.set_secret(1, "safety_word", "x")
    await store.close()
    again = await CaseStore.open(path)
    assert again.key_id == store.key_id
    await again.close()
    key_file.chmod(0o644)
    with pytest.raises(DataKeyError, match="chmod 600"):
        await CaseStore.open(path)


async def test_a_lost_or_wrong_key_stops_the_start(tmp_path: Path) -> None:
    path = tmp_path / "haven.sqlite3"
    store = await CaseStore.open(path)
    await fill(store, 13, MARKER)
    sealed_by = store.key_id
    await store.close()
    key_file = tmp_path / KEY_FILE
    saved = key_file.read_bytes()
    key_file.unlink()
    with pytest.raises(DataKeyError, match=f"sealed with data key {sealed_by}.*no key file"):
        await CaseStore.open(path)
    assert not key_file.exists(), "no new key is made over sealed data"
    other = new_key()
    with pytest.raises(DataKeyError, match=f"HAVEN_DATA_KEY is key {key_id(other)}"):
        await CaseStore.open(path, KeySource(key_file, env=encode_key(other)))
    fd = os.open(key_file, os.O_CREAT | os.O_WRONLY, 0o600)
    os.write(fd, encode_key(other).encode())
    os.close(fd)
    with pytest.raises(DataKeyError, match=f"holds key {key_id(other)}"):
        await CaseStore.open(path)
    key_file.write_bytes(saved)
    store = await CaseStore.open(path)
    assert await store.recent(13) == [MARKER]
    await store.close()


async def test_the_key_may_come_from_the_environment(tmp_path: Path) -> None:
    path = tmp_path / "haven.sqlite3"
    key = new_key()
    keys = KeySource(tmp_path / "unused.key", env=encode_key(key))
    store = await CaseStore.open(path, keys)
    await fill(store, 14, MARKER)
    assert store.key_id == key_id(key)
    await store.close()
    assert not (tmp_path / "unused.key").exists()
    store = await CaseStore.open(path, keys)
    assert await store.secrets(14) == (None, MARKER)
    await store.close()


async def test_rotation_reseals_everything_in_one_go(tmp_path: Path) -> None:
    path = tmp_path / "haven.sqlite3"
    store = await CaseStore.open(path)
    await fill(store, 15, MARKER)
    old = store.key_id
    key = new_key()
    count = await store.rotate_key(key)
    assert count == len(SEALED)
    assert store.key_id == key_id(key) != old
    assert await store.recent(15) == [MARKER]
    await store.close()
    with closing(sqlite3.connect(path)) as conn:
        for table, column, _key in SEALED:
            for (value,) in conn.execute(f"SELECT {column} FROM {table}"):
                assert sealed_with(value) == key_id(key), f"{table}.{column}"
    for token in TOKEN.findall(disk_bytes(path)):
        assert token.decode()[3:11] != old, "no value under the old key is left on disk"


async def test_a_running_haven_keeps_a_rotation_out(tmp_path: Path) -> None:
    path = tmp_path / "haven.sqlite3"
    running = await CaseStore.open(path)
    with pytest.raises(StoreError, match="stop Haven"):
        await CaseStore.open(path, exclusive=True)
    await running.close()
    rotating = await CaseStore.open(path, exclusive=True)
    with pytest.raises(StoreError, match="new key"):
        await CaseStore.open(path)
    await rotating.close()
