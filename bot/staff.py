"""The staff side: alerts into the staff group, and what caseworkers can do from there.

Every staff action is checked (the actor must be in the staff group, and in STAFF_USER_IDS
when that is set) and written to the audit log, refused attempts included. Users never see
which caseworker wrote to them.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta, timezone

from bot import discreet
from bot.core.errors import CaseNotFound, NotAuthorized, StoreError
from bot.outbox import Outbox
from bot.store import Case, CaseKind, CaseStatus, CaseStore, OutboxKind, Outgoing, Priority

log = logging.getLogger(__name__)

KST = timezone(timedelta(hours=9))
ALERT_TEXT_LIMIT = 1500
CONTEXT_MESSAGES = 3

IsMember = Callable[[int], Awaitable[bool]]

STAFF_TEXTS: dict[str, dict[str, str]] = {
    "new": {"ko": "🚨 새 상담 #{id}", "en": "🚨 New case #{id}"},
    "realert": {
        "ko": "⏰ 아직 담당자 없음: 상담 #{id} ({minutes}분 경과)",
        "en": "⏰ Still unclaimed: case #{id} ({minutes} min)",
    },
    "priority_high": {"ko": "우선순위 높음", "en": "high priority"},
    "priority_normal": {"ko": "우선순위 보통", "en": "normal priority"},
    "lang_ko": {"ko": "한국어", "en": "Korean"},
    "lang_en": {"ko": "영어", "en": "English"},
    "discreet": {
        "ko": "🤫 비밀 신호: 감시 중일 수 있음. 먼저 연락하지 말고 답장만 하세요.",
        "en": "🤫 Discreet: the phone may be watched. Reply only; do not reach out first.",
    },
    "message": {"ko": "메시지", "en": "Message"},
    "earlier": {"ko": "이전 메시지", "en": "Earlier messages"},
    "reason": {"ko": "판단 근거", "en": "Triage"},
    "claim": {"ko": "담당하기", "en": "Claim"},
    "resolve": {"ko": "종료", "en": "Resolve"},
    "claimed": {"ko": "✅ 상담 #{id} 담당: {name}", "en": "✅ Case #{id} claimed by {name}"},
    "resolved": {"ko": "☑️ 상담 #{id} 종료: {name}", "en": "☑️ Case #{id} resolved by {name}"},
    "relayed": {"ko": "📨 #{id} 사용자: {text}", "en": "📨 #{id} user: {text}"},
    "relayed_media": {
        "ko": "📎 #{id} 사용자가 {kind}을(를) 보냈어요",
        "en": "📎 #{id} the user sent a {kind}",
    },
    "sent": {"ko": "➡️ 상담 #{id}에 전달했어요.", "en": "➡️ Sent to case #{id}."},
    "not_staff": {
        "ko": "상담원만 할 수 있어요.",
        "en": "Only staff can do that.",
    },
    "no_case": {"ko": "상담 #{id}이(가) 없어요.", "en": "There is no case #{id}."},
    "already_resolved": {
        "ko": "상담 #{id}은(는) 이미 종료됐어요.",
        "en": "Case #{id} is already resolved.",
    },
    "no_cases": {"ko": "진행 중인 상담이 없어요.", "en": "No open cases."},
    "cases_title": {"ko": "진행 중인 상담", "en": "Open cases"},
    "usage_reply": {"ko": "사용법: /reply 번호 내용", "en": "Usage: /reply N text"},
    "usage_case": {"ko": "사용법: /{command} 번호", "en": "Usage: /{command} N"},
    "usage_priority": {
        "ko": "사용법: /priority 번호 high|normal",
        "en": "Usage: /priority N high|normal",
    },
    "priority_set": {
        "ko": "상담 #{id} 우선순위: {priority}",
        "en": "Case #{id} priority: {priority}",
    },
    "unclaimed": {"ko": "미배정", "en": "unclaimed"},
    "claimed_by": {"ko": "담당 {name}", "en": "claimed by {name}"},
    "minutes_ago": {"ko": "{minutes}분 전", "en": "{minutes} min ago"},
    "reply_hint": {
        "ko": "이 메시지에 답장하거나 /reply {id} 내용 으로 사용자에게 보낼 수 있어요.",
        "en": "Reply to this message, or use /reply {id} text, to write to the user.",
    },
}

USER_TEXTS: dict[str, dict[str, str]] = {
    "from_staff": {"ko": "💬 Haven 상담원: {text}", "en": "💬 Haven team: {text}"},
    "resolved": {
        "ko": "상담이 끝났어요. 다시 도움이 필요하면 언제든 메시지를 보내 주세요.",
        "en": "Your case is closed. If you need help again, message me any time.",
    },
    "claimed": {
        "ko": "상담원이 확인했어요. 곧 답장이 올 거예요.",
        "en": "A person from our team has picked up your case. They will reply soon.",
    },
}


def st(key: str, lang: str, **values: object) -> str:
    """Staff-facing text in the staff language."""
    return STAFF_TEXTS[key].get(lang, STAFF_TEXTS[key]["en"]).format(**values)


def ut(key: str, lang: str, **values: object) -> str:
    """User-facing text sent on staff's behalf."""
    return USER_TEXTS[key].get(lang, USER_TEXTS[key]["en"]).format(**values)


