"""Only named staff act on cases, and only what they mean to send reaches the user.

End to end: the real Application polling the Bot API stand-in, the real engine, a real store.
Every refusal is checked where a stranger would try it (commands, replies, buttons) and in
the audit log; membership changes are made the way Telegram reports them.
"""

from __future__ import annotations

import asyncio
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
from tests.telegram_stub import BotApiStub

COLLEAGUE = 9003  # named, and a member of the group
ABSENT = 9005  # named, not in the group
STRANGER = 9002  # in the group, not named
RESTRICTED = 9004  # in the group as a restricted member, not named
ADMIN = 9100  # the group's owner, who adds and removes people
USER = 501
NOT_STAFF = "Only staff can do that."


async def running(
    stub: BotApiStub, engine: EngineServices, tmp_path: Path, bot_is_admin: bool = False
) -> Harness:
    """The bot with English staff texts and three named caseworkers, one absent."""
    stub.set_member(STAFF_CHAT, COLLEAGUE, "member")
    stub.set_member(STAFF_CHAT, STRANGER, "member")
    stub.set_member(STAFF_CHAT, RESTRICTED, "restricted")
    stub.set_member(STAFF_CHAT, ADMIN, "creator")
    if bot_is_admin:
        stub.set_member(STAFF_CHAT, stub.bot_id, "administrator")
    settings = make_settings(
        stub,
        tmp_path,
        engine,
        staff_language="en",
        staff_user_ids=frozenset({STAFF_MEMBER, COLLEAGUE, ABSENT}),
    )
    return await start_harness(stub, settings)


@pytest_asyncio.fixture(loop_scope="session")
async def desk(stub: BotApiStub, engine: EngineServices, tmp_path: Path) -> AsyncIterator[Harness]:
    """The bot, with case #1 open (its user set a safety word) and alerted."""
    harness = await running(stub, engine, tmp_path)
    await open_case(harness)
    yield harness
    await stop_harness(harness)


@pytest_asyncio.fixture(loop_scope="session")
async def admin_desk(
    stub: BotApiStub, engine: EngineServices, tmp_path: Path
) -> AsyncIterator[Harness]:
    """The same, with the bot an administrator of the staff group (it hears of changes)."""
    harness = await running(stub, engine, tmp_path, bot_is_admin=True)
    await open_case(harness)
    yield harness
    await stop_harness(harness)


async def open_case(bot: Harness) -> None:
    await bot.say(USER, "/safeword blue kite", language_code="en")
    await bot.say(USER, "i cant leave this compound, they beat people here")
    await bot.staff_alerts(1)


def alert(bot: Harness) -> dict[str, Any]:
    return bot.stub.sent(chat_id=STAFF_CHAT)[0]


async def staff_says(bot: Harness, text: str, user: int = STAFF_MEMBER, **kwargs: Any) -> str:
    """Post in the staff group; return what the bot posted there in answer."""
    before = len(bot.stub.sent(chat_id=STAFF_CHAT))
    update = bot.stub.push_text(user, text, chat_id=STAFF_CHAT, chat_type="supergroup", **kwargs)
    await bot.processed(update)
    return texts(bot.stub.sent(chat_id=STAFF_CHAT)[before:])


async def press(
    bot: Harness, user: int, message: dict[str, Any], data: str, chat_id: int = STAFF_CHAT
) -> dict[str, Any]:
    """Press a button (real or forged data) on a message; return the bot's answer to it."""
    update = bot.stub.push_callback(user, message["message_id"], data, chat_id=chat_id)
    await bot.processed(update)
    query_id = update["callback_query"]["id"]
    answers = [p for _, p in bot.stub.calls("answerCallbackQuery")]
    return next(p for p in answers if p["callback_query_id"] == query_id)


async def to_user(bot: Harness) -> str:
    """Everything the user has received, after the outbox had a moment."""
    await asyncio.sleep(0.4)
    return texts(bot.stub.sent(chat_id=USER))


def refused(bot: Harness, entries: list[Any], actor: int) -> list[tuple[str, int | None]]:
    return [(e.action, e.case_id) for e in entries if e.actor_id == actor and not e.allowed]


