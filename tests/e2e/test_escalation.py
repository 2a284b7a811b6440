"""Escalation to staff end to end: real engine, real SQLite file, Bot API stand-in."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

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
    texts,
)
from tests.telegram_stub import BotApiStub

STAFF_NAME = "Minji Caseworker"


async def staff_says(bot: Harness, text: str, user: int = STAFF_MEMBER, **kwargs: Any) -> str:
    """Post in the staff group; return the bot's answer there."""
    before = len(bot.stub.sent(chat_id=STAFF_CHAT))
    update = bot.stub.push_text(
        user, text, chat_id=STAFF_CHAT, chat_type="supergroup", first_name=STAFF_NAME, **kwargs
    )
    await bot.processed(update)
    return texts(bot.stub.sent(chat_id=STAFF_CHAT)[before:])


async def test_alert_shows_what_the_person_said_before(bot: Harness) -> None:
    await bot.say(402, "hi there", language_code="en")
    await bot.say(402, "I got a job offer in Sihanoukville, is it real?", language_code="en")
    await bot.say(402, "they took my passport and I can't leave", language_code="en")
    [alert] = await bot.staff_alerts(1)
    earlier = alert["text"].split("이전 메시지:")[1]
    assert "hi there" in earlier
    assert "job offer in Sihanoukville" in earlier
    assert "passport" not in earlier


@pytest.mark.parametrize(
    ("text", "language", "reassurance"),
    [
        ("여기서 못 나가요 여권도 뺏겼어요 ㅠㅠ", "ko", "상담원에게 알렸어요"),
        ("they took my passport and locked us in, pls help", "en", "I have alerted a person"),
    ],
)
async def test_distress_reaches_staff_once(
    bot: Harness, text: str, language: str, reassurance: str
) -> None:
    replies = await bot.say(401, text, language_code=language)
    assert reassurance in texts(replies)
    assert "+82-2-3210-0404" in texts(replies)
    # A watched phone shows no SOS keyboard (#23); the person asks for it with /keys.
    assert all("keyboard" not in (m.get("reply_markup") or {}) for m in replies)
    [keys] = await bot.say(401, "/keys")
    keyboard = [b for row in keys["reply_markup"]["keyboard"] for b in row]
    assert any(b.get("request_location") for b in keyboard)
    [alert] = await bot.staff_alerts(1)
    assert "#1" in alert["text"]
    assert text[:20] in alert["text"]
    assert [b["callback_data"] for b in alert["reply_markup"]["inline_keyboard"][0]] == [
        "claim:1",
        "resolve:1",
    ]
    follow = await bot.say(
        401, "그들이 지켜보고 있어요" if language == "ko" else "they are watching"
    )
    assert "#1" in texts(follow)
    await bot.stub.wait_for(
        lambda s: any("📨 #1" in (m["text"] or "") for m in s.sent(chat_id=STAFF_CHAT))
    )
    await asyncio.sleep(0.3)
    assert len(alerts(bot.stub.sent(chat_id=STAFF_CHAT))) == 1
    case = await bot.haven.store.case(1)
    assert case.priority == "high"
    assert case.language == language


async def test_missing_relative_is_escalated_with_normal_priority(bot: Harness) -> None:
    await bot.say(402, "아들이 캄보디아 간 뒤로 2주째 연락이 안 돼요 감금된 것 같아요")
    [alert] = await bot.staff_alerts(1)
    assert "보통" in alert["text"]
    assert (await bot.haven.store.case(1)).priority == "normal"


async def test_news_question_is_not_an_alert(bot: Harness) -> None:
    await bot.say(403, "뉴스에서 캄보디아 감금 사건 봤어요")
    await bot.say(403, "help me check this job offer please")
    await asyncio.sleep(0.5)
    assert alerts(bot.stub.sent(chat_id=STAFF_CHAT)) == []


