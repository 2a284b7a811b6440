"""Delivery under faults, end to end: the real engine, the real bot, a Bot API that refuses.

Each refusal Telegram makes (400 too long, 400 copy not found, 403 blocked, 429, 500, a
migrated group) and a store that fails after a send: every test counts what the user and the
staff group received. Nothing twice, nothing lost, in order, and staff told what failed.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest_asyncio

from bot.engine.services import EngineServices
from tests.conftest import (
    STAFF_CHAT,
    STAFF_MEMBER,
    Harness,
    alerts,
    button_data,
    make_settings,
    start_harness,
    stop_harness,
)
from tests.faults import inject
from tests.parts import body
from tests.telegram_stub import BotApiStub

DISTRESS = "help me please, they locked me in and took my passport"
TEAM = "💬 Haven team: "
NEW_GROUP = -100888
STRANGER = 6660


@pytest_asyncio.fixture(loop_scope="session")
async def desk(stub: BotApiStub, engine: EngineServices, tmp_path: Path) -> AsyncIterator[Harness]:
    """The bot with an English-speaking staff group and fast ticks."""
    settings = make_settings(stub, tmp_path, engine, staff_language="en", tick_seconds=0.2)
    harness = await start_harness(stub, settings)
    yield harness
    await stop_harness(harness)


async def staff_says(bot: Harness, text: str, chat: int = STAFF_CHAT, **kwargs: Any) -> str:
    """A caseworker posts in the staff group; return the bot's direct answer there."""
    update = bot.stub.push_text(
        kwargs.pop("user", STAFF_MEMBER), text, chat_id=chat, chat_type="supergroup", **kwargs
    )
    message_id = update["message"]["message_id"]
    await bot.processed(update)
    answers = [
        m["text"]
        for m in bot.stub.sent(chat_id=chat)
        if (m.get("reply_to_message") or {}).get("message_id") == message_id
    ]
    return "\n".join(answers)


async def send_draft(bot: Harness) -> str:
    """The caseworker presses Send on their latest draft; return what the draft became."""
    [draft] = [m for m in bot.stub.sent(chat_id=STAFF_CHAT) if "Not sent yet" in (m["text"] or "")][
        -1:
    ]
    data = button_data(draft, "✉️ Send")
    update = bot.stub.push_callback(STAFF_MEMBER, draft["message_id"], data, chat_id=STAFF_CHAT)
    await bot.processed(update)
    settled = bot.stub.message(STAFF_CHAT, draft["message_id"]) or {}
    return str(settled.get("text", "")).rsplit("\n\n", 1)[-1]


def team(bot: Harness, user: int) -> list[str]:
    """What staff wrote to the user, as the user received it, in order."""
    return [
        body(m["text"] or "").removeprefix(TEAM)
        for m in bot.stub.sent(chat_id=user)
        if body(m["text"] or "").startswith(TEAM)
    ]


def staff_texts(bot: Harness, chat: int = STAFF_CHAT) -> list[str]:
    """Everything the bot posted in a staff group."""
    return [m["text"] or "" for m in bot.stub.sent(chat_id=chat)]


def count(bot: Harness, needle: str, chat: int = STAFF_CHAT) -> int:
    """How many staff-group messages contain ``needle``."""
    return sum(needle in t for t in staff_texts(bot, chat))


async def escalate(bot: Harness, user: int, cases: int = 1) -> None:
    """The user asks for help; wait for the alert."""
    await bot.say(user, DISTRESS, language_code="en")
    await bot.staff_alerts(cases)


