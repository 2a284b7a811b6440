"""The delivery loop on a real store, with faults injected in the store and in "Telegram".

Fast tier: no engine, no Bot API stand-in; ``Parts.refuse`` makes the next sends to a chat
fail with Haven's classified errors, ``tests.faults`` makes SQLite itself fail. Every test
counts what each chat received: nothing twice, nothing lost, in order.
"""

from __future__ import annotations

import asyncio
import itertools
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from bot.core.errors import (
    Blocked,
    ChatMigrated,
    DeliveryError,
    RateLimited,
    Refused,
    SourceGone,
    StoreUnavailable,
    TooLong,
)
from bot.delivery.outbox import Outbox
from bot.desk.staffinput import ButtonAction
from bot.store import CaseStore, OutboxItem, OutboxKind, Outgoing
from tests.faults import inject
from tests.parts import STAFF, STAFF_CHAT, USER, Parts, build_parts, message, until

DISTRESS = "help me please, they locked me in"
NEW_GROUP = -100999


@pytest_asyncio.fixture(loop_scope="session")
async def parts(tmp_path: Path) -> AsyncIterator[Parts]:
    """Freshly wired parts with the delivery loop running."""
    built = await build_parts(tmp_path)
    built.outbox.start()
    yield built
    await built.outbox.stop()
    await built.store.close()


async def open_case(parts: Parts) -> None:
    """The user escalates; the alert reaches the staff group."""
    await parts.conversation.on_text(message(DISTRESS))
    await until(lambda: any("New case #1" in t for t in parts.to(STAFF_CHAT)))


def alerts(parts: Parts) -> list[str]:
    """New-case alerts the staff group received."""
    return [t for t in parts.to(STAFF_CHAT) if "🚨" in t]


# Exactly once --------------------------------------------------------------------------


async def test_a_write_that_fails_after_the_send_never_sends_twice(parts: Parts) -> None:
    faults = inject(parts.store)
    faults.fail("UPDATE outbox SET sent_at", times=6)
    await parts.conversation.on_text(message(DISTRESS))
    await until(lambda: len(alerts(parts)) == 1)
    alert_id = 1000 + len(parts.sent)  # the id Parts' "Telegram" gave it
    assert parts.outbox.unrecorded == 1
    draft = await parts.desk.drafts.reply_to(STAFF, "Kim", alert_id, "We are here.")
    assert draft is not None, "a reply to the unrecorded alert must reach its case"
    token = draft.buttons[0].data.split(":", 1)[1]
    await parts.desk.drafts.settle_draft(STAFF, "Kim", ButtonAction.SEND, token)
    await until(lambda: parts.bodies(USER) == ["💬 Haven team: We are here."])
    await until(lambda: parts.outbox.unrecorded == 0, timeout=10)
    await asyncio.sleep(0.3)
    assert len(alerts(parts)) == 1
    assert parts.bodies(USER) == ["💬 Haven team: We are here."]
    assert await parts.store.pending() == []
    assert await parts.store.case_for_staff_message(STAFF_CHAT, alert_id) == 1
    shouted = [t for t in parts.to(STAFF_CHAT) if "store (database) is failing" in t]
    assert len(shouted) == 1
    await until(lambda: any("store works again" in t for t in parts.to(STAFF_CHAT)))


async def test_any_exception_in_an_attempt_backs_off(tmp_path: Path) -> None:
    store = await CaseStore.open(tmp_path / "h.db")
    attempts: list[float] = []

    async def send(item: OutboxItem) -> int:
        attempts.append(asyncio.get_running_loop().time())
        raise RuntimeError("a bug in the send path")

    outbox = Outbox(store, send, base_delay=0.1, max_delay=0.4)
    await store.enqueue(Outgoing(-1, OutboxKind.ALERT, "ALERT"))
    outbox.start()
    await asyncio.sleep(1.2)
    await outbox.stop()
    assert 3 <= len(attempts) <= 6
    gaps = [b - a for a, b in itertools.pairwise(attempts)]
    assert all(gap >= 0.09 for gap in gaps)
    await store.close()


