"""Who may act at the desk, and where: every staff action is checked and audited here.

The actor must be named in STAFF_USER_IDS and be a member of the staff group now
(``bot/common/roster.py``); refused attempts are written to the audit log too.
"""

from __future__ import annotations

import logging
from typing import Protocol

from bot.common.roster import StaffRoster
from bot.common.staffgroup import StaffGroup
from bot.core.errors import MembershipUnknown, NotAuthorized
from bot.core.texts import t
from bot.delivery.topics import CaseTopics
from bot.desk.strangers import StrangerNotices

__all__ = ["AuditTrail", "DeskAccess"]

log = logging.getLogger(__name__)


class AuditTrail(Protocol):
    """The audit log: every staff action, and every refused attempt at one, is written here."""

    async def audit(
        self,
        actor_id: int | None,
        action: str,
        case_id: int | None,
        allowed: bool,
        detail: str = "",
    ) -> None: ...


class DeskAccess:
    """The staff group, its language and its topics, and the check before every action."""

    def __init__(
        self,
        store: AuditTrail,
        group: StaffGroup,
        lang: str,
        roster: StaffRoster,
        topics: CaseTopics | None = None,
    ) -> None:
        """Audit in ``store``; ``roster`` says who is staff, ``topics`` gives cases their
        forum topics (None: the flat group)."""
        self._store = store
        self._group = group
        self._lang = lang
        self._roster = roster
        self._topics = topics
        self.strangers = StrangerNotices()
        """Non-staff members refused in the group: told at most once an hour each."""

    @property
    def lang(self) -> str:
        """The staff's language."""
        return self._lang

    @property
    def topics(self) -> CaseTopics | None:
        """The cases' forum topics (None: the flat group)."""
        return self._topics

    @property
    def chat_id(self) -> int:
        """The staff group's chat id."""
        return self._group.chat_id

    @property
    def roster(self) -> StaffRoster:
        """Who is staff."""
        return self._roster

    def move_to(self, chat_id: int) -> None:
        """The staff group became a supergroup with a new id: work there from now on (and so
        does every part that shares the group)."""
        self._group.move_to(chat_id)

    @property
    def topics_on(self) -> bool:
        """Whether cases get their own forum topics now."""
        return self._topics is not None and self._topics.on

    async def confirms_in_topic(self, case_id: int) -> bool:
        """Whether the case's open topic gets a ✓ for each delivered staff message."""
        if self._topics is None:
            return False
        topic = await self._topics.topic(case_id)
        return topic is not None and not topic.closed

    async def case_for_thread(self, thread_id: int) -> int | None:
        """The case whose topic ``thread_id`` is, if it is one."""
        return await self._topics.case_for_thread(thread_id) if self._topics else None

    async def authorize(self, actor_id: int, action: str, case_id: int | None) -> None:
        """Raise NotAuthorized (and audit the attempt) unless the actor is staff.

        MembershipUnknown (a NotAuthorized) when Telegram could not say: the caller tells
        the actor, since a caseworker must not think something was done when it was not.
        """
        try:
            allowed = await self._roster(actor_id)
        except MembershipUnknown as exc:
            log.warning("membership check of %s failed: %s", actor_id, exc)
            await self.refuse(actor_id, action, case_id, "membership_unknown")
            raise MembershipUnknown(t("staff.check_failed", self._lang)) from exc
        if not allowed:
            await self.refuse(actor_id, action, case_id)
            raise NotAuthorized(t("staff.not_staff", self._lang))

    def tell_refused(self, actor_id: int) -> bool:
        """Whether to answer a refusal in the group: named staff always (removed ones too),
        anyone else once an hour (the group's budget is for cases)."""
        return actor_id in self._roster.named or self.strangers.may_tell(actor_id)

    async def refuse(
        self, actor_id: int, action: str, case_id: int | None, detail: str = ""
    ) -> None:
        """Record a refused staff action in the audit log, and warn."""
        await self._store.audit(actor_id, action, case_id, allowed=False, detail=detail)
        log.warning(
            "refused %s on case %s by user %s%s",
            action,
            case_id,
            actor_id,
            f" ({detail})" if detail else "",
        )