async def test_a_too_long_reply_is_split_and_nothing_waits_behind_it(desk: Harness) -> None:
    await escalate(desk, 701)
    before = len(desk.stub.sent(chat_id=701))
    long = " ".join(f"w{i}" for i in range(1, 1201))  # 5,891 characters
    assert await staff_says(desk, f"/reply 1 {long}") == "➡️ Sent to case #1."
    assert await staff_says(desk, "/reply 1 next") == "➡️ Sent to case #1."
    received = [body(m["text"]) for m in desk.stub.sent(chat_id=701)[before:]]
    assert len(received) == 3
    assert received[0].startswith(TEAM)
    assert " ".join(received[:2]).removeprefix(TEAM).split() == long.split()
    assert received[2] == TEAM + "next"
    desk.stub.fail(
        "sendMessage", 1, 400, chat_id=701, description="Bad Request: message is too long"
    )
    assert await staff_says(desk, "/reply 1 refused as too long") == "➡️ Sent to case #1."
    clipped = [body(m["text"]) for m in desk.stub.sent(chat_id=701)][-1]
    assert clipped.startswith(TEAM + "refused as too long")
    assert clipped.endswith("cut short)")
    assert sum("refused as too long" in (m["text"] or "") for m in desk.stub.sent(chat_id=701)) == 1


async def test_a_deleted_photo_becomes_a_notice_and_relays_behind_it_go_on(desk: Harness) -> None:
    await escalate(desk, 702)
    await escalate(desk, 703, cases=2)
    desk.stub.fail("copyMessage", 1, 500)
    photo = desk.stub.push_photo(702)
    await desk.processed(photo)
    desk.stub.user_deletes(702, photo["message"]["message_id"])
    await desk.say(702, "did you get the photo?")
    await desk.say(703, "we are on the third floor")
    await desk.stub.wait_for(lambda s: count(desk, "third floor") == 1, timeout=15)
    await desk.stub.wait_for(lambda s: count(desk, "did you get the photo") == 1, timeout=15)
    await asyncio.sleep(1.0)
    texts = staff_texts(desk)
    header = next(i for i, t in enumerate(texts) if "#1 the user sent a photo" in t)
    gone = next(i for i, t in enumerate(texts) if "could not be copied here" in t)
    after = next(i for i, t in enumerate(texts) if "did you get the photo" in t)
    assert header < gone < after
    assert count(desk, "could not be copied here") == 1
    assert count(desk, "did you get the photo") == 1
    assert count(desk, "third floor") == 1
    assert [m for m in desk.stub.sent(chat_id=STAFF_CHAT) if m["text"] is None] == []


async def test_a_user_who_blocked_haven_staff_are_told_and_nothing_is_lost(desk: Harness) -> None:
    await escalate(desk, 704)
    desk.stub.block(704)
    first = await staff_says(desk, "/reply 1 are you there?")
    assert first == (
        "❌ Case #1: your reply was not delivered: the user has blocked Haven or left Telegram"
    )
    second = await staff_says(desk, "/reply 1 please answer")
    assert second == first
    await desk.stub.wait_for(lambda s: count(desk, "Nothing reaches them") == 1)
    await asyncio.sleep(0.5)
    assert count(desk, "Nothing reaches them") == 1
    desk.stub.block(704, blocked=False)
    assert await staff_says(desk, "/reply 1 we are here") == "➡️ Sent to case #1."
    assert team(desk, 704) == ["we are here"]
    assert await desk.haven.store.blocked_at(1) is None


async def test_rate_limits_and_server_errors_deliver_once_in_order(desk: Harness) -> None:
    await escalate(desk, 705)
    desk.stub.fail("sendMessage", 2, 500, chat_id=705)
    assert await staff_says(desk, "/reply 1 one") == "➡️ Sent to case #1."
    desk.stub.fail("sendMessage", 1, 429, chat_id=705, retry_after=1)
    assert await staff_says(desk, "/reply 1 two") == "➡️ Sent to case #1."
    desk.stub.fail("sendMessage", 3, 502, chat_id=705)
    queued = await staff_says(desk, "/reply 1 three")
    assert queued.startswith("⏳ Case #1: not delivered yet; Haven keeps trying (Telegram is not")
    # "four" waits behind "three" (order per chat), which arrives within its 5 s wait.
    assert await staff_says(desk, "/reply 1 four") == "➡️ Sent to case #1."
    await desk.stub.wait_for(lambda s: count(desk, "has now been delivered") == 1, timeout=10)
    await asyncio.sleep(1.0)
    assert team(desk, 705) == ["one", "two", "three", "four"]
    assert count(desk, "has now been delivered") == 1


