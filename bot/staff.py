"""The staff side: alerts into the staff group, and what caseworkers can do from there.

Every staff action is checked (the actor must be named in STAFF_USER_IDS and be a member of
the staff group now: ``bot/roster.py``) and written to the audit log, refused attempts
included. Users never see which caseworker wrote to them.

What reaches the user is never a guess: ``/reply N text`` sends; a reply to a case message is
a draft, shown to its author exactly as the user will see it, and sent only when they press
Send; ``/note N text`` and replies starting with a note marker stay in the case record. In a
forum, each case has its topic (bot/topics.py): there the topic is the case, so what staff
write goes to the person directly (notes and commands aside), confirmed once delivered.
Cases are claimed, handed on (``/transfer``), given back (``/unclaim``) and resolved with a
tag; canned replies (bot/canned.py) go out in the person's language.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

from bot.canned import CannedReplies
from bot.core.errors import CaseNotFound, CaseResolved, MembershipUnknown, NotAuthorized
from bot.core.languages import WrittenLanguage
from bot.core.texts import t
from bot.outbox import Outbox, Outcome, reason
from bot.replies import Reply, ReplyButton
from bot.roster import StaffRoster
from bot.staffgroup import StaffGroup
from bot.staffinput import ButtonAction, note_text
from bot.store import (
    Case,
    CaseKind,
    CaseStatus,
    CaseStore,
    CaseTag,
    OutboxKind,
    Outgoing,
    Priority,
)
from bot.strangers import StrangerNotices
from bot.topics import CaseTopics

log = logging.getLogger(__name__)

KST = timezone(timedelta(hours=9))
REPLY_WAIT = 5.0
"""Seconds /reply waits for Telegram to accept the message before answering "queued"."""
ALERT_TEXT_LIMIT = 1500
CONTEXT_MESSAGES = 3
SHOWN_ENTRIES = 20
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


def clip(text: str, limit: int = ALERT_TEXT_LIMIT) -> str:
    """Shorten text for a staff message, saying that it was cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def when(stamp: str) -> str:
    """Show a store timestamp in UTC and Korean time."""
    moment = datetime.fromisoformat(stamp)
    return f"{moment.astimezone(UTC):%Y-%m-%d %H:%M} UTC ({moment.astimezone(KST):%H:%M} KST)"


def case_buttons(case_id: int, lang: str) -> tuple[ReplyButton, ...]:
    """Inline Claim / Resolve buttons for a case."""
    return (
        ReplyButton(t("staff.claim", lang), f"claim:{case_id}"),
        ReplyButton(t("staff.resolve", lang), f"resolve:{case_id}"),
    )


def alert_buttons(case_id: int, lang: str) -> tuple[ReplyButton, ...]:
    """Claim / Resolve, and the canned replies."""
    return (
        *case_buttons(case_id, lang),
        ReplyButton(t("staff.canned_button", lang), f"{ButtonAction.CANNED}:{case_id}"),
    )


def tag_buttons(case_id: int, lang: str) -> tuple[ReplyButton, ...]:
    """One button per resolve tag: what the case turned out to be."""
    return tuple(
        ReplyButton(t(f"staff.tag_{tag}", lang), f"{ButtonAction.RESOLVE}:{case_id}:{tag}")
        for tag in CaseTag
    )


def written_in_line(written_in: WrittenLanguage, lang: str) -> str:
    """ "🌐 Tagalog — interpreter needed", or just the name when staff read it themselves."""
    key = "staff.interpreter" if written_in.interpreter else "staff.written_in"
    return "🌐 " + t(key, lang, language=written_in.name(lang))


