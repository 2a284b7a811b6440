"""The smaller fail-safe items of issue 21, each on real parts (fast tier)."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import stat
import threading
from pathlib import Path

import pytest

from bot.core.folding import well_formed
from bot.desk.staffinput import note_text
from bot.desk.strangers import StrangerNotices
from bot.store import CaseStore, OutboxKind, Outgoing
from bot.store.crypto import Sealer
from tests.faults import inject
from tests.parts import STAFF, STAFF_CHAT, USER, build_parts, message, until

DISTRESS = "help me please, they locked me in"


async def test_forget_right_after_resolve_leaves_nothing_to_record(tmp_path: Path) -> None:
    parts = await build_parts(tmp_path)
    await parts.conversation.on_text(message(DISTRESS))
    await parts.deliver()
    case = await parts.store.active_case(USER)
    assert case is not None
    await parts.desk.cases.resolve(STAFF, "Kim", case.id)
    faults = inject(parts.store)
    faults.fail("UPDATE outbox SET sent_at", times=1)  # Telegram took it; the write failed
    await parts.deliver()
    assert parts.outbox.unrecorded >= 1
    await parts.store.forget(USER, USER)  # /forget, before the write is retried
    for _ in range(40):
        await parts.outbox.deliver_due()
        if parts.outbox.unrecorded == 0:
            break
        await asyncio.sleep(0.05)
    assert parts.outbox.unrecorded == 0
    assert not parts.outbox._store_alarmed
    await parts.store.close()


async def test_an_unpaired_surrogate_is_replaced_and_the_alert_goes(tmp_path: Path) -> None:
    assert well_formed("a\ud800b") == "a\ufffdb"
    assert well_formed("\ud83d\ude00") == "😀"
    sealer = Sealer(os.urandom(32))
    assert sealer.open(sealer.seal("x\udc00y", "t.c"), "t.c") == "x\ufffdy"
    parts = await build_parts(tmp_path)
    await parts.conversation.on_text(message(f"{DISTRESS} \ud800"))
    delivered = await parts.deliver()
    alerts = [i for i in delivered if i.kind == OutboxKind.ALERT]
    assert len(alerts) == 1
    assert "\ufffd" in alerts[0].text
    await parts.store.close()


async def test_an_open_data_folder_is_tightened_to_owner_only(tmp_path: Path) -> None:
    folder = tmp_path / "var"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    store = await CaseStore.open(folder / "haven.sqlite3")
    await store.close()
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


async def test_a_database_held_by_another_process_does_not_hold_the_answer(
    tmp_path: Path,
) -> None:
    """The person gets an answer, and staff the alert, while another writer holds the file."""
    parts = await build_parts(tmp_path)
    held, release = threading.Event(), threading.Event()

    def other_process() -> None:
        conn = sqlite3.connect(tmp_path / "haven.sqlite3", isolation_level=None)
        conn.execute("BEGIN EXCLUSIVE")
        held.set()
        release.wait(30)
        conn.execute("ROLLBACK")
        conn.close()

    thread = threading.Thread(target=other_process)
    thread.start()
    held.wait(5)
    try:
        loop = asyncio.get_running_loop()
        started = loop.time()
        replies = await parts.conversation.on_text(message(DISTRESS))
        waited = loop.time() - started
    finally:
        release.set()
        thread.join()
    assert replies
    print(f"answered after {waited:.1f}s with the database held")
    assert any("🚨" in text or "case" in text.lower() for text in parts.to(STAFF_CHAT))
    await parts.store.close()


def test_each_stranger_is_told_once_an_hour() -> None:
    clock = [0.0]
    notices = StrangerNotices(clock=lambda: clock[0])
    assert notices.may_tell(5)
    assert not any(notices.may_tell(5) for _ in range(40))
    assert notices.may_tell(6)
    clock[0] = 3601.0
    assert notices.may_tell(5)


async def test_private_deliveries_do_not_wait_behind_the_group(tmp_path: Path) -> None:
    """The group's send waits out its limit; a caseworker's words to a person go meanwhile."""
    parts = await build_parts(tmp_path)
    await parts.conversation.on_text(message(DISTRESS))
    await parts.deliver()
    case = await parts.store.active_case(USER)
    assert case is not None
    gate = asyncio.Event()
    original = parts.outbox._send

    async def group_limited(item):  # type: ignore[no-untyped-def]
        if item.chat_id == STAFF_CHAT:
            await gate.wait()  # the group's bucket is empty
        return await original(item)

    parts.outbox._send = group_limited
    await parts.store.enqueue(Outgoing(STAFF_CHAT, OutboxKind.STAFF_NOTICE, "group notice"))
    await parts.desk.words.reply(STAFF, case.id, "We are here.")
    parts.outbox.start()
    try:
        await until(lambda: any("We are here." in t for t in parts.to(USER)))
        assert "group notice" not in parts.to(STAFF_CHAT)
        gate.set()
        await until(lambda: "group notice" in parts.to(STAFF_CHAT))
    finally:
        gate.set()
        await parts.outbox.stop()
        await parts.store.close()


@pytest.mark.parametrize(
    "typed",
    [
        "! her boss reads her phone",
        "！ her boss reads her phone",
        "❗her boss reads her phone",
        "\u200b！her boss reads her phone",
        "﹗her boss reads her phone",
        "📝 her boss reads her phone",
        "🗒️ her boss reads her phone",
        "\u3000! her boss reads her phone",
    ],
)
def test_look_alike_note_markers_keep_words_internal(typed: str) -> None:
    assert note_text(typed) == "her boss reads her phone"


@pytest.mark.parametrize("typed", ["Are you safe!", "We are here ❗", "안녕하세요!"])
def test_words_without_a_leading_marker_are_no_note(typed: str) -> None:
    assert note_text(typed) is None


async def test_topic_words_wait_for_undo_then_leave_with_the_time(tmp_path: Path) -> None:
    from bot.desk.staffinput import ButtonAction
    from tests.unit.desk.test_desk_units import FakeForum

    parts = await build_parts(tmp_path, forum=FakeForum(), topic_undo_seconds=0.3)
    await parts.conversation.on_text(message(DISTRESS))
    await parts.deliver()
    case = await parts.store.active_case(USER)
    assert case is not None
    topic = await parts.store.topic(case.id)
    assert topic is not None
    parts.outbox.start()
    try:
        held = await parts.desk.drafts.topic_message(
            STAFF, "Kim", topic.thread_id, "I think her boss reads her phone", "staff:-1:7"
        )
        assert held is not None
        assert "Undo" in held.buttons[0].title
        token = held.buttons[0].data.split(":", 1)[1]
        said, settled = await parts.desk.drafts.settle_draft(STAFF, "Kim", ButtonAction.DROP, token)
        assert settled
        assert "Not sent" in said
        sent = await parts.desk.drafts.topic_message(
            STAFF, "Kim", topic.thread_id, "We are here.", "staff:-1:8"
        )
        assert sent is not None
        await until(lambda: any("We are here." in text for text in parts.to(USER)))
        await until(lambda: any(text.startswith("✓") for text in parts.to(STAFF_CHAT)))
        token = sent.buttons[0].data.split(":", 1)[1]
        late, _ = await parts.desk.drafts.settle_draft(STAFF, "Kim", ButtonAction.DROP, token)
        assert "Already sent" in late
        await asyncio.sleep(0.5)
    finally:
        await parts.outbox.stop()
        await parts.store.close()
    assert not any("boss" in text for text in parts.to(USER))
    assert sum("We are here." in text for text in parts.to(USER)) == 1
    confirmation = next(text for text in parts.to(STAFF_CHAT) if text.startswith("✓"))
    assert confirmation.endswith(" UTC")
