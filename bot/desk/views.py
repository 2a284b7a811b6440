"""What staff read about cases: the list, one case with its record, who is staff."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Protocol

from bot.core.errors import CaseNotFound
from bot.core.replies import clip
from bot.core.texts import t
from bot.desk.access import AuditTrail, DeskAccess
from bot.desk.alerts import when
from bot.desk.consent import Consents
from bot.store import Case, CaseKind, Priority, StaffNote, TranscriptEntry

__all__ = ["DeskViews", "ViewRecords"]

SHOWN_ENTRIES = 20


class ViewRecords(AuditTrail, Protocol):
    """What the staff's views read: the cases, a case's transcript and notes (and audit that
    they were read)."""

    async def case(self, case_id: int) -> Case: ...
    async def list_active(self) -> list[Case]: ...
    async def transcript(self, case_id: int) -> list[TranscriptEntry]: ...
    async def staff_notes(self, case_id: int) -> list[StaffNote]: ...


class DeskViews:
    """Read-only staff commands; each returns the text to show in the staff group."""

    def __init__(self, access: DeskAccess, store: ViewRecords, consents: Consents) -> None:
        """Check with ``access``, read ``store``; ``consents`` says what the person agreed to."""
        self._access = access
        self._store = store
        self._consents = consents

    async def staff_list(self, actor_id: int) -> str:
        """Who is staff: each id of STAFF_USER_IDS, with their name and place in the group now."""
        await self._access.authorize(actor_id, "staff", None)
        lines = [t("staff.roster_title", self._access.lang)]
        for user_id, member in await self._access.roster.members():
            if member is None:
                lines.append(t("staff.roster_unknown", self._access.lang, id=user_id))
                continue
            lines.append(
                t(
                    "staff.roster_in" if member.status.active else "staff.roster_out",
                    self._access.lang,
                    id=user_id,
                    name=member.name,
                    status=t(f"staff.status_{member.status}", self._access.lang),
                )
            )
        return "\n".join(lines)

    async def list_cases(self, actor_id: int) -> str:
        """Active cases by priority, then age."""
        await self._access.authorize(actor_id, "list", None)
        cases = await self._store.list_active()
        if not cases:
            return t("staff.no_cases", self._access.lang)
        lines = [t("staff.cases_title", self._access.lang)]
        for case in cases:
            lines.append(self.summary(case))
        return "\n".join(lines)

    async def show_case(self, actor_id: int, case_id: int) -> str:
        """One case with its transcript."""
        await self._access.authorize(actor_id, "show", case_id)
        try:
            case = await self._store.case(case_id)
        except CaseNotFound:
            return t("staff.no_case", self._access.lang, id=case_id)
        await self._store.audit(actor_id, "show", case_id, allowed=True)
        lines = [
            self.summary(case),
            f"{t('staff.reason', self._access.lang)}: {case.reason}",
            await self._consents.line(case_id),
            "",
        ]
        entries = [
            (entry.at, f"{entry.author}/{entry.kind}: {clip(entry.text, 400)}")
            for entry in await self._store.transcript(case_id)
        ]
        entries += [
            (
                note.at,
                f"{t('staff.note_label', self._access.lang, name=note.author_name)}: {clip(note.text, 400)}",
            )
            for note in await self._store.staff_notes(case_id)
        ]
        entries.sort(key=lambda entry: entry[0])
        lines.extend(f"[{when(at)}] {line}" for at, line in entries[-SHOWN_ENTRIES:])
        return clip("\n".join(lines), 4000)

    def summary(self, case: Case) -> str:
        """One line per case: number, priority, status, language, who holds it, its age."""
        age = int(
            (datetime.now(UTC) - datetime.fromisoformat(case.created_at)).total_seconds() // 60
        )
        who = (
            t("staff.claimed_by", self._access.lang, name=case.claimed_by)
            if case.claimed_by
            else t("staff.unclaimed", self._access.lang)
        )
        icon = "🔴" if case.priority == Priority.HIGH else "🟡"
        discreet = " 🤫" if case.kind == CaseKind.DISCREET else ""
        return (
            f"#{case.id} {icon} {t(f'staff.priority_{case.priority}', self._access.lang)}{discreet} · "
            f"{case.status} · {t(f'staff.lang_{case.language}', self._access.lang)} · {who} · "
            f"{t('staff.minutes_ago', self._access.lang, minutes=age)}"
        )
