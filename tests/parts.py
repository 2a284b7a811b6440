"""Haven's parts wired for unit tests: a real SQLite file, no engine, no Telegram.

The classes take their collaborators, so the fast tier builds them here directly; what would
be sent is collected instead of delivered.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from bot.alarms import Alarms
from bot.canned import CannedReplies
from bot.checkin import CheckIns
from bot.conversation import Conversation
from bot.core.facts import FactsStore
from bot.core.languages import LanguagesFile
from bot.core.triage import SafetyNetFile
from bot.digest import BurstDigest, Room, unlimited
from bot.discreet import Janitor
from bot.flowrunner import FlowRunner
from bot.flows import FlowServices
from bot.hours import StaffHours
from bot.incoming import Incoming
from bot.intake import CaseIntake
from bot.ladder import EscalationLadder
from bot.langid import LanguageId
from bot.outbox import Outbox
from bot.roster import GroupMember, MemberStatus, StaffRoster
from bot.routing import StaffRouter
from bot.runtime import MESSAGES_PER_CASE
from bot.staff import StaffDesk
from bot.staffgroup import StaffGroup
from bot.stats import DeskStats
from bot.store import CaseStore, OutboxItem
from bot.topics import CaseTopics, Forum

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


def message(text: str = "", user_id: int = USER, **kwargs: object) -> Incoming:
    """A private message from ``user_id``."""
    return Incoming(user_id=user_id, chat_id=user_id, text=text, **kwargs)  # type: ignore[arg-type]


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
    content: Path = CONTENT,
) -> Parts:
    """Open a store in ``tmp_path`` and wire every part as ``runtime.open_haven`` does.

    The ``staff`` ids are named and members of the staff group; ``forum`` is a stand-in for
    Telegram's topics (None: the flat group), ``room`` the group limit's room, ``content``
    the folder of the staff-edited files.
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

    async def delete(chat_id: int, message_ids: list[int]) -> None:
        deleted.append((chat_id, message_ids))

    async def in_group(user_id: int) -> GroupMember:
        return GroupMember(user_id, f"User{user_id}", MemberStatus.MEMBER)

    facts = FactsStore(content / "facts.yml", content / "countries.yml")
    roster = StaffRoster(staff, in_group)
    group = StaffGroup(STAFF_CHAT)
    topics = CaseTopics(store, forum, group, "en")
    await topics.check()
    digest = BurstDigest(store, send, group, "en", room, lambda: MESSAGES_PER_CASE[topics.on])
    router = StaffRouter(store, send, group, "en", topics, digest, roster, supervisors)
    outbox = Outbox(store, router, base_delay=0.05, max_delay=0.2)
    canned = CannedReplies(content / "canned.yml", facts)
    desk = StaffDesk(store, outbox, group, "en", roster, topics, canned, reply_wait=reply_wait)
    alarms = Alarms(store, send, outbox, desk, "en", tuple(staff))
    outbox.reports = alarms
    stats = DeskStats(store, "en", (hours or StaffHours()).zone)
    ladder = EscalationLadder(
        store,
        outbox,
        group,
        "en",
        topics,
        stats,
        facts,
        realert,
        supervisors_after,
        supervisors,
        hours,
    )
    intake = CaseIntake(store, desk, outbox, facts, "en", alarms, expect=ladder.what_to_expect)
    checkins = CheckIns(store, intake)
    flows = FlowRunner(FlowServices(store, intake, facts, grace_minutes))
    conversation = Conversation(
        store=store,
        engine=None,
        facts=facts,
        net=SafetyNetFile(content / "safety_net.yml"),
        intake=intake,
        flows=flows,
        checkins=checkins,
        janitor=Janitor(store, delete),
        distress_threshold=0.6,
        langid=LanguageId(LanguagesFile(content / "languages.yml")),
    )
    return Parts(
        store,
        outbox,
        desk,
        intake,
        flows,
        checkins,
        conversation,
        alarms,
        topics,
        ladder,
        stats,
        sent,
        deleted,
        refusals,
    )
