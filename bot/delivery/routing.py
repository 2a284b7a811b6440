"""Where each queued message goes in the staff group; the outbox's ``send``.

With topics, a case's alert, relays and notices go into its topic (made or reopened on the
way), reminders, supervisor calls and digests into General; in a burst the digest goes first.
A caseworker's words that reached the user are confirmed in the case's topic, after Telegram
accepted them. Messages to people's private chats go straight out, rendered for a watched
phone when their person has a case (bot/delivery/discretion.py): every queued path passes here.

The confirmation runs here, right after ``send`` returned (Telegram has the message), so it
never waits on the store's bookkeeping; it never raises, so a failed ✓ cannot make the outbox
send the words again. The caseworker's own answer ("Sent", "not delivered yet") comes from
``Outbox.wait`` in bot/desk/staff.py.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Awaitable

from bot.common.roster import StaffRoster
from bot.common.staffgroup import StaffGroup
from bot.core.errors import (
    CaseNotFound,
    DeliveryError,
    NoTopics,
    StoreError,
    TopicClosed,
    TopicGone,
)
from bot.core.replies import with_mentions
from bot.core.texts import t
from bot.delivery.digest import BurstDigest
from bot.delivery.discretion import Discretion
from bot.delivery.outbox import Send
from bot.delivery.topics import ICONS, CaseTopics
from bot.store import Case, CopyKind, OutboxItem, OutboxKind, now
from bot.store.case_records import CaseRecords

__all__ = ["StaffRouter", "staff_words_key", "typed_in"]

log = logging.getLogger(__name__)

IN_TOPIC = frozenset(
    {
        OutboxKind.ALERT,
        OutboxKind.RELAY,
        OutboxKind.RELAY_COPY,
        OutboxKind.STAFF_NOTICE,
        OutboxKind.HANDOVER,
    }
)
"""Kinds that go into the case's topic; the rest (reminders, digests) go to General."""
RESOLVED = "resolved:"
"""Dedupe-key prefix of a case's "resolved" notice: once it is in the topic, the topic closes."""
STAFF_WORDS = "staff:"
"""Dedupe-key prefix of words a caseworker typed: ``staff:<chat>:<message id>``."""


def staff_words_key(chat_id: int, message_id: int, in_topic: bool = True) -> str:
    """The dedupe key of a caseworker's message: the same update twice is sent once.

    Only words typed in the case's topic are answered there by the confirmation; a command
    typed in General gets a key the confirmation does not reply to (Telegram replies stay in
    their topic).
    """
    return f"{STAFF_WORDS if in_topic else 'general:'}{chat_id}:{message_id}"


def typed_in(key: str | None, chat_id: int) -> int | None:
    """The staff-group message a dedupe key names, to answer it with the confirmation."""
    if not key or not key.startswith(f"{STAFF_WORDS}{chat_id}:"):
        return None
    tail = key.rsplit(":", 1)[1]
    return int(tail) if tail.isascii() and tail.isdigit() else None


def left_at() -> str:
    """When Telegram took a message, to the second: ``14:03:27 UTC``."""
    return f"{now():%H:%M:%S} UTC"


async def beside_delivery(what: str, item: OutboxItem, step: Awaitable[object]) -> None:
    """Run ``step``, work around a delivery that the delivery can do without; never raise.

    The router is the outbox's ``send``: anything raised after Telegram accepted a message
    would look like a failed send and send it again, and a digest that fails must not hold
    the alert back. A failure is logged.
    """
    try:
        await step
    except Exception as exc:  # whatever it is, the message must not go twice
        log.error("%s #%s (case %s): %s failed: %s", item.kind, item.id, item.case_id, what, exc)


