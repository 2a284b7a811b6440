"""Discreet help end to end: code phrase, decoy, deletion, safety word, rescue request, check-ins."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest_asyncio

from bot.core.discretion import PREVIEW_CHARS
from bot.engine.services import EngineServices
from tests.conftest import (
    STAFF_CHAT,
    STAFF_MEMBER,
    Harness,
    alerts,
    make_settings,
    start_harness,
    stop_harness,
    texts,
)
from tests.telegram_stub import BotApiStub

HELP_WORDS = ("help", "Haven", "상담", "도움", "alert", "case", "#")


@pytest_asyncio.fixture(loop_scope="session")
async def fast(stub: BotApiStub, engine: EngineServices, tmp_path: Path) -> AsyncIterator[Harness]:
    """The bot with fast ticks and a short check-in grace period."""
    settings = make_settings(stub, tmp_path, engine, tick_seconds=0.2, checkin_grace_minutes=0.05)
    harness = await start_harness(stub, settings)
    yield harness
    await stop_harness(harness)


async def claim(bot: Harness, case_id: int = 1) -> None:
    """A staff member presses Claim on the case's alert."""
    alert = (await bot.staff_alerts(1))[0]
    update = bot.stub.push_callback(
        STAFF_MEMBER, alert["message_id"], f"claim:{case_id}", chat_id=STAFF_CHAT
    )
    await bot.processed(update)


def shows_nothing_about_help(messages: list[dict[str, Any]]) -> bool:
    return not any(word in (m.get("text") or "") for m in messages for word in HELP_WORDS)


async def test_code_phrase_opens_a_silent_case_and_leaves_no_trace(fast: Harness) -> None:
    setup = await fast.say(601, "/codeword blue umbrella", language_code="en")
    assert "saved" in texts(setup)
    reply = await fast.say(601, "Blue  Umbrella")
    assert "Delivery notice" in texts(reply)
    assert shows_nothing_about_help(reply)
    [alert] = await fast.staff_alerts(1)
    assert "🤫" in alert["text"]
    assert (await fast.haven.store.case(1)).kind == "discreet"
    trigger_id = reply[0]["message_id"] - 1
    await claim(fast)
    await fast.stub.wait_for(
        lambda s: {trigger_id, reply[0]["message_id"]} <= set(s.deleted(601)), timeout=10
    )
    assert fast.stub.visible(601) == [] or all(
        m["message_id"] not in (trigger_id, reply[0]["message_id"]) for m in fast.stub.visible(601)
    )
    later = await fast.say(601, "they moved us to another building")
    assert later == []
    await fast.stub.wait_for(lambda s: later_id_deleted(s, 601), timeout=10)
    transcript = [e.text for e in await fast.haven.store.transcript(1)]
    assert "they moved us to another building" in transcript


def later_id_deleted(stub: BotApiStub, chat: int) -> bool:
    users = [m for m in stub.messages(chat_id=chat) if m.get("from", {}).get("is_bot") is False]
    return bool(users) and users[-1]["message_id"] in stub.deleted(chat)


async def test_weather_decoy_needs_no_setup(fast: Harness) -> None:
    reply = await fast.say(602, "/weather", language_code="ko")
    assert "날씨" in texts(reply)
    assert shows_nothing_about_help(reply)
    [alert] = await fast.staff_alerts(1)
    assert "🤫" in alert["text"]
    assert "/weather" in alert["text"]


async def test_safety_word_ends_every_staff_message(fast: Harness) -> None:
    await fast.say(603, "/safeword tiger lily", language_code="en")
    await fast.say(603, "help me, they locked the door and took my passport")
    await fast.staff_alerts(1)
    update = fast.stub.push_text(
        STAFF_MEMBER, "/reply 1 We are with you.", chat_id=STAFF_CHAT, chat_type="supergroup"
    )
    await fast.processed(update)
    await fast.stub.wait_for(
        lambda s: any("We are with you" in (m["text"] or "") for m in s.sent(chat_id=603))
    )
    [message] = [m for m in fast.stub.sent(chat_id=603) if "We are with you" in (m["text"] or "")]
    assert message["text"].endswith("🔑 tiger lily")
    assert "tiger lily" not in message["text"][:PREVIEW_CHARS], "never in a notification"


async def test_clear_deletes_everything_in_batches(fast: Harness) -> None:
    for _ in range(70):
        update = fast.stub.push_sticker(604)
    await fast.processed(update)
    update = fast.stub.push_command(604, "/clear")
    await fast.processed(update)
    await fast.stub.wait_for(lambda s: len(s.deleted(604)) >= 141, timeout=15)
    batches = [
        p["message_ids"] for _, p in fast.stub.calls("deleteMessages") if p["chat_id"] == 604
    ]
    assert len(batches) >= 2
    assert all(len(batch) <= 100 for batch in batches)
    assert fast.stub.visible(604) == []


