"""Consent before sharing: staff ask the person, with two buttons, whether they may share with
the embassy, the police or the family, and canned replies that say "we are contacting X" wait
for a yes (Polaris' practice: nothing is shared without consent, and the person is told when
staff must act without it)."""

from __future__ import annotations

from typing import Protocol

from bot.common.consent import consent_buttons
from bot.core.errors import CaseNotFound
from bot.core.replies import ReplyButton
from bot.core.texts import t
from bot.delivery.outbox import Outbox
from bot.desk.access import AuditTrail, DeskAccess
from bot.desk.canned import Canned
from bot.store import Case, CaseStatus, Consent, OutboxKind, Outgoing, Party

__all__ = ["ConsentRecords", "Consents"]


class ConsentRecords(AuditTrail, Protocol):
    """What the consents read and write: the person's answers, and the questions queued."""

    async def case(self, case_id: int) -> Case: ...
    async def consents(self, case_id: int) -> dict[Party, Consent]: ...
    async def record_consent(self, case_id: int, party: Party, answer: Consent) -> None: ...
    async def enqueue(self, outgoing: Outgoing, case_id: int | None = None) -> list[int]: ...


class Consents:
    """What a person agreed to share, with whom: asked, recorded, shown, and checked."""

    def __init__(self, access: DeskAccess, store: ConsentRecords, outbox: Outbox) -> None:
        """Check with ``access``, record in ``store``, deliver the question through ``outbox``."""
        self._access = access
        self._store = store
        self._outbox = outbox

    async def needed(self, case_id: int, entry: Canned) -> str | None:
        """Why a canned reply that says "we are contacting X" may not go yet (None: it may)."""
        if entry.consent is None:
            return None
        answer = (await self._store.consents(case_id)).get(entry.consent)
        if answer in (Consent.YES, Consent.WITHOUT):
            return None
        lang = self._access.lang
        return t(
            "staff.consent_needed",
            lang,
            id=case_id,
            party=t(f"discreet.party_{entry.consent}", lang),
            party_key=entry.consent,
        )

    async def ask(self, actor_id: int, case_id: int, party: Party, without: bool = False) -> str:
        """``/consent N party``: ask the person with two buttons whether we may share with
        ``party``; with ``without``, tell them staff must act without their agreement."""
        await self._access.authorize(actor_id, "consent", case_id)
        lang = self._access.lang
        try:
            case = await self._store.case(case_id)
        except CaseNotFound:
            return t("staff.no_case", lang, id=case_id)
        if case.status == CaseStatus.RESOLVED:
            return t("staff.already_resolved", lang, id=case_id)
        theirs = t(f"discreet.party_{party}", case.language)
        if without:
            text = t("discreet.consent_without", case.language, party=theirs)
            buttons: tuple[ReplyButton, ...] = ()
        else:
            text = t("discreet.consent_ask", case.language, party=theirs)
            buttons = consent_buttons(party, case.language)
        await self._store.record_consent(
            case_id, party, Consent.WITHOUT if without else Consent.ASKED
        )
        await self._store.enqueue(
            Outgoing(case.chat_id, OutboxKind.TO_USER, text, buttons=buttons), case_id
        )
        detail = f"{party}{' without' if without else ''}"
        await self._store.audit(actor_id, "consent", case_id, allowed=True, detail=detail)
        self._outbox.wake()
        ours = t(f"discreet.party_{party}", lang)
        key = "staff.consent_told" if without else "staff.consent_asked"
        return t(key, lang, id=case_id, party=ours)

    async def answered(self, case: Case, party: Party, agreed: bool) -> None:
        """The person pressed Yes or No: kept on the case, and staff told."""
        lang = self._access.lang
        await self._store.record_consent(case.id, party, Consent.YES if agreed else Consent.NO)
        answer = t("staff.consent_yes" if agreed else "staff.consent_no", lang)
        notice = t(
            "staff.consent_answer",
            lang,
            id=case.id,
            party=t(f"discreet.party_{party}", lang),
            answer=answer,
        )
        await self._store.enqueue(
            Outgoing(self._access.chat_id, OutboxKind.STAFF_NOTICE, notice), case.id
        )
        self._outbox.wake()

    async def line(self, case_id: int) -> str:
        """ "Consent: embassy yes, police asked" for /case."""
        lang = self._access.lang
        names = {
            Consent.YES: "staff.consent_yes",
            Consent.NO: "staff.consent_no",
            Consent.ASKED: "staff.consent_asked_state",
            Consent.WITHOUT: "staff.consent_without",
        }
        given = await self._store.consents(case_id)
        items = ", ".join(f"{party} {t(names[answer], lang)}" for party, answer in given.items())
        return t("staff.consent_line", lang, items=items or t("staff.consent_none", lang))
