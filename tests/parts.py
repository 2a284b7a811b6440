"""Haven's parts wired for unit tests: a real SQLite file, no engine, no Telegram.

They are wired by ``bot.runtime.wire``, the function ``make run`` uses, so the fast tier cannot
drift from the service; what would be sent is collected instead of delivered.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from bot.chat.checkin import CheckIns
from bot.chat.conversation import Conversation
from bot.chat.flowrunner import FlowRunner
from bot.common.hours import StaffHours
from bot.common.incoming import Incoming
from bot.common.roster import GroupMember, MemberStatus, StaffRoster
from bot.common.settings import Settings
from bot.core.discretion import opening
from bot.delivery.digest import Room, unlimited
from bot.delivery.janitor import Delete
from bot.delivery.outbox import Outbox
from bot.delivery.retention import Edit
from bot.delivery.topics import CaseTopics, Forum
from bot.desk.alarms import Alarms
from bot.desk.intake import CaseIntake
from bot.desk.ladder import EscalationLadder
from bot.desk.staff import StaffDesk
from bot.desk.stats import DeskStats
from bot.engine.ocr import TextReader
from bot.runtime import Contents, Tuning, load_contents, wire
from bot.store import CaseStore, OutboxItem

CONTENT = Path(__file__).resolve().parents[1] / "content"
STAFF_CHAT = -100500
STAFF = 77
USER = 4242


@dataclass
class Parts:
    """The wired parts and what they tried to send or delete."""

    store: CaseStore
    outbox: Outbox
    desk: StaffDesk
    intake: CaseIntake
    flows: FlowRunner
    checkins: CheckIns
    conversation: Conversation
    alarms: Alarms
    topics: CaseTopics
    ladder: EscalationLadder
    stats: DeskStats
    contents: Contents
    sent: list[OutboxItem] = field(default_factory=list)
    deleted: list[tuple[int, list[int]]] = field(default_factory=list)
    refusals: dict[int, list[tuple[str | None, Exception]]] = field(default_factory=dict)
    """Per chat, errors the next sends there raise (one each), as Telegram would."""

    def refuse(self, chat_id: int, *errors: Exception, kind: str | None = None) -> None:
        """The next sends to ``chat_id`` (of ``kind`` if given) fail with ``errors``, in order."""
        self.refusals.setdefault(chat_id, []).extend((kind, e) for e in errors)

    def to(self, chat_id: int) -> list[str]:
        """Texts delivered to a chat, in order."""
        return [item.text for item in self.sent if item.chat_id == chat_id]

    def bodies(self, chat_id: int) -> list[str]:
        """Texts delivered to a chat, without the neutral opening of a watched phone (#23)."""
        return [body(text) for text in self.to(chat_id)]

    async def deliver(self) -> list[OutboxItem]:
        """Deliver what is due now and return it."""
        before = len(self.sent)
        await self.outbox.deliver_due()
        return self.sent[before:]


async def until(predicate: Callable[[], bool], timeout: float = 5.0) -> None:
    """Wait until ``predicate()`` holds (the outbox loop runs meanwhile)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        if loop.time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.01)


def body(text: str) -> str:
    """A text without the neutral opening a person with an open case gets first (#23)."""
    for lang in ("ko", "en"):
        head = f"{opening(lang)}\n\n"
        if text.startswith(head):
            return text[len(head) :]
    return text


def message(text: str = "", user_id: int = USER, **kwargs: object) -> Incoming:
    """A private message from ``user_id``."""
    return Incoming(user_id=user_id, chat_id=user_id, text=text, **kwargs)  # type: ignore[arg-type]


_SHIPPED: list[Contents] = []


def shipped_contents() -> Contents:
    """The content files as shipped, loaded once for the whole fast tier: no test edits them
    (those that do copy them to a folder of their own), and parsing them takes 0.4 s."""
    if not _SHIPPED:
        _SHIPPED.append(load_contents(CONTENT))
    return _SHIPPED[0]


async def build_parts(
    tmp_path: Path,
    grace_minutes: float = 60.0,
    staff: Iterable[int] = (STAFF,),
    reply_wait: float = 0.0,
    forum: Forum | None = None,
    room: Room = unlimited,
    supervisors: frozenset[int] = frozenset(),
    hours: StaffHours | None = None,
    realert: timedelta = timedelta(minutes=5),
    supervisors_after: timedelta = timedelta(minutes=10),
    delete: Delete | None = None,
    edit: Edit | None = None,
    reader: TextReader | None = None,
    content: Path = CONTENT,
    **settings: Any,
) -> Parts:
    """Open a store in ``tmp_path`` and wire every part through ``runtime.wire``, as
    ``make run`` does, with fakes for Telegram and no engine.

    The ``staff`` ids are named and members of the staff group; ``forum`` is a stand-in for
    Telegram's topics (None: the flat group), ``room`` the group limit's room; ``delete`` and
    ``edit`` reach a fake Telegram (deletions are collected by default); ``reader`` reads
    pictures (None: they are answered as unread); ``content`` is the folder of the
    staff-edited files; other keywords are settings (``case_retention_days=7``).
    """
    store = await CaseStore.open(tmp_path / "haven.sqlite3")
    sent: list[OutboxItem] = []
    deleted: list[tuple[int, list[int]]] = []
    refusals: dict[int, list[tuple[str | None, Exception]]] = {}

    async def send(item: OutboxItem) -> int:
        waiting = refusals.get(item.chat_id, [])
        for index, (kind, error) in enumerate(waiting):
            if kind in (None, item.kind):
                del waiting[index]
                raise error
        sent.append(item)
        return 1000 + len(sent)

    async def collect(chat_id: int, message_ids: list[int]) -> None:
        deleted.append((chat_id, message_ids))

    async def in_group(user_id: int) -> GroupMember:
        return GroupMember(user_id, f"User{user_id}", MemberStatus.MEMBER)

    config = Settings(
        staff_chat_id=STAFF_CHAT,
        staff_user_ids=frozenset(staff),
        staff_supervisor_ids=supervisors,
        staff_language="en",
        staff_hours=hours or StaffHours(),
        content_dir=content,
        database_path=tmp_path / "haven.sqlite3",
        checkin_grace_minutes=grace_minutes,
        realert_minutes=realert.total_seconds() / 60,
        supervisor_minutes=supervisors_after.total_seconds() / 60,
        **settings,
    )
    haven = await wire(
        config,
        store,
        None,
        shipped_contents() if content == CONTENT else load_contents(content),
        send,
        StaffRoster(staff, in_group),
        delete or collect,
        edit,
        forum,
        room,
        Tuning(reply_wait=reply_wait, outbox_base_delay=0.05, outbox_max_delay=0.2),
        reader,
    )
    await haven.topics.check()
    return Parts(
        store,
        haven.outbox,
        haven.desk,
        haven.intake,
        haven.flows,
        haven.checkins,
        haven.conversation,
        haven.alarms,
        haven.topics,
        haven.ladder,
        haven.stats,
        haven.contents,
        sent,
        deleted,
        refusals,
    )
