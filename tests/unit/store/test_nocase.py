"""A person read to have no open case is not asked about again until a case opens."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest_asyncio

from bot.store import CaseKind, CaseStore, Priority
from bot.store.nocase import NoOpenCase


@pytest_asyncio.fixture(loop_scope="session")
async def store(tmp_path: Path) -> AsyncIterator[CaseStore]:
    opened = await CaseStore.open(tmp_path / "h.db")
    yield opened
    await opened.close()


def reads(store: CaseStore) -> list[str]:
    """Record every query the store sends to its connection from now on."""
    seen: list[str] = []
    conn = store._db._conn  # the test counts trips to the disk
    execute_fetchall = conn.execute_fetchall

    async def counted(sql: str, *args: object) -> object:
        seen.append(sql)
        return await execute_fetchall(sql, *args)

    conn.execute_fetchall = counted  # type: ignore[method-assign,assignment]
    return seen


async def open_case(store: CaseStore, user: int) -> int:
    case, created = await store.open_case(
        user_id=user, chat_id=user, language="en", priority="high",
        reason="net:test", first_message="help",
    )  # fmt: skip
    assert created
    return case.id


async def test_no_case_is_read_once_then_known(store: CaseStore) -> None:
    seen = reads(store)
    assert await store.active_case(5) is None
    assert await store.active_case(5) is None
    assert await store.active_case(5) is None
    assert len([q for q in seen if "FROM cases" in q]) == 1


async def test_the_state_read_teaches_it_too(store: CaseStore) -> None:
    assert (await store.user_state(6)).case is None
    seen = reads(store)
    assert await store.active_case(6) is None
    assert seen == []


async def test_a_case_that_opens_is_seen_at_once(store: CaseStore) -> None:
    assert await store.active_case(7) is None
    assert await store.active_case(8) is None
    case_id = await open_case(store, 7)
    found = await store.active_case(7)
    assert found is not None
    assert found.id == case_id
    seen = reads(store)
    assert await store.active_case(8) is None  # every opening forgets everything known
    assert len(seen) == 1


async def test_a_resolved_case_leaves_none_and_a_new_one_is_seen(store: CaseStore) -> None:
    first = await open_case(store, 9)
    await store.resolve(first, 1)
    assert await store.active_case(9) is None
    second = await open_case(store, 9)
    found = await store.active_case(9)
    assert found is not None
    assert found.id == second


async def test_a_read_waiting_behind_an_opening_sees_the_case(store: CaseStore) -> None:
    """A read queued behind the transaction that opens a case must not come back as none."""
    async with store._db.transaction() as tx:  # open it as the intake does
        reader = asyncio.create_task(store.active_case(10))
        await asyncio.sleep(0.01)  # the read has begun and waits for the connection
        case, _ = await store._cases.open(
            tx, user_id=10, chat_id=10, language="en", priority=Priority.HIGH,
            reason="net:test", first_message="help", kind=CaseKind.STANDARD,
        )  # fmt: skip
    found = await reader
    assert found is not None
    assert found.id == case.id
    assert (await store.active_case(10)) == found


def test_the_memo_forgets_on_opening_and_ignores_raced_reads() -> None:
    memo = NoOpenCase(kept=2)
    stamp = memo.stamp()
    memo.opening()
    memo.learn(1, stamp)
    assert not memo.known(1)
    memo.learn(1, memo.stamp())
    memo.learn(2, memo.stamp())
    assert memo.known(1)
    assert memo.known(2)
    memo.learn(3, memo.stamp())  # over the limit: start again
    assert memo.known(3)
    assert not memo.known(1)
    memo.opening()
    assert not memo.known(3)


def test_no_other_path_writes_a_case_row() -> None:
    """Only Cases.open inserts into cases, so the memo hears of every opening."""
    root = Path(__file__).resolve().parents[3] / "bot"
    inserting = [
        p.relative_to(root).as_posix()
        for p in root.rglob("*.py")
        if "INSERT INTO cases" in p.read_text(encoding="utf-8")
        or "INSERT OR REPLACE INTO cases" in p.read_text(encoding="utf-8")
    ]
    assert inserting == ["store/cases.py"]
