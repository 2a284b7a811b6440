"""Discretion on a watched phone: everything a person with an open case gets passes through here.

Two paths reach a private chat: the conversation's direct replies (``replies``) and the
outbox's queued messages (``outgoing``, called by the outbox's ``send``, bot/delivery/routing.py). Both
render each text with ``notification_safe`` (bot/core/discretion.py), so no message can forget
the rule: a neutral first line, nothing telling in what a notification shows, the safety word
never in it. Under an open case the SOS keyboard goes away unless the person asked for it
(/keys), commands typed during a discreet case are deleted with their answers after a minute,
and a standard case gets its one safety note (a discreet case gets it when staff claim it).
"""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass
from typing import Protocol

from bot.common.incoming import Incoming
from bot.core.discretion import OPENING_ROOM, notification_safe
from bot.core.errors import CaseNotFound, StoreError
from bot.core.folding import has_hangul
from bot.core.replies import MAX_TEXT, Reply, split_text, utf16_len
from bot.core.texts import t
from bot.delivery.janitor import READ_THEN_DELETE_SECONDS
from bot.store import Case, CaseKind, OutboxItem, UserPrefs

__all__ = ["COMMAND_ANSWER_SECONDS", "Discretion", "DiscretionRecords", "Watch"]

log = logging.getLogger(__name__)

COMMAND_ANSWER_SECONDS = 60.0
"""How long a command typed during a discreet case, and its answer, stay in the chat."""
SOS_DATA = "sos"
"""The inline "I'm not safe" button: of no use once a case is open, and it names help."""


@dataclass(frozen=True)
class Watch:
    """A person whose phone may be watched: their open case, language and secrets."""

    case: Case
    lang: str
    secrets: tuple[str, ...]

    @property
    def discreet(self) -> bool:
        """The person asked for help without a word on screen (code phrase, decoy)."""
        return self.case.kind == CaseKind.DISCREET


class DiscretionRecords(Protocol):
    """What discretion reads and writes: the person's case, language and safety word, the
    case's one safety note, and the deletion of command answers."""

    async def active_case(self, user_id: int) -> Case | None: ...
    async def case(self, case_id: int) -> Case: ...
    async def claim_safety_note(self, case_id: int) -> bool: ...
    async def user(self, user_id: int) -> UserPrefs | None: ...
    async def secrets(self, user_id: int) -> tuple[str | None, str | None]: ...
    async def schedule_deletion(
        self, chat_id: int, delay: float, message_id: int | None = None, author: str | None = None
    ) -> None: ...


