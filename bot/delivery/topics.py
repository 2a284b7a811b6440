"""One forum topic per case, when the staff group has topics on.

The topic is named without anything about the person (``#42 🔴 KO``) and coloured by
priority; the alert, the person's messages and staff's words live there. Resolving closes it;
the same person's next case reopens it, so staff see the whole story in one place. A group
without topics, or a bot without the "manage topics" right, keeps the flat group (replies and
``/reply N``); the bot says so at start-up, in its log and in the group.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import Enum
from typing import Protocol

from bot.common.staffgroup import StaffGroup
from bot.core.errors import (
    CaseNotFound,
    DeliveryError,
    NoTopics,
    StoreError,
    TopicClosed,
    TopicGone,
)
from bot.core.texts import t
from bot.store import Case, CaseKind, OutboxKind, Outgoing, Priority, Topic

__all__ = [
    "ICONS",
    "CaseTopics",
    "Forum",
    "ForumMode",
    "ForumStatus",
    "TopicRecords",
    "topic_link",
    "topic_name",
]

log = logging.getLogger(__name__)

MAX_NAME = 128
"""Telegram's limit on a topic name, in characters."""
COLORS = {Priority.HIGH: 16478047, Priority.NORMAL: 16766590}
"""Telegram's fixed topic colours: red for high priority, yellow for normal."""
ICONS = {Priority.HIGH: "🔴", Priority.NORMAL: "🟡"}


@dataclass(frozen=True)
class ForumStatus:
    """What Telegram says about the staff group: topics on, and may the bot manage them."""

    forum: bool
    may_manage: bool


class ForumMode(Enum):
    """How the staff group works: one topic per case, or the flat group of replies."""

    TOPICS = "topics"
    FLAT = "flat"
    NO_RIGHTS = "no_rights"
    """Topics are on, but the bot may not make them: flat until an admin grants the right."""


class Forum(Protocol):
    """What Telegram does with topics (bot/telegram/delivery.py); errors are DeliveryErrors."""

    async def forum_status(self, chat_id: int) -> ForumStatus:
        """Whether topics are on, and whether the bot may manage them."""

    async def create_topic(self, chat_id: int, name: str, color: int) -> int:
        """Make a topic; return its message_thread_id."""

    async def rename_topic(self, chat_id: int, thread_id: int, name: str) -> None:
        """Rename a topic."""

    async def close_topic(self, chat_id: int, thread_id: int) -> None:
        """Close a topic."""

    async def reopen_topic(self, chat_id: int, thread_id: int) -> None:
        """Reopen a closed topic."""


class TopicRecords(Protocol):
    """What the topics keep in the store: each case's topic, and the notices about them."""

    async def topic(self, case_id: int) -> Topic | None: ...
    async def earlier_topic(self, case_id: int, chat_id: int) -> Topic | None: ...
    async def case_for_thread(self, chat_id: int, thread_id: int) -> int | None: ...
    async def set_topic(
        self, case_id: int, chat_id: int, thread_id: int, notice: Outgoing | None = None
    ) -> None: ...
    async def set_topic_closed(self, chat_id: int, thread_id: int, closed: bool) -> None: ...
    async def forget_thread(self, chat_id: int, thread_id: int) -> None: ...
    async def enqueue(self, outgoing: Outgoing, case_id: int | None = None) -> list[int]: ...


def topic_name(case: Case) -> str:
    """``#42 🔴 KO`` (🤫 for a discreet case): a number, the priority and the language only."""
    name = f"#{case.id} {ICONS[case.priority]} {case.language.upper()}"
    if case.kind == CaseKind.DISCREET:
        name += " 🤫"
    return name[:MAX_NAME]


def topic_link(chat_id: int, thread_id: int) -> str | None:
    """A t.me link to a topic of a supergroup (ids -100…); None for other chats."""
    digits = str(chat_id)
    if not digits.startswith("-100"):
        return None
    return f"https://t.me/c/{digits[4:]}/{thread_id}"


