"""The escalation ladder: a case nobody claims climbs until someone does.

Every ``ESCALATION_REALERT_MINUTES`` an unclaimed case is re-alerted in the group (General,
with a link to its topic); once it has waited ``ESCALATION_SUPERVISOR_MINUTES`` past the first
re-alert, the supervisors (``STAFF_SUPERVISOR_IDS``) are mentioned by name, once. Unclaiming a
case puts it back at the bottom. The person is told what to expect: how long a reply usually
takes lately (only when there is enough to say so honestly), and outside staffed hours
(``STAFF_HOURS``) what to do meanwhile: the 24-hour Consular Call Center, from facts.
"""

from __future__ import annotations

import logging
import math
from datetime import UTC, datetime, timedelta

from bot.common.hours import StaffHours
from bot.common.staffgroup import StaffGroup
from bot.core.facts import FactsStore
from bot.core.texts import t
from bot.delivery.outbox import Outbox
from bot.delivery.topics import CaseTopics
from bot.desk.alerts import case_buttons
from bot.desk.stats import DeskStats
from bot.store import Case, OutboxKind, Outgoing, now
from bot.store.case_records import CaseRecords

__all__ = ["EscalationLadder"]

log = logging.getLogger(__name__)


def waited_minutes(case: Case, moment: datetime | None = None) -> int:
    """Whole minutes since the case opened."""
    opened = datetime.fromisoformat(case.created_at)
    return int(((moment or datetime.now(UTC)) - opened).total_seconds() // 60)


class EscalationLadder:
    """Re-alerts unclaimed cases, calls the supervisors, and says what a person can expect."""

    def __init__(
        self,
        store: CaseRecords,
        outbox: Outbox,
        group: StaffGroup,
        lang: str,
        topics: CaseTopics,
        stats: DeskStats,
        facts: FactsStore,
        realert: timedelta,
        supervisors_after: timedelta,
        supervisors: frozenset[int] = frozenset(),
        hours: StaffHours | None = None,
    ) -> None:
        """Climb every ``realert``; supervisors after ``realert + supervisors_after``."""
        self._store = store
        self._outbox = outbox
        self._group = group
        self._lang = lang
        self._topics = topics
        self._stats = stats
        self._facts = facts
        self._realert = realert
        self._supervisors_after = supervisors_after
        self._supervisors = supervisors
        self._hours = hours or StaffHours()
        if not supervisors:
            log.info("no STAFF_SUPERVISOR_IDS: unclaimed cases are re-alerted, nobody is paged")

    @property
    def supervisors_after(self) -> timedelta:
        """How long a case waits unclaimed before the supervisors are mentioned."""
        return self._realert + self._supervisors_after

    async def climb(self) -> int:
        """Queue the re-alerts and supervisor calls that are due; return how many."""
        count = 0
        for case in await self._store.due_for_realert(self._realert):
            text = t("staff.realert", self._lang, id=case.id, minutes=waited_minutes(case))
            text += await self._topics.link_line(case.id)
            await self._store.realert(
                case.id,
                Outgoing(
                    self._group.chat_id,
                    OutboxKind.REALERT,
                    text,
                    buttons=case_buttons(case.id, self._lang),
                ),
            )
            count += 1
        if self._supervisors:
            for case in await self._store.due_for_supervisors(self.supervisors_after):
                text = t("staff.supervisors", self._lang, id=case.id, minutes=waited_minutes(case))
                text += await self._topics.link_line(case.id)
                await self._store.call_supervisors(
                    case.id,
                    Outgoing(
                        self._group.chat_id,
                        OutboxKind.SUPERVISOR,
                        text,
                        buttons=case_buttons(case.id, self._lang),
                        dedupe_key=f"supervisors:{case.id}:{waited_minutes(case)}",
                    ),
                )
                log.info("case %s: supervisors called", case.id)
                count += 1
        if count:
            self._outbox.wake()
        return count

    async def what_to_expect(self, lang: str, moment: datetime | None = None) -> str:
        """One honest line for a person who just asked for help.

        Outside staffed hours: when someone is expected back, and the 24-hour Consular Call
        Center meanwhile. Otherwise the usual wait of the last two weeks, or, with too few
        answered cases to say, no promise of a time.
        """
        moment = moment or now()
        if not self._hours.staffed(moment):
            back = self._hours.next_staffed(moment) - moment
            hours = max(1, math.ceil(back.total_seconds() / 3600))
            center = self._facts.current().call_center
            return t(
                "wait_closed",
                lang,
                hours=hours,
                call_center=f"{center.name(lang)}: {center.number_in(lang)}",
            )
        typical = await self._stats.typical_reply_minutes()
        if typical is None:
            return t("wait_unknown", lang)
        return t("wait_usual", lang, minutes=typical)
