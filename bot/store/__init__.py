"""The case store: one SQLite file (WAL, owner-only), one module per aggregate.

``db`` owns the connection, transactions and the data key (``crypto``); ``users``, ``cases``,
``outbox``, ``chatlog`` and ``flows`` own their tables, and ``erasure`` deletes across them
(/forget and retention). ``CaseStore`` is a thin facade so call sites stay short, and it is
where operations that span aggregates share one transaction: a case and its staff alert are
written together before anything is sent, so a crash can delay an alert but never lose it.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable, Collection, Iterable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from bot.core.errors import CaseNotFound
from bot.store.cases import Cases
from bot.store.chatlog import ChatLog
from bot.store.crypto import KeySource
from bot.store.db import Database, Tx
from bot.store.erasure import Erasure
from bot.store.flows import Flows
from bot.store.metrics import Metrics, counts_of
from bot.store.migrations import MIGRATIONS
from bot.store.outbox import OutboxQueue
from bot.store.records import (
    AuditEntry,
    Case,
    CaseKind,
    CaseMetrics,
    CaseStatus,
    CaseTag,
    CheckIn,
    CopyKind,
    Expired,
    OutboxItem,
    OutboxKind,
    OutboxStats,
    Outgoing,
    PhraseKind,
    Priority,
    Redaction,
    StaffNote,
    Topic,
    TranscriptEntry,
    Unseen,
    UserPrefs,
    UserState,
    iso,
    member,
    now,
)
from bot.store.topics import Topics
from bot.store.users import RECENT_KEPT, Users

# Telegram lets a bot delete a message for 48 hours; after that its id is of no use.
CHAT_IDS_KEPT = timedelta(hours=48)

__all__ = [
    "MIGRATIONS",
    "AuditEntry",
    "Case",
    "CaseKind",
    "CaseMetrics",
    "CaseStatus",
    "CaseStore",
    "CaseTag",
    "CheckIn",
    "CopyKind",
    "Expired",
    "KeySource",
    "OutboxItem",
    "OutboxKind",
    "OutboxStats",
    "Outgoing",
    "PhraseKind",
    "Priority",
    "Redaction",
    "StaffNote",
    "Topic",
    "TranscriptEntry",
    "Unseen",
    "UserPrefs",
    "UserState",
    "counts_of",
    "iso",
    "now",
]


class CaseStore:
    """Everything Haven keeps, behind one object; each method delegates to its aggregate."""

    def __init__(self, db: Database) -> None:
        """Build the aggregates over an open database; use ``CaseStore.open``."""
        self._db = db
        self._users = Users(db)
        self._cases = Cases(db)
        self._outbox = OutboxQueue(db)
        self._chatlog = ChatLog(db)
        self._flows = Flows(db)
        self._erasure = Erasure(db)
        self._topics = Topics(db)
        self._metrics = Metrics(db)

    @classmethod
    async def open(
        cls, path: Path, keys: KeySource | None = None, *, exclusive: bool = False
    ) -> CaseStore:
        """Open (creating if needed) the store at ``path``, apply migrations, load the data key.

        ``keys`` says where the data key is (default: ``data.key`` beside the file);
        ``exclusive`` is for a key rotation, which needs the file to itself.
        """
        return cls(await Database.open(path, keys, exclusive=exclusive))

    @property
    def key_id(self) -> str:
        """The id of the data key the store is sealed with."""
        return self._db.key_id

    async def rotate_key(self, key: bytes) -> int:
        """Seal every stored value again with ``key``; return how many there were."""
        return await self._db.rotate(key)

    async def close(self) -> None:
        """Close the connection."""
        await self._db.close()

    async def schema_version(self) -> int:
        """Return the number of migrations applied."""
        return await self._db.schema_version()

    # Users ---------------------------------------------------------------------------

    async def user(self, user_id: int) -> UserPrefs | None:
        """Return what we remember about a user, if anything."""
        return (await self.user_state(user_id)).prefs

    async def user_state(self, user_id: int) -> UserState:
        """Read the user's settings, flow, check-in and active case in one query."""
        return await self._users.state(user_id)

    async def take_in(
        self,
        user_id: int,
        chat_id: int,
        message_id: int | None,
        language: str | None = None,
        recent: str | None = None,
    ) -> None:
        """Record an incoming message in one transaction (one disk sync).

        Its id, so the chat can be cleared later; the user's ``language`` if it changed; and
        the text among the ``recent`` ones that give a later alert its context.
        """
        async with self._db.transaction() as tx:
            if message_id is not None:
                await self._chatlog.log(tx, chat_id, message_id, "user", None)
            if language is not None:
                await self._users.remember(tx, user_id, chat_id, language, None)
            if recent is not None:
                await self._users.add_recent(tx, user_id, recent)

    async def remember_user(
        self, user_id: int, chat_id: int, language: str, fixed: bool | None = None
    ) -> None:
        """Record the user's chat and language; ``fixed`` pins or unpins the language."""
        async with self._db.transaction() as tx:
            await self._users.remember(tx, user_id, chat_id, language, fixed)

    async def add_recent(self, user_id: int, text: str) -> None:
        """Keep the user's last few messages, for the context of a later alert."""
        async with self._db.transaction() as tx:
            await self._users.add_recent(tx, user_id, text)

    async def recent(self, user_id: int, limit: int = RECENT_KEPT) -> list[str]:
        """Return the user's last messages, oldest first."""
        return await self._users.recent(user_id, limit)

    async def forget(self, user_id: int, chat_id: int | None = None) -> int | None:
        """Erase everything about a user but an open case; return that case's number.

        The erased rows are overwritten (secure_delete) and the write-ahead log emptied, so
        nothing of them stays in the files.
        """
        async with self._db.transaction() as tx:
            kept = await self._erasure.forget(
                tx, user_id, chat_id if chat_id is not None else user_id
            )
        await self._db.compact()
        return kept

    async def set_secret(self, user_id: int, column: str, value: str | None) -> None:
        """Store a user's code phrase hash or safety word (None clears it)."""
        await self._users.set_secret(user_id, column, value)

    async def secrets(self, user_id: int) -> tuple[str | None, str | None]:
        """The user's (code phrase hash, safety word)."""
        return await self._users.secrets(user_id)

    async def phrase_hashes(self) -> list[tuple[PhraseKind, int, str]]:
        """Every stored secret-phrase hash: code phrases and duress words, by user."""
        codewords = [(PhraseKind.CODEWORD, u, h) for u, h in await self._users.codeword_hashes()]
        duress = [(PhraseKind.DURESS, u, h) for u, h in await self._flows.duress_hashes()]
        return codewords + duress

    async def replace_phrase_hash(self, kind: PhraseKind, user_id: int, old: str, new: str) -> bool:
        """Swap one stored phrase hash for another; False if it changed meanwhile."""
        if kind == PhraseKind.CODEWORD:
            return await self._users.replace_codeword_hash(user_id, old, new)
        return await self._flows.replace_duress_hash(user_id, old, new)

    # Cases, transcript and audit -----------------------------------------------------

    async def active_case(self, user_id: int) -> Case | None:
        """Return the user's open or claimed case, if any."""
        return await self._cases.active(user_id)

    async def case(self, case_id: int) -> Case:
        """Return a case by number, or raise CaseNotFound."""
        return await self._cases.get(case_id)

    async def open_case(
        self,
        *,
        user_id: int,
        chat_id: int,
        language: str,
        priority: str,
        reason: str,
        first_message: str,
        kind: str = CaseKind.STANDARD,
        render_alert: Callable[[Case], Outgoing] | None = None,
    ) -> tuple[Case, bool]:
        """Open a case and queue its alert in one transaction.

        A user with an active case gets no second one: the message joins it and
        ``(case, False)`` is returned. ``render_alert(case)`` builds the alert once the
        case number is known.
        """
        async with self._db.transaction() as tx:
            case, created = await self._cases.open(
                tx,
                user_id=user_id,
                chat_id=chat_id,
                language=language,
                priority=member(Priority, priority, "priority"),
                reason=reason,
                first_message=first_message,
                kind=member(CaseKind, kind, "case kind"),
            )
            if not created:
                return case, False
            await self._metrics.opened(tx, case)
            if render_alert is not None:
                await self._outbox.enqueue(tx, render_alert(case), case.id)
        return await self.case(case.id), True

    async def list_active(self) -> list[Case]:
        """Open and claimed cases, high priority first, then oldest first."""
        return await self._cases.list_active()

    async def claim(self, case_id: int, staff_id: int) -> Case:
        """Mark a case claimed by ``staff_id`` (a claimed case can be re-claimed, or handed on)."""
        async with self._db.transaction() as tx:
            case = await self._cases.claim(case_id, staff_id, tx)
            await self._metrics.claimed(tx, case_id)
        return case

    async def unclaim(self, case_id: int) -> Case:
        """Put a claimed case back in the queue; the escalation ladder starts again."""
        async with self._db.transaction() as tx:
            case = await self._cases.unclaim(case_id, tx)
            await self._metrics.waiting(tx, case_id)
        return case

    async def resolve(self, case_id: int, staff_id: int, tag: CaseTag | None = None) -> Case:
        """Close a case; the user goes back to the bot (or is erased, if they asked meanwhile)."""
        async with self._db.transaction() as tx:
            case = await self._cases.resolve(case_id, staff_id, tx)
            await self._metrics.resolved(tx, case_id, tag)
            await self._erasure.after_case(tx, case.user_id)
        return case

    async def tag_case(self, case_id: int, tag: CaseTag) -> None:
        """Record what a resolved case turned out to be (for the numbers)."""
        async with self._db.transaction() as tx:
            await self._metrics.tagged(tx, case_id, tag)

    async def set_kind(self, case_id: int, kind: str) -> None:
        """Switch a case to discreet handling (or back)."""
        await self._cases.set_kind(case_id, member(CaseKind, kind, "case kind"))

    async def set_priority(self, case_id: int, priority: str) -> Case:
        """Change a case's priority."""
        case = await self._cases.set_priority(case_id, member(Priority, priority, "priority"))
        async with self._db.transaction() as tx:
            await self._metrics.set_priority(tx, case_id, case.priority)
        return case

    async def due_for_realert(self, interval: timedelta) -> list[Case]:
        """Unclaimed cases whose last alert is older than ``interval``."""
        return await self._cases.due_for_realert(interval)

    async def realert(self, case_id: int, outgoing: Outgoing) -> None:
        """Queue a reminder about an unclaimed case and note when."""
        async with self._db.transaction() as tx:
            await self._cases.note_alerted(tx, case_id)
            await self._metrics.realerted(tx, case_id)
            await self._outbox.enqueue(tx, outgoing, case_id)

    async def due_for_supervisors(self, after: timedelta) -> list[Case]:
        """Unclaimed cases waiting longer than ``after`` whose supervisors were not called."""
        return [
            await self._cases.get(case_id)
            for case_id in await self._metrics.due_for_supervisors(after)
        ]

    async def call_supervisors(self, case_id: int, outgoing: Outgoing) -> None:
        """Queue the supervisors' mention about an unclaimed case and note when."""
        async with self._db.transaction() as tx:
            await self._metrics.supervisors_called(tx, case_id)
            await self._outbox.enqueue(tx, outgoing, case_id)

    async def add_transcript(
        self,
        case_id: int,
        author: str,
        kind: str,
        text: str,
        outgoing: Iterable[Outgoing] = (),
    ) -> list[int]:
        """Append to a case's transcript, queueing any messages in the same transaction.

        Returns the ids of the queued rows (a long message is several).
        """
        ids: list[int] = []
        async with self._db.transaction() as tx:
            await self._cases.add_transcript(tx, case_id, author, kind, text)
            for item in outgoing:
                ids += await self._outbox.enqueue(tx, item, case_id)
        return ids

    async def transcript(self, case_id: int) -> list[TranscriptEntry]:
        """Return a case's conversation, oldest first."""
        return await self._cases.transcript(case_id)

    async def audit(
        self,
        actor_id: int | None,
        action: str,
        case_id: int | None,
        allowed: bool,
        detail: str = "",
    ) -> None:
        """Record a staff action (or a refused attempt at one)."""
        await self._cases.audit(actor_id, action, case_id, allowed, detail)

    async def audit_log(self, case_id: int | None = None) -> list[AuditEntry]:
        """Return the audit log, optionally for one case."""
        return await self._cases.audit_log(case_id)

    async def set_case_note(self, case_id: int, column: str, value: str) -> None:
        """Record how to reach the user, or their latest location, on a case."""
        await self._cases.set_note(case_id, column, value)

    async def case_notes(self, case_id: int) -> tuple[str | None, str | None]:
        """A case's (contact note, last location)."""
        return await self._cases.notes(case_id)

    async def add_staff_note(
        self, case_id: int, author_id: int, author_name: str, text: str
    ) -> None:
        """Keep a caseworker's internal note on a case; it is never sent to the user."""
        await self._cases.add_staff_note(case_id, author_id, author_name, text)

    async def staff_notes(self, case_id: int) -> list[StaffNote]:
        """A case's internal notes, oldest first."""
        return await self._cases.staff_notes(case_id)

    async def case_for_staff_message(self, chat_id: int, message_id: int) -> int | None:
        """Return the case a staff-group message belongs to, if any."""
        return await self._cases.for_staff_message(chat_id, message_id)

    async def link_messages(
        self, case_id: int, chat_id: int, messages: Iterable[tuple[int, CopyKind]]
    ) -> None:
        """Link messages sent outside the outbox to a case, so erasing it removes them too."""
        await self._cases.link_messages(case_id, chat_id, messages)

    # Forum topics and digests ---------------------------------------------------------

    async def topic(self, case_id: int) -> Topic | None:
        """The case's forum topic in the staff group, if it has one."""
        return await self._topics.of_case(case_id)

    async def earlier_topic(self, case_id: int, chat_id: int) -> Topic | None:
        """The topic of the same person's latest earlier case, to reopen for this one."""
        return await self._topics.earlier(case_id, chat_id)

    async def case_for_thread(self, chat_id: int, thread_id: int) -> int | None:
        """The case a forum topic is for now (its latest case)."""
        return await self._topics.case_for_thread(chat_id, thread_id)

    async def set_topic(
        self, case_id: int, chat_id: int, thread_id: int, notice: Outgoing | None = None
    ) -> None:
        """Give a case its topic, queueing the notice about it in General in the same write."""
        async with self._db.transaction() as tx:
            await self._topics.set(tx, case_id, chat_id, thread_id)
            if notice is not None:
                await self._outbox.enqueue(tx, notice, case_id)

    async def set_topic_closed(self, chat_id: int, thread_id: int, closed: bool) -> None:
        """Record that a topic was closed or reopened in Telegram."""
        await self._topics.set_closed(chat_id, thread_id, closed)

    async def forget_thread(self, chat_id: int, thread_id: int) -> None:
        """A topic is gone from Telegram: its cases will get a new one."""
        await self._topics.forget_thread(chat_id, thread_id)

    async def unseen_alerts(self, chat_id: int) -> list[Unseen]:
        """New cases whose alert waits unsent and that no digest has announced yet."""
        return await self._metrics.unseen(chat_id)

    async def queued_alerts(self, chat_id: int) -> int:
        """How many alerts to ``chat_id`` wait unsent, announced by a digest or not."""
        return await self._metrics.queued_alerts(chat_id)

    async def record_digest(self, chat_id: int, message_id: int, case_ids: list[int]) -> None:
        """A digest announced these cases: staff see them, and erasing one removes it."""
        async with self._db.transaction() as tx:
            await self._topics.link_digest(tx, chat_id, message_id, case_ids)
            await self._metrics.seen(tx, case_ids)

    # The numbers ---------------------------------------------------------------------

    async def metrics_since(self, moment: datetime) -> list[CaseMetrics]:
        """The timelines of cases opened or resolved since ``moment``."""
        return await self._metrics.since(moment)

    async def case_metrics(self, case_id: int) -> CaseMetrics | None:
        """One case's timeline."""
        return await self._metrics.get(case_id)

    async def metrics_folded(self) -> Counter[str]:
        """The counts of the timelines retention has let go."""
        return await self._metrics.folded()

    async def waiting_counts(self) -> tuple[int, int]:
        """(open or claimed cases, unclaimed ones) right now."""
        return await self._metrics.waiting_counts()

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

    # Flows and check-ins -------------------------------------------------------------

    async def flow(self, user_id: int) -> tuple[str, int, dict[str, Any]] | None:
        """The multi-step flow a user is in: (name, step, answers so far)."""
        return (await self.user_state(user_id)).flow

    async def save_flow(self, user_id: int, name: str, step: int, answers: dict[str, Any]) -> None:
        """Start or advance a user's flow."""
        await self._flows.save(user_id, name, step, answers)

    async def end_flow(self, user_id: int) -> None:
        """Leave the current flow."""
        await self._flows.end(user_id)

    async def save_checkin(self, checkin: CheckIn) -> None:
        """Register (or replace) a user's check-in schedule."""
        await self._flows.save_checkin(checkin)

    async def checkin(self, user_id: int) -> CheckIn | None:
        """A user's check-in, if registered."""
        return await self._flows.checkin(user_id)

    async def checkins(self) -> list[CheckIn]:
        """Every registered check-in."""
        return await self._flows.checkins()

    async def stop_checkin(self, user_id: int) -> bool:
        """End a user's check-ins; tell whether there were any."""
        return await self._flows.stop_checkin(user_id)
