"""The case store on a real SQLite file."""

from __future__ import annotations

import asyncio
import stat
from datetime import timedelta
from pathlib import Path

import pytest

from bot.core.errors import CaseNotFound, StoreError
from bot.store import (
    MIGRATIONS,
    CaseStore,
    CheckIn,
    OutboxKind,
    Outgoing,
    UserPrefs,
    UserState,
    iso,
    now,
)


def alert_for(case_id: int) -> Outgoing:
    return Outgoing(
        chat_id=-100, kind=OutboxKind.ALERT, text=f"case {case_id}", dedupe_key=f"a:{case_id}"
    )


async def open_case(store: CaseStore, user: int = 7, text: str = "help") -> tuple[int, bool]:
    case, created = await store.open_case(
        user_id=user,
        chat_id=user,
        language="ko",
        priority="high",
        reason="net:self",
        first_message=text,
        render_alert=lambda c: alert_for(c.id),
    )
    return case.id, created


async def test_file_is_private_and_in_wal_mode(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "haven.sqlite3"
    store = await CaseStore.open(path)
    await open_case(store)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert Path(f"{path}-wal").exists()
    assert await store.schema_version() == len(MIGRATIONS)
    await store.close()


async def test_migrations_are_applied_once(tmp_path: Path) -> None:
    path = tmp_path / "haven.sqlite3"
    store = await CaseStore.open(path)
    await open_case(store)
    await store.close()
    again = await CaseStore.open(path)
    assert await again.schema_version() == len(MIGRATIONS)
    assert len(await again.list_active()) == 1
    await again.close()


async def test_case_and_alert_written_together(tmp_path: Path) -> None:
    store = await CaseStore.open(tmp_path / "h.db")
    case_id, created = await open_case(store)
    assert created
    pending = await store.pending()
    assert [(p.kind, p.text, p.case_id) for p in pending] == [("alert", f"case {case_id}", case_id)]
    await store.close()


async def test_second_message_joins_the_open_case(tmp_path: Path) -> None:
    store = await CaseStore.open(tmp_path / "h.db")
    first, _ = await open_case(store, text="help")
    second, created = await open_case(store, text="they locked the door")
    assert (second, created) == (first, False)
    assert [e.text for e in await store.transcript(first)] == ["help", "they locked the door"]
    assert len(await store.pending()) == 1
    await store.close()


async def test_concurrent_escalations_open_one_case(tmp_path: Path) -> None:
    store = await CaseStore.open(tmp_path / "h.db")
    results = await asyncio.gather(*(open_case(store, text=f"m{i}") for i in range(20)))
    assert len({case_id for case_id, _ in results}) == 1
    assert sum(created for _, created in results) == 1
    assert len(await store.transcript(results[0][0])) == 20
    await store.close()


async def test_claim_resolve_and_a_new_case_after(tmp_path: Path) -> None:
    store = await CaseStore.open(tmp_path / "h.db")
    case_id, _ = await open_case(store)
    claimed = await store.claim(case_id, staff_id=99)
    assert (claimed.status, claimed.claimed_by) == ("claimed", 99)
    resolved = await store.resolve(case_id, staff_id=99)
    assert resolved.status == "resolved"
    with pytest.raises(StoreError):
        await store.resolve(case_id, staff_id=99)
    assert await store.active_case(7) is None
    new_id, created = await open_case(store)
    assert created
    assert new_id != case_id
    with pytest.raises(CaseNotFound):
        await store.claim(12345, staff_id=1)
    await store.close()


async def test_active_cases_sorted_by_priority_then_age(tmp_path: Path) -> None:
    store = await CaseStore.open(tmp_path / "h.db")
    normal, _ = await store.open_case(
        user_id=1, chat_id=1, language="en", priority="normal", reason="r", first_message="x"
    )
    high, _ = await store.open_case(
        user_id=2, chat_id=2, language="en", priority="high", reason="r", first_message="y"
    )
    assert [c.id for c in await store.list_active()] == [high.id, normal.id]
    await store.set_priority(normal.id, "high")
    assert [c.id for c in await store.list_active()] == [normal.id, high.id]
    await store.close()


async def test_outbox_backoff_keeps_chat_order(tmp_path: Path) -> None:
    store = await CaseStore.open(tmp_path / "h.db")
    await store.enqueue(Outgoing(5, OutboxKind.TO_USER, "first"))
    await store.enqueue(Outgoing(5, OutboxKind.TO_USER, "second"))
    await store.enqueue(Outgoing(6, OutboxKind.TO_USER, "other chat"))
    first = (await store.pending())[0]
    await store.mark_failed(first, "boom", retry_in=60)
    assert [p.text for p in await store.pending()] == ["other chat"]
    await store.close()


async def test_dedupe_key_queues_an_alert_once(tmp_path: Path) -> None:
    store = await CaseStore.open(tmp_path / "h.db")
    await store.enqueue(alert_for(1))
    await store.enqueue(alert_for(1))
    assert len(await store.pending()) == 1
    await store.close()


async def test_realert_only_unclaimed_cases_past_interval(tmp_path: Path) -> None:
    store = await CaseStore.open(tmp_path / "h.db")
    case_id, _ = await open_case(store)
    assert await store.due_for_realert(timedelta(minutes=5)) == []
    due = await store.due_for_realert(timedelta(seconds=0))
    assert [c.id for c in due] == [case_id]
    await store.claim(case_id, 1)
    assert await store.due_for_realert(timedelta(seconds=0)) == []
    await store.close()


async def test_recent_messages_are_bounded_and_forgettable(tmp_path: Path) -> None:
    store = await CaseStore.open(tmp_path / "h.db")
    for i in range(20):
        await store.add_recent(3, f"m{i}")
    assert await store.recent(3) == [f"m{i}" for i in range(12, 20)]
    await store.remember_user(3, 3, "ko", fixed=True)
    await store.forget(3)
    assert await store.recent(3) == []
    assert await store.user(3) is None
    await store.close()


async def test_user_state_reads_everything_a_message_is_decided_on(tmp_path: Path) -> None:
    store = await CaseStore.open(tmp_path / "h.db")
    assert await store.user_state(5) == UserState()
    await store.remember_user(5, 5, "ko", fixed=True)
    await store.set_secret(5, "codeword_hash", "h")
    await store.save_flow(5, "rescue", 2, {"name": "KIM"})
    await store.save_checkin(
        CheckIn(5, 5, "ko", "Phnom Penh", "today", 60, 30, None, iso(now()), iso(now()))
    )
    case_id, _ = await open_case(store, user=5)
    state = await store.user_state(5)
    assert state.prefs == UserPrefs(5, 5, "ko", True)
    assert state.codeword_hash == "h"
    assert state.flow == ("rescue", 2, {"name": "KIM"})
    assert state.awaiting_checkin
    assert state.case == await store.case(case_id)
    assert await store.user_state(6) == UserState()
    await store.resolve(case_id, staff_id=1)
    assert (await store.user_state(5)).case is None
    await store.close()


async def test_take_in_records_an_incoming_message_at_once(tmp_path: Path) -> None:
    store = await CaseStore.open(tmp_path / "h.db")
    await store.take_in(8, 8, 100, language="en", recent="hello")
    await store.take_in(8, 8, 101)
    assert await store.user(8) == UserPrefs(8, 8, "en", False)
    assert await store.recent(8) == ["hello"]
    assert await store.deletable_messages(8, timedelta(hours=1)) == [100, 101]
    await store.close()


async def test_audit_records_refusals(tmp_path: Path) -> None:
    store = await CaseStore.open(tmp_path / "h.db")
    await store.audit(42, "claim", 1, allowed=False)
    entries = await store.audit_log(1)
    assert [(e.actor_id, e.action, e.allowed) for e in entries] == [(42, "claim", False)]
    await store.close()