async def test_failures_the_store_cannot_record_still_back_off(tmp_path: Path) -> None:
    store = await CaseStore.open(tmp_path / "h.db")
    faults = inject(store)
    attempts = 0

    async def send(item: OutboxItem) -> int:
        nonlocal attempts
        attempts += 1
        raise DeliveryError("502: Bad Gateway")

    outbox = Outbox(store, send, base_delay=0.1, max_delay=0.4)
    await store.enqueue(Outgoing(-1, OutboxKind.ALERT, "ALERT"))
    faults.fail("UPDATE outbox SET attempts")
    outbox.start()
    await asyncio.sleep(1.2)
    await outbox.stop()
    assert 3 <= attempts <= 6
    await store.close()


async def test_a_store_that_cannot_be_read_backs_off_and_shouts(parts: Parts) -> None:
    faults = inject(parts.store)
    faults.fail("ORDER BY kind = ?")  # the queue's read
    parts.outbox.wake()
    await asyncio.sleep(2.5)
    assert faults.raised <= 5
    assert [t for t in parts.to(STAFF_CHAT) if "store (database) is failing" in t]
    faults.heal()
    await parts.store.enqueue(Outgoing(USER, OutboxKind.TO_USER, "after"))
    parts.outbox.wake()
    await until(lambda: parts.bodies(USER) == ["after"], timeout=20)


# Refusals by kind ------------------------------------------------------------------------


async def test_a_permanent_refusal_is_dead_lettered_and_the_chat_goes_on(parts: Parts) -> None:
    await open_case(parts)
    parts.refuse(USER, *[Refused("400: Bad Request: can't parse entities")] * 5)
    await parts.desk.words.reply(STAFF, 1, "first")
    await parts.desk.words.reply(STAFF, 1, "second")
    await until(lambda: parts.bodies(USER) == ["💬 Haven team: second"])
    await until(lambda: any("was not delivered" in t for t in parts.to(STAFF_CHAT)))
    await asyncio.sleep(0.2)
    notices = [t for t in parts.to(STAFF_CHAT) if "was not delivered" in t]
    assert len(notices) == 1
    assert "#1: your reply of" in notices[0]
    assert "Telegram refused it (400: Bad Request: can't parse entities)" in notices[0]
    assert (await parts.store.outbox_stats()).dead == 1


async def test_too_long_is_clipped_with_a_note_and_delivered_once(parts: Parts) -> None:
    await open_case(parts)
    parts.refuse(USER, TooLong("400: Bad Request: message is too long"))
    await parts.desk.words.reply(STAFF, 1, "words " * 600)
    await until(lambda: len(parts.bodies(USER)) == 1)
    [clipped] = parts.bodies(USER)
    assert clipped.endswith("✂️ (this message was too long and was cut short)")
    assert len(clipped) < 3600
    parts.refuse(USER, *[TooLong("400: Bad Request: message is too long")] * 2)
    await parts.desk.words.reply(STAFF, 1, "again")
    await parts.desk.words.reply(STAFF, 1, "after")
    await until(lambda: parts.bodies(USER)[-1:] == ["💬 Haven team: after"])
    assert len(parts.bodies(USER)) == 2
    await until(lambda: any("too long" in t and "not delivered" in t for t in parts.to(STAFF_CHAT)))


async def test_a_copy_whose_source_is_gone_becomes_a_notice_in_its_place(parts: Parts) -> None:
    await open_case(parts)
    parts.refuse(
        STAFF_CHAT, SourceGone("400: Bad Request: message to copy not found"), kind="relay_copy"
    )
    case = await parts.store.case(1)
    await parts.desk.relays.media(case, "photo", USER, 55)
    await parts.desk.relays.text(case, "after the photo")
    await until(lambda: any("after the photo" in t for t in parts.to(STAFF_CHAT)))
    staff = parts.to(STAFF_CHAT)
    header = next(i for i, t in enumerate(staff) if "the user sent a photo" in t)
    assert "could not be copied here" in staff[header + 1]
    assert "after the photo" in staff[header + 2]
    assert len(staff) == header + 3