class Discretion:
    """Renders what a person with an open case receives; the one place that decides it."""

    def __init__(
        self,
        store: DiscretionRecords,
        command_delete_in: float = COMMAND_ANSWER_SECONDS,
        read_delete_in: float = READ_THEN_DELETE_SECONDS,
    ) -> None:
        """Read cases and safety words from ``store``."""
        self._store = store
        self._command_delete_in = command_delete_in
        self._read_delete_in = read_delete_in

    async def watch(self, user_id: int) -> Watch | None:
        """The person's open case and how to speak to them; None without one."""
        case = await self._store.active_case(user_id)
        if case is None:
            return None
        return await self._watch(case)

    async def _watch(self, case: Case) -> Watch:
        prefs = await self._store.user(case.user_id)
        _codeword, safety_word = await self._store.secrets(case.user_id)
        lang = prefs.language if prefs is not None else case.language
        return Watch(case, lang, (safety_word,) if safety_word else ())

    async def replies(
        self, msg: Incoming, replies: list[Reply], *, command: bool = False
    ) -> list[Reply]:
        """The conversation's replies as a person with an open case may receive them.

        ``command``: they answer a command; during a discreet case the command and its
        answers then delete themselves after ``COMMAND_ANSWER_SECONDS``. A store that fails
        here cannot say whether a case is open, so the texts are rendered safe regardless.
        """
        try:
            watch = await self.watch(msg.user_id)
        except StoreError as exc:
            log.error("discretion: could not read the user's case (%s); rendering safe", exc)
            lang = "ko" if any(has_hangul(r.text) for r in replies) else "en"
            return [dataclasses.replace(r, text=notification_safe(r.text, lang)) for r in replies]
        if watch is None:
            return replies
        shown = [self.render(part, watch) for reply in replies for part in _parts(reply)]
        if not watch.discreet and await self._note_due(watch.case):
            # After the first answer: what it says comes first, and the last one keeps its
            # buttons (a flow's question).
            lang = _written_in(shown[0].text, watch) if shown else watch.lang
            note = self.render(Reply(t("discreet.safety_note", lang)), watch)
            shown.insert(min(1, len(shown)), note)
        if command and watch.discreet:
            shown = [self._deleting(reply, self._command_delete_in) for reply in shown]
            if msg.message_id is not None:
                await self._store.schedule_deletion(
                    msg.chat_id, self._command_delete_in, message_id=msg.message_id
                )
        return shown

    async def text(self, user_id: int, text: str, lang: str) -> str:
        """One text for a person (an error notice sent outside the conversation), rendered."""
        try:
            watch = await self.watch(user_id)
        except StoreError:
            return notification_safe(text, lang)
        return notification_safe(text, watch.lang, watch.secrets) if watch else text

    def render(self, reply: Reply, watch: Watch) -> Reply:
        """One reply made safe: neutral preview, no SOS keyboard or button unless asked."""
        if reply.toast:
            return reply
        asked = reply.on_request
        return dataclasses.replace(
            reply,
            text=notification_safe(reply.text, _written_in(reply.text, watch), watch.secrets),
            buttons=tuple(b for b in reply.buttons if b.data != SOS_DATA),
            keyboard=reply.keyboard if asked else (),
            remove_keyboard=reply.remove_keyboard or (bool(reply.keyboard) and not asked),
        )

    async def outgoing(self, item: OutboxItem) -> OutboxItem:
        """A queued message for a private chat, rendered for its person if they have a case.

        A message that belongs to a case is rendered even if the case closed meanwhile.
        """
        if item.chat_id <= 0 or item.copy_message_id is not None or not item.text:
            return item
        case = await self._store.active_case(item.chat_id)
        if case is None and item.case_id is not None:
            try:
                case = await self._store.case(item.case_id)
            except CaseNotFound:
                case = None
        if case is None:
            return item
        watch = await self._watch(case)
        lang = _written_in(item.text, watch)
        return dataclasses.replace(item, text=notification_safe(item.text, lang, watch.secrets))

    async def safety_note(self, case: Case) -> str | None:
        """The case's safety note, rendered, the first time it is asked for; else None."""
        if not await self._note_due(case):
            return None
        watch = await self._watch(case)
        return notification_safe(t("discreet.safety_note", watch.lang), watch.lang)

    async def _note_due(self, case: Case) -> bool:
        try:
            return await self._store.claim_safety_note(case.id)
        except StoreError as exc:
            log.error("case %s: could not record the safety note: %s", case.id, exc)
            return False

    @staticmethod
    def _deleting(reply: Reply, seconds: float) -> Reply:
        if reply.toast:
            return reply
        delete_in = seconds if reply.delete_in is None else min(reply.delete_in, seconds)
        return dataclasses.replace(reply, delete_in=delete_in)


def _parts(reply: Reply) -> list[Reply]:
    """A long reply as the messages Telegram will show, each to be rendered on its own.

    Every message gets its own notification, so a second part must open neutrally too; the
    buttons and keyboard go with the last part, as bot/telegram/handlers.py sends them.
    """
    limit = MAX_TEXT - OPENING_ROOM
    if reply.toast or utf16_len(reply.text) <= limit:
        return [reply]
    chunks = split_text(reply.text, limit)
    last = len(chunks) - 1
    return [
        dataclasses.replace(
            reply,
            text=chunk,
            buttons=reply.buttons if index == last else (),
            keyboard=reply.keyboard if index == last else (),
        )
        for index, chunk in enumerate(chunks)
    ]


def _written_in(text: str, watch: Watch) -> str:
    """The opening speaks the message's own language (a picture's answer follows its caption),
    the person's where the text cannot tell (no Hangul, no Latin letters)."""
    if has_hangul(text):
        return "ko"
    return "en" if any("a" <= ch.lower() <= "z" for ch in text) else watch.lang