def clip(text: str, limit: int = ALERT_TEXT_LIMIT) -> str:
    """Shorten text for a staff message, saying that it was cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def when(stamp: str) -> str:
    """Show a store timestamp in UTC and Korean time."""
    moment = datetime.fromisoformat(stamp)
    return f"{moment.astimezone(UTC):%Y-%m-%d %H:%M} UTC ({moment.astimezone(KST):%H:%M} KST)"


def case_buttons(case_id: int, lang: str) -> dict[str, object]:
    """Inline Claim / Resolve buttons for a case, as Bot API JSON."""
    return {
        "inline_keyboard": [
            [
                {"text": st("claim", lang), "callback_data": f"claim:{case_id}"},
                {"text": st("resolve", lang), "callback_data": f"resolve:{case_id}"},
            ]
        ]
    }


def render_alert(
    case: Case, message: str, earlier: list[str], staff_chat: int, lang: str
) -> Outgoing:
    """The first alert about a case: everything a caseworker needs to act on it."""
    lines = [
        st("new", lang, id=case.id),
        " · ".join(
            (
                st(f"priority_{case.priority}", lang),
                st(f"lang_{case.language}", lang),
                when(case.created_at),
            )
        ),
    ]
    if case.kind == CaseKind.DISCREET:
        lines.append(st("discreet", lang))
    lines.append(f"{st('reason', lang)}: {case.reason}")
    lines.append(f"\n{st('message', lang)}:\n{clip(message)}")
    context = [m for m in earlier if m != message][-CONTEXT_MESSAGES:]
    if context:
        lines.append(f"\n{st('earlier', lang)}:")
        lines.extend(f"• {clip(m, 300)}" for m in context)
    lines.append(f"\n{st('reply_hint', lang, id=case.id)}")
    return Outgoing(
        chat_id=staff_chat,
        kind=OutboxKind.ALERT,
        text="\n".join(lines),
        markup=case_buttons(case.id, lang),
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
    ) -> None:
        """Act on ``store``, deliver through ``outbox``; ``is_staff`` checks an actor."""
        self._store = store
        self._outbox = outbox
        self._chat = staff_chat
        self._lang = lang
        self._is_staff = is_staff

    @property
    def chat_id(self) -> int:
        """The staff group's chat id."""
        return self._chat

    async def authorize(self, actor_id: int, action: str, case_id: int | None) -> None:
        """Raise NotAuthorized (and audit the attempt) unless the actor is staff."""
        if not await self._is_staff(actor_id):
            await self._store.audit(actor_id, action, case_id, allowed=False)
            log.warning("refused %s on case %s by user %s", action, case_id, actor_id)
            raise NotAuthorized(st("not_staff", self._lang))

    async def claim(self, actor_id: int, actor_name: str, case_id: int) -> str:
        """Take a case: the user is told a person picked it up."""
        await self.authorize(actor_id, "claim", case_id)
        try:
            case = await self._store.claim(case_id, actor_id)
        except CaseNotFound:
            return st("no_case", self._lang, id=case_id)
        except StoreError:
            return st("already_resolved", self._lang, id=case_id)
        await self._store.audit(actor_id, "claim", case_id, allowed=True)
        if case.kind == CaseKind.DISCREET:
            # Staff have seen it: nothing of it may stay on the watched phone.
            await self._store.schedule_deletion(case.chat_id, 0)
        else:
            await self._store.enqueue(
                Outgoing(case.chat_id, OutboxKind.TO_USER, ut("claimed", case.language)),
                case_id,
            )
        notice = st("claimed", self._lang, id=case_id, name=actor_name)
        await self._store.enqueue(Outgoing(self._chat, OutboxKind.STAFF_NOTICE, notice), case_id)
        self._outbox.wake()
        return notice

    async def resolve(self, actor_id: int, actor_name: str, case_id: int) -> str:
        """Close a case and hand the user back to the bot."""
        await self.authorize(actor_id, "resolve", case_id)
        try:
            case = await self._store.resolve(case_id, actor_id)
        except CaseNotFound:
            return st("no_case", self._lang, id=case_id)
        except StoreError:
            return st("already_resolved", self._lang, id=case_id)
        await self._store.audit(actor_id, "resolve", case_id, allowed=True)
        await self._store.enqueue(
            Outgoing(case.chat_id, OutboxKind.TO_USER, ut("resolved", case.language)), case_id
        )
        notice = st("resolved", self._lang, id=case_id, name=actor_name)
        await self._store.enqueue(Outgoing(self._chat, OutboxKind.STAFF_NOTICE, notice), case_id)
        self._outbox.wake()
        return notice

    async def reply(self, actor_id: int, case_id: int, text: str) -> str:
        """Send a caseworker's words to the user, without saying who wrote them."""
        await self.authorize(actor_id, "reply", case_id)
        try:
            case = await self._store.case(case_id)
        except CaseNotFound:
            return st("no_case", self._lang, id=case_id)
        if case.status == CaseStatus.RESOLVED:
            return st("already_resolved", self._lang, id=case_id)
        message = ut("from_staff", case.language, text=text)
        _codeword, safety_word = await self._store.secrets(case.user_id)
        if safety_word:
            message = f"{safety_word} · {message}"
        markup = None
        if case.kind == CaseKind.DISCREET:
            read = discreet.text("read_button", case.language)
            markup = {"inline_keyboard": [[{"text": read, "callback_data": "del"}]]}
        await self._store.add_transcript(
            case_id,
            "staff",
            "text",
            text,
            outgoing=[Outgoing(case.chat_id, OutboxKind.TO_USER, message, markup=markup)],
        )
        await self._store.audit(actor_id, "reply", case_id, allowed=True)
        self._outbox.wake()
        return st("sent", self._lang, id=case_id)

    async def reply_to(self, actor_id: int, replied_message_id: int, text: str) -> str | None:
        """Reply through a message of the case; None when that message is not a case's."""
        case_id = await self._store.case_for_staff_message(self._chat, replied_message_id)
        if case_id is None:
            return None
        return await self.reply(actor_id, case_id, text)

    async def set_priority(self, actor_id: int, case_id: int, priority: str) -> str:
        """Change a case's priority."""
        await self.authorize(actor_id, "priority", case_id)
        if priority not in ("high", "normal"):
            return st("usage_priority", self._lang)
        try:
            await self._store.set_priority(case_id, priority)
        except CaseNotFound:
            return st("no_case", self._lang, id=case_id)
        await self._store.audit(actor_id, "priority", case_id, allowed=True, detail=priority)
        return st(
            "priority_set", self._lang, id=case_id, priority=st(f"priority_{priority}", self._lang)
        )

    async def list_cases(self, actor_id: int) -> str:
        """Active cases by priority, then age."""
        await self.authorize(actor_id, "list", None)
        cases = await self._store.list_active()
        if not cases:
            return st("no_cases", self._lang)
        lines = [st("cases_title", self._lang)]
        for case in cases:
            lines.append(self._summary(case))
        return "\n".join(lines)

    async def show_case(self, actor_id: int, case_id: int) -> str:
        """One case with its transcript."""
        await self.authorize(actor_id, "show", case_id)
        try:
            case = await self._store.case(case_id)
        except CaseNotFound:
            return st("no_case", self._lang, id=case_id)
        await self._store.audit(actor_id, "show", case_id, allowed=True)
        lines = [self._summary(case), f"{st('reason', self._lang)}: {case.reason}", ""]
        for entry in (await self._store.transcript(case_id))[-20:]:
            lines.append(f"[{when(entry.at)}] {entry.author}/{entry.kind}: {clip(entry.text, 400)}")
        return clip("\n".join(lines), 4000)

    async def relay_text(self, case: Case, text: str) -> None:
        """Pass a user's message into the staff group, marked with the case number."""
        notice = st("relayed", self._lang, id=case.id, text=clip(text, 3500))
        await self._store.add_transcript(
            case.id, "user", "text", text, outgoing=[Outgoing(self._chat, OutboxKind.RELAY, notice)]
        )
        self._outbox.wake()

    async def relay_notice(self, case: Case, text: str) -> None:
        """Tell the staff group about a message already in the case's transcript."""
        notice = st("relayed", self._lang, id=case.id, text=clip(text, 3500))
        await self._store.enqueue(Outgoing(self._chat, OutboxKind.RELAY, notice), case.id)
        self._outbox.wake()

    async def relay_media(
        self, case: Case, kind: str, from_chat: int, message_id: int, note: str = ""
    ) -> None:
        """Copy a user's photo, voice or location into the staff group after a header."""
        header = st("relayed_media", self._lang, id=case.id, kind=kind)
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
            text = st("realert", self._lang, id=case.id, minutes=minutes)
            await self._store.realert(
                case.id,
                Outgoing(
                    self._chat, OutboxKind.REALERT, text, markup=case_buttons(case.id, self._lang)
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
            st("claimed_by", self._lang, name=case.claimed_by)
            if case.claimed_by
            else st("unclaimed", self._lang)
        )
        icon = "🔴" if case.priority == Priority.HIGH else "🟡"
        discreet = " 🤫" if case.kind == CaseKind.DISCREET else ""
        return (
            f"#{case.id} {icon} {st(f'priority_{case.priority}', self._lang)}{discreet} · "
            f"{case.status} · {st(f'lang_{case.language}', self._lang)} · {who} · "
            f"{st('minutes_ago', self._lang, minutes=age)}"
        )
