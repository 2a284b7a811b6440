"""Bursts: when new cases would queue behind the group limit, announce them in one digest.

Telegram lets a bot post about 20 messages a minute into one group. When many people write at
once (a raid, a news story) the 30th alert would wait a minute and a half behind the others;
instead, the moment the alerts waiting exceed what the group can take now, one message lists
them all ("3 new cases: #44 🔴, #45 🔴, #46 🟡", each with its first line), and each case's
full alert follows, in its topic, as the limit allows.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from bot.common.staffgroup import StaffGroup
from bot.core.errors import DeliveryError, StoreError
from bot.core.replies import clip
from bot.core.texts import t
from bot.delivery.outbox import Send
from bot.delivery.topics import ICONS
from bot.store import CaseKind, OutboxItem, OutboxKind, Unseen, now
from bot.store.case_records import CaseRecords

__all__ = ["BurstDigest", "Room", "unlimited"]

log = logging.getLogger(__name__)

Room = Callable[[int], int]
"""How many messages may go into a group now without waiting (bot/telegram/ratelimit.py)."""

RESERVE = 2
"""Messages kept free for staff's own commands while a burst is announced."""
LINE_CHARS = 90
PER_MESSAGE = 30
"""Cases per digest message: 30 lines of at most ~110 characters stay far below 4096."""
ROOM_POLL = 0.2
"""How often a message waiting for room in the group looks for new cases to announce first."""
KEPT_FOR_DIGESTS = 2
"""Room other messages leave in the group's bucket, so a digest of new cases never waits."""
GATHER = timedelta(seconds=0.3)
"""While the group is full, new cases are gathered this long so one digest names them all."""


def unlimited(chat_id: int) -> int:
    """A front end without a group limit (the console): nothing ever waits."""
    return 1_000_000


def digest_line(case: Unseen) -> str:
    """``#44 🔴 KO · <first words>`` (🤫 for a discreet case)."""
    mark = " 🤫" if case.kind == CaseKind.DISCREET else ""
    first = " ".join(case.first_line.split())
    return f"#{case.case_id} {ICONS[case.priority]} {case.language.upper()}{mark} · " + clip(
        first, LINE_CHARS
    )


def render_digest(cases: list[Unseen], lang: str) -> str:
    """The digest: a headline naming every case, then one line each, then what follows."""
    numbers = ", ".join(f"#{c.case_id} {ICONS[c.priority]}" for c in cases)
    headline = t(
        "staff.digest_one" if len(cases) == 1 else "staff.digest",
        lang,
        count=len(cases),
        cases=numbers,
    )
    lines = [headline, ""]
    lines.extend(digest_line(case) for case in cases)
    lines += ["", t("staff.digest_hint", lang)]
    return "\n".join(lines)


class BurstDigest:
    """Decides before each alert whether the alerts waiting should be announced together."""

    def __init__(
        self,
        store: CaseRecords,
        send: Send,
        group: StaffGroup,
        lang: str,
        room: Room = unlimited,
        cost: Callable[[], int] = lambda: 1,
    ) -> None:
        """Digests go to the staff ``group`` through ``send``; ``cost()`` is messages per case now.

        A case costs one message in a flat group (its alert) and three with topics (the
        topic, the alert in it, and the notice in General) before staff see it.
        """
        self._store = store
        self._send = send
        self._group = group
        self._lang = lang
        self._room = room
        self._cost = cost
        self._unrecorded: dict[int, int] = {}
        """Cases announced in a digest the store has not recorded yet: case id → message id."""

    async def make_room(self) -> None:
        """Wait until the group takes one more message and one digest, announcing meanwhile.

        Without this, a message waiting out the group limit (a case's topic or alert) would
        hold back the digest of cases that came in meanwhile: being seen goes first, so the
        other messages leave one place in the bucket for it.
        """
        while self._room(self._group.chat_id) < 1 + KEPT_FOR_DIGESTS:
            try:
                await self.before_alert(gather=GATHER)
            except StoreError as exc:  # the digest only saves time; the wait goes on
                log.warning("no digest while waiting for room: %s", exc)
            await asyncio.sleep(ROOM_POLL)

    def announced(self, case_id: int) -> bool:
        """Whether a digest the store has not recorded yet named the case."""
        return case_id in self._unrecorded

    async def before_alert(self, gather: timedelta = timedelta(0)) -> int:
        """Announce the unseen cases in a digest if their alerts would wait; return how many.

        They would wait when the alerts queued for the group (those already announced
        included: they go first) cost more messages than the group takes now. With
        ``gather``, a digest waits until the oldest unseen case has waited that long, so
        cases coming in one after another share one message.
        """
        await self._record_late()
        waiting = [
            case
            for case in await self._store.unseen_alerts(self._group.chat_id)
            if case.case_id not in self._unrecorded
        ]
        if not waiting:
            return 0
        oldest = min(datetime.fromisoformat(case.queued_at) for case in waiting)
        if now() - oldest < gather:
            return 0
        queued = max(len(waiting), await self._store.queued_alerts(self._group.chat_id))
        cost = self._cost()
        if queued == 1 and cost == 1:
            return 0  # its own alert is the next message: a digest would only add one
        if queued * cost <= self._room(self._group.chat_id) - RESERVE:
            return 0
        announced = 0
        for start in range(0, len(waiting), PER_MESSAGE):
            chunk = waiting[start : start + PER_MESSAGE]
            item = OutboxItem(
                id=0,
                chat_id=self._group.chat_id,
                case_id=None,
                kind=OutboxKind.DIGEST,
                text=render_digest(chunk, self._lang),
                copy_from_chat=None,
                copy_message_id=None,
                attempts=0,
            )
            try:
                message_id = await self._send(item)
            except DeliveryError as exc:
                # The alerts themselves still go out, one by one: the digest only saves time.
                log.warning("digest of %s cases not sent: %s", len(chunk), exc)
                return announced
            if message_id is not None:
                for case in chunk:
                    self._unrecorded[case.case_id] = message_id
                await self._record_late()
            announced += len(chunk)
        log.info("burst: %s new cases announced in a digest", announced)
        return announced

    async def _record_late(self) -> None:
        """Record the digests Telegram took; until the store has them, they are not re-sent."""
        by_message: dict[int, list[int]] = {}
        for case_id, message_id in self._unrecorded.items():
            by_message.setdefault(message_id, []).append(case_id)
        for message_id, cases in by_message.items():
            try:
                await self._store.record_digest(self._group.chat_id, message_id, cases)
            except StoreError as exc:
                log.error("a digest was sent but not recorded (%s); recording retried", exc)
                return
            for case_id in cases:
                self._unrecorded.pop(case_id, None)
