"""The record of a message is written beside its answer: the reply never waits for the disk,
and nothing of the same user is read before it is written."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any, cast

import pytest
import pytest_asyncio

from bot.chat.bookkeeping import Bookkeeping, IncomingRecords
from bot.core.errors import StoreError
from tests.parts import USER, Parts, build_parts, message


@pytest_asyncio.fixture(loop_scope="session")
async def parts(tmp_path: Path) -> AsyncIterator[Parts]:
    """Freshly wired parts on their own database file (no engine: the net answers alone)."""
    built = await build_parts(tmp_path, grace_minutes=0.0)
    yield built
    await built.store.close()


class SlowStore:
    """A store whose take_in waits for ``release``, noting the order of the writes."""

    def __init__(self) -> None:
        self.release = asyncio.Event()
        self.written: list[str | None] = []
        self.fail: Exception | None = None

    async def take_in(self, user_id: int, chat_id: int, *args: Any) -> None:
        await self.release.wait()
        if self.fail is not None:
            raise self.fail
        self.written.append(args[-1])


def keeping(store: SlowStore) -> Bookkeeping:
    return Bookkeeping(cast(IncomingRecords, store))


async def test_settle_waits_for_the_write_and_writes_keep_their_order() -> None:
    store = SlowStore()
    records = keeping(store)
    records.start(USER, records.take_in(message("first"), None, "first"))
    records.start(USER, records.take_in(message("second"), None, "second"))
    settled = asyncio.create_task(records.settle(USER))
    await asyncio.sleep(0.01)
    assert not settled.done(), "settle returned before the record was written"
    assert store.written == []
    store.release.set()
    await settled
    assert store.written == ["first", "second"]


async def test_a_failed_record_is_logged_and_never_raised(caplog: pytest.LogCaptureFixture) -> None:
    store = SlowStore()
    store.release.set()
    records = keeping(store)
    store.fail = StoreError("database is locked")
    records.start(USER, records.take_in(message("hi"), None, "hi"))
    await records.settle(USER)
    store.fail = RuntimeError("unexpected")
    records.start(USER, records.take_in(message("hi"), None, "hi"))
    with caplog.at_level(logging.ERROR):
        await records.settle(USER)
        await asyncio.sleep(0)
    assert "could not record" in caplog.text
    assert "recording an incoming message failed" in caplog.text
    await records.settle(USER)  # nothing left pending


async def test_an_ordinary_answer_leaves_before_its_record(
    parts: Parts, monkeypatch: pytest.MonkeyPatch
) -> None:
    """answer_text returns while the record is still being written; on_text only after it."""
    conversation = parts.conversation
    release = asyncio.Event()
    take_in = parts.store.take_in

    async def slow_take_in(*args: Any) -> None:
        await release.wait()
        await take_in(*args)

    monkeypatch.setattr(parts.store, "take_in", slow_take_in)
    answer = asyncio.create_task(
        conversation.answer_text(message("what is the weather like in Seoul"))
    )
    replies = await asyncio.wait_for(answer, 10)
    assert replies, "the answer waited for its record"
    assert await parts.store.recent(USER) == []
    later = asyncio.create_task(conversation.on_text(message("and in Busan?")))
    await asyncio.sleep(0.05)
    assert not later.done(), "the next message was read before the last one was recorded"
    release.set()
    await conversation.settle(USER)
    await later
    assert await parts.store.recent(USER) == [
        "what is the weather like in Seoul",
        "and in Busan?",
    ]


async def test_a_cry_for_help_is_recorded_before_its_case_opens(
    parts: Parts, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Escalating reads the recent messages for the alert: the message's record comes first."""
    order: list[str] = []
    take_in, escalate = parts.store.take_in, parts.conversation.answers.escalate

    async def noted_take_in(*args: Any) -> None:
        await asyncio.sleep(0.02)
        await take_in(*args)
        order.append("recorded")

    async def noted_escalate(*args: Any, **kwargs: Any) -> Any:
        order.append("escalated")
        return await escalate(*args, **kwargs)

    monkeypatch.setattr(parts.store, "take_in", noted_take_in)
    monkeypatch.setattr(parts.conversation.answers, "escalate", noted_escalate)
    replies = await parts.conversation.answer_text(message("help me please, they locked me in"))
    assert "#1" in replies[0].text
    assert order == ["recorded", "escalated"]