class StaffRouter:
    """Sends one queued message where it belongs; the outbox calls it as its ``send``."""

    def __init__(
        self,
        store: CaseRecords,
        send: Send,
        group: StaffGroup,
        lang: str,
        topics: CaseTopics,
        digest: BurstDigest,
        roster: StaffRoster,
        supervisors: frozenset[int],
        discretion: Discretion,
    ) -> None:
        """Route items for the staff ``group``; ``send`` reaches Telegram.

        ``discretion`` renders what goes to a person with a case.
        """
        self._store = store
        self._send = send
        self._group = group
        self._lang = lang
        self._topics = topics
        self._digest = digest
        self._roster = roster
        self._supervisors = supervisors
        self._discretion = discretion

    async def __call__(self, item: OutboxItem) -> int | None:
        """Deliver ``item``; raise DeliveryError as ``send`` does (the outbox retries)."""
        if item.chat_id != self._group.chat_id:
            message_id = await self._send(await self._discretion.outgoing(item))
            if item.kind == OutboxKind.FROM_STAFF and item.case_id is not None:
                await beside_delivery("confirmation", item, self._confirm(item))
            return message_id
        if item.kind == OutboxKind.ALERT:
            await beside_delivery("digest", item, self._digest.before_alert())
        await self._digest.make_room()
        message_id = await self._deliver(item)
        if item.case_id is not None and (item.dedupe_key or "").startswith(RESOLVED):
            await beside_delivery("closing the topic", item, self._topics.close(item.case_id))
        return message_id

    async def _deliver(self, item: OutboxItem) -> int | None:
        """Send into the right place; a topic closed or deleted meanwhile is mended once."""
        case = await self._case(item)
        routed = dataclasses.replace(item, mentions=())
        routed = await self._with_mentions(routed, case)
        thread = await self._thread(item, case)
        await self._digest.make_room()
        try:
            return await self._send(dataclasses.replace(routed, thread_id=thread))
        except TopicClosed:
            assert thread is not None
            await self._topics.reopen(thread)
        except TopicGone:
            assert thread is not None
            await self._topics.lost(thread)
            thread = await self._thread(item, case)
        except NoTopics as exc:
            log.error("the staff group refuses topics (%s): cases go to General", exc)
            await self._topics.check()
            thread = None
        return await self._send(dataclasses.replace(routed, thread_id=thread))

    async def _case(self, item: OutboxItem) -> Case | None:
        if item.case_id is None:
            return None
        try:
            return await self._store.case(item.case_id)
        except CaseNotFound:  # erased while this message was on its way
            return None

    async def _thread(self, item: OutboxItem, case: Case | None) -> int | None:
        if case is None or item.kind not in IN_TOPIC or not self._topics.on:
            return None
        metrics = await self._store.case_metrics(case.id)
        announced = metrics is not None and metrics.seen_at is not None
        announced = announced or self._digest.announced(case.id)
        notice = None if announced else self._notice(case)
        return await self._topics.thread_for(case, notice)

    def _notice(self, case: Case) -> str:
        """The line General gets when a case gets its topic (a digest replaces it in a burst)."""
        return t(
            "staff.topic_notice",
            self._lang,
            id=case.id,
            icon=ICONS[case.priority],
            priority=t(f"staff.priority_{case.priority}", self._lang),
            language=t(f"staff.lang_{case.language}", self._lang),
        )

    async def _with_mentions(self, item: OutboxItem, case: Case | None) -> OutboxItem:
        """Supervisor calls name the supervisors; a handover names the new caseworker."""
        people: list[int] = []
        if item.kind == OutboxKind.SUPERVISOR:
            people = sorted(self._supervisors)
        elif item.kind == OutboxKind.HANDOVER and case is not None and case.claimed_by:
            people = [case.claimed_by]
        if not people:
            return item
        named = [(person, await self._label(person)) for person in people]
        text, mentions = with_mentions(item.text, named)
        return dataclasses.replace(item, text=text, mentions=mentions)

    async def _label(self, user_id: int) -> str:
        name = await self._roster.name(user_id)
        return name or t("staff.someone", self._lang, id=user_id)

    async def _confirm(self, item: OutboxItem) -> None:
        """Tell the case's topic that the caseworker's words reached the person.

        Never raises: the words are delivered, and a failure here must not send them again.
        """
        assert item.case_id is not None
        try:
            topic = await self._topics.topic(item.case_id)
            if topic is None or topic.closed:
                return
            confirmation = OutboxItem(
                id=0,
                chat_id=self._group.chat_id,
                case_id=item.case_id,
                kind=OutboxKind.STAFF_NOTICE,
                text=f"{t('staff.delivered', self._lang, id=item.case_id)} · {left_at()}",
                copy_from_chat=None,
                copy_message_id=None,
                attempts=0,
                thread_id=topic.thread_id,
                reply_to=typed_in(item.dedupe_key, self._group.chat_id),
            )
            message_id = await self._send(confirmation)
        except (DeliveryError, OSError, StoreError) as exc:
            log.warning("case %s: delivery not confirmed in its topic: %s", item.case_id, exc)
            return
        if message_id is not None:
            link = self._store.link_messages(
                item.case_id, self._group.chat_id, [(message_id, CopyKind.TEXT)]
            )
            await beside_delivery("linking the confirmation", item, link)
