"""/forget and retention on a real store: what is erased is gone from the files, not just hidden.

No engine and no Telegram (tests/parts.py); the end-to-end versions are in test_privacy_e2e.py.
"""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from contextlib import closing
from datetime import timedelta
from pathlib import Path

import pytest_asyncio

from bot.chat.flows import FlowName
from bot.core.errors import DeliveryError, Refused
from bot.core.texts import t
from bot.delivery.retention import Retention, RetentionPolicy
from bot.store import CaseStore, CopyKind, OutboxKind, Outgoing, iso, now
from bot.store.erasure import TABLES
from tests.forensics import anywhere, disk_bytes, rows_about
from tests.parts import STAFF, STAFF_CHAT, USER, Parts, build_parts, message

MARKER = "ZQVXMARK"
KEY_FILE = "data.key"


class FakeTelegram:
    """Records deletions and edits; ``fail`` makes the next call raise."""

    def __init__(self) -> None:
        self.deleted: list[tuple[int, list[int]]] = []
        self.edited: list[tuple[int, int, str]] = []
        self.fail: Exception | None = None

    async def delete(self, chat_id: int, message_ids: list[int]) -> None:
        if self.fail is not None:
            raise self.fail
        self.deleted.append((chat_id, message_ids))

    async def edit(self, chat_id: int, message_id: int, text: str) -> None:
        if self.fail is not None:
            raise self.fail
        self.edited.append((chat_id, message_id, text))


@pytest_asyncio.fixture(loop_scope="session")
async def parts(tmp_path: Path) -> AsyncIterator[Parts]:
    """Freshly wired parts on their own database file."""
    built = await build_parts(tmp_path)
    yield built
    await built.store.close()


def retention(parts: Parts, telegram: FakeTelegram, **policy: float) -> Retention:
    """Retention over the parts' store, reaching a fake Telegram."""
    return Retention(
        parts.store, RetentionPolicy(**policy), telegram.delete, telegram.edit, parts.outbox, "en"
    )


async def deliver_all(parts: Parts) -> None:
    """Deliver until the outbox is empty (one message per chat per pass)."""
    for _ in range(20):
        if not await parts.deliver():
            return


async def live_a_case(parts: Parts, user: int = USER) -> int:
    """Safety word, a check-in, a case with a location and a staff reply, all with MARKER."""
    conversation = parts.conversation
    ids = iter(range(100, 1000))
    await conversation.on_command(
        message(user_id=user, message_id=next(ids)), "safeword", f"{MARKER} word"
    )
    await parts.flows.start(message(user_id=user), "en", FlowName.CHECKIN)
    for answer in (f"{MARKER} town", "tomorrow", "12h", f"{MARKER} duress"):
        await conversation.on_text(message(answer, user_id=user, message_id=next(ids)))
    await conversation.on_text(message(f"what is {MARKER}?", user_id=user, message_id=next(ids)))
    replies = await conversation.on_text(
        message(f"help me, they locked me in {MARKER}", user_id=user, message_id=next(ids))
    )
    case = await parts.store.active_case(user)
    assert case is not None, replies
    await conversation.on_media(
        message(user_id=user, kind="location", location=(10.6104, 103.5296), message_id=next(ids))
    )
    await conversation.on_text(message(f"second {MARKER}", user_id=user, message_id=next(ids)))
    await parts.desk.cases.claim(STAFF, "Kim", case.id)
    await parts.desk.words.reply(STAFF, case.id, f"we see {MARKER}")
    await deliver_all(parts)
    return case.id


