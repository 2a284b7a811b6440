"""Case intake: a person who needs a human gets a case, staff get the alert, the user is told.

The conversation, check-ins, flows and discreet help all open cases through this one service,
so a case and its alert are always written together and a second message joins the open case.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol

from bot.common.incoming import Incoming
from bot.common.keyboard import sos_keyboard
from bot.core import triage
from bot.core.errors import CaseNotRecorded, StoreError, StoreUnavailable
from bot.core.facts import FactsStore
from bot.core.languages import WrittenLanguage
from bot.core.replies import Reply
from bot.core.texts import t
from bot.delivery.janitor import SENSITIVE_DELETE_SECONDS
from bot.delivery.outbox import Outbox
from bot.desk.access import DeskAccess
from bot.desk.alarms import Alarms, render_unrecorded
from bot.desk.alerts import render_alert, written_in_line
from bot.desk.consent import Consents
from bot.desk.relays import Relays
from bot.store import Case, CaseKind, CaseStatus, Outgoing, iso, now
from bot.store.users import RECENT_KEPT

__all__ = ["CaseIntake", "IntakeRecords", "Unrecorded"]

log = logging.getLogger(__name__)

Expect = Callable[[str], Awaitable[str]]
"""What a person who just asked for help may expect, in their language (bot/desk/ladder.py)."""

DISCREET_RELAY_DELETE_SECONDS = 3.0
LIVE_LOCATION_RELAY_SECONDS = 300.0
DISCREET_NOTE_SECONDS = 60.0


@dataclass(frozen=True)
class Unrecorded:
    """A case the store could not write, kept to be written when it works again."""

    user_id: int
    chat_id: int
    lang: str
    reason: str
    priority: str
    text: str
    kind: CaseKind


class IntakeRecords(Protocol):
    """What the intake reads and writes: cases with their alerts, the person's recent
    messages for the alert's context, case notes, and deleting what a discreet case sent."""

    async def active_case(self, user_id: int) -> Case | None: ...
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
    ) -> tuple[Case, bool]: ...
    async def set_kind(self, case_id: int, kind: str) -> None: ...
    async def set_case_note(self, case_id: int, column: str, value: str) -> None: ...
    async def recent(self, user_id: int, limit: int = RECENT_KEPT) -> list[str]: ...
    async def schedule_deletion(
        self, chat_id: int, delay: float, message_id: int | None = None, author: str | None = None
    ) -> None: ...


