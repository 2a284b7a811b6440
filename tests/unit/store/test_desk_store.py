"""The staff desk's bookkeeping on a real SQLite file: topics, digests, each case's timeline."""

from __future__ import annotations

import json
import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest

from bot.core.errors import StoreError
from bot.store import (
    MIGRATIONS,
    CaseStore,
    CaseTag,
    OutboxKind,
    Outgoing,
    now,
)

STAFF_CHAT = -1001


def alert(case_id: int) -> Outgoing:
    return Outgoing(STAFF_CHAT, OutboxKind.ALERT, f"alert {case_id}", dedupe_key=f"alert:{case_id}")


async def open_case(
    store: CaseStore, user: int, text: str = "help", reason: str = "net:self"
) -> int:
    case, _ = await store.open_case(
        user_id=user,
        chat_id=user,
        language="ko",
        priority="high",
        reason=reason,
        first_message=text,
        render_alert=lambda c: alert(c.id),
    )
    return case.id


async def test_a_case_s_timeline_from_open_to_resolve(tmp_path: Path) -> None:
    store = await CaseStore.open(tmp_path / "h.db")
    case_id = await open_case(store, 7)
    missed = await open_case(store, 8, reason="missed check-in")
    first = await store.case_metrics(case_id)
    assert first is not None
    assert (first.priority, first.language, first.missed_checkin) == ("high", "ko", False)
    assert first.seen_at is None
    assert (await store.case_metrics(missed)).missed_checkin  # type: ignore[union-attr]
    [pending] = await store.pending()  # one message per chat at a time, in order
    assert pending.case_id == case_id
    await store.mark_sent(pending, 500)
    await store.claim(case_id, 1)
    claimed = await store.case_metrics(case_id)
    assert claimed is not None
    assert claimed.seen_at is not None
    assert claimed.claimed_at is not None
    await store.add_transcript(
        case_id, "staff", "text", "hello", outgoing=[Outgoing(7, OutboxKind.FROM_STAFF, "hi")]
    )
    words = next(p for p in await store.pending() if p.kind == OutboxKind.FROM_STAFF)
    await store.mark_sent(words, 600)
    await store.resolve(case_id, 1, CaseTag.RESCUED)
    done = await store.case_metrics(case_id)
    assert done is not None
    assert done.first_reply_at is not None
    assert (done.tag, done.resolved_at is not None) == (CaseTag.RESCUED, True)
    since = await store.metrics_since(now() - timedelta(hours=1))
    assert [m.case_id for m in since] == [case_id, missed]
    assert await store.waiting_counts() == (1, 1)
    await store.close()


async def test_unclaim_puts_the_case_back_and_restarts_the_ladder(tmp_path: Path) -> None:
    store = await CaseStore.open(tmp_path / "h.db")
    case_id = await open_case(store, 7)
    assert [c.id for c in await store.due_for_supervisors(timedelta(0))] == [case_id]
    await store.call_supervisors(case_id, Outgoing(STAFF_CHAT, OutboxKind.SUPERVISOR, "📣"))
    assert await store.due_for_supervisors(timedelta(0)) == []
    await store.claim(case_id, 1)
    back = await store.unclaim(case_id)
    assert (back.status, back.claimed_by) == ("open", None)
    assert [c.id for c in await store.due_for_supervisors(timedelta(0))] == [case_id]
    assert await store.due_for_supervisors(timedelta(minutes=5)) == []
    await store.resolve(case_id, 1)
    with pytest.raises(StoreError):
        await store.unclaim(case_id)
    await store.close()


async def test_topics_are_found_by_case_by_thread_and_by_person(tmp_path: Path) -> None:
    store = await CaseStore.open(tmp_path / "h.db")
    first = await open_case(store, 7)
    notice = Outgoing(STAFF_CHAT, OutboxKind.CASE_NOTICE, "🆕 #1")
    await store.set_topic(first, STAFF_CHAT, 55, notice)
    [waiting] = await store.pending()
    await store.mark_sent(waiting, 1)
    assert [p.kind for p in await store.pending()] == ["case_notice"]
    topic = await store.topic(first)
    assert topic is not None
    assert (topic.thread_id, topic.closed) == (55, False)
    await store.set_topic_closed(STAFF_CHAT, 55, True)
    assert (await store.topic(first)).closed  # type: ignore[union-attr]
    await store.resolve(first, 1)
    second = await open_case(store, 7)
    other = await open_case(store, 9)
    earlier = await store.earlier_topic(second, STAFF_CHAT)
    assert earlier is not None
    assert earlier.thread_id == 55
    assert await store.earlier_topic(other, STAFF_CHAT) is None
    await store.set_topic(second, STAFF_CHAT, 55)
    assert await store.case_for_thread(STAFF_CHAT, 55) == second
    assert await store.case_for_thread(STAFF_CHAT, 56) is None
    await store.forget_thread(STAFF_CHAT, 55)
    assert await store.topic(second) is None
    await store.close()