async def test_forget_erases_every_trace_of_a_user(parts: Parts, tmp_path: Path) -> None:
    database = tmp_path / "haven.sqlite3"
    case_id = await live_a_case(parts)
    await parts.desk.cases.resolve(STAFF, "Kim", case_id)
    await parts.flows.start(message(), "en", FlowName.CHECKIN)
    await parts.conversation.on_text(message(f"{MARKER} street", message_id=990))
    await deliver_all(parts)
    assert rows_about(database, USER)
    assert anywhere(database, tmp_path / KEY_FILE, MARKER), "the marker is there, sealed"
    assert MARKER.encode() not in disk_bytes(database), "and never in plain text"

    replies = await parts.conversation.on_command(message(message_id=999), "forget")

    assert replies[0].text.startswith("I erased everything")
    assert rows_about(database, USER) == {}
    assert anywhere(database, tmp_path / KEY_FILE, MARKER) == [], "not even in the WAL"
    assert parts.deleted, "the chat's messages were deleted first"
    assert parts.deleted[0][0] == USER
    assert {chat for chat, _ids in parts.deleted} == {USER, STAFF_CHAT}, "then the staff copies"
    with closing(sqlite3.connect(database)) as conn:
        assert conn.execute("SELECT COUNT(*) FROM redactions").fetchone() == (0,)
        assert conn.execute("SELECT COUNT(*) FROM cases").fetchone() == (0,)
        assert conn.execute("SELECT COUNT(*) FROM audit").fetchone()[0] > 0, "the audit stays"
    assert await parts.store.checkin(USER) is None
    await parts.checkins.tick()
    assert await parts.store.active_case(USER) is None


async def test_forget_removes_the_staff_group_copies_at_once(tmp_path: Path) -> None:
    telegram = FakeTelegram()
    parts = await build_parts(tmp_path, delete=telegram.delete, edit=telegram.edit)
    case_id = await live_a_case(parts)
    await parts.desk.cases.resolve(STAFF, "Kim", case_id)
    await deliver_all(parts)
    try:
        await parts.conversation.on_command(message(message_id=999), "forget")
        assert [chat for chat, _ids in telegram.deleted] == [USER, STAFF_CHAT]
        assert await parts.store.redactions() == []
    finally:
        await parts.store.close()


async def test_forget_keeps_an_open_case_until_staff_close_it(parts: Parts, tmp_path: Path) -> None:
    database = tmp_path / "haven.sqlite3"
    case_id = await live_a_case(parts)
    replies = await parts.conversation.on_command(message(message_id=999), "forget")
    # The phone may be in someone else's hands: the answer names no case (#23).
    assert replies[0].text == t("discreet.forgotten", "en")
    assert (await parts.store.case(case_id)).active
    first = (await parts.store.transcript(case_id))[0]
    assert first.text.endswith(MARKER)
    assert await parts.store.secrets(USER) == (None, f"{MARKER} word"), "staff still need it"
    assert await parts.store.recent(USER) == []
    assert await parts.store.checkin(USER) is None
    assert set(rows_about(database, USER)) <= {"users", "cases", "outbox", "staff_messages"}
    await parts.desk.words.reply(STAFF, case_id, "still here")
    await deliver_all(parts)
    assert any(item.text.endswith(f"🔑 {MARKER} word") for item in parts.sent[-3:])
    await parts.desk.cases.resolve(STAFF, "Kim", case_id)
    assert await parts.store.user(USER) is None
    assert await parts.store.secrets(USER) == (None, None)


async def test_retention_erases_closed_cases_and_their_copies(parts: Parts, tmp_path: Path) -> None:
    database = tmp_path / "haven.sqlite3"
    old_case = await live_a_case(parts, user=501)
    young_case = await live_a_case(parts, user=502)
    open_case = await live_a_case(parts, user=503)
    await parts.store.link_messages(old_case, STAFF_CHAT, [(7001, CopyKind.MEMBER)])
    for case_id in (old_case, young_case):
        await parts.desk.cases.resolve(STAFF, "Kim", case_id)
    await deliver_all(parts)
    with closing(sqlite3.connect(database)) as conn, conn:
        long_ago = iso(now() - timedelta(days=40))
        conn.execute("UPDATE cases SET resolved_at = ? WHERE id = ?", (long_ago, old_case))
        conn.execute("UPDATE staff_messages SET at = ? WHERE case_id = ?", (long_ago, old_case))
        copies = dict(
            conn.execute(
                "SELECT kind, COUNT(*) FROM staff_messages WHERE case_id = ? AND chat_id = ? "
                "GROUP BY kind",
                (old_case, STAFF_CHAT),
            ).fetchall()
        )
    assert copies["text"] >= 3
    assert copies["media"] == 1
    assert copies["member"] == 1
    telegram = FakeTelegram()

    expired = await retention(parts, telegram).run()

    assert expired.cases == 1
    assert {case.id for case in await parts.store.list_active()} == {open_case}
    assert (await parts.store.case(young_case)).status == "resolved"
    left = rows_about(database, 501)
    assert set(left) == {"users", "checkins", "recent_messages", "chat_messages"}, "not the case's"
    assert telegram.deleted == [], "copies older than 48 hours cannot be deleted"
    assert len(telegram.edited) == copies["text"]
    assert {text for _chat, _id, text in telegram.edited} == {f"case #{old_case}: content removed"}
    [notice] = await parts.deliver()
    assert notice.kind == OutboxKind.STAFF_NOTICE
    assert f"Case #{old_case}" in notice.text
    assert "2 of its messages" in notice.text
    assert await parts.store.redactions() == []

    again = await retention(parts, telegram, case_days=1e-9).run()
    assert again.cases == 1, "the young closed case, with a retention of a moment"
    assert {chat for chat, _ids in telegram.deleted} == {STAFF_CHAT}
    assert len(telegram.edited) == copies["text"], "young copies are deleted, not edited"
    assert await parts.store.redactions() == []