async def test_a_user_who_blocked_the_bot_is_noted_once_and_each_reply_reported(
    parts: Parts,
) -> None:
    await open_case(parts)
    parts.refuse(USER, *[Blocked("403: Forbidden: bot was blocked by the user")] * 2)
    await parts.desk.words.reply(STAFF, 1, "one")
    await parts.desk.words.reply(STAFF, 1, "two")
    await until(lambda: len([t for t in parts.to(STAFF_CHAT) if "not delivered" in t]) == 2)
    blocked = [t for t in parts.to(STAFF_CHAT) if "Nothing reaches them" in t]
    assert len(blocked) == 1
    assert await parts.store.blocked_at(1) is not None
    await parts.desk.words.reply(STAFF, 1, "three")
    await until(lambda: parts.bodies(USER) == ["💬 Haven team: three"])
    await asyncio.sleep(0.2)
    assert await parts.store.blocked_at(1) is None


async def test_a_migrated_staff_group_is_followed_with_its_queue(parts: Parts) -> None:
    parts.refuse(STAFF_CHAT, ChatMigrated("chat migrated", NEW_GROUP))
    await parts.conversation.on_text(message(DISTRESS))
    await until(lambda: any("New case #1" in t for t in parts.to(NEW_GROUP)))
    assert parts.desk.access.chat_id == NEW_GROUP
    assert parts.to(STAFF_CHAT) == []
    await until(lambda: any("STAFF_CHAT_ID=-100999" in t for t in parts.to(NEW_GROUP)))
    assert await parts.store.moved_to(STAFF_CHAT) == NEW_GROUP
    await parts.conversation.on_text(message("they are coming"))
    await until(lambda: any("they are coming" in t for t in parts.to(NEW_GROUP)))


async def test_a_group_that_refuses_the_bot_keeps_its_alerts_and_staff_are_told(
    tmp_path: Path,
) -> None:
    parts = await build_parts(tmp_path)
    parts.outbox._cap = 0.3  # retry the refusing group quickly in this test
    parts.outbox.start()
    try:
        parts.refuse(STAFF_CHAT, *[Blocked("403: Forbidden: bot was kicked")] * 3)
        await parts.conversation.on_text(message(DISTRESS))
        await until(lambda: len(alerts(parts)) == 1)
        private = parts.to(STAFF)
        assert len(private) == 1
        assert "cannot post in the staff group" in private[0]
        await asyncio.sleep(0.3)
        assert len(alerts(parts)) == 1
    finally:
        await parts.outbox.stop()
        await parts.store.close()


# What staff are told -------------------------------------------------------------------


async def test_staff_hear_sent_only_once_telegram_accepted(tmp_path: Path) -> None:
    parts = await build_parts(tmp_path, reply_wait=1.0)
    parts.outbox.start()
    try:
        await open_case(parts)
        assert await parts.desk.words.reply(STAFF, 1, "accepted") == "➡️ Sent to case #1."
        parts.refuse(USER, DeliveryError("NetworkError: Bad Gateway"), RateLimited("429", 1.5))
        queued = await parts.desk.words.reply(STAFF, 1, "late")
        assert queued.startswith("⏳ Case #1: not delivered yet")
        assert "Telegram asked to wait 1.5 s" in queued
        await until(lambda: "💬 Haven team: late" in parts.bodies(USER), timeout=10)
        await until(lambda: any("has now been delivered" in t for t in parts.to(STAFF_CHAT)))
        parts.refuse(USER, Blocked("403: Forbidden: bot was blocked by the user"))
        failed = await parts.desk.words.reply(STAFF, 1, "never")
        assert failed == (
            "❌ Case #1: your reply was not delivered: the user has blocked Haven or left Telegram"
        )
        await asyncio.sleep(0.2)
        assert not [t for t in parts.to(STAFF_CHAT) if "your reply of" in t]
        assert parts.bodies(USER) == ["💬 Haven team: accepted", "💬 Haven team: late"]
    finally:
        await parts.outbox.stop()
        await parts.store.close()


async def test_a_rate_limit_waits_as_asked(parts: Parts) -> None:
    await open_case(parts)
    parts.refuse(USER, RateLimited("429: retry after 0.5s", 0.5))
    started = asyncio.get_running_loop().time()
    await parts.desk.words.reply(STAFF, 1, "patience")
    await until(lambda: parts.bodies(USER) == ["💬 Haven team: patience"])
    assert asyncio.get_running_loop().time() - started >= 0.45