def alert_body(
    priority: str,
    language: str,
    at: str,
    kind: str,
    reason: str,
    message: str,
    earlier: list[str],
    lang: str,
    written_in: WrittenLanguage | None = None,
) -> list[str]:
    """What every alert says under its title: priority, language and time, the reason, the
    message and the few before it (an alert the store could not record says the same)."""
    lines = [
        " · ".join(
            (t(f"staff.priority_{priority}", lang), t(f"staff.lang_{language}", lang), when(at))
        )
    ]
    if written_in is not None:
        lines.append(written_in_line(written_in, lang))
    if kind == CaseKind.DISCREET:
        lines.append(t("staff.discreet", lang))
    lines.append(f"{t('staff.reason', lang)}: {reason}")
    lines.append(f"\n{t('staff.message', lang)}:\n{clip(message)}")
    context = [m for m in earlier if m != message][-CONTEXT_MESSAGES:]
    if context:
        lines.append(f"\n{t('staff.earlier', lang)}:")
        lines.extend(f"• {clip(m, 300)}" for m in context)
    return lines


def render_alert(
    case: Case,
    message: str,
    earlier: list[str],
    staff_chat: int,
    lang: str,
    written_in: WrittenLanguage | None = None,
    in_topic: bool = False,
) -> Outgoing:
    """The first alert about a case: everything a caseworker needs to act on it.

    ``written_in`` is the language the message is in when it is neither Korean nor English;
    ``in_topic`` says the alert opens the case's own topic (how to answer differs).
    """
    lines = [
        t("staff.new", lang, id=case.id),
        *alert_body(
            case.priority,
            case.language,
            case.created_at,
            case.kind,
            case.reason,
            message,
            earlier,
            lang,
            written_in,
        ),
    ]
    hint = "staff.topic_hint" if in_topic else "staff.reply_hint"
    lines.append(f"\n{t(hint, lang, id=case.id)}")
    return Outgoing(
        chat_id=staff_chat,
        kind=OutboxKind.ALERT,
        text="\n".join(lines),
        buttons=alert_buttons(case.id, lang),
        dedupe_key=f"alert:{case.id}",
    )


