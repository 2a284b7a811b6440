"""The fast tier: Conversation, FlowRunner, CaseIntake, StaffDesk and check-ins on a real store.

No engine (the safety net answers alone) and no Telegram: what would be sent is collected.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import pytest
import pytest_asyncio

from bot.chat.flowrunner import FLOW_BUTTON
from bot.chat.flows import SKIP, FlowName
from bot.core.errors import NotAuthorized
from bot.store import iso, now
from tests.parts import STAFF, STAFF_CHAT, USER, Parts, body, build_parts, message


@pytest_asyncio.fixture(loop_scope="session")
async def parts(tmp_path: Path) -> AsyncIterator[Parts]:
    """Freshly wired parts on their own database file."""
    built = await build_parts(tmp_path, grace_minutes=0.0)
    yield built
    await built.store.close()


async def test_distress_without_the_engine_opens_one_case_with_its_alert(parts: Parts) -> None:
    replies = await parts.conversation.on_text(message("help me please, they locked me in"))
    assert "#1" in replies[0].text
    assert not replies[0].keyboard, "a watched phone shows no SOS keyboard (#23: /keys asks)"
    again = await parts.conversation.on_text(message("please hurry"))
    assert "#1" in again[0].text
    delivered = await parts.deliver()
    assert [item.kind for item in delivered] == ["alert"]
    assert delivered[0].chat_id == STAFF_CHAT
    relays = await parts.deliver()
    assert [item.kind for item in relays] == ["relay"]


async def test_an_ordinary_question_without_the_engine_gets_the_numbers_not_a_case(
    parts: Parts,
) -> None:
    replies = await parts.conversation.on_text(message("what is the weather like in Seoul"))
    assert replies
    assert replies[0].buttons
    assert await parts.store.active_case(USER) is None
    assert await parts.deliver() == []


async def test_a_flow_asks_each_step_and_stops_on_request(parts: Parts) -> None:
    first = await parts.flows.start(message(), "en", FlowName.CHECKIN)
    assert "check-ins" in first[0].text
    state = await parts.store.flow(USER)
    assert state is not None
    assert state[1] == 0
    second = await parts.conversation.on_text(message("Phnom Penh, Cambodia"))
    assert second[0].text.startswith("When do you leave?")
    stopped = await parts.conversation.on_text(message("stop"))
    assert stopped[0].text == "Stopped."
    assert await parts.store.flow(USER) is None


async def test_a_finished_checkin_flow_registers_the_schedule(parts: Parts) -> None:
    await parts.flows.start(message(), "en", FlowName.CHECKIN)
    for answer in ("Bangkok", "tomorrow", "12h"):
        await parts.conversation.on_text(message(answer))
    done = await parts.conversation.on_button(message(), FLOW_BUTTON + SKIP)
    assert "12 hours" in done[0].text
    checkin = await parts.store.checkin(USER)
    assert checkin is not None
    assert checkin.interval_minutes == 720


async def test_distress_typed_into_a_flow_escalates_instead_of_answering(parts: Parts) -> None:
    await parts.flows.start(message(), "en", FlowName.CHECKIN)
    replies = await parts.conversation.on_text(message("help me, I am locked in a room"))
    assert "#1" in replies[0].text
    assert await parts.store.flow(USER) is None


async def test_a_call_later_flow_opens_a_case_with_the_safe_time(parts: Parts) -> None:
    await parts.flows.start(message(), "en", FlowName.CALL_LATER)
    done = await parts.conversation.on_text(message("after 10 pm"))
    assert "team" in done[0].text
    case = await parts.store.active_case(USER)
    assert case is not None
    contact, _location = await parts.store.case_notes(case.id)
    assert contact == "safe time: after 10 pm"


async def test_only_staff_claim_and_refusals_are_audited(parts: Parts) -> None:
    await parts.conversation.on_text(message("help me please, they locked me in"))
    with pytest.raises(NotAuthorized):
        await parts.desk.cases.claim(12345, "Stranger", 1)
    notice = await parts.desk.cases.claim(STAFF, "Kim", 1)
    assert "#1" in notice
    log = await parts.store.audit_log(1)
    assert [(e.actor_id, e.action, e.allowed) for e in log] == [
        (12345, "claim", False),
        (STAFF, "claim", True),
    ]
    case = await parts.store.case(1)
    assert case.status == "claimed"


async def test_a_staff_reply_is_queued_for_the_user_with_the_safety_word(parts: Parts) -> None:
    await parts.conversation.on_command(message(), "safeword", "blue kite")
    await parts.conversation.on_text(message("help me please, they locked me in"))
    await parts.desk.words.reply(STAFF, 1, "Are you safe to talk?")
    for _ in range(3):
        await parts.deliver()
    to_user = [item.text for item in parts.sent if item.chat_id == USER]
    assert [body(text) for text in to_user] == [
        "💬 Haven team: Are you safe to talk?\n\n🔑 blue kite"
    ]


async def test_a_missed_checkin_opens_a_case_through_intake(parts: Parts) -> None:
    await parts.flows.start(message(), "en", FlowName.CHECKIN)
    for answer in ("Bangkok", "tomorrow", "12h"):
        await parts.conversation.on_text(message(answer))
    await parts.conversation.on_button(message(), FLOW_BUTTON + SKIP)
    checkin = await parts.store.checkin(USER)
    assert checkin is not None
    await parts.store.save_checkin(replace(checkin, awaiting_since=iso(now())))
    await parts.checkins.tick()
    case = await parts.store.active_case(USER)
    assert case is not None
    assert case.reason == "missed check-in"
    assert [item.kind for item in await parts.deliver()] == ["alert"]
