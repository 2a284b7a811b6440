"""Cases and what hangs on them: transcript, audit log, notes, forum topics, digests and the
numbers. A case and its staff alert are written in one transaction."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

from bot.core.triage import Priority
from bot.store.base import StoreBase
from bot.store.records import (
    AuditEntry,
    Case,
    CaseKind,
    CaseMetrics,
    CaseTag,
    Consent,
    CopyKind,
    Outgoing,
    Party,
    StaffNote,
    Topic,
    TranscriptEntry,
    Unseen,
    member,
)

__all__ = ["CaseRecords"]


class CaseRecords(StoreBase):
    """Cases for the desk, the intake, the ladder and the numbers."""

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

    # Consent and the safety note -------------------------------------------------------

    async def record_consent(self, case_id: int, party: Party, answer: Consent) -> None:
        """Keep what the person answered (or that they were asked) about sharing with ``party``."""
        await self._consents.record(case_id, party, answer)

    async def consents(self, case_id: int) -> dict[Party, Consent]:
        """Whom the person was asked about sharing with, and where each answer stands."""
        return await self._consents.of(case_id)

    async def claim_safety_note(self, case_id: int) -> bool:
        """True the first time only: the case's one safety note is to be sent now."""
        return await self._consents.claim_safety_note(case_id)