# Escalation without a store --------------------------------------------------------------


async def test_an_escalation_with_a_failing_store_still_reaches_staff(parts: Parts) -> None:
    faults = inject(parts.store)
    faults.fail()  # every write: a full disk
    replies = await parts.conversation.on_text(message(DISTRESS))
    assert replies[0].text.startswith("I have asked our team for help. A system fault")
    assert "1330" in replies[0].text or "+82" in replies[0].text
    staff = parts.to(STAFF_CHAT)
    assert any("Not recorded" in t and DISTRESS in t for t in staff)
    assert any("store (database) is failing" in t for t in staff)
    faults.heal()
    assert await parts.intake.retry_unrecorded() == 1
    await until(lambda: any("New case #1" in t for t in parts.to(STAFF_CHAT)))
    [numbered] = [t for t in parts.to(STAFF_CHAT) if "New case #1" in t]
    assert "recorded late, after a store failure" in numbered
    assert await parts.intake.retry_unrecorded() == 0


async def test_without_store_and_staff_group_the_user_is_told_the_truth(parts: Parts) -> None:
    faults = inject(parts.store)
    faults.fail()
    parts.refuse(STAFF_CHAT, *[DeliveryError("NetworkError: down")] * 3)
    parts.refuse(STAFF, DeliveryError("NetworkError: down"))
    replies = await parts.conversation.on_text(message(DISTRESS))
    assert replies[0].text.startswith("A system fault kept me from reaching our team so far")


async def test_a_discreet_trigger_with_a_failing_store_still_shows_only_the_decoy(
    parts: Parts,
) -> None:
    faults = inject(parts.store)
    faults.fail()
    replies = await parts.conversation.on_command(message(), "weather")
    assert [r.text for r in replies] == [
        "⛅ Weather data is temporarily unavailable. Please try again later."
    ]
    [alert] = [t for t in parts.to(STAFF_CHAT) if "Not recorded" in t]
    assert "🤫" in alert


# Start-up ------------------------------------------------------------------------------


def test_the_program_stops_on_a_database_from_a_newer_haven(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import sqlite3
    from contextlib import closing

    from bot.__main__ import main
    from bot.store import MIGRATIONS

    path = tmp_path / "newer.sqlite3"
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 3}")
    monkeypatch.setenv("DATABASE_PATH", str(path))
    monkeypatch.setenv("HAVEN_START_ENGINE", "false")
    monkeypatch.setenv("ENGINE_SECRET", "s" * 40)
    monkeypatch.setattr(sys, "stdin", None)
    assert main() == 1
    error = capsys.readouterr().err
    assert "newer Haven wrote it" in error
    assert error.startswith("haven: ")


def test_the_program_stops_on_a_missing_content_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.__main__ import main

    monkeypatch.setenv("DATABASE_PATH", str(tmp_path / "h.sqlite3"))
    monkeypatch.setenv("HAVEN_CONTENT_DIR", str(tmp_path / "no-content"))
    monkeypatch.setenv("HAVEN_START_ENGINE", "false")
    monkeypatch.setenv("ENGINE_SECRET", "s" * 40)
    assert main() == 1
    assert "facts.yml: cannot read it" in capsys.readouterr().err


async def test_a_failing_store_is_not_told_to_staff_as_a_resolved_case(parts: Parts) -> None:
    await open_case(parts)
    faults = inject(parts.store)
    faults.fail("UPDATE cases")
    for act in (
        parts.desk.cases.claim(STAFF, "Kim", 1),
        parts.desk.cases.resolve(STAFF, "Kim", 1),
        parts.desk.cases.transfer(STAFF, "Kim", 1, STAFF),
    ):
        with pytest.raises(StoreUnavailable):  # the handler answers with the store alarm
            await act
    faults.heal()
    await parts.desk.cases.resolve(STAFF, "Kim", 1)
    assert "already resolved" in await parts.desk.cases.claim(STAFF, "Kim", 1)
    assert "already resolved" in await parts.desk.cases.unclaim(STAFF, "Kim", 1)