async def test_location_goes_to_the_case_with_a_map_link(fast: Harness) -> None:
    await fast.say(605, "i am locked in a room and they beat me", language_code="en")
    await fast.staff_alerts(1)
    update = fast.stub.push_location(605, 10.6104, 103.5296)
    await fast.processed(update)
    await fast.stub.wait_for(
        lambda s: any(
            "maps.google.com/?q=10.610400,103.529600" in (m["text"] or "")
            for m in s.sent(chat_id=STAFF_CHAT)
        )
    )
    await fast.stub.wait_for(lambda s: len(s.calls("copyMessage")) >= 1)
    _, last = await fast.haven.store.case_notes(1)
    assert last is not None
    assert "10.610400" in last


async def test_rescue_request_in_english_from_korean_answers(fast: Harness) -> None:
    first = await fast.say(606, "/rescue", language_code="ko")
    assert "구조 요청" in texts(first)
    step = await fast.press(606, first[-1], "캄보디아")
    update = fast.stub.push_location(606, 10.6104, 103.5296)
    await fast.processed(update)
    for _ in range(4):
        step = fast.stub.sent(chat_id=606)[-1:]
        step = await fast.press(606, step[-1], "건너뛰기")
    step = await fast.say(606, "HONG GILDONG")
    step = await fast.press(606, step[-1], "대한민국")
    step = await fast.press(606, step[-1], "담장 있는 단지")
    step = await fast.say(606, "7층")
    step = await fast.press(606, step[-1], "6~20명")
    done = await fast.press(606, step[-1], "네")
    english = texts(done)
    assert "URGENT - REQUEST FOR RESCUE" in english
    assert "My name is HONG GILDONG. I am a citizen of the Republic of Korea" in english
    assert "in Cambodia" in english
    assert "walled compound" in english
    assert "floor 7" in english
    assert "6-20 people" in english
    assert "injured" in english
    assert "maps.google.com/?q=10.610400,103.529600" in english
    assert "+855-979-117-117" in english
    [alert] = await fast.staff_alerts(1)  # raised at the first step, not the last
    assert "rescue request" in alert["text"]
    await fast.stub.wait_for(lambda s: "REQUEST FOR RESCUE" in texts(s.sent(chat_id=STAFF_CHAT)))


async def register_checkin(bot: Harness, user: int, duress: str | None) -> None:
    """Go through /checkin with a three-second interval."""
    await bot.say(user, "/checkin", language_code="en")
    await bot.say(user, "Sihanoukville, Cambodia")
    await bot.say(user, "tomorrow morning")
    step = await bot.say(user, "3s")
    if duress is None:
        await bot.press(user, step[-1], "Skip")
    else:
        await bot.say(user, duress)


async def test_missed_checkin_opens_a_case(fast: Harness) -> None:
    await register_checkin(fast, 607, duress=None)
    await fast.stub.wait_for(
        lambda s: any("Are you OK?" in (m["text"] or "") for m in s.sent(chat_id=607)), timeout=15
    )
    [alert] = await fast.staff_alerts(1, timeout=20)
    assert "missed check-in" in alert["text"]
    assert "Sihanoukville" in alert["text"]


async def test_checkin_answered_opens_nothing(fast: Harness) -> None:
    await register_checkin(fast, 608, duress="purple rain")
    await fast.stub.wait_for(
        lambda s: any("Are you OK?" in (m["text"] or "") for m in s.sent(chat_id=608)), timeout=15
    )
    reply = await fast.say(608, "ok")
    assert "Noted" in texts(reply)
    await asyncio.sleep(1.0)
    assert alerts(fast.stub.sent(chat_id=STAFF_CHAT)) == []
    stopped = await fast.say(608, "/checkin stop")
    assert "stopped" in texts(stopped)


async def test_duress_reply_opens_a_discreet_case(fast: Harness) -> None:
    await register_checkin(fast, 609, duress="purple rain")
    await fast.stub.wait_for(
        lambda s: any("Are you OK?" in (m["text"] or "") for m in s.sent(chat_id=609)), timeout=15
    )
    reply = await fast.say(609, "Purple rain")
    assert "Noted" in texts(reply)
    assert shows_nothing_about_help(reply)
    [alert] = await fast.staff_alerts(1)
    assert "🤫" in alert["text"]


async def test_missed_checkin_after_restart(
    stub: BotApiStub, engine: EngineServices, tmp_path: Path
) -> None:
    settings = make_settings(stub, tmp_path, engine, tick_seconds=0.2, checkin_grace_minutes=0.05)
    first = await start_harness(stub, settings)
    try:
        await register_checkin(first, 610, duress=None)
    finally:
        await stop_harness(first)
    second = await start_harness(stub, settings)
    try:
        [alert] = await second.staff_alerts(1, timeout=30)
        assert "missed check-in" in alert["text"]
    finally:
        await stop_harness(second)