async def test_a_digest_is_erased_with_any_of_its_cases(tmp_path: Path) -> None:
    store = await CaseStore.open(tmp_path / "h.db")
    cases = [await open_case(store, user, text=f"first words {user}") for user in (1, 2, 3)]
    unseen = await store.unseen_alerts(STAFF_CHAT)
    assert [(u.case_id, u.first_line) for u in unseen] == [
        (cases[0], "first words 1"),
        (cases[1], "first words 2"),
        (cases[2], "first words 3"),
    ]
    await store.record_digest(STAFF_CHAT, 900, cases[:2])
    assert [u.case_id for u in await store.unseen_alerts(STAFF_CHAT)] == [cases[2]]
    await store.resolve(cases[1], 1)
    await store.forget(2)
    assert [(r.chat_id, r.message_id) for r in await store.redactions()] == [(STAFF_CHAT, 900)]
    kept = await store.case_metrics(cases[1])
    assert kept is not None, "the timeline outlives the case: it holds nothing of the person"
    await store.close()


async def test_the_migration_gives_earlier_cases_a_timeline(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as db:
        for number, script in enumerate(MIGRATIONS[:4], start=1):
            db.executescript(f"{script}\nPRAGMA user_version = {number};")
        db.execute(
            "INSERT INTO cases (user_id, chat_id, language, status, priority, reason, "
            "created_at, claimed_at) VALUES (1, 1, 'en', 'claimed', 'normal', "
            "'missed check-in', '2026-01-01T00:00:00.000+00:00', '2026-01-01T00:05:00.000+00:00')"
        )
    store = await CaseStore.open(path)
    metrics = await store.case_metrics(1)
    assert metrics is not None
    assert (metrics.missed_checkin, metrics.claimed_at) == (True, "2026-01-01T00:05:00.000+00:00")
    await store.close()


async def test_retention_folds_old_timelines_into_counts_that_only_grow(tmp_path: Path) -> None:
    store = await CaseStore.open(tmp_path / "h.db")
    resolved = await open_case(store, 7)
    missed = await open_case(store, 8, reason="missed check-in")
    still_open = await open_case(store, 9)
    await store.resolve(resolved, 1, CaseTag.RESCUED)
    await store.resolve(missed, 1)
    kept = await store.expire(timedelta(days=30), timedelta(hours=24), timedelta(days=90))
    assert kept.timelines == 0, "resolved just now: kept for the numbers"
    expired = await store.expire(timedelta(days=30), timedelta(hours=24), timedelta(0))
    assert expired.timelines == 2
    assert await store.case_metrics(resolved) is None
    assert await store.case_metrics(still_open) is not None, "the ladder needs an open case"
    folded = await store.metrics_folded()
    assert folded == {"opened:high": 2, "resolved:rescued": 1, "resolved:none": 1, "missed": 1}
    await store.resolve(still_open, 1, CaseTag.SAFE)
    await store.expire(timedelta(days=30), timedelta(hours=24), timedelta(0))
    again = await store.metrics_folded()
    assert again["opened:high"] == 3
    assert again["resolved:safe"] == 1
    assert await store.metrics_since(now() - timedelta(days=365)) == []
    await store.close()
    raw = sqlite3.connect(tmp_path / "h.db")
    try:
        [(value,)] = raw.execute("SELECT value FROM meta WHERE key = 'metrics_totals'")
        assert set(json.loads(value)) == {  # counts only: no case number
            "opened:high", "resolved:rescued", "resolved:none", "resolved:safe", "missed",
        }  # fmt: skip
    finally:
        raw.close()
