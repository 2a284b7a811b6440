"""Who may act on cases, and what reaches the user: the roster, strict parsing, notes, drafts.

Fast tier: a real store, no engine, no Telegram (tests/parts.py). The same refusals through
the real Application and the Bot API stand-in are in tests/e2e/test_staff_access.py.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from bot.common.roster import GroupMember, MemberStatus, StaffRoster
from bot.common.staffgroup import StaffGroup
from bot.core.errors import MembershipUnknown, NotAuthorized
from bot.desk.staff import open_desk
from bot.desk.staffinput import (
    Button,
    ButtonAction,
    CommandLine,
    StaffCommand,
    note_text,
    parse_button,
    parse_command,
)
from tests.parts import STAFF, STAFF_CHAT, USER, Parts, body, build_parts, message

NAMED, OTHER = 11, 12
OTHER_STAFF = 78


class FakeGroup:
    """The staff group as Telegram would describe it; counts the questions asked."""

    def __init__(self) -> None:
        self.status: dict[int, MemberStatus] = {}
        self.failing = False
        self.asked = 0
        self.hold: asyncio.Event | None = None

    async def __call__(self, user_id: int) -> GroupMember:
        self.asked += 1
        if self.failing:
            raise MembershipUnknown("getChatMember failed: Timed out")
        answer = GroupMember(user_id, f"Name{user_id}", self.status.get(user_id, MemberStatus.LEFT))
        if self.hold is not None:
            await self.hold.wait()  # the answer is on its way back
        return answer


# The roster ---------------------------------------------------------------------------


async def test_staff_must_be_named_and_in_the_group() -> None:
    group = FakeGroup()
    roster = StaffRoster({NAMED}, group)
    group.status = {NAMED: MemberStatus.MEMBER, OTHER: MemberStatus.ADMINISTRATOR}
    assert await roster(NAMED)
    assert not await roster(OTHER), "a group admin who is not named is not staff"
    assert group.asked == 1, "someone not named costs no question to Telegram"
    for status in (MemberStatus.LEFT, MemberStatus.KICKED, MemberStatus.RESTRICTED):
        group.status[NAMED] = status
        assert not await roster(NAMED), status
    for status in (MemberStatus.OWNER, MemberStatus.ADMINISTRATOR, MemberStatus.MEMBER):
        group.status[NAMED] = status
        assert await roster(NAMED), status


async def test_without_membership_updates_every_check_asks_telegram() -> None:
    group = FakeGroup()
    group.status[NAMED] = MemberStatus.MEMBER
    roster = StaffRoster({NAMED}, group)
    assert await roster(NAMED)
    group.status[NAMED] = MemberStatus.LEFT
    assert not await roster(NAMED), "removed a moment ago: refused at once"
    assert group.asked == 2


async def test_a_yes_is_remembered_briefly_and_forgotten_on_a_change() -> None:
    group = FakeGroup()
    group.status[NAMED] = MemberStatus.MEMBER
    roster = StaffRoster({NAMED}, group)
    roster.trust_updates(True)
    assert await roster(NAMED)
    assert await roster(NAMED)
    assert group.asked == 1
    group.status[NAMED] = MemberStatus.KICKED
    roster.changed(NAMED)  # the chat_member update
    assert not await roster(NAMED)
    assert not await roster(NAMED), "a no is never remembered as yes"
    assert group.asked == 3
    roster.trust_updates(False)  # the bot lost its admin rights
    group.status[NAMED] = MemberStatus.MEMBER
    assert await roster(NAMED)
    assert await roster(NAMED)
    assert group.asked == 5


async def test_a_failed_check_refuses_and_is_not_remembered() -> None:
    group = FakeGroup()
    group.status[NAMED] = MemberStatus.MEMBER
    roster = StaffRoster({NAMED}, group)
    roster.trust_updates(True)
    group.failing = True
    with pytest.raises(MembershipUnknown):
        await roster(NAMED)
    group.failing = False
    assert await roster(NAMED)
    group.failing = True
    roster.changed(NAMED)
    with pytest.raises(MembershipUnknown):
        await roster(NAMED)


async def test_a_change_during_a_check_wins_over_its_older_answer() -> None:
    group = FakeGroup()
    group.status[NAMED] = MemberStatus.MEMBER
    roster = StaffRoster({NAMED}, group)
    roster.trust_updates(True)
    group.hold = asyncio.Event()
    asking = asyncio.ensure_future(roster(NAMED))
    await asyncio.sleep(0)
    group.status[NAMED] = MemberStatus.LEFT
    roster.changed(NAMED)  # the removal arrives while Telegram's older answer is on its way
    group.hold.set()
    assert await asking, "the answer Telegram gave when asked"
    group.hold = None
    assert not await roster(NAMED), "but it was not remembered past the change"


async def test_members_lists_every_named_id_with_its_standing() -> None:
    group = FakeGroup()
    group.status = {NAMED: MemberStatus.MEMBER, OTHER: MemberStatus.RESTRICTED}
    listing = await StaffRoster({OTHER, NAMED}, group).members()
    assert [(i, m.status if m else None) for i, m in listing] == [
        (NAMED, MemberStatus.MEMBER),
        (OTHER, MemberStatus.RESTRICTED),
    ]
    group.failing = True
    assert await StaffRoster({NAMED}, group).members() == [(NAMED, None)]


# Strict parsing -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "rest", "parsed"),
    [
        ("case", "1", CommandLine(StaffCommand.CASE, 1)),
        ("case", " #12 ", CommandLine(StaffCommand.CASE, 12)),
        ("case", "9999999999", CommandLine(StaffCommand.CASE, 9999999999)),
        ("claim", "007", CommandLine(StaffCommand.CLAIM, 7)),
        (
            "reply",
            "3 are you safe?\nsend your location",
            CommandLine(StaffCommand.REPLY, 3, "are you safe?\nsend your location"),
        ),
        ("reply", "3", None),
        ("note", "3 called her sister", CommandLine(StaffCommand.NOTE, 3, "called her sister")),
        ("note", "3   ", None),
        ("priority", "3 HIGH", CommandLine(StaffCommand.PRIORITY, 3, "high")),
        ("priority", "3 urgent", None),
        ("cases", "", CommandLine(StaffCommand.CASES)),
        ("staff", "whatever", CommandLine(StaffCommand.STAFF)),
        ("case", "", None),
        ("case", "abc", None),
        ("case", "²", None),
        ("case", "1²", None),
        ("case", "٣", None),
        ("case", "１", None),
        ("case", "12abc", None),
        ("case", "-1", None),
        ("case", "1" * 19, None),
        ("case", "99999999999999999999999999", None),
        ("weather", "1", None),
    ],
)
def test_commands_parse_strictly(name: str, rest: str, parsed: CommandLine | None) -> None:
    assert parse_command(name, rest) == parsed


@pytest.mark.parametrize(
    ("data", "parsed"),
    [
        ("claim:1", Button(ButtonAction.CLAIM, case_id=1)),
        ("resolve:42", Button(ButtonAction.RESOLVE, case_id=42)),
        ("send:AbCd_-12xyz", Button(ButtonAction.SEND, token="AbCd_-12xyz")),
        ("claim:²", None),
        ("claim:1²", None),
        ("claim:٣", None),
        ("claim:", None),
        ("claim:abc", None),
        ("claim:1:2", None),
        ("claim:" + "9" * 19, None),
        ("claim:1 ", None),
        ("CLAIM:1", None),
        ("del", None),
        ("sos", None),
        ("send:short", None),
        ("send:has space1", None),
        ("lang:ko", None),
    ],
)
def test_buttons_parse_strictly(data: str, parsed: Button | None) -> None:
    assert parse_button(data) == parsed


def test_note_markers() -> None:
    assert note_text("! call her at 10") == "call her at 10"
    assert note_text("  📝who can call her tonight?") == "who can call her tonight?"
    assert note_text("who can call her tonight?") is None
    assert note_text("Are you safe!") is None


# The desk -----------------------------------------------------------------------------


@pytest_asyncio.fixture(loop_scope="session")
async def parts(tmp_path: Path) -> AsyncIterator[Parts]:
    """Wired parts with one open case (#1) whose alert was delivered to the staff group."""
    built = await build_parts(tmp_path, staff=(STAFF, OTHER_STAFF))
    await built.conversation.on_command(message(), "safeword", "blue kite")
    await built.conversation.on_text(message("help me please, they locked me in"))
    await built.deliver()
    yield built
    await built.store.close()


async def alert_id(parts: Parts) -> int:
    """The staff-group message id of case #1's alert, as the outbox recorded it."""
    for message_id in range(1000, 1100):
        if await parts.store.case_for_staff_message(STAFF_CHAT, message_id) == 1:
            return message_id
    raise AssertionError("the alert was not linked to case #1")


async def to_user(parts: Parts) -> list[str]:
    for _ in range(3):
        await parts.deliver()
    return [item.text for item in parts.sent if item.chat_id == USER]


async def test_a_note_is_kept_shown_and_never_sent(parts: Parts) -> None:
    before = await to_user(parts)
    answer = await parts.desk.words.note(STAFF, "Kim", 1, "who can call her tonight?")
    assert "not sent" in answer
    assert await to_user(parts) == before
    shown = await parts.desk.views.show_case(STAFF, 1)
    assert "📝 note (Kim): who can call her tonight?" in shown
    assert "help me please" in shown
    assert await parts.desk.words.note(STAFF, "Kim", 99, "x") == "There is no case #99."
    allowed = [(e.action, e.allowed) for e in await parts.store.audit_log(1)]
    assert ("note", True) in allowed


async def test_a_reply_is_a_draft_until_its_author_presses_send(parts: Parts) -> None:
    before = await to_user(parts)
    draft = await parts.desk.drafts.reply_to(STAFF, "Kim", await alert_id(parts), "We are here.")
    assert draft is not None
    assert "Not sent yet" in draft.text
    assert "💬 Haven team: We are here." in draft.text
    assert "🔑(the user's safety word)" in draft.text
    assert "blue kite" not in draft.text, "the group never sees the safety word"
    assert await to_user(parts) == before, "nothing goes out before Send"
    buttons = [parse_button(b.data) for b in draft.buttons]
    assert [b.action if b else None for b in buttons] == [
        ButtonAction.SEND,
        ButtonAction.KEEP,
        ButtonAction.DROP,
    ]
    send = buttons[0]
    assert send is not None
    text, settled = await parts.desk.drafts.settle_draft(
        OTHER_STAFF, "Lee", send.action, send.token
    )
    assert (text, settled) == ("Only the person who wrote this draft can send it.", False)
    text, settled = await parts.desk.drafts.settle_draft(STAFF, "Kim", send.action, send.token)
    assert settled
    assert "#1" in text
    received = await to_user(parts)
    assert received[: len(before)] == before
    assert [body(text) for text in received[len(before) :]] == [
        "💬 Haven team: We are here.\n\n🔑 blue kite"
    ]
    again, _ = await parts.desk.drafts.settle_draft(STAFF, "Kim", send.action, send.token)
    assert "gone" in again, "a draft is sent once"


async def test_a_draft_can_become_a_note_or_be_dropped(parts: Parts) -> None:
    before = await to_user(parts)
    alert = await alert_id(parts)
    for action, expected in ((ButtonAction.KEEP, "Note kept"), (ButtonAction.DROP, "discarded")):
        draft = await parts.desk.drafts.reply_to(STAFF, "Kim", alert, f"internal {action}")
        assert draft is not None
        token = next(b for b in map(parse_button, (x.data for x in draft.buttons)) if b).token
        text, settled = await parts.desk.drafts.settle_draft(STAFF, "Kim", action, token)
        assert settled
        assert expected in text
    assert await to_user(parts) == before
    notes = [n.text for n in await parts.store.staff_notes(1)]
    assert notes == ["internal keep"]


async def test_a_marked_reply_is_a_note_at_once(parts: Parts) -> None:
    answer = await parts.desk.drafts.reply_to(
        STAFF, "Kim", await alert_id(parts), "! she is sleeping"
    )
    assert answer is not None
    assert answer.buttons == ()
    assert "not sent" in answer.text
    assert [n.text for n in await parts.store.staff_notes(1)] == ["she is sleeping"]


async def test_a_reply_to_ordinary_talk_is_left_alone(parts: Parts) -> None:
    assert await parts.desk.drafts.reply_to(STAFF, "Kim", 5, "lunch?") is None
    assert await parts.desk.drafts.reply_to(12345, "Stranger", 5, "lunch?") is None
    assert await parts.store.audit_log() == [], "ordinary talk is nobody's business"


async def test_strangers_are_refused_and_audited_everywhere(parts: Parts) -> None:
    stranger = 12345
    alert = await alert_id(parts)
    attempts = [
        parts.desk.views.show_case(stranger, 1),
        parts.desk.views.list_cases(stranger),
        parts.desk.cases.claim(stranger, "X", 1),
        parts.desk.cases.resolve(stranger, "X", 1),
        parts.desk.words.reply(stranger, 1, "hi"),
        parts.desk.words.note(stranger, "X", 1, "hi"),
        parts.desk.cases.set_priority(stranger, 1, "normal"),
        parts.desk.views.staff_list(stranger),
        parts.desk.drafts.reply_to(stranger, "X", alert, "hi"),
        parts.desk.drafts.reply_to(stranger, "X", alert, "! hi"),
    ]
    for attempt in attempts:
        with pytest.raises(NotAuthorized, match="Only staff"):
            await attempt
    refused = [(e.action, e.case_id) for e in await parts.store.audit_log() if not e.allowed]
    assert refused == [
        ("show", 1),
        ("list", None),
        ("claim", 1),
        ("resolve", 1),
        ("reply", 1),
        ("note", 1),
        ("priority", 1),
        ("staff", None),
        ("draft", 1),
        ("note", 1),
    ]
    assert await parts.store.staff_notes(1) == []
    assert (await parts.store.case(1)).status == "open"


async def test_a_stranger_cannot_settle_a_draft(parts: Parts) -> None:
    draft = await parts.desk.drafts.reply_to(STAFF, "Kim", await alert_id(parts), "We are here.")
    assert draft is not None
    send = parse_button(draft.buttons[0].data)
    assert send is not None
    with pytest.raises(NotAuthorized):
        await parts.desk.drafts.settle_draft(12345, "X", send.action, send.token)
    refused = [(e.actor_id, e.action) for e in await parts.store.audit_log() if not e.allowed]
    assert refused == [(12345, "reply")]


async def test_an_unknown_membership_is_refused_said_and_audited(tmp_path: Path) -> None:
    parts = await build_parts(tmp_path)
    group = FakeGroup()
    group.failing = True
    desk = open_desk(
        parts.store, parts.outbox, StaffGroup(STAFF_CHAT), "en", StaffRoster({STAFF}, group)
    )
    with pytest.raises(MembershipUnknown, match="could not check with Telegram"):
        await desk.views.list_cases(STAFF)
    [entry] = await parts.store.audit_log()
    assert (entry.actor_id, entry.action, entry.allowed) == (STAFF, "list", False)
    assert entry.detail == "membership_unknown"
    await parts.store.close()


async def test_staff_list_names_each_id_and_its_standing(tmp_path: Path) -> None:
    parts = await build_parts(tmp_path)
    group = FakeGroup()
    group.status = {STAFF: MemberStatus.ADMINISTRATOR, OTHER: MemberStatus.LEFT}
    roster = StaffRoster({STAFF, OTHER, NAMED}, group)
    desk = open_desk(parts.store, parts.outbox, StaffGroup(STAFF_CHAT), "en", roster)
    listing = await desk.views.staff_list(STAFF)
    assert "✅ Name77 · 77: administrator, may act on cases" in listing
    assert "⛔ Name12 · 12: not in the group, may not act on cases" in listing
    assert "⛔ Name11 · 11: not in the group" in listing
    await parts.store.close()