async def test_a_migrated_staff_group_is_followed(
    stub: BotApiStub, engine: EngineServices, tmp_path: Path
) -> None:
    settings = make_settings(stub, tmp_path, engine, staff_language="en")
    bot = await start_harness(stub, settings)
    try:
        await escalate(bot, 706)
        stub.migrate(STAFF_CHAT, NEW_GROUP)
        await stub.wait_for(lambda s: count(bot, "STAFF_CHAT_ID=-100888", NEW_GROUP) == 1)
        await bot.say(706, "they moved us to another building")
        await stub.wait_for(lambda s: count(bot, "another building", NEW_GROUP) == 1)
        assert "#1" in await staff_says(bot, "/cases", chat=NEW_GROUP)
        assert await staff_says(bot, "/reply 1 stay calm", chat=NEW_GROUP) == ("➡️ Sent to case #1.")
        assert team(bot, 706) == ["stay calm"]
        assert len(alerts(stub.sent(chat_id=STAFF_CHAT))) == 1
    finally:
        await stop_harness(bot)
    again = await start_harness(stub, settings)
    try:
        await again.say(707, DISTRESS, language_code="en")
        await stub.wait_for(lambda s: len(alerts(s.sent(chat_id=NEW_GROUP))) == 1)
        assert count(again, "STAFF_CHAT_ID=-100888", NEW_GROUP) == 1
    finally:
        await stop_harness(again)


async def test_a_migration_learnt_from_a_refusal_moves_the_queue(
    stub: BotApiStub, engine: EngineServices, tmp_path: Path
) -> None:
    settings = make_settings(stub, tmp_path, engine, staff_language="en")
    bot = await start_harness(stub, settings)
    try:
        await escalate(bot, 708)
        stub.migrate(STAFF_CHAT, NEW_GROUP, announce=False)
        await bot.say(708, "please hurry")
        await bot.say(708, "they are outside")
        await stub.wait_for(lambda s: count(bot, "they are outside", NEW_GROUP) == 1)
        relayed = [t for t in staff_texts(bot, NEW_GROUP) if "#1 user" in t]
        assert ["please hurry" in relayed[0], "they are outside" in relayed[1]] == [True, True]
        # The notice is queued after the rows it moved, so it may come after them.
        await stub.wait_for(lambda s: count(bot, "STAFF_CHAT_ID=-100888", NEW_GROUP) >= 1)
        await asyncio.sleep(0.5)
        assert count(bot, "STAFF_CHAT_ID=-100888", NEW_GROUP) == 1
    finally:
        await stop_harness(bot)


async def test_a_store_write_failing_after_the_send_sends_nothing_twice(desk: Harness) -> None:
    faults = inject(desk.haven.store)
    faults.fail("UPDATE outbox SET sent_at", times=4)
    await desk.say(709, DISTRESS, language_code="en")
    [alert] = await desk.staff_alerts(1)
    draft = await staff_says(desk, "We are here.", reply_to_message_id=alert["message_id"])
    assert draft.startswith("✉️ Not sent yet"), "a reply to a case message is a draft first"
    assert await send_draft(desk) == "➡️ Sent to case #1."
    await desk.stub.wait_for(lambda s: count(desk, "store (database) is failing") == 1)
    await desk.stub.wait_for(lambda s: desk.haven.outbox.unrecorded == 0, timeout=30)
    await asyncio.sleep(1.0)
    assert len(alerts(desk.stub.sent(chat_id=STAFF_CHAT))) == 1
    assert team(desk, 709) == ["We are here."]
    assert count(desk, "store (database) is failing") == 1
    assert await desk.haven.store.case_for_staff_message(STAFF_CHAT, alert["message_id"]) == 1