class StaffDesk:
    """Staff actions on cases; each returns the text to show in the staff group."""

    def __init__(
        self,
        store: CaseStore,
        outbox: Outbox,
        group: StaffGroup,
        lang: str,
        roster: StaffRoster,
        topics: CaseTopics | None = None,
        canned: CannedReplies | None = None,
        reply_wait: float = REPLY_WAIT,
        undo_seconds: float = 0.0,
    ) -> None:
        """Act on ``store``, deliver through ``outbox``; ``roster`` says who is staff.

        ``topics`` gives cases their forum topics (None: the flat group); ``canned`` holds
        the canned replies (None: there are none). Words typed in a case's topic wait
        ``undo_seconds`` with an Undo button before they leave (0: at once).
        """
        self._store = store
        self._outbox = outbox
        self._group = group
        self._lang = lang
        self._roster = roster
        self._topics = topics
        self._canned = canned
        self._drafts: OrderedDict[str, Draft] = OrderedDict()
        self._reply_wait = reply_wait
        self._undo_seconds = undo_seconds
        self._holding: set[asyncio.Task[None]] = set()
        self._left: OrderedDict[str, int] = OrderedDict()
        """Held words that left after their undo window: token → case."""
        self.strangers = StrangerNotices()
        """Non-staff members refused in the group: told at most once an hour each."""

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

    async def claim(self, actor_id: int, actor_name: str, case_id: int) -> str:
        """Take a case: the user is told a person picked it up."""
        await self.authorize(actor_id, "claim", case_id)
        try:
            case = await self._store.claim(case_id, actor_id)
        except CaseNotFound:
            return t("staff.no_case", self._lang, id=case_id)
        except CaseResolved:
            return t("staff.already_resolved", self._lang, id=case_id)
        await self._store.audit(actor_id, "claim", case_id, allowed=True)
        if case.kind == CaseKind.DISCREET:
            # Staff have seen it: nothing of it may stay on the watched phone.
            await self._store.schedule_deletion(case.chat_id, 0)
        else:
            await self._store.enqueue(
                Outgoing(case.chat_id, OutboxKind.TO_USER, t("to_user.claimed", case.language)),
                case_id,
            )
        notice = t("staff.claimed", self._lang, id=case_id, name=actor_name)
        await self._store.enqueue(
            Outgoing(self._group.chat_id, OutboxKind.STAFF_NOTICE, notice), case_id
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
        await self.authorize(actor_id, "resolve", case_id)
        try:
            case = await self._store.resolve(case_id, actor_id, tag)
        except CaseNotFound:
            return t("staff.no_case", self._lang, id=case_id)
        except CaseResolved:
            return t("staff.already_resolved", self._lang, id=case_id)
        await self._store.audit(actor_id, "resolve", case_id, allowed=True, detail=tag or "")
        await self._store.enqueue(
            Outgoing(case.chat_id, OutboxKind.TO_USER, t("to_user.resolved", case.language)),
            case_id,
        )
        notice = t("staff.resolved", self._lang, id=case_id, name=actor_name)
        if tag is not None:
            notice += f" · {t(f'staff.tag_{tag}', self._lang)}"
        asked = notice if tag is not None else f"{notice}\n{t('staff.tag_ask', self._lang)}"
        await self._store.enqueue(
            Outgoing(
                self._group.chat_id,
                OutboxKind.STAFF_NOTICE,
                asked,
                buttons=() if tag is not None else tag_buttons(case_id, self._lang),
                dedupe_key=f"resolved:{case_id}",
            ),
            case_id,
        )
        self._outbox.wake()
        return notice

    async def tag(self, actor_id: int, actor_name: str, case_id: int, tag: CaseTag) -> str:
        """Say what a case turned out to be: resolves it if still open, else tags it."""
        await self.authorize(actor_id, "tag", case_id)
        try:
            case = await self._store.case(case_id)
        except CaseNotFound:
            return t("staff.no_case", self._lang, id=case_id)
        if case.status != CaseStatus.RESOLVED:
            return await self.resolve(actor_id, actor_name, case_id, tag)
        await self._store.tag_case(case_id, tag)
        await self._store.audit(actor_id, "tag", case_id, allowed=True, detail=tag)
        return t("staff.tagged", self._lang, id=case_id, tag=t(f"staff.tag_{tag}", self._lang))

    async def unclaim(self, actor_id: int, actor_name: str, case_id: int) -> str:
        """Give a case back: nobody holds it, and the escalation ladder starts again."""
        await self.authorize(actor_id, "unclaim", case_id)
        try:
            case = await self._store.unclaim(case_id)
        except CaseNotFound:
            return t("staff.no_case", self._lang, id=case_id)
        except CaseResolved:
            return t("staff.already_resolved", self._lang, id=case_id)
        await self._store.audit(actor_id, "unclaim", case_id, allowed=True)
        notice = t("staff.unclaimed_notice", self._lang, id=case_id, name=actor_name)
        link = await self._topics.link_line(case.id) if self._topics is not None else ""
        await self._store.enqueue(
            Outgoing(
                self._group.chat_id,
                OutboxKind.CASE_NOTICE if link else OutboxKind.STAFF_NOTICE,
                notice + link,
                buttons=case_buttons(case_id, self._lang),
            ),
            case_id,
        )
        self._outbox.wake()
        return notice

    async def transfer(self, actor_id: int, actor_name: str, case_id: int, to_id: int) -> str:
        """Hand a case to another caseworker, who must be staff now; they are mentioned."""
        await self.authorize(actor_id, "transfer", case_id)
        try:
            allowed = await self._roster(to_id)
        except MembershipUnknown:
            return t("staff.check_failed", self._lang)
        if not allowed:
            return t("staff.transfer_not_staff", self._lang, id=to_id)
        try:
            await self._store.claim(case_id, to_id)
        except CaseNotFound:
            return t("staff.no_case", self._lang, id=case_id)
        except CaseResolved:
            return t("staff.already_resolved", self._lang, id=case_id)
        await self._store.audit(actor_id, "transfer", case_id, allowed=True, detail=f"to={to_id}")
        notice = t("staff.handed_over", self._lang, id=case_id, name=actor_name)
        await self._store.enqueue(
            Outgoing(self._group.chat_id, OutboxKind.HANDOVER, notice), case_id
        )
        self._outbox.wake()
        return notice

    async def reply(self, actor_id: int, case_id: int, text: str, origin: str | None = None) -> str:
        """Send a caseworker's words to the user, without saying who wrote them.

        ``origin`` is the dedupe key of the staff message they came from (the same update
        handled twice sends once; in a topic, the delivery confirmation answers it).
        """
        await self.authorize(actor_id, "reply", case_id)
        return (await self._send_words(actor_id, case_id, text, origin))[0]

    async def topic_message(
        self, actor_id: int, actor_name: str, thread_id: int, text: str, origin: str
    ) -> Reply | None:
        """Words typed in a case's topic: a note if marked as one, else straight to the person.

        None when the topic is no case's (staff's own topics), and when the words went out:
        the confirmation follows in the topic once Telegram has delivered them.
        """
        case_id = await self.case_for_thread(thread_id)
        if case_id is None:
            return None
        note = note_text(text)
        if note is not None:
            await self.authorize(actor_id, "note", case_id)
            return Reply(await self._note(actor_id, actor_name, case_id, note))
        await self.authorize(actor_id, "reply", case_id)
        if self._undo_seconds > 0:
            return self._hold(actor_id, case_id, text, origin)
        answer, sent = await self._send_words(actor_id, case_id, text, origin)
        return None if sent else Reply(answer)

    def _hold(self, actor_id: int, case_id: int, text: str, origin: str) -> Reply:
        """Keep topic words back for the undo window, with an Undo button, then send them.

        A side remark typed in the topic by mistake can be taken back; the ✓ in the topic
        says when the words left (bot/routing.py).
        """
        token = self._keep_draft(Draft(case_id, actor_id, text, time.monotonic()))
        task = asyncio.create_task(self._release(token, origin), name=f"haven-undo-{case_id}")
        self._holding.add(task)
        task.add_done_callback(self._holding.discard)
        seconds = f"{self._undo_seconds:g}"
        return Reply(
            t("staff.undo_pending", self._lang, id=case_id, seconds=seconds),
            buttons=(ReplyButton(t("staff.undo", self._lang), f"{ButtonAction.DROP}:{token}"),),
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
            answer, sent = await self._send_words(
                draft.author_id, draft.case_id, draft.text, origin
            )
            if not sent:
                await self.relay_notice(await self._store.case(draft.case_id), answer)
        except Exception:  # the caseworker is not waiting on this task: tell the log
            log.exception("case %s: held words could not be queued", draft.case_id)

    async def _send(self, actor_id: int, case_id: int, text: str) -> str:
        return (await self._send_words(actor_id, case_id, text))[0]

    async def _send_words(
        self, actor_id: int, case_id: int, text: str, origin: str | None = None
    ) -> tuple[str, bool]:
        """Queue a caseworker's words for the person: (what to tell staff, whether Telegram has them)."""
        try:
            case = await self._store.case(case_id)
        except CaseNotFound:
            return t("staff.no_case", self._lang, id=case_id), False
        if case.status == CaseStatus.RESOLVED:
            return t("staff.already_resolved", self._lang, id=case_id), False
        message = t("to_user.from_staff", case.language, text=text)
        _codeword, safety_word = await self._store.secrets(case.user_id)
        if safety_word:
            message = f"{safety_word} · {message}"
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
            return t("staff.sent", self._lang, id=case_id), True
        why = reason(delivery.error, self._lang)
        if delivery.outcome == Outcome.DEAD:
            return t("staff.reply_failed", self._lang, id=case_id, reason=why), False
        return t("staff.reply_queued", self._lang, id=case_id, reason=why), False

    async def note(self, actor_id: int, actor_name: str, case_id: int, text: str) -> str:
        """Keep an internal note on a case: in the record, shown by /case, never sent."""
        await self.authorize(actor_id, "note", case_id)
        return await self._note(actor_id, actor_name, case_id, text)

    async def _note(self, actor_id: int, actor_name: str, case_id: int, text: str) -> str:
        if not text.strip():
            return t("staff.usage_note", self._lang)
        try:
            await self._store.add_staff_note(case_id, actor_id, actor_name, text.strip())
        except CaseNotFound:
            return t("staff.no_case", self._lang, id=case_id)
        await self._store.audit(actor_id, "note", case_id, allowed=True)
        return t("staff.noted", self._lang, id=case_id)

    async def reply_to(
        self, actor_id: int, actor_name: str, replied_message_id: int, text: str
    ) -> Reply | None:
        """A reply to a case's message: a note if marked as one, else a draft to confirm.

        None when the replied message is not a case's (ordinary talk in the group).
        """
        case_id = self._outbox.case_for_message(self._group.chat_id, replied_message_id)
        if case_id is None:
            case_id = await self._store.case_for_staff_message(
                self._group.chat_id, replied_message_id
            )
        if case_id is None:
            return None
        note = note_text(text)
        if note is not None:
            await self.authorize(actor_id, "note", case_id)
            return Reply(await self._note(actor_id, actor_name, case_id, note))
        await self.authorize(actor_id, "draft", case_id)
        return await self._draft(actor_id, case_id, text)

    async def _draft(self, actor_id: int, case_id: int, text: str) -> Reply:
        """Show the author exactly what the user would get, with Send / Keep as note / Cancel."""
        try:
            case = await self._store.case(case_id)
        except CaseNotFound:
            return Reply(t("staff.no_case", self._lang, id=case_id))
        if case.status == CaseStatus.RESOLVED:
            return Reply(t("staff.already_resolved", self._lang, id=case_id))
        token = self._keep_draft(Draft(case_id, actor_id, text, time.monotonic()))
        preview = t("to_user.from_staff", case.language, text=text)
        _codeword, safety_word = await self._store.secrets(case.user_id)
        if safety_word:
            # The group may hold people who are not staff: the word itself is never shown.
            preview = f"{t('staff.safety_word_mark', self._lang)} · {preview}"
        return Reply(
            t("staff.draft", self._lang, id=case_id, preview=clip(preview, 3500)),
            buttons=(
                ReplyButton(t("staff.send", self._lang), f"{ButtonAction.SEND}:{token}"),
                ReplyButton(t("staff.keep_note", self._lang), f"{ButtonAction.KEEP}:{token}"),
                ReplyButton(t("staff.cancel", self._lang), f"{ButtonAction.DROP}:{token}"),
            ),
        )

    async def canned_picker(self, actor_id: int, case_id: int) -> Reply:
        """The canned replies as buttons, titled in the staff's language."""
        await self.authorize(actor_id, "canned", case_id)
        entries = self._canned.entries() if self._canned is not None else ()
        if not entries:
            return Reply(t("staff.canned_none", self._lang))
        return Reply(
            t("staff.canned_pick", self._lang, id=case_id),
            buttons=tuple(
                ReplyButton(e.title(self._lang), f"{ButtonAction.CANNED}:{case_id}:{e.key}")
                for e in entries
            ),
        )

    async def canned_preview(self, actor_id: int, case_id: int, key: str) -> Reply:
        """A canned reply in the staff's language, with what the person will get, to Send."""
        await self.authorize(actor_id, "canned", case_id)
        entry = self._canned.get(key) if self._canned is not None else None
        if entry is None or self._canned is None:
            return Reply(t("staff.canned_unknown", self._lang, name=key))
        try:
            case = await self._store.case(case_id)
        except CaseNotFound:
            return Reply(t("staff.no_case", self._lang, id=case_id))
        if case.status == CaseStatus.RESOLVED:
            return Reply(t("staff.already_resolved", self._lang, id=case_id))
        theirs = self._canned.text(entry, case.language)
        token = self._keep_draft(Draft(case_id, actor_id, theirs, time.monotonic()))
        ours = self._canned.text(entry, self._lang)
        shown = t(
            "staff.canned_preview",
            self._lang,
            id=case_id,
            language=t(f"staff.lang_{case.language}", self._lang),
            text=ours,
        )
        if case.language != self._lang:
            shown += "\n\n" + t("staff.canned_theirs", self._lang, text=theirs)
        return Reply(
            clip(shown, 3500),
            buttons=(
                ReplyButton(t("staff.send", self._lang), f"{ButtonAction.SEND}:{token}"),
                ReplyButton(t("staff.cancel", self._lang), f"{ButtonAction.DROP}:{token}"),
            ),
        )

    async def send_canned(
        self, actor_id: int, case_id: int, key: str, origin: str | None = None
    ) -> str:
        """``/canned N key``: send a canned reply at once, in the person's language."""
        await self.authorize(actor_id, "canned", case_id)
        entry = self._canned.get(key) if self._canned is not None else None
        if entry is None or self._canned is None:
            return t("staff.canned_unknown", self._lang, name=key)
        try:
            case = await self._store.case(case_id)
        except CaseNotFound:
            return t("staff.no_case", self._lang, id=case_id)
        answer, sent = await self._send_words(
            actor_id, case_id, self._canned.text(entry, case.language), origin
        )
        if not sent:
            return answer
        return f"{answer}\n{clip(self._canned.text(entry, self._lang), 1500)}"

    def _keep_draft(self, draft: Draft) -> str:
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
        await self.authorize(actor_id, verb, draft.case_id if draft else None)
        if draft is None and token in self._left:
            return t("staff.undo_too_late", self._lang, id=self._left[token]), True
        if draft is None or time.monotonic() - draft.made_at > DRAFT_SECONDS:
            self._drafts.pop(token, None)
            return t("staff.draft_gone", self._lang), True
        if actor_id != draft.author_id:
            return t("staff.draft_not_yours", self._lang), False
        if self._drafts.pop(token, None) is None:
            return t("staff.draft_gone", self._lang), True
        if action == ButtonAction.SEND:
            return await self._send(actor_id, draft.case_id, draft.text), True
        if action == ButtonAction.KEEP:
            return await self._note(actor_id, actor_name, draft.case_id, draft.text), True
        return t("staff.draft_dropped", self._lang, id=draft.case_id), True

    async def staff_list(self, actor_id: int) -> str:
        """Who is staff: each id of STAFF_USER_IDS, with their name and place in the group now."""
        await self.authorize(actor_id, "staff", None)
        lines = [t("staff.roster_title", self._lang)]
        for user_id, member in await self._roster.members():
            if member is None:
                lines.append(t("staff.roster_unknown", self._lang, id=user_id))
                continue
            lines.append(
                t(
                    "staff.roster_in" if member.status.active else "staff.roster_out",
                    self._lang,
                    id=user_id,
                    name=member.name,
                    status=t(f"staff.status_{member.status}", self._lang),
                )
            )
        return "\n".join(lines)

    async def set_priority(self, actor_id: int, case_id: int, priority: str) -> str:
        """Change a case's priority."""
        await self.authorize(actor_id, "priority", case_id)
        if priority not in ("high", "normal"):
            return t("staff.usage_priority", self._lang)
        try:
            case = await self._store.set_priority(case_id, priority)
        except CaseNotFound:
            return t("staff.no_case", self._lang, id=case_id)
        if self._topics is not None:
            await self._topics.rename(case)
        await self._store.audit(actor_id, "priority", case_id, allowed=True, detail=priority)
        return t(
            "staff.priority_set",
            self._lang,
            id=case_id,
            priority=t(f"staff.priority_{priority}", self._lang),
        )

    async def list_cases(self, actor_id: int) -> str:
        """Active cases by priority, then age."""
        await self.authorize(actor_id, "list", None)
        cases = await self._store.list_active()
        if not cases:
            return t("staff.no_cases", self._lang)
        lines = [t("staff.cases_title", self._lang)]
        for case in cases:
            lines.append(self._summary(case))
        return "\n".join(lines)

    async def show_case(self, actor_id: int, case_id: int) -> str:
        """One case with its transcript."""
        await self.authorize(actor_id, "show", case_id)
        try:
            case = await self._store.case(case_id)
        except CaseNotFound:
            return t("staff.no_case", self._lang, id=case_id)
        await self._store.audit(actor_id, "show", case_id, allowed=True)
        lines = [self._summary(case), f"{t('staff.reason', self._lang)}: {case.reason}", ""]
        entries = [
            (entry.at, f"{entry.author}/{entry.kind}: {clip(entry.text, 400)}")
            for entry in await self._store.transcript(case_id)
        ]
        entries += [
            (
                note.at,
                f"{t('staff.note_label', self._lang, name=note.author_name)}: {clip(note.text, 400)}",
            )
            for note in await self._store.staff_notes(case_id)
        ]
        entries.sort(key=lambda entry: entry[0])
        lines.extend(f"[{when(at)}] {line}" for at, line in entries[-SHOWN_ENTRIES:])
        return clip("\n".join(lines), 4000)

    async def relay_text(self, case: Case, text: str) -> None:
        """Pass a user's message into the staff group, marked with the case number."""
        notice = t("staff.relayed", self._lang, id=case.id, text=clip(text, 3500))
        await self._store.add_transcript(
            case.id,
            "user",
            "text",
            text,
            outgoing=[Outgoing(self._group.chat_id, OutboxKind.RELAY, notice)],
        )
        self._outbox.wake()

    async def relay_notice(self, case: Case, text: str) -> None:
        """Tell the staff group about a message already in the case's transcript."""
        notice = t("staff.relayed", self._lang, id=case.id, text=clip(text, 3500))
        await self._store.enqueue(Outgoing(self._group.chat_id, OutboxKind.RELAY, notice), case.id)
        self._outbox.wake()

    async def relay_media(
        self,
        case: Case,
        kind: str,
        from_chat: int,
        message_id: int,
        note: str = "",
        delete_source: bool = False,
    ) -> None:
        """Copy a user's photo, voice or location into the staff group after a header.

        With ``delete_source`` the user's message is deleted once the copy is accepted.
        """
        header = t("staff.relayed_media", self._lang, id=case.id, kind=kind)
        if note:
            header = f"{header}\n{note}"
        await self._store.add_transcript(
            case.id,
            "user",
            kind,
            note or f"[{kind}]",
            outgoing=[
                Outgoing(self._group.chat_id, OutboxKind.RELAY, header),
                Outgoing(
                    self._group.chat_id,
                    OutboxKind.RELAY_COPY,
                    "",
                    copy_from_chat=from_chat,
                    copy_message_id=message_id,
                    delete_source=delete_source,
                ),
            ],
        )
        self._outbox.wake()

    def _summary(self, case: Case) -> str:
        age = int(
            (datetime.now(UTC) - datetime.fromisoformat(case.created_at)).total_seconds() // 60
        )
        who = (
            t("staff.claimed_by", self._lang, name=case.claimed_by)
            if case.claimed_by
            else t("staff.unclaimed", self._lang)
        )
        icon = "🔴" if case.priority == Priority.HIGH else "🟡"
        discreet = " 🤫" if case.kind == CaseKind.DISCREET else ""
        return (
            f"#{case.id} {icon} {t(f'staff.priority_{case.priority}', self._lang)}{discreet} · "
            f"{case.status} · {t(f'staff.lang_{case.language}', self._lang)} · {who} · "
            f"{t('staff.minutes_ago', self._lang, minutes=age)}"
        )
