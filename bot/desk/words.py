"""A caseworker's words to a person: /reply, words typed in a case's topic, notes.

Users never see which caseworker wrote to them. ``/note N text`` and words starting with a
note marker stay in the case record; in a forum the topic is the case, so what staff write
there goes to the person directly (notes and commands aside), confirmed once delivered.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from bot.core.errors import CaseNotFound
from bot.core.replies import ReplyButton
from bot.core.texts import t
from bot.delivery.outbox import Outbox, reason
from bot.delivery.waiters import Outcome
from bot.desk.access import AuditTrail, DeskAccess
from bot.store import Case, CaseKind, CaseStatus, OutboxKind, Outgoing

__all__ = ["REPLY_WAIT", "StaffWords", "WordRecords", "with_safety_word"]

REPLY_WAIT = 5.0
"""Seconds /reply waits for Telegram to accept the message before answering "queued"."""


def with_safety_word(message: str, word: str) -> str:
    """A staff message with the person's safety word on its own last line (never first)."""
    return f"{message}\n\n🔑 {word}"


class WordRecords(AuditTrail, Protocol):
    """What a caseworker's words need: the case and its safety word, the transcript they join,
    and the internal notes."""

    async def case(self, case_id: int) -> Case: ...
    async def secrets(self, user_id: int) -> tuple[str | None, str | None]: ...
    async def add_transcript(
        self, case_id: int, author: str, kind: str, text: str, outgoing: Iterable[Outgoing] = ()
    ) -> list[int]: ...
    async def add_staff_note(
        self, case_id: int, author_id: int, author_name: str, text: str
    ) -> None: ...


class StaffWords:
    """Sends a caseworker's words to the person of a case, or keeps them as a note."""

    def __init__(
        self, access: DeskAccess, store: WordRecords, outbox: Outbox, reply_wait: float = REPLY_WAIT
    ) -> None:
        """Check with ``access``, record in ``store``, deliver through ``outbox``; wait up to
        ``reply_wait`` seconds for Telegram before answering "queued"."""
        self._access = access
        self._store = store
        self._outbox = outbox
        self._reply_wait = reply_wait

    async def reply(self, actor_id: int, case_id: int, text: str, origin: str | None = None) -> str:
        """Send a caseworker's words to the user, without saying who wrote them.

        ``origin`` is the dedupe key of the staff message they came from (the same update
        handled twice sends once; in a topic, the delivery confirmation answers it).
        """
        await self._access.authorize(actor_id, "reply", case_id)
        return (await self.send(actor_id, case_id, text, origin))[0]

    async def send(
        self, actor_id: int, case_id: int, text: str, origin: str | None = None
    ) -> tuple[str, bool]:
        """Queue a caseworker's words for the person: (what to tell staff, whether Telegram has them)."""
        try:
            case = await self._store.case(case_id)
        except CaseNotFound:
            return t("staff.no_case", self._access.lang, id=case_id), False
        if case.status == CaseStatus.RESOLVED:
            return t("staff.already_resolved", self._access.lang, id=case_id), False
        message = t("to_user.from_staff", case.language, text=text)
        _codeword, safety_word = await self._store.secrets(case.user_id)
        if safety_word:
            # At the end: below the neutral opening the outbox puts first, never in a preview.
            message = with_safety_word(message, safety_word)
        buttons: tuple[ReplyButton, ...] = ()
        if case.kind == CaseKind.DISCREET:
            buttons = (ReplyButton(t("discreet.read_button", case.language), "del"),)
        ids = await self._store.add_transcript(
            case_id,
            "staff",
            "text",
            text,
            outgoing=[
                Outgoing(
                    case.chat_id,
                    OutboxKind.FROM_STAFF,
                    message,
                    buttons=buttons,
                    dedupe_key=origin,
                )
            ],
        )
        await self._store.audit(actor_id, "reply", case_id, allowed=True)
        self._outbox.wake()
        # "Sent" only once Telegram has it; a later arrival or failure is told to the group.
        delivery = await self._outbox.wait(ids, self._reply_wait, case_id)
        if delivery.outcome == Outcome.SENT:
            return t("staff.sent", self._access.lang, id=case_id), True
        why = reason(delivery.error, self._access.lang)
        if delivery.outcome == Outcome.DEAD:
            return t("staff.reply_failed", self._access.lang, id=case_id, reason=why), False
        return t("staff.reply_queued", self._access.lang, id=case_id, reason=why), False

    async def note(self, actor_id: int, actor_name: str, case_id: int, text: str) -> str:
        """Keep an internal note on a case: in the record, shown by /case, never sent."""
        await self._access.authorize(actor_id, "note", case_id)
        return await self.keep_note(actor_id, actor_name, case_id, text)

    async def keep_note(self, actor_id: int, actor_name: str, case_id: int, text: str) -> str:
        """Keep a note already authorized (a marked reply, a kept draft)."""
        if not text.strip():
            return t("staff.usage_note", self._access.lang)
        try:
            await self._store.add_staff_note(case_id, actor_id, actor_name, text.strip())
        except CaseNotFound:
            return t("staff.no_case", self._access.lang, id=case_id)
        await self._store.audit(actor_id, "note", case_id, allowed=True)
        return t("staff.noted", self._access.lang, id=case_id)
