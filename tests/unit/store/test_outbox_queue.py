"""The outbox table: long texts split into rows, dead letters out of the way, moved chats."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from bot.core.replies import MAX_TEXT, ReplyButton, split_text, utf16_len
from bot.store import CaseStore, OutboxKind, Outgoing


def test_split_counts_utf16_units_and_never_cuts_a_word() -> None:
    text = " ".join(["😀안녕하세요"] * 1500)  # 1 emoji = 2 units: 9,000 units, 6,000 chars
    parts = split_text(text)
    assert all(utf16_len(p) <= MAX_TEXT for p in parts)
    assert " ".join(parts) == text
    assert len(parts) == 3


async def test_a_long_message_is_queued_as_parts_each_its_own_row(tmp_path: Path) -> None:
    store = await CaseStore.open(tmp_path / "h.db")
    long = "\n\n".join(f"paragraph {i} " + "word " * 150 for i in range(12))
    button = ReplyButton("✓", "del")
    ids = await store.enqueue(
        Outgoing(5, OutboxKind.TO_USER, long, buttons=(button,), dedupe_key="reply:1")
    )
    assert len(ids) == 3
    rows = []
    for _ in ids:
        [item] = await store.pending()
        rows.append(item)
        await store.mark_sent(item, item.id)
    assert [r.id for r in rows] == ids
    assert all(utf16_len(r.text) <= MAX_TEXT for r in rows)
    assert [r.buttons for r in rows] == [(), (), (button,)]
    assert " ".join(r.text for r in rows).split() == long.split()
    assert all(r.text.startswith("paragraph") for r in rows)
    assert await store.enqueue(Outgoing(5, OutboxKind.TO_USER, long, dedupe_key="reply:1")) == []
    await store.close()


async def test_a_dead_letter_leaves_the_queue_and_the_chat_goes_on(tmp_path: Path) -> None:
    store = await CaseStore.open(tmp_path / "h.db")
    for text in ("first", "second", "third"):
        await store.enqueue(Outgoing(5, OutboxKind.TO_USER, text))
    [first] = await store.pending()
    await store.mark_dead(first, "400: Bad Request: can't parse entities")
    [second] = await store.pending()
    assert second.text == "second"
    assert [p.text for p in await store.pending(skip={second.id})] == ["third"]
    stats = await store.outbox_stats()
    assert (stats.pending, stats.dead, stats.dead_last_day) == (2, 1, 1)
    assert stats.last_dead_error == "400: Bad Request: can't parse entities"
    await store.close()


async def test_a_moved_group_takes_its_live_rows_along(tmp_path: Path) -> None:
    store = await CaseStore.open(tmp_path / "h.db")
    for text in ("sent", "dead", "live 1", "live 2"):
        await store.enqueue(Outgoing(-100, OutboxKind.STAFF_NOTICE, text))
    [sent] = await store.pending()
    await store.mark_sent(sent, 1)
    [dead] = await store.pending()
    await store.mark_dead(dead, "refused")
    assert await store.move_chat(-100, -1001) == 2
    assert [(p.chat_id, p.text) for p in await store.pending()] == [(-1001, "live 1")]
    await store.move_chat(-1001, -1002)
    assert await store.moved_to(-100) == -1002
    assert await store.moved_to(-5) == -5
    await store.close()


async def test_a_source_still_to_be_copied_is_deleted_only_after_the_copy(tmp_path: Path) -> None:
    store = await CaseStore.open(tmp_path / "h.db")
    await store.log_message(5, 40, "user")
    await store.log_message(5, 41, "user")
    await store.enqueue(
        Outgoing(-100, OutboxKind.RELAY_COPY, "", copy_from_chat=5, copy_message_id=40), 1
    )
    await store.schedule_deletion(5, 0)
    assert await store.due_deletions(timedelta(hours=47)) == {5: [41]}
    await store.mark_deleted(5, [41])
    [copy] = await store.pending()
    assert copy.delete_source
    await store.mark_sent(copy, 900)
    assert await store.due_deletions(timedelta(hours=47)) == {5: [40]}
    await store.close()


async def test_stuck_rows_are_found_by_kind_and_age(tmp_path: Path) -> None:
    store = await CaseStore.open(tmp_path / "h.db")
    await store.enqueue(Outgoing(-100, OutboxKind.ALERT, "alert"), 1)
    await store.enqueue(Outgoing(-100, OutboxKind.RELAY, "relay"), 1)
    assert await store.stuck({OutboxKind.ALERT}, timedelta(minutes=3)) == []
    [stuck] = await store.stuck({OutboxKind.ALERT}, timedelta(0))
    assert stuck.text == "alert"
    await store.close()
