"""A case's life at the desk: claimed, handed on, given back, re-prioritised, resolved."""

from __future__ import annotations

from typing import Protocol

from bot.core.errors import CaseNotFound, CaseResolved, MembershipUnknown
from bot.core.texts import t
from bot.delivery.outbox import Outbox
from bot.desk.access import AuditTrail, DeskAccess
from bot.desk.alerts import case_buttons, tag_buttons
from bot.store import Case, CaseKind, CaseStatus, CaseTag, OutboxKind, Outgoing

__all__ = ["CaseLifecycle", "LifecycleRecords"]


class LifecycleRecords(AuditTrail, Protocol):
    """What a case's life changes: its status, tag and priority, the safety note, the notices
    queued about it, and deleting what a discreet case left in the person's chat."""

    async def case(self, case_id: int) -> Case: ...
    async def claim(self, case_id: int, staff_id: int) -> Case: ...
    async def unclaim(self, case_id: int) -> Case: ...
    async def resolve(self, case_id: int, staff_id: int, tag: CaseTag | None = None) -> Case: ...
    async def tag_case(self, case_id: int, tag: CaseTag) -> None: ...
    async def set_priority(self, case_id: int, priority: str) -> Case: ...
    async def claim_safety_note(self, case_id: int) -> bool: ...
    async def enqueue(self, outgoing: Outgoing, case_id: int | None = None) -> list[int]: ...
    async def schedule_deletion(
        self, chat_id: int, delay: float, message_id: int | None = None, author: str | None = None
    ) -> None: ...


