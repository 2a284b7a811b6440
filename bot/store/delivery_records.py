"""What goes out and what must be deleted: the durable outbox, the chats' message ids, and
retention's expiry and redactions."""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Iterable
from datetime import datetime, timedelta

from bot.core.errors import CaseNotFound
from bot.store.base import StoreBase
from bot.store.db import Tx
from bot.store.records import (
    CaseKind,
    CopyKind,
    Expired,
    OutboxItem,
    OutboxKind,
    OutboxStats,
    Outgoing,
    Redaction,
    now,
)

__all__ = ["CHAT_IDS_KEPT", "DeliveryRecords"]

# Telegram lets a bot delete a message for 48 hours; after that its id is of no use.
CHAT_IDS_KEPT = timedelta(hours=48)


class DeliveryRecords(StoreBase):
    """The outbox's queue, the janitor's deletions and retention's sweeps."""

    # Outbox --------------------------------------------------------------------------

    async def enqueue(self, outgoing: Outgoing, case_id: int | None = None) -> list[int]:
        """Queue a message for delivery (split if too long); return the new rows' ids.

        Duplicates by dedupe key are ignored.
        """
        async with self._db.transaction() as tx:
            return await self._outbox.enqueue(tx, outgoing, case_id)

    async def pending(self, limit: int = 50, skip: Collection[int] = ()) -> list[OutboxItem]:
        """Live messages whose next attempt is due: new-case alerts first, then oldest first.

        Rows in ``skip`` count as sent: Telegram accepted them, the store has not recorded it.
        """
        return await self._outbox.pending(limit, skip)

    async def next_attempt_at(self, skip: Collection[int] = ()) -> datetime | None:
        """When the earliest live message may be tried again."""
        return await self._outbox.next_attempt_at(skip)

    async def mark_sent(
        self, item: OutboxItem, message_id: int | None, discreet_delete_in: float | None = None
    ) -> None:
        """Record delivery and everything that hangs on it, in one transaction.

        The staff-group message is linked to its case (replies to it reach the user); a
        message in a private chat is logged for /clear, deleting itself after
        ``discreet_delete_in`` seconds in a discreet case; a copied message marked so is
        deleted from the user's chat now that staff have it; and a user who gets a message
        evidently no longer blocks the bot.

        An alert delivered means staff can see its case; a caseworker's words delivered are
        the case's first staff message if none came before (the numbers time both).
        """
        async with self._db.transaction() as tx:
            await self._outbox.mark_sent(tx, item, message_id)
            if item.case_id is not None:
                try:
                    await self._cases.get(item.case_id, tx)
                except CaseNotFound:  # erased (/forget) while on its way: nothing hangs on it
                    item = dataclasses.replace(item, case_id=None)
            if item.case_id is not None and item.kind == OutboxKind.ALERT:
                await self._metrics.seen(tx, [item.case_id])
            if item.case_id is not None and item.kind == OutboxKind.FROM_STAFF:
                await self._metrics.first_reply(tx, item.case_id)
            if item.case_id is not None and message_id is not None:
                kind = CopyKind.MEDIA if item.copy_message_id is not None else CopyKind.TEXT
                await self._cases.link_staff_message(
                    tx, item.chat_id, message_id, item.case_id, kind
                )
            if item.chat_id > 0 and message_id is not None:
                delete_in = None
                if item.case_id is not None:
                    case = await self._cases.get(item.case_id, tx)
                    if case.kind == CaseKind.DISCREET:
                        delete_in = discreet_delete_in
                await self._chatlog.log(tx, item.chat_id, message_id, "bot", delete_in)
                if item.case_id is not None:
                    await self._cases.clear_blocked(tx, item.case_id)
            await self._delete_source(tx, item)

    async def mark_failed(self, item: OutboxItem, error: str, retry_in: float) -> None:
        """Record a failed attempt and when to try again."""
        await self._outbox.mark_failed(item, error, retry_in)

    async def mark_dead(self, item: OutboxItem, error: str) -> None:
        """Give up on a message; its chat's later messages go on. A source it was to copy is
        deleted as it would have been after the copy: waiting longer cannot bring the copy."""
        async with self._db.transaction() as tx:
            await self._outbox.mark_dead(tx, item, error)
            await self._delete_source(tx, item)

    async def _delete_source(self, tx: Tx, item: OutboxItem) -> None:
        if item.delete_source and item.copy_from_chat is not None and item.copy_message_id:
            await self._chatlog.log(tx, item.copy_from_chat, item.copy_message_id, "user", 0.0)

    async def rewrite(self, item: OutboxItem, text: str) -> OutboxItem:
        """Replace a queued message's content with ``text``, due at once."""
        return await self._outbox.rewrite(item, text)

    async def move_chat(self, old_chat: int, new_chat: int) -> int:
        """A group became a supergroup: its queued messages go to the new id from now on."""
        async with self._db.transaction() as tx:
            return await self._outbox.move_chat(tx, old_chat, new_chat)

    async def moved_to(self, chat_id: int) -> int:
        """Where a chat lives now, following recorded moves."""
        return await self._outbox.moved_to(chat_id)

    async def mark_blocked(self, case_id: int) -> bool:
        """Note on the case that its user blocked the bot; True if it was not noted yet."""
        async with self._db.transaction() as tx:
            return await self._cases.mark_blocked(tx, case_id)

    async def blocked_at(self, case_id: int) -> str | None:
        """When the case's user was found to block the bot, if they do."""
        return await self._cases.blocked_at(case_id)

    async def stuck(self, kinds: Collection[OutboxKind], older_than: timedelta) -> list[OutboxItem]:
        """Live messages of these kinds queued longer ago than ``older_than``."""
        return await self._outbox.stuck(kinds, older_than)

    async def outbox_stats(self) -> OutboxStats:
        """Queue depth, the oldest live message, and dead letters."""
        return await self._outbox.stats()

    # The chat's messages -------------------------------------------------------------

    async def log_message(
        self, chat_id: int, message_id: int, author: str, delete_in: float | None = None
    ) -> None:
        """Remember a private-chat message so it can be deleted later (/clear, discreet cases)."""
        await self._chatlog.log_many(chat_id, [(message_id, delete_in)], author)

    async def log_messages(
        self, chat_id: int, messages: Iterable[tuple[int, float | None]], author: str
    ) -> None:
        """Remember several messages of one chat, each with its own deletion delay, at once."""
        await self._chatlog.log_many(chat_id, messages, author)

    async def schedule_deletion(
        self, chat_id: int, delay: float, message_id: int | None = None, author: str | None = None
    ) -> None:
        """Mark one message, or all of a chat's (optionally one author's), for deletion.

        A user's message that staff have not received a copy of yet stays until the copy is
        accepted: deleting it first would make the copy impossible.
        """
        async with self._db.transaction() as tx:
            keep: list[int] = []
            if author in (None, "user"):
                keep = await self._outbox.defer_source_deletion(tx, chat_id, message_id)
            await self._chatlog.schedule_deletion(tx, chat_id, delay, message_id, author, keep)

    async def due_deletions(self, max_age: timedelta) -> dict[int, list[int]]:
        """Messages whose deletion time has come, by chat (too old ones are given up)."""
        return await self._chatlog.due_deletions(max_age)

    async def deletable_messages(self, chat_id: int, max_age: timedelta) -> list[int]:
        """Messages of a chat not yet deleted and young enough for Telegram to delete."""
        return await self._chatlog.deletable_messages(chat_id, max_age)

    async def mark_deleted(self, chat_id: int, message_ids: Iterable[int]) -> None:
        """Record that messages are gone from the chat."""
        await self._chatlog.mark_deleted(chat_id, message_ids)

    # Retention -----------------------------------------------------------------------

    async def expire(
        self,
        case_retention: timedelta,
        recent_retention: timedelta,
        timeline_retention: timedelta | None = None,
    ) -> Expired:
        """Erase closed cases, recent messages and ids that have outlived their retention.

        With ``timeline_retention``, resolved cases' timelines older than that become counts.
        """
        moment = now()
        async with self._db.transaction() as tx:
            expired = await self._erasure.expire(
                tx,
                cases_before=moment - case_retention,
                recent_before=moment - recent_retention,
                chats_before=moment - CHAT_IDS_KEPT,
            )
            if timeline_retention is not None:
                folded = await self._metrics.fold(tx, moment - timeline_retention)
                expired = dataclasses.replace(expired, timelines=folded)
        if expired.anything:
            await self._db.compact()
        return expired

    async def redactions(self, limit: int = 100) -> list[Redaction]:
        """Copies of erased cases still to be removed from their chats."""
        return await self._erasure.redactions(limit)

    async def redacted(self, chat_id: int, message_ids: list[int]) -> None:
        """Forget copies that are gone from their chat (or can never be removed)."""
        await self._erasure.redacted(chat_id, message_ids)

    async def compact(self) -> bool:
        """Empty the write-ahead log into the file (after an erasure)."""
        return await self._db.compact()

    async def last_bot_message(self, chat_id: int, before: int) -> int | None:
        """The bot's newest message in a chat before ``before`` (the question just answered)."""
        return await self._chatlog.latest(chat_id, "bot", before)
