"""The staff side: alerts into the staff group, and what caseworkers can do from there.

Every staff action is checked (the actor must be in the staff group, and in STAFF_USER_IDS
when that is set) and written to the audit log, refused attempts included. Users never see
which caseworker wrote to them.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta, timezone

from bot.core.errors import CaseNotFound, NotAuthorized, StoreError
from bot.core.texts import t
from bot.outbox import Outbox, Outcome, reason
from bot.replies import ReplyButton
from bot.store import Case, CaseKind, CaseStatus, CaseStore, OutboxKind, Outgoing, Priority

log = logging.getLogger(__name__)

KST = timezone(timedelta(hours=9))
REPLY_WAIT = 5.0
"""Seconds /reply waits for Telegram to accept the message before answering "queued"."""
ALERT_TEXT_LIMIT = 1500
CONTEXT_MESSAGES = 3

IsMember = Callable[[int], Awaitable[bool]]


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


def render_alert(
    case: Case, message: str, earlier: list[str], staff_chat: int, lang: str
) -> Outgoing:
    """The first alert about a case: everything a caseworker needs to act on it."""
    lines = [
        t("staff.new", lang, id=case.id),
        " · ".join(
            (
                t(f"staff.priority_{case.priority}", lang),
                t(f"staff.lang_{case.language}", lang),
                when(case.created_at),
            )
        ),
    ]
    if case.kind == CaseKind.DISCREET:
        lines.append(t("staff.discreet", lang))
    lines.append(f"{t('staff.reason', lang)}: {case.reason}")
    lines.append(f"\n{t('staff.message', lang)}:\n{clip(message)}")
    context = [m for m in earlier if m != message][-CONTEXT_MESSAGES:]
    if context:
        lines.append(f"\n{t('staff.earlier', lang)}:")
        lines.extend(f"• {clip(m, 300)}" for m in context)
    lines.append(f"\n{t('staff.reply_hint', lang, id=case.id)}")
    return Outgoing(
        chat_id=staff_chat,
        kind=OutboxKind.ALERT,
        text="\n".join(lines),
        buttons=case_buttons(case.id, lang),
        dedupe_key=f"alert:{case.id}",
    )


class StaffDesk:
    """Staff actions on cases; each returns the text to show in the staff group."""

    def __init__(
        self,
        store: CaseStore,
        outbox: Outbox,
        staff_chat: int,
        lang: str,
        is_staff: IsMember,
        reply_wait: float = REPLY_WAIT,
    ) -> None:
        """Act on ``store``, deliver through ``outbox``; ``is_staff`` checks an actor."""
        self._store = store
        self._outbox = outbox
        self._chat = staff_chat
        self._lang = lang
        self._is_staff = is_staff
        self._reply_wait = reply_wait

    @property
    def chat_id(self) -> int:
        """The staff group's chat id."""
        return self._chat

    def move_to(self, chat_id: int) -> None:
        """The staff group became a supergroup with a new id: work there from now on."""
        self._chat = chat_id

    async def authorize(self, actor_id: int, action: str, case_id: int | None) -> None:
        """Raise NotAuthorized (and audit the attempt) unless the actor is staff."""
        if not await self._is_staff(actor_id):
            await self._store.audit(actor_id, action, case_id, allowed=False)
            log.warning("refused %s on case %s by user %s", action, case_id, actor_id)
            raise NotAuthorized(t("staff.not_staff", self._lang))

    async def claim(self, actor_id: int, actor_name: str, case_id: int) -> str:
        """Take a case: the user is told a person picked it up."""
        await self.authorize(actor_id, "claim", case_id)
        try:
            case = await self._store.claim(case_id, actor_id)
        except CaseNotFound:
            return t("staff.no_case", self._lang, id=case_id)
        except StoreError:
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
        await self._store.enqueue(Outgoing(self._chat, OutboxKind.STAFF_NOTICE, notice), case_id)
        self._outbox.wake()
        return notice

    async def resolve(self, actor_id: int, actor_name: str, case_id: int) -> str:
        """Close a case and hand the user back to the bot."""
        await self.authorize(actor_id, "resolve", case_id)
        try:
            case = await self._store.resolve(case_id, actor_id)
        except CaseNotFound:
            return t("staff.no_case", self._lang, id=case_id)
        except StoreError:
            return t("staff.already_resolved", self._lang, id=case_id)
        await self._store.audit(actor_id, "resolve", case_id, allowed=True)
        await self._store.enqueue(
            Outgoing(case.chat_id, OutboxKind.TO_USER, t("to_user.resolved", case.language)),
            case_id,
        )
        notice = t("staff.resolved", self._lang, id=case_id, name=actor_name)
        await self._store.enqueue(Outgoing(self._chat, OutboxKind.STAFF_NOTICE, notice), case_id)
        self._outbox.wake()
        return notice

    async def reply(self, actor_id: int, case_id: int, text: str) -> str:
        """Send a caseworker's words to the user, without saying who wrote them."""
        await self.authorize(actor_id, "reply", case_id)
        try:
            case = await self._store.case(case_id)
        except CaseNotFound:
            return t("staff.no_case", self._lang, id=case_id)
        if case.status == CaseStatus.RESOLVED:
            return t("staff.already_resolved", self._lang, id=case_id)
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
            outgoing=[Outgoing(case.chat_id, OutboxKind.TO_USER, message, buttons=buttons)],
        )
        await self._store.audit(actor_id, "reply", case_id, allowed=True)
        self._outbox.wake()
        # "Sent" only once Telegram has it; a later arrival or failure is told to the group.
        delivery = await self._outbox.wait(ids, self._reply_wait, case_id)
        if delivery.outcome == Outcome.SENT:
            return t("staff.sent", self._lang, id=case_id)
        why = reason(delivery.error, self._lang)
        if delivery.outcome == Outcome.DEAD:
            return t("staff.reply_failed", self._lang, id=case_id, reason=why)
        return t("staff.reply_queued", self._lang, id=case_id, reason=why)

    async def reply_to(self, actor_id: int, replied_message_id: int, text: str) -> str | None:
        """Reply through a message of the case; None when that message is not a case's."""
        case_id = self._outbox.case_for_message(self._chat, replied_message_id)
        if case_id is None:
            case_id = await self._store.case_for_staff_message(self._chat, replied_message_id)
        if case_id is None:
            return None
        return await self.reply(actor_id, case_id, text)

    async def set_priority(self, actor_id: int, case_id: int, priority: str) -> str:
        """Change a case's priority."""
        await self.authorize(actor_id, "priority", case_id)
        if priority not in ("high", "normal"):
            return t("staff.usage_priority", self._lang)
        try:
            await self._store.set_priority(case_id, priority)
        except CaseNotFound:
            return t("staff.no_case", self._lang, id=case_id)
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
        for entry in (await self._store.transcript(case_id))[-20:]:
            lines.append(f"[{when(entry.at)}] {entry.author}/{entry.kind}: {clip(entry.text, 400)}")
        return clip("\n".join(lines), 4000)

    async def relay_text(self, case: Case, text: str) -> None:
        """Pass a user's message into the staff group, marked with the case number."""
        notice = t("staff.relayed", self._lang, id=case.id, text=clip(text, 3500))
        await self._store.add_transcript(
            case.id, "user", "text", text, outgoing=[Outgoing(self._chat, OutboxKind.RELAY, notice)]
        )
        self._outbox.wake()

    async def relay_notice(self, case: Case, text: str) -> None:
        """Tell the staff group about a message already in the case's transcript."""
        notice = t("staff.relayed", self._lang, id=case.id, text=clip(text, 3500))
        await self._store.enqueue(Outgoing(self._chat, OutboxKind.RELAY, notice), case.id)
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
                Outgoing(self._chat, OutboxKind.RELAY, header),
                Outgoing(
                    self._chat,
                    OutboxKind.RELAY_COPY,
                    "",
                    copy_from_chat=from_chat,
                    copy_message_id=message_id,
                    delete_source=delete_source,
                ),
            ],
        )
        self._outbox.wake()

    async def realert_due(self, interval: timedelta) -> int:
        """Remind the group of cases nobody claimed within ``interval``."""
        count = 0
        for case in await self._store.due_for_realert(interval):
            minutes = int(
                (datetime.now(UTC) - datetime.fromisoformat(case.created_at)).total_seconds() // 60
            )
            text = t("staff.realert", self._lang, id=case.id, minutes=minutes)
            await self._store.realert(
                case.id,
                Outgoing(
                    self._chat, OutboxKind.REALERT, text, buttons=case_buttons(case.id, self._lang)
                ),
            )
            count += 1
        if count:
            self._outbox.wake()
        return count

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