async def test_a_group_member_who_is_not_named_is_refused_everywhere(desk: Harness) -> None:
    commands = [
        "/case 1", "/cases", "/reply 1 we are the embassy, answer us", "/note 1 x",
        "/claim 1", "/resolve 1", "/priority 1 normal", "/staff", "/case abc",
        "/case 9999999999",
    ]  # fmt: skip
    said = [await staff_says(desk, command, user=STRANGER) for command in commands]
    # Refused (and audited) every time; told once an hour: the group's budget is for cases.
    assert said == [NOT_STAFF] + [""] * (len(commands) - 1)
    before = len(desk.stub.sent(chat_id=STAFF_CHAT))
    chatter = await staff_says(
        desk, "hello dear, we are the embassy", user=STRANGER,
        reply_to_message_id=alert(desk)["message_id"],
    )  # fmt: skip
    assert chatter == "", "a stranger's reply gets no answer in the group"
    assert len(desk.stub.sent(chat_id=STAFF_CHAT)) == before
    answer = await press(desk, STRANGER, alert(desk), "claim:1")
    assert (answer["text"], answer["show_alert"]) == (NOT_STAFF, True)
    answer = await press(desk, ABSENT, alert(desk), "resolve:1")
    assert answer["text"] == NOT_STAFF, "named but not in the group"
    received = await to_user(desk)
    assert "embassy" not in received
    assert "blue kite ·" not in received, "nobody wrote as Haven, so no safety word went out"
    assert (await desk.haven.store.case(1)).status == "open"
    audit = await desk.haven.store.audit_log()
    assert refused(desk, audit, STRANGER) == [
        ("show", 1), ("list", None), ("reply", 1), ("note", 1), ("claim", 1), ("resolve", 1),
        ("priority", 1), ("staff", None), ("case", None), ("show", 9999999999), ("draft", 1),
        ("claim", 1),
    ]  # fmt: skip
    assert refused(desk, audit, ABSENT) == [("resolve", 1)]
    assert await desk.haven.store.staff_notes(1) == []
    shown = await staff_says(desk, "/case 1")
    assert "i cant leave this compound" in shown, "named staff still work"