class CaseLifecycle:
    """Staff actions that change a case; each returns the text to show in the staff group."""

    def __init__(self, access: DeskAccess, store: LifecycleRecords, outbox: Outbox) -> None:
        """Check with ``access``, write to ``store``, wake ``outbox`` for the notices."""
        self._access = access
        self._store = store
        self._outbox = outbox

    async def claim(self, actor_id: int, actor_name: str, case_id: int) -> str:
        """Take a case: the user is told a person picked it up."""
        await self._access.authorize(actor_id, "claim", case_id)
        try:
            case = await self._store.claim(case_id, actor_id)
        except CaseNotFound:
            return t("staff.no_case", self._access.lang, id=case_id)
        except CaseResolved:
            return t("staff.already_resolved", self._access.lang, id=case_id)
        await self._store.audit(actor_id, "claim", case_id, allowed=True)
        if case.kind == CaseKind.DISCREET:
            # Staff have seen it: nothing of it may stay on the watched phone.
            await self._store.schedule_deletion(case.chat_id, 0)
        else:
            await self._store.enqueue(
                Outgoing(case.chat_id, OutboxKind.TO_USER, t("to_user.claimed", case.language)),
                case_id,
            )
        if await self._store.claim_safety_note(case_id):
            # Not sent yet (a discreet case, or one opened without a word from the person).
            note = t("discreet.safety_note", case.language)
            await self._store.enqueue(Outgoing(case.chat_id, OutboxKind.TO_USER, note), case_id)
        notice = t("staff.claimed", self._access.lang, id=case_id, name=actor_name)
        await self._store.enqueue(
            Outgoing(self._access.chat_id, OutboxKind.STAFF_NOTICE, notice), case_id
        )
        self._outbox.wake()
        return notice

    async def resolve(
        self, actor_id: int, actor_name: str, case_id: int, tag: CaseTag | None = None
    ) -> str:
        """Close a case (with what it turned out to be) and hand the user back to the bot.

        The "resolved" notice goes into the case's topic, which closes once it is there;
        without a tag, it asks for one with a button per tag.
        """
        await self._access.authorize(actor_id, "resolve", case_id)
        try:
            case = await self._store.resolve(case_id, actor_id, tag)
        except CaseNotFound:
            return t("staff.no_case", self._access.lang, id=case_id)
        except CaseResolved:
            return t("staff.already_resolved", self._access.lang, id=case_id)
        await self._store.audit(actor_id, "resolve", case_id, allowed=True, detail=tag or "")
        await self._store.enqueue(
            Outgoing(case.chat_id, OutboxKind.TO_USER, t("to_user.resolved", case.language)),
            case_id,
        )
        notice = t("staff.resolved", self._access.lang, id=case_id, name=actor_name)
        if tag is not None:
            notice += f" · {t(f'staff.tag_{tag}', self._access.lang)}"
        asked = notice if tag is not None else f"{notice}\n{t('staff.tag_ask', self._access.lang)}"
        await self._store.enqueue(
            Outgoing(
                self._access.chat_id,
                OutboxKind.STAFF_NOTICE,
                asked,
                buttons=() if tag is not None else tag_buttons(case_id, self._access.lang),
                dedupe_key=f"resolved:{case_id}",
            ),
            case_id,
        )
        self._outbox.wake()
        return notice

    async def tag(self, actor_id: int, actor_name: str, case_id: int, tag: CaseTag) -> str:
        """Say what a case turned out to be: resolves it if still open, else tags it."""
        await self._access.authorize(actor_id, "tag", case_id)
        try:
            case = await self._store.case(case_id)
        except CaseNotFound:
            return t("staff.no_case", self._access.lang, id=case_id)
        if case.status != CaseStatus.RESOLVED:
            return await self.resolve(actor_id, actor_name, case_id, tag)
        await self._store.tag_case(case_id, tag)
        await self._store.audit(actor_id, "tag", case_id, allowed=True, detail=tag)
        return t(
            "staff.tagged",
            self._access.lang,
            id=case_id,
            tag=t(f"staff.tag_{tag}", self._access.lang),
        )

    async def unclaim(self, actor_id: int, actor_name: str, case_id: int) -> str:
        """Give a case back: nobody holds it, and the escalation ladder starts again."""
        await self._access.authorize(actor_id, "unclaim", case_id)
        try:
            case = await self._store.unclaim(case_id)
        except CaseNotFound:
            return t("staff.no_case", self._access.lang, id=case_id)
        except CaseResolved:
            return t("staff.already_resolved", self._access.lang, id=case_id)
        await self._store.audit(actor_id, "unclaim", case_id, allowed=True)
        notice = t("staff.unclaimed_notice", self._access.lang, id=case_id, name=actor_name)
        link = (
            await self._access.topics.link_line(case.id) if self._access.topics is not None else ""
        )
        await self._store.enqueue(
            Outgoing(
                self._access.chat_id,
                OutboxKind.CASE_NOTICE if link else OutboxKind.STAFF_NOTICE,
                notice + link,
                buttons=case_buttons(case_id, self._access.lang),
            ),
            case_id,
        )
        self._outbox.wake()
        return notice

    async def transfer(self, actor_id: int, actor_name: str, case_id: int, to_id: int) -> str:
        """Hand a case to another caseworker, who must be staff now; they are mentioned."""
        await self._access.authorize(actor_id, "transfer", case_id)
        try:
            allowed = await self._access.roster(to_id)
        except MembershipUnknown:
            return t("staff.check_failed", self._access.lang)
        if not allowed:
            return t("staff.transfer_not_staff", self._access.lang, id=to_id)
        try:
            await self._store.claim(case_id, to_id)
        except CaseNotFound:
            return t("staff.no_case", self._access.lang, id=case_id)
        except CaseResolved:
            return t("staff.already_resolved", self._access.lang, id=case_id)
        await self._store.audit(actor_id, "transfer", case_id, allowed=True, detail=f"to={to_id}")
        notice = t("staff.handed_over", self._access.lang, id=case_id, name=actor_name)
        await self._store.enqueue(
            Outgoing(self._access.chat_id, OutboxKind.HANDOVER, notice), case_id
        )
        self._outbox.wake()
        return notice

    async def set_priority(self, actor_id: int, case_id: int, priority: str) -> str:
        """Change a case's priority."""
        await self._access.authorize(actor_id, "priority", case_id)
        if priority not in ("high", "normal"):
            return t("staff.usage_priority", self._access.lang)
        try:
            case = await self._store.set_priority(case_id, priority)
        except CaseNotFound:
            return t("staff.no_case", self._access.lang, id=case_id)
        if self._access.topics is not None:
            await self._access.topics.rename(case)
        await self._store.audit(actor_id, "priority", case_id, allowed=True, detail=priority)
        return t(
            "staff.priority_set",
            self._access.lang,
            id=case_id,
            priority=t(f"staff.priority_{priority}", self._access.lang),
        )
