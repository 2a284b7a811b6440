"""What an alert says: the title, the lines under it, and its buttons.

The intake renders the first alert of a case with these, the ladder and the alarms the ones
after it; an alert the store could not record says the same lines.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from bot.core.languages import WrittenLanguage
from bot.core.replies import ReplyButton, clip
from bot.core.texts import t
from bot.desk.staffinput import ButtonAction
from bot.store import Case, CaseKind, CaseTag, OutboxKind, Outgoing

__all__ = [
    "ALERT_TEXT_LIMIT",
    "alert_body",
    "alert_buttons",
    "case_buttons",
    "render_alert",
    "tag_buttons",
    "when",
    "written_in_line",
]

KST = timezone(timedelta(hours=9))
ALERT_TEXT_LIMIT = 1500
CONTEXT_MESSAGES = 3


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
    lines.append(f"\n{t('staff.message', lang)}:\n{clip(message, ALERT_TEXT_LIMIT)}")
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