async def test_an_escalation_while_the_store_fails_reaches_staff(desk: Harness) -> None:
    faults = inject(desk.haven.store)
    faults.fail()
    replies = await desk.say(710, DISTRESS, language_code="en")
    assert body(replies[0]["text"]).startswith("I have asked our team for help. A system fault")
    assert "+82" in replies[0]["text"]
    assert count(desk, "Not recorded") == 1
    assert count(desk, "store (database) is failing") == 1
    faults.heal()
    [alert] = await desk.staff_alerts(1)
    assert "recorded late, after a store failure" in alert["text"]
    assert await staff_says(desk, "/reply 1 we got you") == "➡️ Sent to case #1."
    assert team(desk, 710) == ["we got you"]


async def test_a_reply_the_store_cannot_take_is_refused_aloud(desk: Harness) -> None:
    await escalate(desk, 713)
    faults = inject(desk.haven.store)
    faults.fail()
    answer = await staff_says(desk, "/reply 1 are you safe?")
    assert answer.startswith("⚠️ Haven's store (database) is failing")
    faults.heal()
    assert await staff_says(desk, "/reply 1 are you safe?") == "➡️ Sent to case #1."
    assert team(desk, 713) == ["are you safe?"]


async def test_health_is_for_staff_only(desk: Harness) -> None:
    report = await staff_says(desk, "/health")
    assert report.startswith("🩺 Haven health")
    assert "Engine: up" in report
    assert "Outbox: nothing waiting" in report
    assert await staff_says(desk, "/health", user=STRANGER) == "Only staff can do that."


async def test_alerts_stuck_in_the_queue_raise_one_alarm(
    stub: BotApiStub, engine: EngineServices, tmp_path: Path
) -> None:
    settings = make_settings(
        stub,
        tmp_path,
        engine,
        staff_language="en",
        alert_alarm_minutes=0.02,
        staff_user_ids=frozenset({STAFF_MEMBER}),
    )
    bot = await start_harness(stub, settings)
    try:
        await bot.say(STAFF_MEMBER, "/start", language_code="en")  # a private chat to reach them
        stub.fail("sendMessage", 1_000_000, 502, chat_id=STAFF_CHAT)
        await bot.say(711, DISTRESS, language_code="en")
        await stub.wait_for(lambda s: count(bot, "alert(s) undelivered", STAFF_MEMBER) == 1)
        await asyncio.sleep(2.0)
        assert count(bot, "alert(s) undelivered", STAFF_MEMBER) == 1
        stub.fail("sendMessage", 0, chat_id=STAFF_CHAT)
        await bot.staff_alerts(1, timeout=90)
        await asyncio.sleep(0.5)
        assert len(alerts(stub.sent(chat_id=STAFF_CHAT))) == 1
    finally:
        await stop_harness(bot)


async def test_a_discreet_users_photo_is_deleted_only_after_staff_have_the_copy(
    desk: Harness,
) -> None:
    await desk.say(712, "/codeword blue umbrella", language_code="en")
    await desk.say(712, "blue umbrella")
    [alert] = await desk.staff_alerts(1)
    update = desk.stub.push_callback(
        STAFF_MEMBER, alert["message_id"], "claim:1", chat_id=STAFF_CHAT
    )
    await desk.processed(update)
    desk.stub.fail("copyMessage", 2, 500)
    photo = desk.stub.push_photo(712)
    photo_id = photo["message"]["message_id"]
    await desk.processed(photo)
    await asyncio.sleep(1.5)  # the first copy failed; the retry waits its backoff
    assert photo_id not in desk.stub.deleted(712)
    await desk.stub.wait_for(lambda s: photo_id in s.deleted(712), timeout=20)
    copies = [m for m in desk.stub.sent(chat_id=STAFF_CHAT) if m.get("photo")]
    assert len(copies) == 1