async def test_numbers_and_buttons_are_parsed_strictly(
    desk: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    assert await staff_says(desk, "/case 9999999999") == "There is no case #9999999999."
    for command in ("/case 99999999999999999999", "/case ²", "/claim 1²", "/case ٣", "/case"):
        assert (await staff_says(desk, command)).startswith("Usage: /"), command
    assert await staff_says(desk, "/reply 1") == "Usage: /reply N text"
    assert await staff_says(desk, "/note 1") == "Usage: /note N text"
    for data in ("claim:²", "claim:٣", "claim:1:1", "resolve:", "claim:" + "9" * 30):
        answer = await press(desk, STAFF_MEMBER, alert(desk), data)
        assert answer["text"] == "This button is no longer available.", data
    answer = await press(desk, STAFF_MEMBER, alert(desk), "resolve:9999999999")
    assert answer["text"] == "There is no case #9999999999."
    assert (await desk.haven.store.case(1)).status == "open"
    assert "update failed" not in caplog.text, "no handler raised"


async def test_buttons_are_bound_to_their_chat(desk: Harness) -> None:
    store = desk.haven.store
    for data in ("del", "del:60", "sos", "lang:en", "ci:ok"):
        answer = await press(desk, RESTRICTED, alert(desk), data)
        assert answer["text"] == "This button is no longer available.", data
    answer = await press(desk, STAFF_MEMBER, alert(desk), "del")
    assert answer["text"] == "This button is no longer available."
    await asyncio.sleep(0.3)
    assert desk.stub.deleted(STAFF_CHAT) == [], "no staff-group message was deleted"
    assert [case.id for case in await store.list_active()] == [1], "no case for the group"
    mine = desk.stub.sent(chat_id=USER)[-1]
    answer = await press(desk, USER, mine, "claim:1", chat_id=USER)
    assert answer["text"] == "This button is no longer available."
    elsewhere = -100999
    desk.stub.add_chat(elsewhere)
    posted = desk.stub.push_text(STRANGER, "hi", chat_id=elsewhere, chat_type="supergroup")
    await desk.processed(posted)
    answer = await press(desk, STRANGER, posted["message"], "sos", chat_id=elsewhere)
    assert answer["text"] == "This button is no longer available."
    assert (await store.case(1)).status == "open"
    assert [case.id for case in await store.list_active()] == [1]
    audit = await store.audit_log()
    assert refused(desk, audit, RESTRICTED) == [("button", None)] * 5
    assert refused(desk, audit, STAFF_MEMBER) == [("button", None)]
    assert refused(desk, audit, USER) == [("button", None)]
    assert refused(desk, audit, STRANGER) == [("button", None)]
    details = {e.detail for e in audit if not e.allowed}
    assert details == {"not_staff_button", "staff_button_elsewhere", "button_in_other_chat"}


async def test_without_admin_rights_a_removal_counts_at_once(desk: Harness) -> None:
    assert "i cant leave" in await staff_says(desk, "/case 1")
    desk.stub.set_member(STAFF_CHAT, STAFF_MEMBER, "left")  # the bot is told nothing
    assert await staff_says(desk, "/case 1") == NOT_STAFF
    desk.stub.set_member(STAFF_CHAT, STAFF_MEMBER, "restricted")
    assert await staff_says(desk, "/case 1") == NOT_STAFF
    answer = await press(desk, STAFF_MEMBER, alert(desk), "claim:1")
    assert answer["text"] == NOT_STAFF
    desk.stub.set_member(STAFF_CHAT, STAFF_MEMBER, "member")
    assert "i cant leave" in await staff_says(desk, "/case 1")


async def test_a_member_removed_mid_session_loses_access_at_once(admin_desk: Harness) -> None:
    bot, stub = admin_desk, admin_desk.stub
    assert "i cant leave" in await staff_says(bot, "/case 1")
    asked = len(stub.calls("getChatMember"))
    assert "i cant leave" in await staff_says(bot, "/case 1")
    assert len(stub.calls("getChatMember")) == asked, (
        "a recent yes is trusted: the bot hears of changes"
    )
    for update in stub.change_member(STAFF_CHAT, STAFF_MEMBER, "kicked", by=ADMIN):
        await bot.processed(update)
    assert await staff_says(bot, "/case 1") == NOT_STAFF
    assert (await press(bot, STAFF_MEMBER, alert(bot), "claim:1"))["text"] == NOT_STAFF
    for update in stub.change_member(STAFF_CHAT, STAFF_MEMBER, "member", by=ADMIN):
        await bot.processed(update)
    assert "i cant leave" in await staff_says(bot, "/case 1")
    for update in stub.change_member(STAFF_CHAT, STAFF_MEMBER, "restricted", by=ADMIN):
        await bot.processed(update)
    assert await staff_says(bot, "/case 1") == NOT_STAFF
    for update in stub.change_member(STAFF_CHAT, STAFF_MEMBER, "member", by=ADMIN):
        await bot.processed(update)
    assert "i cant leave" in await staff_says(bot, "/case 1")
    for update in stub.change_member(STAFF_CHAT, stub.bot_id, "member", by=ADMIN):
        await bot.processed(update)  # demoted: Telegram stops reporting changes
    stub.set_member(STAFF_CHAT, STAFF_MEMBER, "left")
    assert await staff_says(bot, "/case 1") == NOT_STAFF, "nothing trusted without the updates"
    audit = await bot.haven.store.audit_log(1)
    assert refused(bot, audit, STAFF_MEMBER) == [
        ("show", 1),
        ("claim", 1),
        ("show", 1),
        ("show", 1),
    ]


async def test_a_failed_membership_check_is_refused_said_and_not_cached(
    admin_desk: Harness,
) -> None:
    bot = admin_desk
    bot.stub.fail("getChatMember", times=1, error_code=500)
    answer = await staff_says(bot, "/case 1")
    assert "could not check with Telegram" in answer
    assert "i cant leave" not in answer
    bot.stub.fail("getChatMember", times=1, error_code=500)
    said = await staff_says(bot, "📝 a note", reply_to_message_id=alert(bot)["message_id"])
    assert "could not check with Telegram" in said, "even a reply is told, not silently lost"
    assert await bot.haven.store.staff_notes(1) == []
    entries = [e for e in await bot.haven.store.audit_log() if not e.allowed]
    assert [(e.actor_id, e.action, e.case_id) for e in entries] == [
        (STAFF_MEMBER, "show", 1),
        (STAFF_MEMBER, "note", 1),
    ]
    assert all(e.detail == "membership_unknown" for e in entries)
    assert "i cant leave" in await staff_says(bot, "/case 1"), "asked again, not cached"


async def test_replies_are_drafts_and_notes_stay_in_the_record(desk: Harness) -> None:
    stub = desk.stub
    assert "/note 1" in alert(desk)["text"], "the alert says how notes and replies work"
    draft_text = await staff_says(
        desk, "who can call her tonight?", reply_to_message_id=alert(desk)["message_id"]
    )
    assert "Not sent yet" in draft_text
    assert "💬 Haven team: who can call her tonight?" in draft_text
    assert draft_text.count("🔑") == 1, "the mark once, at the end of what the person reads"
    assert "who can call her tonight?\n\n🔑(the user's safety word)" in draft_text
    assert "blue kite" not in draft_text
    first = stub.sent(chat_id=STAFF_CHAT)[-1]
    answer = await press(desk, STAFF_MEMBER, first, button_data(first, "✖ Cancel"))
    assert "discarded" in answer["text"]
    closed = stub.message(STAFF_CHAT, first["message_id"])
    assert closed is not None
    assert "reply_markup" not in closed
    assert "discarded" in closed["text"]
    await staff_says(desk, "We are here.", reply_to_message_id=alert(desk)["message_id"])
    second = stub.sent(chat_id=STAFF_CHAT)[-1]
    send = button_data(second, "✉️ Send")
    assert (await press(desk, STRANGER, second, send))["text"] == NOT_STAFF
    answer = await press(desk, COLLEAGUE, second, send)
    assert answer["text"] == "Only the person who wrote this draft can send it."
    assert "We are here." not in await to_user(desk)
    answer = await press(desk, STAFF_MEMBER, second, send)
    assert "#1" in answer["text"]
    await stub.wait_for(lambda s: "We are here." in texts(s.sent(chat_id=USER)))
    assert "💬 Haven team: We are here.\n\n🔑 blue kite" in texts(stub.sent(chat_id=USER))
    closed = stub.message(STAFF_CHAT, second["message_id"])
    assert closed is not None
    assert "reply_markup" not in closed, "pressed once, gone"
    assert "Sent to case #1" in closed["text"]
    assert "Note kept" in await staff_says(
        desk, "! she may be asleep", reply_to_message_id=alert(desk)["message_id"]
    )
    assert "Note kept" in await staff_says(desk, "/note 1 called the embassy at 10:00")
    shown = await staff_says(desk, "/case 1")
    assert "📝 note (User9001): she may be asleep" in shown
    assert "📝 note (User9001): called the embassy at 10:00" in shown
    received = await to_user(desk)
    for internal in ("tonight", "asleep", "embassy"):
        assert internal not in received, internal
    allowed = [e.action for e in await desk.haven.store.audit_log(1) if e.allowed]
    assert allowed == ["reply", "note", "note", "show"]


async def test_staff_lists_who_is_staff(desk: Harness) -> None:
    listing = await staff_says(desk, "/staff", first_name="Minji")
    assert "✅ Minji · 9001: member, may act on cases" in listing
    assert "✅ User9003 · 9003: member, may act on cases" in listing
    assert "⛔ User9005 · 9005: not in the group, may not act on cases" in listing
    assert str(STRANGER) not in listing


async def test_a_stranger_flooding_the_group_holds_no_alert_and_no_reply(desk: Harness) -> None:
    """Forty commands from a member who is not staff: one notice, every one audited, and a
    new case's alert and a caseworker's /reply still go out."""
    before = len(desk.stub.sent(chat_id=STAFF_CHAT))
    for n in range(40):
        update = desk.stub.push_text(
            STRANGER, f"/cases {n}", chat_id=STAFF_CHAT, chat_type="supergroup"
        )
    await desk.processed(update)
    posted = texts(desk.stub.sent(chat_id=STAFF_CHAT)[before:])
    assert posted.count(NOT_STAFF) <= 1
    await desk.say(USER + 1, "help me please, they locked me in", language_code="en")
    await desk.staff_alerts(2)
    assert "sent" in (await staff_says(desk, "/reply 1 we are here")).lower()
    assert "we are here" in await to_user(desk)
    audit = await desk.haven.store.audit_log()
    assert len(refused(desk, audit, STRANGER)) >= 40