async def test_staff_claim_reply_resolve(bot: Harness) -> None:
    await bot.say(404, "i cant leave this compound, they beat people here")
    [alert] = await bot.staff_alerts(1)
    before = len(bot.stub.sent(chat_id=404))
    update = bot.stub.push_callback(
        STAFF_MEMBER, alert["message_id"], "claim:1", chat_id=STAFF_CHAT, first_name=STAFF_NAME
    )
    await bot.processed(update)
    assert (await bot.haven.store.case(1)).status == "claimed"
    await bot.stub.wait_for(lambda s: len(s.sent(chat_id=404)) > before)
    answer = await staff_says(
        bot, "We are here. Are you safe to talk?", reply_to_message_id=alert["message_id"]
    )
    assert "#1" in answer
    assert "아직 안 보냈어요" in answer, "a reply is a draft until Send is pressed"
    draft = bot.stub.sent(chat_id=STAFF_CHAT)[-1]
    update = bot.stub.push_callback(
        STAFF_MEMBER, draft["message_id"], button_data(draft, "✉️ 보내기"), chat_id=STAFF_CHAT
    )
    await bot.processed(update)
    await bot.stub.wait_for(
        lambda s: any("Are you safe to talk?" in (m["text"] or "") for m in s.sent(chat_id=404))
    )
    to_user = texts(bot.stub.sent(chat_id=404))
    assert "Haven team: We are here." in to_user
    assert STAFF_NAME not in to_user
    assert "Minji" not in to_user
    await staff_says(bot, "/reply 1 Send your location when you can.")
    await bot.stub.wait_for(
        lambda s: any("Send your location" in (m["text"] or "") for m in s.sent(chat_id=404))
    )
    listing = await staff_says(bot, "/cases")
    assert "#1" in listing
    detail = await staff_says(bot, "/case 1")
    assert "i cant leave" in detail
    await staff_says(bot, "/resolve 1")
    await bot.stub.wait_for(
        lambda s: any("closed" in (m["text"] or "") for m in s.sent(chat_id=404))
    )
    back = await bot.say(404, "hello, who are you?")
    assert "Hi, I'm Haven" in texts(back)
    audit = await bot.haven.store.audit_log(1)
    assert [e.action for e in audit if e.allowed] == ["claim", "reply", "reply", "show", "resolve"]


async def test_non_member_cannot_act(bot: Harness) -> None:
    await bot.say(405, "살려주세요 감금당했어요")
    [alert] = await bot.staff_alerts(1)
    stranger = 666
    update = bot.stub.push_callback(stranger, alert["message_id"], "claim:1", chat_id=STAFF_CHAT)
    await bot.processed(update)
    assert (await bot.haven.store.case(1)).status == "open"
    answer = await staff_says(bot, "/reply 1 hello", user=stranger)
    assert "상담원만" in answer
    await asyncio.sleep(0.3)
    assert "hello" not in texts(bot.stub.sent(chat_id=405))
    refused = [e for e in await bot.haven.store.audit_log() if not e.allowed]
    assert {(e.actor_id, e.action) for e in refused} == {(stranger, "claim"), (stranger, "reply")}
    forged = bot.stub.push_callback(
        STAFF_MEMBER, alert["message_id"], "claim:abc", chat_id=STAFF_CHAT
    )
    await bot.processed(forged)
    assert (await bot.haven.store.case(1)).status == "open"


async def test_alert_survives_three_failures_and_429(bot: Harness) -> None:
    bot.stub.fail("sendMessage", times=3, error_code=500, chat_id=STAFF_CHAT)
    await bot.say(406, "please help me they are holding me and i owe them money")
    await bot.staff_alerts(1, timeout=40)
    bot.stub.fail("sendMessage", times=1, error_code=429, retry_after=1, chat_id=STAFF_CHAT)
    await bot.say(407, "도와주세요 여기서 못 나가요")
    alerts_now = await bot.staff_alerts(2, timeout=40)
    assert len(alerts_now) == 2


async def test_unclaimed_case_is_realerted(
    stub: BotApiStub, engine: EngineServices, tmp_path: Path
) -> None:
    settings = make_settings(stub, tmp_path, engine, realert_minutes=0.02)
    bot = await start_harness(stub, settings)
    try:
        await bot.say(408, "i want to escape, they lock the doors at night")
        await bot.staff_alerts(1)
        await stub.wait_for(
            lambda s: any("⏰" in (m["text"] or "") for m in s.sent(chat_id=STAFF_CHAT)), timeout=20
        )
        update = stub.push_callback(
            STAFF_MEMBER,
            stub.sent(chat_id=STAFF_CHAT)[0]["message_id"],
            "claim:1",
            chat_id=STAFF_CHAT,
        )
        await bot.processed(update)
        count = sum("⏰" in (m["text"] or "") for m in stub.sent(chat_id=STAFF_CHAT))
        await asyncio.sleep(2.5)
        assert sum("⏰" in (m["text"] or "") for m in stub.sent(chat_id=STAFF_CHAT)) == count
    finally:
        await stop_harness(bot)