class CaseTopics:
    """Finds, makes, reopens, renames and closes each case's topic in the staff group."""

    def __init__(
        self, store: TopicRecords, forum: Forum | None, group: StaffGroup, lang: str
    ) -> None:
        """Topics in the staff ``group`` through ``forum`` (None: a front end without topics)."""
        self._store = store
        self._forum = forum
        self._group = group
        self._lang = lang
        self._mode = ForumMode.FLAT
        self._made: dict[int, tuple[int, Outgoing | None]] = {}
        """Topics Telegram made that the store has not recorded: case → (thread, notice)."""

    @property
    def on(self) -> bool:
        """Whether cases get their own topics now."""
        return self._mode == ForumMode.TOPICS

    @property
    def mode(self) -> ForumMode:
        """How the staff group works now."""
        return self._mode

    async def check(self) -> ForumMode:
        """Ask Telegram whether the group has topics and the bot may manage them; say so.

        Run at start-up and when the bot's rights in the group change. A forum without the
        right is logged as an error and falls back to the flat group: alerts must still go out.
        """
        if self._forum is None:
            self._mode = ForumMode.FLAT
            return self._mode
        try:
            status = await self._forum.forum_status(self._group.chat_id)
        except DeliveryError as exc:
            log.warning("could not ask Telegram whether the staff group has topics: %s", exc)
            return self._mode
        before = self._mode
        if not status.forum:
            self._mode = ForumMode.FLAT
        elif status.may_manage:
            self._mode = ForumMode.TOPICS
        else:
            self._mode = ForumMode.NO_RIGHTS
        if self._mode == ForumMode.NO_RIGHTS and before != ForumMode.NO_RIGHTS:
            log.error(
                "the staff group has topics, but the bot lacks the 'Manage topics' right: make "
                "it an administrator with 'Manage topics' to give each case its topic; until "
                "then cases stay in General, with replies and /reply N"
            )
            await self._store.enqueue(
                Outgoing(
                    self._group.chat_id,
                    OutboxKind.STAFF_NOTICE,
                    t("staff.topics_no_rights", self._lang),
                )
            )
        elif self._mode != before:
            log.info("staff group: %s", self._mode.value)
        return self._mode

    async def topic(self, case_id: int) -> Topic | None:
        """The case's topic while topics are on (None in a flat group)."""
        return await self._store.topic(case_id) if self.on else None

    async def link_line(self, case_id: int) -> str:
        """ "→ <link to the case's topic>" for a notice in General; "" when there is none."""
        topic = await self.topic(case_id)
        link = topic_link(self._group.chat_id, topic.thread_id) if topic is not None else None
        return f"\n→ {link}" if link else ""

    async def case_for_thread(self, thread_id: int) -> int | None:
        """The case a topic is for, if it is a case's topic."""
        return await self._store.case_for_thread(self._group.chat_id, thread_id)

    async def thread_for(self, case: Case, notice: str | None) -> int | None:
        """The case's open topic, made or reopened as needed; None in a flat group.

        ``notice`` is the one-line notice queued in General when the case first gets a
        topic (None: a digest already announced it). Telegram refusing topics (they were
        turned off, or the right withdrawn) turns them off here and the caller sends flat.
        """
        if not self.on or self._forum is None:
            return None
        try:
            return await self._thread_for(case, notice)
        except NoTopics as exc:
            self._mode = ForumMode.NO_RIGHTS
            log.error("the staff group refuses topics (%s): cases go to General", exc)
            return None

    async def _thread_for(self, case: Case, notice: str | None) -> int:
        assert self._forum is not None
        own = await self._store.topic(case.id)
        if own is not None:
            if own.closed:
                await self.reopen(own.thread_id)
            return own.thread_id
        thread_id = self._made[case.id][0] if case.id in self._made else None
        earlier = None
        if thread_id is None:
            earlier = await self._store.earlier_topic(case.id, self._group.chat_id)
        if earlier is not None:
            try:
                if earlier.closed:
                    await self.reopen(earlier.thread_id)
                await self._forum.rename_topic(
                    self._group.chat_id, earlier.thread_id, topic_name(case)
                )
                thread_id = earlier.thread_id
            except TopicGone:
                await self._store.forget_thread(self._group.chat_id, earlier.thread_id)
            except DeliveryError as exc:
                if "not_modified" not in str(exc).lower():
                    raise
                thread_id = earlier.thread_id
        if thread_id is None:
            thread_id = await self._forum.create_topic(
                self._group.chat_id, topic_name(case), COLORS[case.priority]
            )
            log.info("case %s has topic %s", case.id, thread_id)
        # Telegram made it: kept here until the store has it, so a failed write never
        # makes a second topic (and a second notice) for the same case.
        if case.id not in self._made:
            self._made[case.id] = (thread_id, self._notice(case, notice, thread_id))
        await self.record_made()
        return thread_id

    async def record_made(self) -> None:
        """Record the topics Telegram made that the store has not written yet (each tick)."""
        for case_id, (thread_id, notice) in list(self._made.items()):
            try:
                await self._store.set_topic(case_id, self._group.chat_id, thread_id, notice)
            except CaseNotFound:
                log.info("case %s was erased before its topic %s was recorded", case_id, thread_id)
            except StoreError as exc:
                log.error("case %s: topic %s not recorded yet (%s)", case_id, thread_id, exc)
                return
            self._made.pop(case_id, None)

    def _notice(self, case: Case, text: str | None, thread_id: int) -> Outgoing | None:
        """The one-line notice in General, with the link to the topic."""
        if text is None:
            return None
        link = topic_link(self._group.chat_id, thread_id)
        return Outgoing(
            self._group.chat_id,
            OutboxKind.CASE_NOTICE,
            f"{text}\n→ {link}" if link else text,
            dedupe_key=f"topic-notice:{case.id}",
        )

    async def reopen(self, thread_id: int) -> None:
        """Reopen a closed topic (already open is fine)."""
        assert self._forum is not None
        try:
            await self._forum.reopen_topic(self._group.chat_id, thread_id)
        except DeliveryError as exc:
            if "not_modified" not in str(exc).lower():
                raise
        await self._store.set_topic_closed(self._group.chat_id, thread_id, False)

    async def close(self, case_id: int) -> None:
        """Close a resolved case's topic; a failure is logged, never raised (it is tidying)."""
        topic = await self.topic(case_id)
        if topic is None or topic.closed or self._forum is None:
            return
        try:
            await self._forum.close_topic(self._group.chat_id, topic.thread_id)
        except (TopicClosed, TopicGone):
            pass
        except DeliveryError as exc:
            if "not_modified" not in str(exc).lower():
                log.warning("could not close the topic of case %s: %s", case_id, exc)
                return
        await self._store.set_topic_closed(self._group.chat_id, topic.thread_id, True)

    async def rename(self, case: Case) -> None:
        """Name the topic after the case again (its priority changed)."""
        topic = await self.topic(case.id)
        if topic is None or self._forum is None:
            return
        try:
            await self._forum.rename_topic(self._group.chat_id, topic.thread_id, topic_name(case))
        except DeliveryError as exc:
            if "not_modified" not in str(exc).lower():
                log.warning("could not rename the topic of case %s: %s", case.id, exc)

    async def lost(self, thread_id: int) -> None:
        """The topic is gone from Telegram: its cases get a new one at the next message."""
        await self._store.forget_thread(self._group.chat_id, thread_id)
