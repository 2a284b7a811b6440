"""The store's aggregates: what spans two of them commits together, enums, and migrations."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from bot.core.errors import SchemaTooNew, StoreError, StoreUnavailable, StoreUnreadable
from bot.core.replies import ReplyButton
from bot.store import (
    MIGRATIONS,
    Case,
    CaseKind,
    CaseStatus,
    CaseStore,
    OutboxKind,
    Outgoing,
    Priority,
)
from bot.store.db import Database
from bot.store.nocase import NoOpenCase
from bot.store.outbox import OutboxQueue
from bot.store.users import Users
from tests.faults import inject


def count(path: Path, table: str) -> int:
    """Rows in a table, read with a connection of its own (sees only committed data)."""
    with closing(sqlite3.connect(path)) as conn:
        return int(conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])


def alert(case: Case) -> Outgoing:
    return Outgoing(-100, OutboxKind.ALERT, f"case {case.id}", dedupe_key=f"alert:{case.id}")


def broken_alert(case: Case) -> Outgoing:
    raise RuntimeError(f"cannot render case {case.id}")


async def test_case_and_alert_commit_together_or_not_at_all(tmp_path: Path) -> None:
    path = tmp_path / "h.db"
    store = await CaseStore.open(path)
    with pytest.raises(RuntimeError, match="cannot render"):
        await store.open_case(
            user_id=7,
            chat_id=7,
            language="en",
            priority="high",
            reason="net:self",
            first_message="help",
            render_alert=broken_alert,
        )
    assert await store.active_case(7) is None
    assert await store.pending() == []
    assert [count(path, t) for t in ("cases", "transcript", "outbox")] == [0, 0, 0]
    case, created = await store.open_case(
        user_id=7,
        chat_id=7,
        language="en",
        priority="high",
        reason="net:self",
        first_message="help",
        render_alert=alert,
    )
    assert created
    assert [(p.case_id, p.text) for p in await store.pending()] == [(case.id, f"case {case.id}")]
    assert [count(path, t) for t in ("cases", "transcript", "outbox")] == [1, 1, 1]
    await store.close()


async def test_transcript_line_and_its_relays_commit_together(tmp_path: Path) -> None:
    path = tmp_path / "h.db"
    store = await CaseStore.open(path)
    case, _ = await store.open_case(
        user_id=7, chat_id=7, language="en", priority="high", reason="r", first_message="help"
    )
    relay = Outgoing(-100, OutboxKind.RELAY, "relayed")
    await store.add_transcript(case.id, "user", "text", "second", outgoing=[relay])
    assert [e.text for e in await store.transcript(case.id)] == ["help", "second"]
    assert [p.text for p in await store.pending()] == ["relayed"]
    unserialisable: Any = object()
    unsendable = Outgoing(7, OutboxKind.TO_USER, "x", buttons=(ReplyButton("x", unserialisable),))
    with pytest.raises(TypeError):
        await store.add_transcript(
            case.id,
            "staff",
            "text",
            "third",
            outgoing=[Outgoing(7, OutboxKind.TO_USER, "ok"), unsendable],
        )
    assert [e.text for e in await store.transcript(case.id)] == ["help", "second"]
    assert [p.text for p in await store.pending()] == ["relayed"]
    assert (count(path, "transcript"), count(path, "outbox")) == (2, 1)
    await store.close()


async def test_aggregates_share_the_callers_transaction(tmp_path: Path) -> None:
    path = tmp_path / "h.db"
    db = await Database.open(path)
    users, outbox = Users(db, NoOpenCase()), OutboxQueue(db)

    async def write_then_crash() -> None:
        async with db.transaction() as tx:
            await users.remember(tx, 1, 1, "ko", None)
            await outbox.enqueue(tx, Outgoing(1, OutboxKind.TO_USER, "hi"), None)
            raise RuntimeError("crash before commit")

    with pytest.raises(RuntimeError, match="crash before commit"):
        await write_then_crash()
    assert (count(path, "users"), count(path, "outbox")) == (0, 0)
    async with db.transaction() as tx:
        await users.remember(tx, 1, 1, "ko", None)
        await outbox.enqueue(tx, Outgoing(1, OutboxKind.TO_USER, "hi"), None)
    assert (count(path, "users"), count(path, "outbox")) == (1, 1)
    await db.close()


async def test_enums_round_trip_as_the_stored_strings(tmp_path: Path) -> None:
    path = tmp_path / "h.db"
    store = await CaseStore.open(path)
    case, _ = await store.open_case(
        user_id=3,
        chat_id=3,
        language="ko",
        priority="normal",
        reason="duress",
        first_message="x",
        kind="discreet",
        render_alert=alert,
    )
    read = await store.case(case.id)
    assert read.status is CaseStatus.OPEN
    assert read.kind is CaseKind.DISCREET
    assert read.priority is Priority.NORMAL
    assert (await store.user_state(3)).case == read
    assert [c.status for c in await store.list_active()] == [CaseStatus.OPEN]
    [item] = await store.pending()
    assert item.kind is OutboxKind.ALERT
    assert (await store.claim(case.id, 1)).status is CaseStatus.CLAIMED
    assert (await store.set_priority(case.id, Priority.HIGH)).priority is Priority.HIGH
    await store.set_kind(case.id, CaseKind.STANDARD)
    assert (await store.resolve(case.id, 1)).kind is CaseKind.STANDARD
    with closing(sqlite3.connect(path)) as conn:
        row = conn.execute("SELECT status, kind, priority FROM cases").fetchone()
        assert row == ("resolved", "standard", "high")
        assert conn.execute("SELECT kind FROM outbox").fetchone() == ("alert",)
    assert f"priority_{read.priority} {read.status} {read.kind}" == "priority_normal open discreet"
    with pytest.raises(StoreError, match="unknown priority"):
        await store.set_priority(case.id, "urgent")
    with pytest.raises(StoreError, match="unknown case kind"):
        await store.set_kind(case.id, "secret")
    await store.close()


async def test_migrations_from_an_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "h.db"
    path.touch(mode=0o600)
    store = await CaseStore.open(path)
    assert await store.schema_version() == len(MIGRATIONS)
    await store.save_flow(1, "rescue", 0, {})
    assert await store.flow(1) == ("rescue", 0, {})
    await store.close()


async def test_migrations_from_version_one_keep_the_data(tmp_path: Path) -> None:
    path = tmp_path / "h.db"
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.executescript(MIGRATIONS[0])
        conn.execute("PRAGMA user_version = 1")
        conn.execute(
            "INSERT INTO users (user_id, chat_id, language, language_fixed, updated_at) "
            "VALUES (5, 5, 'ko', 1, '2024-01-01T00:00:00.000+00:00')"
        )
        conn.execute(
            "INSERT INTO cases (user_id, chat_id, language, status, priority, kind, reason, "
            "created_at, last_alert_at) VALUES (5, 5, 'ko', 'claimed', 'high', 'discreet', "
            "'net:self', '2024-01-01T00:00:00.000+00:00', '2024-01-01T00:00:00.000+00:00')"
        )
        conn.execute(
            "INSERT INTO outbox (created_at, chat_id, case_id, kind, text, next_attempt_at) "
            "VALUES ('2024-01-01T00:00:00.000+00:00', -100, 1, 'relay', 'queued before', "
            "'2024-01-01T00:00:00.000+00:00')"
        )
    store = await CaseStore.open(path)
    assert await store.schema_version() == len(MIGRATIONS)
    prefs = await store.user(5)
    assert prefs is not None
    assert (prefs.language, prefs.language_fixed) == ("ko", True)
    case = await store.case(1)
    assert (case.status, case.priority, case.kind) == (
        CaseStatus.CLAIMED,
        Priority.HIGH,
        CaseKind.DISCREET,
    )
    assert [(p.kind, p.text) for p in await store.pending()] == [
        (OutboxKind.RELAY, "queued before")
    ]
    await store.set_secret(5, "safety_word", "tulip")
    assert await store.secrets(5) == (None, "tulip")
    await store.set_case_note(1, "contact_note", "after 9pm")
    assert await store.case_notes(1) == ("after 9pm", None)
    await store.close()


def build_at_version(path: Path, version: int) -> None:
    """A database as a Haven of ``version`` migrations left it, with a case in it if it can."""
    with closing(sqlite3.connect(path)) as conn, conn:
        for script in MIGRATIONS[:version]:
            conn.executescript(script)
        conn.execute(f"PRAGMA user_version = {version}")
        if version >= 1:
            conn.execute(
                "INSERT INTO cases (user_id, chat_id, language, status, priority, kind, reason, "
                "created_at, last_alert_at) VALUES (5, 5, 'ko', 'open', 'high', 'standard', "
                "'net:self', '2024-01-01T00:00:00.000+00:00', '2024-01-01T00:00:00.000+00:00')"
            )
            conn.execute(
                "INSERT INTO outbox (created_at, chat_id, case_id, kind, text, next_attempt_at) "
                "VALUES ('2024-01-01T00:00:00.000+00:00', 5, 1, 'to_user', 'queued before', "
                "'2024-01-01T00:00:00.000+00:00')"
            )


@pytest.mark.parametrize("version", range(len(MIGRATIONS)))
async def test_migrations_from_every_earlier_version(tmp_path: Path, version: int) -> None:
    path = tmp_path / "h.db"
    build_at_version(path, version)
    store = await CaseStore.open(path)
    assert await store.schema_version() == len(MIGRATIONS)
    if version >= 1:
        [queued] = await store.pending()
        assert (queued.text, queued.case_id) == ("queued before", 1)
        await store.mark_dead(queued, "400: refused")
        assert await store.pending() == []
        assert await store.mark_blocked(1)
    case, _ = await store.open_case(
        user_id=9, chat_id=9, language="en", priority="high", reason="r", first_message="help",
        render_alert=alert,
    )  # fmt: skip
    [item] = await store.pending()
    await store.mark_sent(item, 77)
    assert await store.case_for_staff_message(-100, 77) == case.id
    assert await store.move_chat(-100, -1009) == 0
    assert await store.moved_to(-100) == -1009
    await store.close()
    again = await CaseStore.open(path)
    assert await again.schema_version() == len(MIGRATIONS)
    await again.close()


async def test_a_database_from_a_newer_haven_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "h.db"
    build_at_version(path, len(MIGRATIONS))
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    with pytest.raises(SchemaTooNew, match=r"newer Haven wrote it.*restore a backup"):
        await CaseStore.open(path)
    with closing(sqlite3.connect(path)) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS) + 1


@pytest.mark.parametrize(
    "content",
    [b"this is a text file, not a database\n" * 100, b"SQLite format 3\x00" + b"\xff" * 4000],
)
async def test_an_unreadable_database_is_refused(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "h.db"
    path.write_bytes(content)
    with pytest.raises(StoreUnreadable, match=r"cannot be read.*backup"):
        await CaseStore.open(path)
    assert path.read_bytes() == content


async def test_a_database_under_a_file_instead_of_a_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "plain-file").write_text("x", encoding="utf-8")
    with pytest.raises(StoreUnreadable, match="DATABASE_PATH"):
        await CaseStore.open(tmp_path / "plain-file" / "h.db")


async def test_sqlite_failures_become_store_errors_and_roll_back(tmp_path: Path) -> None:
    path = tmp_path / "h.db"
    store = await CaseStore.open(path)
    faults = inject(store)
    faults.fail("INSERT INTO transcript", times=1)
    with pytest.raises(StoreUnavailable, match="disk is full"):
        await store.open_case(
            user_id=7, chat_id=7, language="en", priority="high", reason="r",
            first_message="help", render_alert=alert,
        )  # fmt: skip
    assert [count(path, t) for t in ("cases", "transcript", "outbox")] == [0, 0, 0]
    faults.fail(times=1)
    with pytest.raises(StoreUnavailable):
        await store.enqueue(Outgoing(1, OutboxKind.TO_USER, "hi"))
    faults.fail("SELECT", times=1)
    with pytest.raises(StoreUnavailable):
        await store.pending()
    case, created = await store.open_case(
        user_id=7, chat_id=7, language="en", priority="high", reason="r", first_message="help",
        render_alert=alert,
    )  # fmt: skip
    assert created
    assert [p.text for p in await store.pending()] == [f"case {case.id}"]
    await store.close()
