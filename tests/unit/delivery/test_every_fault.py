"""Every store call on the delivery path fails in turn: each message still arrives once.

For each kind of message (an alert, a relay, a /reply, words typed in a case's topic, a
canned reply, a "resolved" notice, alerts in a burst with their digest) a clean run lists the SQL statements its
delivery makes; then, for each of them in turn, a fresh run fails that statement (locked,
disk full, I/O error; once, and again four times in a row) and counts the copies on the
person's phone and in the staff group: exactly one, every time, and the ✓ at most once.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.core.triage import HIGH
from bot.store import OutboxItem, OutboxKind
from tests.faults import KINDS, fail_nth, inject
from tests.parts import STAFF, STAFF_CHAT, USER, Parts, build_parts
from tests.unit.desk.test_desk_units import FakeForum

Step = Callable[[Parts, int], Awaitable[None]]


@dataclass(frozen=True)
class Scenario:
    """Set a case up, then queue one message whose delivery is tested."""

    topics: bool
    queue: Step
    counted: Callable[[OutboxItem], bool]
    room: int = 1_000_000


async def open_case(parts: Parts) -> int:
    case, _ = await parts.intake.open(USER, USER, "en", "test", HIGH, "help me, locked in")
    return case.id


async def nothing(parts: Parts, case_id: int) -> None:
    return None


async def relay(parts: Parts, case_id: int) -> None:
    case = await parts.store.case(case_id)
    await parts.desk.relays.text(case, "they are coming back")


async def reply(parts: Parts, case_id: int) -> None:
    await parts.desk.words.reply(STAFF, case_id, "We are here.")


async def topic_words(parts: Parts, case_id: int) -> None:
    topic = await parts.store.topic(case_id)
    assert topic is not None
    await parts.desk.drafts.topic_message(
        STAFF, "Kim", topic.thread_id, "We are here.", "staff:-1:55"
    )


async def canned(parts: Parts, case_id: int) -> None:
    await parts.desk.drafts.send_canned(STAFF, case_id, "call_center")


async def resolve(parts: Parts, case_id: int) -> None:
    await parts.desk.cases.resolve(STAFF, "Kim", case_id)


def kind(*kinds: OutboxKind) -> Callable[[OutboxItem], bool]:
    return lambda item: item.kind in kinds


def words(item: OutboxItem) -> bool:
    return item.chat_id == USER and item.kind == OutboxKind.FROM_STAFF


SCENARIOS = {
    "alert": Scenario(False, nothing, kind(OutboxKind.ALERT)),
    "alert in a topic": Scenario(True, nothing, kind(OutboxKind.ALERT, OutboxKind.CASE_NOTICE)),
    "relay": Scenario(False, relay, kind(OutboxKind.RELAY)),
    "reply": Scenario(False, reply, words),
    "topic words": Scenario(True, topic_words, words),
    "canned reply": Scenario(True, canned, words),
    "resolved": Scenario(True, resolve, lambda i: "resolved" in i.text and i.chat_id == STAFF_CHAT),
    "alerts in a burst": Scenario(False, nothing, kind(OutboxKind.ALERT), room=3),
}


async def run(
    tmp_path: Path, scenario: Scenario, fault: tuple[int, int, str] | None
) -> tuple[Parts, list[str], int]:
    """One run: set up, arm the fault (skip, times, message), deliver everything.

    Returns the parts, the statements the delivery made, and how many copies were counted.
    """
    room = scenario.room
    parts = await build_parts(
        tmp_path, forum=FakeForum() if scenario.topics else None, room=lambda chat: room
    )
    case_id = await open_case(parts)
    if scenario.room < 1000:  # a burst: a second case, so the two are announced together
        await parts.intake.open(USER + 1, USER + 1, "en", "test", HIGH, "help, locked in")
    if scenario.queue is not nothing:
        await drain(parts)
        parts.sent.clear()
    await scenario.queue(parts, case_id)
    faults = inject(parts.store)
    if fault is not None:
        skip, times, message = fault
        fail_nth(faults, skip, times, message)
    await drain(parts)
    faults.heal()
    await drain(parts)
    counted = sum(1 for item in parts.sent if scenario.counted(item))
    confirmations = [i for i in parts.sent if i.text.startswith("✓")]
    assert len(confirmations) <= 1  # lost with a failing store, never twice
    digests = [i for i in parts.sent if i.kind == OutboxKind.DIGEST]
    assert len(digests) <= 1  # only saves time: the alerts go either way
    if scenario.room < 1000 and fault is None:
        assert len(digests) == 1
    return parts, faults.seen, counted


async def drain(parts: Parts) -> None:
    """Deliver until nothing is left to send or record (the in-memory delays pass)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 8
    while loop.time() < deadline:
        with contextlib.suppress(Exception):  # the loop backs off and tries again; so does this
            await parts.outbox.deliver_due()
        await parts.intake.retry_unrecorded()  # what the tick does
        await parts.topics.record_made()
        try:
            idle = await parts.store.next_attempt_at(skip=set()) is None
        except Exception:
            idle = False
        if idle and parts.outbox.unrecorded == 0:
            return
        await asyncio.sleep(0.05)


@pytest.mark.parametrize("name", list(SCENARIOS))
async def test_each_store_call_failing_in_turn_leaves_exactly_one_copy(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The same path, sooner: the outbox's retries and its records of what Telegram took.
    monkeypatch.setattr("bot.delivery.outbox.backoff", lambda *_args: 0.02)
    monkeypatch.setattr("bot.delivery.accepted.backoff", lambda *_args: 0.02)
    scenario = SCENARIOS[name]
    parts, statements, clean = await run(tmp_path / "clean", scenario, None)
    await parts.store.close()
    assert clean == (2 if name in ("alert in a topic", "alerts in a burst") else 1)
    assert statements, "the delivery made no store call"
    for index in range(len(statements)):
        for times in (1, 4):
            message = KINDS[(index + times) % len(KINDS)]
            where = tmp_path / f"{index}-{times}"
            try:
                parts, _, counted = await run(where, scenario, (index, times, message))
            except Exception as exc:  # pragma: no cover - shown with the statement that failed
                raise AssertionError(f"{statements[index]!r} ({message}): {exc!r}") from exc
            await parts.store.close()
            assert counted == clean, f"{statements[index]!r} failed ({message}, {times}x)"