async def test_a_telegram_failure_keeps_copies_queued(parts: Parts) -> None:
    case_id = await live_a_case(parts)
    await parts.desk.cases.resolve(STAFF, "Kim", case_id)
    await deliver_all(parts)
    telegram = FakeTelegram()
    telegram.fail = DeliveryError("network down")
    await retention(parts, telegram, case_days=1e-9).run()
    queued = await parts.store.redactions()
    assert queued
    telegram.fail = Refused("400: message to delete not found")
    await retention(parts, telegram).scrub()
    assert await parts.store.redactions() == []


async def test_recent_messages_flows_and_ids_expire(parts: Parts, tmp_path: Path) -> None:
    database = tmp_path / "haven.sqlite3"
    await parts.conversation.on_text(message(f"what is {MARKER}?", message_id=5))
    await parts.flows.start(message(), "en", FlowName.CHECKIN)
    await parts.store.enqueue(Outgoing(USER, OutboxKind.CHECKIN, f"are you ok {MARKER}"))
    await deliver_all(parts)
    assert await parts.store.recent(USER) == [f"what is {MARKER}?"]
    kept = await retention(parts, FakeTelegram()).run()
    assert not kept.anything, "a day has not passed"
    with closing(sqlite3.connect(database)) as conn, conn:
        a_day_ago = iso(now() - timedelta(hours=25))
        conn.execute("UPDATE recent_messages SET at = ?", (a_day_ago,))
        conn.execute("UPDATE flows SET updated_at = ?", (a_day_ago,))
        conn.execute("UPDATE outbox SET sent_at = ?", (a_day_ago,))
        conn.execute("UPDATE chat_messages SET at = ?", (iso(now() - timedelta(hours=49)),))
    expired = await retention(parts, FakeTelegram()).run()
    # the user's message and the check-in question, logged when it was delivered
    assert (expired.recent, expired.flows, expired.outbox, expired.chat_messages) == (1, 1, 1, 2)
    assert await parts.store.recent(USER) == []
    assert await parts.store.flow(USER) is None
    assert set(rows_about(database, USER)) == {"users"}
    assert anywhere(database, tmp_path / KEY_FILE, MARKER) == []


async def test_the_audit_log_keeps_no_text(parts: Parts) -> None:
    await parts.store.audit(STAFF, "priority", 1, True, "high")
    await parts.store.audit(STAFF, "note", 1, True, f"they moved us to {MARKER} tower")
    log = await parts.store.audit_log(1)
    assert [(e.action, e.detail) for e in log] == [("priority", "high"), ("note", "")]


async def test_every_table_is_on_the_erasure_map(tmp_path: Path) -> None:
    store = await CaseStore.open(tmp_path / "map.sqlite3")
    await store.close()
    with closing(sqlite3.connect(tmp_path / "map.sqlite3")) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert tables == set(TABLES), "name a new table in bot/store/erasure.py and docs/privacy.md"
