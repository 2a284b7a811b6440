"""What reaches the user is never a guess: a reply to a case message, or a canned reply, is
a draft shown to its author exactly as the user will see it, and sent only on Send.

Canned replies (bot/desk/canned.py) go out in the person's language.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Protocol

from bot.core.discretion import notification_safe
from bot.core.errors import CaseNotFound
from bot.core.replies import Reply, ReplyButton, clip
from bot.core.texts import t
from bot.delivery.outbox import Outbox
from bot.desk.access import DeskAccess
from bot.desk.canned import CannedReplies
from bot.desk.consent import Consents
from bot.desk.relays import Relays
from bot.desk.staffinput import ButtonAction, note_text
from bot.desk.words import StaffWords
from bot.store import Case, CaseStatus

__all__ = ["DRAFT_SECONDS", "Draft", "DraftRecords", "Drafts"]

log = logging.getLogger(__name__)

DRAFT_SECONDS = 3600.0
MAX_DRAFTS = 500
# What the audit log calls the action a draft's button takes.
DRAFT_ACTIONS = {ButtonAction.SEND: "reply", ButtonAction.KEEP: "note", ButtonAction.DROP: "draft"}


@dataclass(frozen=True)
class Draft:
    """A reply a caseworker wrote to a case message, waiting for them to press Send."""

    case_id: int
    author_id: int
    text: str
    made_at: float


class DraftRecords(Protocol):
    """What the drafts read: the case a staff message answers, and its safety word."""

    async def case(self, case_id: int) -> Case: ...
    async def case_for_staff_message(self, chat_id: int, message_id: int) -> int | None: ...
    async def secrets(self, user_id: int) -> tuple[str | None, str | None]: ...


class Drafts:
    """Drafts and canned replies, each sent only when its author presses Send."""

    def __init__(
        self,
        access: DeskAccess,
        store: DraftRecords,
        outbox: Outbox,
        words: StaffWords,
        consents: Consents,
        relays: Relays,
        canned: CannedReplies | None = None,
        undo_seconds: float = 0.0,
    ) -> None:
        """Check with ``access``; send through ``words``; ``canned`` holds the canned replies
        (None: there are none); ``outbox`` knows which case a fresh group message is about."""
        self._access = access
        self._store = store
        self._outbox = outbox
        self._words = words
        self._consents = consents
        self._relays = relays
        self._undo_seconds = undo_seconds
        self._holding: set[asyncio.Task[None]] = set()
        self._left: OrderedDict[str, int] = OrderedDict()
        """Held words that left after their undo window: token → case."""
        self._canned = canned
        self._drafts: OrderedDict[str, Draft] = OrderedDict()

    async def topic_message(
        self, actor_id: int, actor_name: str, thread_id: int, text: str, origin: str
    ) -> Reply | None:
        """Words typed in a case's topic: a note if marked as one, else straight to the person.

        None when the topic is no case's (staff's own topics), and when the words went out:
        the confirmation follows in the topic once Telegram has delivered them.
        """
        case_id = await self._access.case_for_thread(thread_id)
        if case_id is None:
            return None
        kept = await self._note(actor_id, actor_name, case_id, text)
        if kept is not None:
            return kept
        await self._access.authorize(actor_id, "reply", case_id)
        if self._undo_seconds > 0:
            return self._hold(actor_id, case_id, text, origin)
        answer, sent = await self._words.send(actor_id, case_id, text, origin)
        return None if sent else Reply(answer)

    def _hold(self, actor_id: int, case_id: int, text: str, origin: str) -> Reply:
        """Keep topic words back for the undo window, with an Undo button, then send them.

        A side remark typed in the topic by mistake can be taken back; the ✓ in the topic
        says when the words left (bot/delivery/routing.py).
        """
        token = self._keep(Draft(case_id, actor_id, text, time.monotonic()))
        task = asyncio.create_task(self._release(token, origin), name=f"haven-undo-{case_id}")
        self._holding.add(task)
        task.add_done_callback(self._holding.discard)
        seconds = f"{self._undo_seconds:g}"
        lang = self._access.lang
        return Reply(
            t("staff.undo_pending", lang, id=case_id, seconds=seconds),
            buttons=(ReplyButton(t("staff.undo", lang), f"{ButtonAction.DROP}:{token}"),),
        )

    async def _release(self, token: str, origin: str) -> None:
        """Send held words once the undo window passed, unless Undo took them back."""
        await asyncio.sleep(self._undo_seconds)
        draft = self._drafts.pop(token, None)
        if draft is None:
            return  # undone
        self._left[token] = draft.case_id
        while len(self._left) > MAX_DRAFTS:
            self._left.popitem(last=False)
        try:
            answer, sent = await self._words.send(
                draft.author_id, draft.case_id, draft.text, origin
            )
            if not sent:
                await self._relays.notice(await self._store.case(draft.case_id), answer)
        except Exception:  # the caseworker is not waiting on this task: tell the log
            log.exception("case %s: held words could not be queued", draft.case_id)

    async def reply_to(
        self, actor_id: int, actor_name: str, replied_message_id: int, text: str
    ) -> Reply | None:
        """A reply to a case's message: a note if marked as one, else a draft to confirm.

        None when the replied message is not a case's (ordinary talk in the group).
        """
        case_id = self._outbox.case_for_message(self._access.chat_id, replied_message_id)
        if case_id is None:
            case_id = await self._store.case_for_staff_message(
                self._access.chat_id, replied_message_id
            )
        if case_id is None:
            return None
        kept = await self._note(actor_id, actor_name, case_id, text)
        if kept is not None:
            return kept
        await self._access.authorize(actor_id, "draft", case_id)
        return await self.draft(actor_id, case_id, text)

    async def _note(self, actor_id: int, actor_name: str, case_id: int, text: str) -> Reply | None:
        """Keep ``text`` as a case note if it is marked as one (it never reaches the person)."""
        note = note_text(text)
        if note is None:
            return None
        await self._access.authorize(actor_id, "note", case_id)
        return Reply(await self._words.keep_note(actor_id, actor_name, case_id, note))

    async def draft(self, actor_id: int, case_id: int, text: str) -> Reply:
        """Show the author exactly what the user would get, with Send / Keep as note / Cancel."""
        try:
            case = await self._store.case(case_id)
        except CaseNotFound:
            return Reply(t("staff.no_case", self._access.lang, id=case_id))
        if case.status == CaseStatus.RESOLVED:
            return Reply(t("staff.already_resolved", self._access.lang, id=case_id))
        token = self._keep(Draft(case_id, actor_id, text, time.monotonic()))
        preview = t("to_user.from_staff", case.language, text=text)
        _codeword, safety_word = await self._store.secrets(case.user_id)
        if safety_word:
            # The group may hold people who are not staff: the word itself is never shown.
            preview = f"{preview}\n\n{t('staff.safety_word_mark', self._access.lang)}"
        preview = notification_safe(preview, case.language)
        return Reply(
            t("staff.draft", self._access.lang, id=case_id, preview=clip(preview, 3500)),
            buttons=(
                ReplyButton(t("staff.send", self._access.lang), f"{ButtonAction.SEND}:{token}"),
                ReplyButton(
                    t("staff.keep_note", self._access.lang), f"{ButtonAction.KEEP}:{token}"
                ),
                ReplyButton(t("staff.cancel", self._access.lang), f"{ButtonAction.DROP}:{token}"),
            ),
        )

    async def canned_picker(self, actor_id: int, case_id: int) -> Reply:
        """The canned replies as buttons, titled in the staff's language."""
        await self._access.authorize(actor_id, "canned", case_id)
        entries = self._canned.entries() if self._canned is not None else ()
        if not entries:
            return Reply(t("staff.canned_none", self._access.lang))
        return Reply(
            t("staff.canned_pick", self._access.lang, id=case_id),
            buttons=tuple(
                ReplyButton(e.title(self._access.lang), f"{ButtonAction.CANNED}:{case_id}:{e.key}")
                for e in entries
            ),
        )

    async def canned_preview(self, actor_id: int, case_id: int, key: str) -> Reply:
        """A canned reply in the staff's language, with what the person will get, to Send."""
        await self._access.authorize(actor_id, "canned", case_id)
        entry = self._canned.get(key) if self._canned is not None else None
        if entry is None or self._canned is None:
            return Reply(t("staff.canned_unknown", self._access.lang, name=key))
        try:
            case = await self._store.case(case_id)
        except CaseNotFound:
            return Reply(t("staff.no_case", self._access.lang, id=case_id))
        if case.status == CaseStatus.RESOLVED:
            return Reply(t("staff.already_resolved", self._access.lang, id=case_id))
        refused = await self._consents.needed(case_id, entry)
        if refused is not None:
            return Reply(refused)
        theirs = self._canned.text(entry, case.language)
        token = self._keep(Draft(case_id, actor_id, theirs, time.monotonic()))
        ours = self._canned.text(entry, self._access.lang)
        shown = t(
            "staff.canned_preview",
            self._access.lang,
            id=case_id,
            language=t(f"staff.lang_{case.language}", self._access.lang),
            text=ours,
        )
        if case.language != self._access.lang:
            shown += "\n\n" + t("staff.canned_theirs", self._access.lang, text=theirs)
        return Reply(
            clip(shown, 3500),
            buttons=(
                ReplyButton(t("staff.send", self._access.lang), f"{ButtonAction.SEND}:{token}"),
                ReplyButton(t("staff.cancel", self._access.lang), f"{ButtonAction.DROP}:{token}"),
            ),
        )

    async def send_canned(
        self, actor_id: int, case_id: int, key: str, origin: str | None = None
    ) -> str:
        """``/canned N key``: send a canned reply at once, in the person's language."""
        await self._access.authorize(actor_id, "canned", case_id)
        entry = self._canned.get(key) if self._canned is not None else None
        if entry is None or self._canned is None:
            return t("staff.canned_unknown", self._access.lang, name=key)
        try:
            case = await self._store.case(case_id)
        except CaseNotFound:
            return t("staff.no_case", self._access.lang, id=case_id)
        refused = await self._consents.needed(case_id, entry)
        if refused is not None:
            return refused
        answer, sent = await self._words.send(
            actor_id, case_id, self._canned.text(entry, case.language), origin
        )
        if not sent:
            return answer
        return f"{answer}\n{clip(self._canned.text(entry, self._access.lang), 1500)}"

    def _keep(self, draft: Draft) -> str:
        """Hold ``draft`` behind a token for its buttons; the oldest go past MAX_DRAFTS."""
        token = secrets.token_urlsafe(9)
        self._drafts[token] = draft
        while len(self._drafts) > MAX_DRAFTS:
            self._drafts.popitem(last=False)
        return token

    async def settle_draft(
        self, actor_id: int, actor_name: str, action: ButtonAction, token: str
    ) -> tuple[str, bool]:
        """Send a draft, keep it as a note, or drop it: only its author may, and only once.

        Returns what to tell the presser, and whether the draft is settled (its buttons can
        go); someone else's press settles nothing.
        """
        verb = DRAFT_ACTIONS.get(action)
        if verb is None:
            raise ValueError(f"{action} is not a draft's button")
        draft = self._drafts.get(token)
        await self._access.authorize(actor_id, verb, draft.case_id if draft else None)
        if draft is None and token in self._left:
            return t("staff.undo_too_late", self._access.lang, id=self._left[token]), True
        if draft is None or time.monotonic() - draft.made_at > DRAFT_SECONDS:
            self._drafts.pop(token, None)
            return t("staff.draft_gone", self._access.lang), True
        if actor_id != draft.author_id:
            return t("staff.draft_not_yours", self._access.lang), False
        if self._drafts.pop(token, None) is None:
            return t("staff.draft_gone", self._access.lang), True
        if action == ButtonAction.SEND:
            return (await self._words.send(actor_id, draft.case_id, draft.text))[0], True
        if action == ButtonAction.KEEP:
            return await self._words.keep_note(
                actor_id, actor_name, draft.case_id, draft.text
            ), True
        return t("staff.draft_dropped", self._access.lang, id=draft.case_id), True