class CaseIntake:
    """Opens or joins cases and passes what the user sends in them to staff."""

    def __init__(
        self,
        store: IntakeRecords,
        access: DeskAccess,
        relays: Relays,
        consents: Consents,
        outbox: Outbox,
        facts: FactsStore,
        staff_language: str,
        alarms: Alarms | None = None,
        expect: Expect | None = None,
    ) -> None:
        """Write cases to ``store``; alerts go to ``access``'s group through ``outbox``.

        ``relays`` passes the person's messages to staff, ``consents`` keeps what they agreed
        to share. With the store down, ``alarms`` sends the alert straight to the group instead.
        ``expect(lang)`` is the line telling a person how long a reply may take (or, out of
        hours, what to do meanwhile); without it they are told nothing about timing.
        """
        self.store = store
        self._access = access
        self.relays = relays
        self.consents = consents
        self.outbox = outbox
        self.facts = facts
        self.alarms = alarms
        self._staff_language = staff_language
        self._expect = expect
        self._last_live_relay: dict[int, float] = {}
        self._unrecorded: list[Unrecorded] = []

    async def open(
        self,
        user_id: int,
        chat_id: int,
        lang: str,
        reason: str,
        priority: str,
        text: str,
        kind: CaseKind = CaseKind.STANDARD,
        written_in: WrittenLanguage | None = None,
    ) -> tuple[Case, bool]:
        """Open a case with its alert in one transaction, or join the open one (staff told).

        ``written_in`` names the language of ``text`` when it is neither Korean nor English.
        If the store cannot write it, the alert goes to staff directly, marked unrecorded, the
        case is kept to be written later, and ``CaseNotRecorded`` says whether staff got it.
        """
        try:
            earlier = await self.store.recent(user_id)
        except StoreError:
            earlier = []
        wanted = Unrecorded(user_id, chat_id, lang, reason, priority, text, kind)
        try:
            case, created = await self._write(wanted, earlier, reason, written_in)
        except StoreUnavailable as exc:
            raise await self._not_recorded(wanted, earlier, exc) from exc
        if created:
            log.info("case %s opened (%s, %s)", case.id, priority, reason)
        elif written_in is not None:
            language = written_in_line(written_in, self._staff_language)
            await self.relays.notice(case, f"{language}\n{text}")
        else:
            await self.relays.notice(case, text)
        self.outbox.wake()
        return case, created

    async def _write(
        self,
        wanted: Unrecorded,
        earlier: list[str],
        reason: str,
        written_in: WrittenLanguage | None = None,
    ) -> tuple[Case, bool]:
        return await self.store.open_case(
            user_id=wanted.user_id,
            chat_id=wanted.chat_id,
            language=wanted.lang,
            priority=wanted.priority,
            reason=reason,
            first_message=wanted.text,
            kind=wanted.kind,
            render_alert=lambda case: render_alert(
                case,
                wanted.text,
                earlier,
                self._access.chat_id,
                self._staff_language,
                written_in,
                in_topic=self._access.topics_on,
            ),
        )

    async def _not_recorded(
        self, wanted: Unrecorded, earlier: list[str], exc: StoreUnavailable
    ) -> CaseNotRecorded:
        """Alert staff without the store, best effort, and keep the case to write it later."""
        log.error("a case could not be recorded (%s); alerting staff directly", exc)
        self._unrecorded.append(wanted)
        alerted = False
        if self.alarms is not None:
            alerted = await self.alarms.shout(
                render_unrecorded(
                    priority=wanted.priority,
                    language=wanted.lang,
                    kind=wanted.kind,
                    reason=wanted.reason,
                    message=wanted.text,
                    earlier=earlier,
                    lang=self._staff_language,
                )
            )
            await self.alarms.store_failing(exc)
        return CaseNotRecorded(str(exc), alerted=alerted)

    async def retry_unrecorded(self) -> int:
        """Write the cases the store refused earlier, with their alerts; return how many."""
        written = 0
        while self._unrecorded:
            wanted = self._unrecorded[0]
            late = f"{wanted.reason} ({t('staff.recorded_late', self._staff_language)})"
            try:
                case, created = await self._write(wanted, [], late)
            except StoreError:
                return written
            self._unrecorded.pop(0)
            if not created:
                if wanted.kind == CaseKind.DISCREET:
                    await self.store.set_kind(case.id, CaseKind.DISCREET)
                await self.relays.notice(case, wanted.text)
            log.info("case %s recorded after a store failure", case.id)
            written += 1
            self.outbox.wake()
        return written

    async def active_or_open(self, msg: Incoming, lang: str, reason: str, text: str) -> Case:
        """The user's open case, or a new high-priority one."""
        case = await self.store.active_case(msg.user_id)
        if case is None:
            case, _ = await self.open(msg.user_id, msg.chat_id, lang, reason, triage.HIGH, text)
        return case

    async def escalate(
        self,
        msg: Incoming,
        lang: str,
        reason: str,
        priority: str,
        text: str,
        written_in: WrittenLanguage | None = None,
        writer: triage.Writer = triage.Writer.PERSON,
    ) -> list[Reply]:
        """Open (or join) the user's case, queue the staff alert, reassure the user.

        A person who wrote in another language reads first, in that language where a vetted
        sentence exists, that help was asked for; the rest is in ``lang`` (English unless
        Korean), with the numbers that answer in their language first (the Consular Call
        Center's interpretation is for Koreans, so it is not offered as interpreting for them).
        Without a store the user is told honestly: help was asked for (or not yet), and
        which numbers to call meanwhile.

        ``writer`` WATCHED: someone writing in secret gets a discreet case and the quiet answer.
        FAMILY: the writer reports a relative or friend who is held; staff read that the writer
        is the contact, and the writer gets the numbers for families, without the keyboard made
        for a person in danger.
        """
        if writer is triage.Writer.WATCHED:
            wanted = Unrecorded(
                msg.user_id, msg.chat_id, lang, reason, priority, text, CaseKind.DISCREET
            )
            return await self._quiet(msg, wanted, written_in)
        family = writer is triage.Writer.FAMILY
        speaker = written_in.code.split("-")[0] if written_in is not None else None
        if family:
            reason = f"{t('staff.family_contact', self._staff_language)} · {reason}"
        keyboard = () if family else sos_keyboard(lang)
        own = f"{written_in.reply}\n\n" if written_in is not None and written_in.reply else ""
        try:
            case, created = await self.open(
                msg.user_id, msg.chat_id, lang, reason, priority, text, written_in=written_in
            )
        except CaseNotRecorded as exc:
            honest = t("escalated_unrecorded" if exc.alerted else "escalation_failed", lang)
            numbers = self._emergency(text, lang, family, speaker)
            return [Reply(f"{own}{honest}{numbers}", keyboard=keyboard)]
        if not created and case.kind == CaseKind.DISCREET:
            # The phone may be watched: the case hears it, the screen shows nothing of it.
            return [Reply(t("discreet.noted", lang))]
        if not created:
            joined = t("case_joined", lang, case=case.id)
            return [Reply(f"{own}{joined}", keyboard=keyboard)]
        body = t("escalated_family" if family else "escalated", lang, case=case.id)
        if self._expect is not None:
            try:
                body = f"{body}\n{await self._expect(lang)}"
            except Exception as exc:  # the case is open and staff alerted: say no more
                log.warning("case %s: what to expect is unknown: %s", case.id, exc)
        numbers = self._emergency(text, lang, family, speaker)
        return [Reply(f"{own}{body}{numbers}", keyboard=keyboard)]

    def _emergency(self, text: str, lang: str, family: bool, speaker: str | None) -> str:
        """The numbers to call, read after the alert is queued: a bad facts edit costs them only."""
        try:
            facts = self.facts.current()
            if family:
                return f"\n\n{facts.render_for_family(lang)}"
            country, _city = facts.find_place(text)
            return f"\n\n{facts.render_emergency(country, lang, speaker)}"
        except Exception as exc:  # any content failure; the alert is already on its way
            log.error("no numbers for the reply (%s: %s)", type(exc).__name__, exc)
            return ""

    async def _quiet(
        self, msg: Incoming, wanted: Unrecorded, written_in: WrittenLanguage | None
    ) -> list[Reply]:
        """Open (or join) a discreet case for someone writing in secret, and answer quietly.

        Their words reach staff as written (the place they give matters), the case is discreet
        so staff see the phone may be watched, and the person reads one short neutral line: no
        numbers, no keyboard. That line and their message are deleted after a minute.
        """
        reason = f"{wanted.reason}; {t('staff.watched_writer', self._staff_language)}"
        try:
            case, created = await self.open(
                *(wanted.user_id, wanted.chat_id, wanted.lang, reason, wanted.priority),
                *(wanted.text, wanted.kind, written_in),
            )
            if not created and case.kind != CaseKind.DISCREET:
                await self.store.set_kind(case.id, CaseKind.DISCREET)
                await self.relays.notice(case, t("staff.discreet", self._staff_language))
            log.info("discreet case %s (writing in secret)", case.id)
        except CaseNotRecorded:
            log.error("a discreet case was not recorded; staff alerted directly")
        except StoreError as exc:
            log.error("a discreet case could not be marked: %s", exc)
        if msg.message_id is not None:
            try:
                await self.store.schedule_deletion(
                    msg.chat_id, SENSITIVE_DELETE_SECONDS, message_id=msg.message_id
                )
            except StoreError as exc:
                log.warning("the message written in secret could not be scheduled to go: %s", exc)
        return [Reply(t("discreet.received", wanted.lang), delete_in=SENSITIVE_DELETE_SECONDS)]

    async def discreet(self, msg: Incoming, lang: str, reason: str, decoy_kind: str) -> list[Reply]:
        """Open a silent high-priority case and answer with a harmless notice only.

        The phone may be watched: whatever fails behind it, the answer stays the decoy.
        """
        wanted = Unrecorded(
            msg.user_id, msg.chat_id, lang, reason, triage.HIGH, f"[{reason}]", CaseKind.DISCREET
        )
        try:
            case = await self.store.active_case(msg.user_id)
        except StoreError:
            case = None
        try:
            if case is not None:
                await self.store.set_kind(case.id, CaseKind.DISCREET)
                await self.relays.notice(case, f"🤫 {reason}")
            else:
                case, _created = await self.open(
                    msg.user_id, msg.chat_id, lang, reason, triage.HIGH, wanted.text, wanted.kind
                )
            log.info("discreet case %s (%s)", case.id, reason)
        except CaseNotRecorded:
            log.error("discreet case not recorded (%s); staff alerted directly", reason)
        except StoreUnavailable as exc:
            await self._not_recorded(wanted, [], exc)
        return [Reply(t(f"decoy.{decoy_kind}", lang))]

    async def relay_text(self, msg: Incoming, lang: str, case: Case, text: str) -> list[Reply]:
        """Pass a message of a user with an open case to staff."""
        await self.relays.text(case, text)
        if case.kind != CaseKind.DISCREET:
            return [Reply(t("case_joined", lang, case=case.id))]
        if case.status == CaseStatus.CLAIMED and msg.message_id is not None:
            await self.store.schedule_deletion(
                msg.chat_id, DISCREET_RELAY_DELETE_SECONDS, message_id=msg.message_id
            )
        return []

    def media_received(self, case: Case, lang: str) -> Reply:
        """The neutral note under media sent in a case: it leaves the chat once passed on."""
        delete_in = DISCREET_NOTE_SECONDS if case.kind == CaseKind.DISCREET else None
        return Reply(t("discreet.media_received", lang), delete_in=delete_in)

    async def relay_media(self, case: Case, msg: Incoming) -> None:
        """Copy a photo, video or location into the case; live locations at most every 5 min.

        The person's message is deleted from their chat once staff have the copy (deleted
        first, it could not be copied), in every case: a watched phone keeps nothing of it. A
        live location stays: deleting it would stop the sharing.
        """
        note = ""
        if msg.location is not None:
            lat, lon = msg.location
            note = f"https://maps.google.com/?q={lat:.6f},{lon:.6f} ({iso(now())[:16]} UTC)"
            await self.store.set_case_note(case.id, "last_location", note)
            if msg.kind == "live_location":
                moment = now().timestamp()
                if moment - self._last_live_relay.get(case.id, 0.0) < LIVE_LOCATION_RELAY_SECONDS:
                    return
                self._last_live_relay[case.id] = moment
        assert msg.message_id is not None
        live = msg.live or msg.kind == "live_location"
        await self.relays.media(
            case, msg.kind, msg.chat_id, msg.message_id, note, delete_source=not live
        )
