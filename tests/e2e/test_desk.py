"""The staff desk end to end: a forum topic per case, notes, canned replies, the ladder, numbers.

The real Application polls the Bot API stand-in, whose staff group is a forum (topics on, the
bot an administrator that may manage them), with the real engine and a real store.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from bot.engine.services import EngineServices
from tests.conftest import (
    STAFF_CHAT,
    STAFF_MEMBER,
    Harness,
    button_data,
    make_settings,
    start_harness,
    stop_harness,
    texts,
)
from tests.parts import body
from tests.telegram_stub import BotApiStub

SUPERVISOR = 9007
COLLEAGUE = 9003
STRANGER = 9002
USER = 601
KOREAN_USER = 602


def forum(stub: BotApiStub, *, may_manage: bool = True) -> None:
    """The staff group has topics on; the bot is an administrator (with or without the right)."""
    stub.make_forum(STAFF_CHAT)
    stub.set_member(STAFF_CHAT, stub.bot_id, "administrator", can_manage_topics=may_manage)
    for member in (SUPERVISOR, COLLEAGUE, STRANGER):
        stub.set_member(STAFF_CHAT, member, "member")


async def running(
    stub: BotApiStub, engine: EngineServices, tmp_path: Path, **overrides: Any
) -> Harness:
    settings = make_settings(
        stub,
        tmp_path,
        engine,
        staff_language="en",
        staff_user_ids=frozenset({STAFF_MEMBER, SUPERVISOR, COLLEAGUE}),
        staff_supervisor_ids=frozenset({SUPERVISOR}),
        **overrides,
    )
    return await start_harness(stub, settings)


@pytest_asyncio.fixture(loop_scope="session")
async def desk(stub: BotApiStub, engine: EngineServices, tmp_path: Path) -> AsyncIterator[Harness]:
    """The bot with a forum for a staff group."""
    forum(stub)
    harness = await running(stub, engine, tmp_path)
    yield harness
    await stop_harness(harness)


async def open_case(bot: Harness, user: int = USER, lang: str = "en") -> int:
    """A person in danger writes; wait until the case has its topic; return its thread."""
    text = "i cant leave this compound, they beat people here"
    if lang == "ko":
        text = "여기 갇혀 있어요 도와주세요"
    before = len(bot.stub.topics(STAFF_CHAT))
    await bot.say(user, text, language_code=lang)
    await bot.stub.wait_for(lambda s: len(s.topics(STAFF_CHAT)) > before, timeout=20)
    thread = max(bot.stub.topics(STAFF_CHAT))
    await bot.stub.wait_for(
        lambda s: any("🚨" in (m["text"] or "") for m in s.in_topic(STAFF_CHAT, thread))
    )
    return thread


async def in_topic(
    bot: Harness, thread: int, text: str, user: int = STAFF_MEMBER
) -> dict[str, Any]:
    """A member writes in a topic; return the update once the bot has handled it."""
    update = bot.stub.push_text(
        user, text, chat_id=STAFF_CHAT, first_name=f"User{user}", message_thread_id=thread
    )
    await bot.processed(update)
    return update["message"]


def alert_in(bot: Harness, thread: int) -> dict[str, Any]:
    return next(m for m in bot.stub.in_topic(STAFF_CHAT, thread) if "🚨" in (m["text"] or ""))


async def press(bot: Harness, message: dict[str, Any], data: str, user: int = STAFF_MEMBER) -> None:
    update = bot.stub.push_callback(user, message["message_id"], data, chat_id=STAFF_CHAT)
    await bot.processed(update)


def mentions(message: dict[str, Any]) -> list[dict[str, Any]]:
    """The people a message names so Telegram notifies them."""
    return [e for e in message.get("entities") or [] if e["type"] == "text_mention"]


def delivered(bot: Harness, thread: int) -> list[dict[str, Any]]:
    return [m for m in bot.stub.in_topic(STAFF_CHAT, thread) if (m["text"] or "").startswith("✓")]


async def test_a_case_opens_its_own_topic_named_without_personal_data(desk: Harness) -> None:
    replies = await desk.say(USER, "i cant leave this compound, they beat people here")
    assert "I have alerted a person" in texts(replies)
    assert "A person will answer as soon as one is free" in texts(replies), "no promise yet"
    await desk.stub.wait_for(lambda s: len(s.topics(STAFF_CHAT)) == 1)
    [(thread, topic)] = desk.stub.topics(STAFF_CHAT).items()
    assert (topic["name"], topic["icon_color"], topic["closed"]) == ("#1 🔴 EN", 16478047, False)
    await desk.stub.wait_for(
        lambda s: any("🆕 #1" in (m["text"] or "") for m in s.in_topic(STAFF_CHAT, None))
    )
    alert = alert_in(desk, thread)
    assert "they beat people here" in alert["text"]
    assert "Everything you write here goes to the user" in alert["text"]
    notice = next(m for m in desk.stub.in_topic(STAFF_CHAT, None) if "🆕 #1" in (m["text"] or ""))
    assert notice["text"].endswith(f"→ https://t.me/c/{str(STAFF_CHAT)[4:]}/{thread}")
    general = texts(desk.stub.in_topic(STAFF_CHAT, None))
    assert "they beat people" not in general, "General gets a one-line notice, not the message"
    follow = await desk.say(USER, "they are watching the door")
    assert "#1" in texts(follow)
    await desk.stub.wait_for(
        lambda s: any(
            "they are watching" in (m["text"] or "") for m in s.in_topic(STAFF_CHAT, thread)
        )
    )


async def test_staff_words_in_the_topic_reach_the_user_once_notes_do_not(desk: Harness) -> None:
    thread = await open_case(desk)
    words = await in_topic(desk, thread, "We are here. Are you safe to talk?")
    await desk.stub.wait_for(lambda s: len(delivered(desk, thread)) == 1)
    [tick] = delivered(desk, thread)
    assert tick["reply_to_message"]["message_id"] == words["message_id"]
    to_user = [
        m["text"] for m in desk.stub.sent(chat_id=USER) if "We are here" in (m["text"] or "")
    ]
    assert [body(text) for text in to_user] == ["💬 Haven team: We are here. Are you safe to talk?"]
    assert "User9001" not in texts(desk.stub.sent(chat_id=USER)), "staff stay anonymous"
    await in_topic(desk, thread, "/note she is on the 5th floor")
    await in_topic(desk, thread, "! the boss checks phones at night")
    await in_topic(desk, thread, "📝 call the embassy desk")
    await in_topic(desk, thread, "hello, we are the embassy", user=STRANGER)
    photo = desk.stub.push_message(
        STAFF_MEMBER,
        {"photo": [{"file_id": "p1", "file_unique_id": "u1", "width": 90, "height": 90}]},
        chat_id=STAFF_CHAT,
        message_thread_id=thread,
    )
    await desk.processed(photo)
    assert "only text is" in (desk.stub.in_topic(STAFF_CHAT, thread)[-1]["text"] or "")
    await asyncio.sleep(0.6)
    received = texts(desk.stub.sent(chat_id=USER))
    for secret in ("5th floor", "checks phones", "embassy desk", "we are the embassy"):
        assert secret not in received
    notes = [n.text for n in await desk.haven.store.staff_notes(1)]
    assert notes == [
        "she is on the 5th floor",
        "the boss checks phones at night",
        "call the embassy desk",
    ]
    assert len(delivered(desk, thread)) == 1, "notes are not deliveries"
    refused = [e for e in await desk.haven.store.audit_log(1) if not e.allowed]
    assert [(e.actor_id, e.action) for e in refused] == [(STRANGER, "reply")]
    metrics = await desk.haven.store.case_metrics(1)
    assert metrics is not None
    assert metrics.first_reply_at is not None, "the first staff message is timed"


async def test_resolve_closes_the_topic_and_a_new_message_reopens_it(desk: Harness) -> None:
    thread = await open_case(desk)
    await in_topic(desk, thread, "/claim")
    await in_topic(desk, thread, "/resolve rescued")
    await desk.stub.wait_for(lambda s: s.topics(STAFF_CHAT)[thread]["closed"], timeout=20)
    resolved = texts(desk.stub.in_topic(STAFF_CHAT, thread))
    assert "☑️ Case #1 resolved by User9001 · rescued" in resolved
    metrics = await desk.haven.store.case_metrics(1)
    assert metrics is not None
    assert metrics.tag == "rescued"
    await desk.stub.wait_for(
        lambda s: any("closed" in (m["text"] or "") for m in s.sent(chat_id=USER))
    )
    await desk.say(USER, "please help me again, they took me to another building")
    await desk.stub.wait_for(lambda s: not s.topics(STAFF_CHAT)[thread]["closed"], timeout=20)
    # Reopened, then renamed: wait for both (the outbox runs beside this test).
    await desk.stub.wait_for(
        lambda s: s.topics(STAFF_CHAT)[thread]["name"] == "#2 🔴 EN", timeout=20
    )
    topic = desk.stub.topics(STAFF_CHAT)
    assert list(topic) == [thread], "the same person's next case reopens their topic"
    # Reopened, then renamed: the name may follow a moment later.
    await desk.stub.wait_for(
        lambda s: s.topics(STAFF_CHAT)[thread]["name"] == "#2 🔴 EN", timeout=10
    )
    await desk.stub.wait_for(
        lambda s: any("🚨 New case #2" in (m["text"] or "") for m in s.in_topic(STAFF_CHAT, thread))
    )
    kinds = [
        next((k for k in m if k.startswith("forum_topic")), "")
        for m in desk.stub.in_topic(STAFF_CHAT, thread)
    ]
    assert "forum_topic_closed" in kinds
    assert "forum_topic_reopened" in kinds


async def test_canned_replies_arrive_in_the_user_s_language(desk: Harness) -> None:
    await desk.say(KOREAN_USER, "/safeword 파란 연")
    thread = await open_case(desk, KOREAN_USER, "ko")
    alert = alert_in(desk, thread)
    await press(desk, alert, button_data(alert, "💬 Canned"))
    picker = desk.stub.in_topic(STAFF_CHAT, thread)[-1]
    assert "Pick a canned reply for case #1" in picker["text"]
    await press(desk, picker, button_data(picker, "Safe to talk?"))
    preview = desk.stub.in_topic(STAFF_CHAT, thread)[-1]
    assert "going out in Korean" in preview["text"]
    assert "Are you safe to talk right now?" in preview["text"], "staff read it in their language"
    assert "지금 안전하게 대화할 수 있나요?" in preview["text"], "and see what the person gets"
    assert "파란 연" not in texts(desk.stub.sent(chat_id=STAFF_CHAT))
    await press(desk, preview, button_data(preview, "✉️ Send"))
    await desk.stub.wait_for(
        lambda s: any("지금 안전하게" in (m["text"] or "") for m in s.sent(chat_id=KOREAN_USER))
    )
    got = next(
        m["text"]
        for m in desk.stub.sent(chat_id=KOREAN_USER)
        if "지금 안전하게" in (m["text"] or "")
    )
    assert body(got).startswith("💬 Haven 상담원: 지금 안전하게 대화할 수 있나요?")
    assert got.endswith("🔑 파란 연"), "the safety word closes the message (#23)"
    assert "Are you safe" not in got
    await in_topic(desk, thread, "/canned call_center")
    await desk.stub.wait_for(
        lambda s: any(
            "영사콜센터" in (m["text"] or "") and "+82-2-3210-0404" in (m["text"] or "")
            for m in s.sent(chat_id=KOREAN_USER)
        )
    )
    await desk.stub.wait_for(lambda s: len(delivered(desk, thread)) == 2)
    answer = texts(desk.stub.in_topic(STAFF_CHAT, thread))
    assert "The Korean foreign ministry's Consular Call Center" in answer


async def test_claim_transfer_unclaim_and_the_handover_mention(desk: Harness) -> None:
    thread = await open_case(desk)
    await in_topic(desk, thread, "/claim")
    await in_topic(desk, thread, f"/transfer {COLLEAGUE}")
    case = await desk.haven.store.case(1)
    assert (case.status, case.claimed_by) == ("claimed", COLLEAGUE)
    await desk.stub.wait_for(lambda s: any(mentions(m) for m in s.in_topic(STAFF_CHAT, thread)))
    handover = next(m for m in desk.stub.in_topic(STAFF_CHAT, thread) if mentions(m))
    assert "🔁 Case #1 handed over by User9001" in handover["text"]
    [mention] = mentions(handover)
    assert (mention["type"], mention["user"]["id"]) == ("text_mention", COLLEAGUE)
    refused = await in_topic(desk, thread, f"/transfer {STRANGER}")
    await asyncio.sleep(0.2)
    assert (await desk.haven.store.case(1)).claimed_by == COLLEAGUE, f"{refused} is not staff"
    await in_topic(desk, thread, "/unclaim", user=COLLEAGUE)
    case = await desk.haven.store.case(1)
    assert (case.status, case.claimed_by) == ("open", None)
    await desk.stub.wait_for(
        lambda s: any("↩️ Case #1" in (m["text"] or "") for m in s.in_topic(STAFF_CHAT, None))
    )
    actions = [e.action for e in await desk.haven.store.audit_log(1) if e.allowed]
    assert actions == ["claim", "transfer", "unclaim"]


async def test_stats_and_the_weekly_chart(desk: Harness) -> None:
    thread = await open_case(desk)
    await in_topic(desk, thread, "/claim")
    await in_topic(desk, thread, "We are here.")
    await desk.stub.wait_for(lambda s: len(delivered(desk, thread)) == 1)
    alert = alert_in(desk, thread)
    await press(desk, alert, button_data(alert, "Resolve"))
    await desk.stub.wait_for(lambda s: s.topics(STAFF_CHAT)[thread]["closed"], timeout=20)
    notice = next(m for m in desk.stub.in_topic(STAFF_CHAT, thread) if "☑️" in (m["text"] or ""))
    assert "What did it turn out to be?" in notice["text"]
    await press(desk, notice, button_data(notice, "false alarm"))
    tagged = desk.stub.message(STAFF_CHAT, notice["message_id"])
    assert tagged is not None
    assert tagged["text"].endswith("🏷 Case #1: false alarm")
    assert "reply_markup" not in tagged, "the tag buttons are gone once one was picked"
    update = desk.stub.push_text(STAFF_MEMBER, "/stats week", chat_id=STAFF_CHAT)
    await desk.processed(update)
    summary = texts(desk.stub.in_topic(STAFF_CHAT, None))
    assert "📊 Last 24 hours" in summary
    assert "Cases opened: 1 (1 high priority)" in summary
    assert "Time to claim: p50" in summary
    assert "(n=1)" in summary
    assert "false alarm 1" in summary
    assert "False alarms: 1" in summary
    assert "Open now: 0, of which unclaimed: 0" in summary
    photos = [m for m in desk.stub.in_topic(STAFF_CHAT, None) if m.get("photo")]
    assert len(photos) == 1
    assert "cases opened per day" in photos[0]["caption"]
    sent = [p for method, p in desk.stub.calls("sendPhoto")]
    assert sent[0]["photo"]["size"] > 5000, "a real PNG"
    stranger = desk.stub.push_text(STRANGER, "/stats", chat_id=STAFF_CHAT)
    await desk.processed(stranger)
    assert desk.stub.in_topic(STAFF_CHAT, None)[-1]["text"] == "Only staff can do that."


async def test_the_ladder_mentions_the_supervisors_on_time(
    stub: BotApiStub, engine: EngineServices, tmp_path: Path
) -> None:
    forum(stub)
    bot = await running(stub, engine, tmp_path, realert_minutes=0.02, supervisor_minutes=0.03)
    try:
        opened = time.monotonic()
        await open_case(bot)
        await stub.wait_for(
            lambda s: any("⏰" in (m["text"] or "") for m in s.in_topic(STAFF_CHAT, None)),
            timeout=20,
        )
        await stub.wait_for(
            lambda s: any("📣" in (m["text"] or "") for m in s.in_topic(STAFF_CHAT, None)),
            timeout=20,
        )
        waited = time.monotonic() - opened
        assert waited >= (0.02 + 0.03) * 60 - 0.5, "not before the second interval"
        call = next(m for m in stub.in_topic(STAFF_CHAT, None) if "📣" in (m["text"] or ""))
        assert "Case #1 has waited" in call["text"]
        [mention] = mentions(call)
        assert (mention["type"], mention["user"]["id"]) == ("text_mention", SUPERVISOR)
        assert call["text"].endswith("User9007"), "named as Telegram names them"
        await asyncio.sleep(3.5)
        calls = [m for m in stub.in_topic(STAFF_CHAT, None) if "📣" in (m["text"] or "")]
        assert len(calls) == 1, "supervisors are called once"
        thread = max(stub.topics(STAFF_CHAT))
        await in_topic(bot, thread, "/claim")
        count = sum("⏰" in (m["text"] or "") for m in stub.in_topic(STAFF_CHAT, None))
        await asyncio.sleep(2.5)
        assert sum("⏰" in (m["text"] or "") for m in stub.in_topic(STAFF_CHAT, None)) == count
    finally:
        await stop_harness(bot)


async def test_without_the_manage_topics_right_the_group_stays_flat_and_says_so(
    stub: BotApiStub, engine: EngineServices, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    forum(stub, may_manage=False)
    bot = await running(stub, engine, tmp_path)
    try:
        await stub.wait_for(
            lambda s: any("Manage topics" in (m["text"] or "") for m in s.sent(chat_id=STAFF_CHAT))
        )
        assert "lacks the 'Manage topics' right" in caplog.text
        await bot.say(USER, "i cant leave this compound, they beat people here")
        [alert] = await bot.staff_alerts(1)
        assert stub.topics(STAFF_CHAT) == {}
        assert "reply to this message" in alert["text"], "today's reply and /reply N flow"
        stub.set_member(STAFF_CHAT, stub.bot_id, "administrator", can_manage_topics=True)
        [promoted] = stub.change_member(STAFF_CHAT, stub.bot_id, "administrator", by=1)
        await bot.processed(promoted)
        await bot.say(USER + 1, "help me they locked me in a room")
        await stub.wait_for(lambda s: len(s.topics(STAFF_CHAT)) == 1, timeout=20)
    finally:
        await stop_harness(bot)


async def test_a_burst_is_announced_in_one_digest(desk: Harness) -> None:
    users = range(700, 712)
    for user in users:
        desk.stub.push_text(user, "help me please they locked me in", language_code="en")
    await desk.stub.wait_for(
        lambda s: any((m["text"] or "").startswith("🆘") for m in s.in_topic(STAFF_CHAT, None)),
        timeout=30,
    )
    digest = next(
        m for m in desk.stub.in_topic(STAFF_CHAT, None) if (m["text"] or "").startswith("🆘")
    )
    numbers = {int(n) for n in re.findall(r"#(\d+) ", digest["text"].splitlines()[0])}
    assert numbers, "the digest names its cases"
    assert "help me please" in digest["text"], "each case with its first line"
    await desk.stub.wait_for(lambda s: len(s.topics(STAFF_CHAT)) == len(users), timeout=60)
    assert desk.stub.throttled(STAFF_CHAT) == [], "the group limit was respected"
