"""Retention: erase what has outlived its time, and take erased cases' copies out of Telegram.

It runs every RETENTION_CHECK_MINUTES (bot/telegram/app.py). The store erases the rows
(bot/store/erasure.py) and queues the ids of the copies an erased case left in the staff group;
this removes them: deleted while Telegram lets a bot delete them (48 hours), and after that
replaced by a stub, since a bot may edit its own text at any age. A photo or location copied
longer ago, or a staff member's own message, cannot be removed by the bot; staff are told how
many to delete by hand. docs/privacy.md is the map of what is kept and for how long.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.common.settings import (
    CASE_RETENTION_DAYS,
    ENGINE_MEMORY_MINUTES,
    RECENT_MESSAGES_HOURS,
    Settings,
)
from bot.core.errors import DeliveryError
from bot.core.texts import t
from bot.delivery.janitor import DELETABLE_FOR, Delete
from bot.delivery.outbox import Outbox
from bot.store import CopyKind, Expired, OutboxKind, Outgoing, Redaction, now
from bot.store.delivery_records import DeliveryRecords

__all__ = ["Edit", "Retention", "RetentionPolicy"]

log = logging.getLogger(__name__)

Edit = Callable[[int, int, str], Awaitable[None]]
"""``edit(chat_id, message_id, text)``: replace the text of one of the bot's messages."""

BATCH = 100
TIMELINE_DAYS = 90.0
"""Days a resolved case's timeline is kept for the numbers (they look back two weeks at most;
a quarter leaves room to compare); then it only counts in the totals."""


def figure(value: float) -> str:
    """A retention figure as people read it: 30, 24, 0.5."""
    return f"{value:g}"


@dataclass(frozen=True)
class RetentionPolicy:
    """How long Haven keeps things; /privacy states these very figures."""

    case_days: float = CASE_RETENTION_DAYS
    recent_hours: float = RECENT_MESSAGES_HOURS
    engine_minutes: float = ENGINE_MEMORY_MINUTES
    timeline_days: float = TIMELINE_DAYS
    """A resolved case's timeline (times, priority, tag: bot/store/metrics.py) becomes counts."""
    backup_days: float | None = None
    """How long a scheduled backup lives (BACKUP_KEEP of them, BACKUP_EVERY_HOURS apart);
    None when Haven makes none itself."""

    @classmethod
    def from_settings(cls, settings: Settings) -> RetentionPolicy:
        """The policy the settings configure."""
        every = settings.backup_every_hours
        return cls(
            settings.case_retention_days,
            settings.recent_messages_hours,
            settings.engine_memory_minutes,
            backup_days=settings.backup_keep * every / 24 if every else None,
        )

    def backups(self, lang: str) -> str:
        """The /privacy line about backups: how long they live, and that /forget outlives them."""
        if self.backup_days is None:
            return t("privacy_backups_none", lang)
        return t("privacy_backups", lang, backup_days=f"{round(self.backup_days, 1):g}")

    def figures(self) -> dict[str, str]:
        """The placeholders of the ``privacy`` text."""
        return {
            "case_days": figure(self.case_days),
            "recent_hours": figure(self.recent_hours),
            "engine_minutes": figure(self.engine_minutes),
            "timeline_days": figure(self.timeline_days),
        }


def removable(copy: Redaction, moment: datetime) -> bool:
    """Whether Telegram still lets the bot delete the copy (unknown age: assume not)."""
    return copy.at is not None and moment - datetime.fromisoformat(copy.at) < DELETABLE_FOR


class Retention:
    """The periodic erasure, and the removal of erased cases' copies from the staff group."""

    def __init__(
        self,
        store: DeliveryRecords,
        policy: RetentionPolicy,
        delete: Delete,
        edit: Edit,
        outbox: Outbox,
        staff_language: str,
    ) -> None:
        """Erase in ``store`` by ``policy``; reach Telegram through ``delete`` and ``edit``."""
        self._store = store
        self._policy = policy
        self._delete = delete
        self._edit = edit
        self._outbox = outbox
        self._lang = staff_language
        self._scrubbing = asyncio.Lock()

    @property
    def policy(self) -> RetentionPolicy:
        """The figures in force."""
        return self._policy

    async def run(self) -> Expired:
        """Erase what is due, then remove the copies of erased cases."""
        expired = await self._store.expire(
            timedelta(days=self._policy.case_days),
            timedelta(hours=self._policy.recent_hours),
            timedelta(days=self._policy.timeline_days),
        )
        if expired.anything:
            log.info(
                "retention erased %d cases, %d recent messages, %d flows, %d sent messages, "
                "%d message ids; %d case timelines became counts",
                expired.cases,
                expired.recent,
                expired.flows,
                expired.outbox,
                expired.chat_messages,
                expired.timelines,
            )
        await self.scrub()
        return expired

    async def scrub(self) -> int:
        """Remove erased cases' copies from their chats; return how many were dealt with.

        A transient Telegram failure stops the pass; the copies stay queued for the next one.
        One pass at a time: /forget and the periodic job may both ask.
        """
        async with self._scrubbing:
            return await self._scrub()

    async def _scrub(self) -> int:
        handled = 0
        by_hand: dict[tuple[int, int], int] = {}
        while copies := await self._store.redactions(BATCH):
            done = await self._remove(copies, by_hand)
            if not done:
                break
            for chat_id in {c.chat_id for c in done}:
                await self._store.redacted(
                    chat_id, [c.message_id for c in done if c.chat_id == chat_id]
                )
            handled += len(done)
            if len(done) < len(copies):
                break
        for (chat_id, case_id), count in sorted(by_hand.items()):
            text = t("staff.erase_by_hand", self._lang, id=case_id, count=count)
            await self._store.enqueue(Outgoing(chat_id, OutboxKind.STAFF_NOTICE, text))
            self._outbox.wake()
        return handled

    async def _remove(
        self, copies: list[Redaction], by_hand: dict[tuple[int, int], int]
    ) -> list[Redaction]:
        """Delete or stub a batch; return the copies dealt with (all of them unless Telegram
        failed for a while)."""
        moment = now()
        done: list[Redaction] = []
        for chat_id in sorted({c.chat_id for c in copies}):
            mine = [c for c in copies if c.chat_id == chat_id]
            young = [c for c in mine if removable(c, moment)]
            old = [c for c in mine if not removable(c, moment)]
            if young:
                try:
                    await self._delete(chat_id, [c.message_id for c in young])
                except DeliveryError as exc:
                    if not exc.permanent:
                        log.warning("removing copies of erased cases failed; will retry: %s", exc)
                        return done
                    log.warning("Telegram refused to delete %d copies: %s", len(young), exc)
                    old += young
                else:
                    done += young
            for copy in old:
                if copy.kind != CopyKind.TEXT:
                    by_hand[(chat_id, copy.case_id)] = by_hand.get((chat_id, copy.case_id), 0) + 1
                    done.append(copy)
                    continue
                stub = t("staff.case_erased", self._lang, id=copy.case_id)
                try:
                    await self._edit(chat_id, copy.message_id, stub)
                except DeliveryError as exc:
                    if not exc.permanent:
                        log.warning(
                            "replacing a copy of an erased case failed; will retry: %s", exc
                        )
                        return done
                    # Gone already, or already the stub: nothing is left to remove.
                done.append(copy)
        return done
