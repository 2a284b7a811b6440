"""The staff group's handlers: commands, words in a case's topic, replies to case messages.

Every desk action is checked by the desk itself (bot/desk/access.py); ``refusals`` turns its
three refusals into what the group is shown, in one place: a stranger learns nothing, a
membership Telegram could not confirm is said, and a failing store is said so the caseworker
knows nothing was done and tries again.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Concatenate, ParamSpec

from telegram import Message, Update, User
from telegram.constants import ChatMemberStatus

from bot.core.errors import MembershipUnknown, NotAuthorized, StoreUnavailable
from bot.core.replies import Reply
from bot.core.texts import t
from bot.delivery.routing import staff_words_key
from bot.desk.staff import StaffDesk
from bot.desk.staffinput import CommandLine, StaffCommand, in_topic, parse_command
from bot.store import CaseTag, CopyKind, Party
from bot.telegram.context import HavenContext, message_of
from bot.telegram.render import reply_markup
from bot.telegram.sending import retrying

__all__ = [
    "on_bot_member",
    "on_member_left",
    "on_staff_command",
    "on_staff_media",
    "on_staff_member",
    "on_staff_migrated",
    "on_staff_reply",
    "on_staff_text",
    "refusals",
    "topic_case",
]

log = logging.getLogger(__name__)

P = ParamSpec("P")
DeskAction = Callable[Concatenate[HavenContext, P], Awaitable[Reply | None]]

CASE_WORDS = (
    StaffCommand.CASE,
    StaffCommand.REPLY,
    StaffCommand.NOTE,
    StaffCommand.CANNED,
    StaffCommand.CONSENT,
)
"""Staff commands whose message and answer are part of a case (erased with it)."""

USAGE: dict[str, str] = {
    StaffCommand.REPLY: "staff.usage_reply",
    StaffCommand.NOTE: "staff.usage_note",
    StaffCommand.PRIORITY: "staff.usage_priority",
    StaffCommand.TRANSFER: "staff.usage_transfer",
    StaffCommand.CANNED: "staff.usage_canned",
    StaffCommand.RESOLVE: "staff.usage_resolve",
    StaffCommand.STATS: "staff.usage_stats",
    StaffCommand.CONSENT: "staff.usage_consent",
}
ADMIN_STATUSES = (ChatMemberStatus.OWNER, ChatMemberStatus.ADMINISTRATOR)
NOTHING = Reply("")
"""A staff action that went through with nothing to show (None is a stranger refused)."""


@dataclass(frozen=True)
class Refusal(Reply):
    """What a refused or failed desk action shows; ``stranger``: the actor is not staff."""

    stranger: bool = False


def refusals(*, tell_strangers: bool) -> Callable[[DeskAction[P]], DeskAction[P]]:
    """What a refused or failed desk action shows: the one place that handles the three.

    A refusal is returned as a toast (a button shows it as an alert). Strangers are refused
    and audited by the desk; they are told so only where ``tell_strangers`` (and a command's
    answer rations it: the group's budget is for cases).
    """

    def wrap(action: DeskAction[P]) -> DeskAction[P]:
        @functools.wraps(action)
        async def guarded(context: HavenContext, *args: P.args, **kwargs: P.kwargs) -> Reply | None:
            try:
                return await action(context, *args, **kwargs)
            except MembershipUnknown as exc:  # Telegram could not say: nothing was done
                return Refusal(str(exc), toast=True)
            except NotAuthorized as exc:
                return Refusal(str(exc), toast=True, stranger=True) if tell_strangers else None
            except StoreUnavailable as exc:  # nothing was done: the caseworker must retry
                reason = str(exc)
                failing = t("staff.store_failing", context.desk_language, reason=reason)
                return Refusal(failing, toast=True)

        return guarded

    return wrap


CaseCommand = Callable[[StaffDesk, User, int, str, str], Awaitable[str | Reply]]


def _canned(
    desk: StaffDesk, user: User, case_id: int, text: str, origin: str
) -> Awaitable[str | Reply]:
    if not text:
        return desk.drafts.canned_picker(user.id, case_id)
    return desk.drafts.send_canned(user.id, case_id, text, origin)


def _consent(
    desk: StaffDesk, user: User, case_id: int, text: str, origin: str
) -> Awaitable[str | Reply]:
    party, _, without = text.partition(" ")
    return desk.consents.ask(user.id, case_id, Party(party), bool(without))


CASE_COMMANDS: dict[StaffCommand, CaseCommand] = {
    StaffCommand.CASE: lambda desk, user, case_id, text, origin: desk.views.show_case(
        user.id, case_id
    ),
    StaffCommand.CLAIM: lambda desk, user, case_id, text, origin: desk.cases.claim(
        user.id, user.full_name, case_id
    ),
    StaffCommand.UNCLAIM: lambda desk, user, case_id, text, origin: desk.cases.unclaim(
        user.id, user.full_name, case_id
    ),
    StaffCommand.TRANSFER: lambda desk, user, case_id, text, origin: desk.cases.transfer(
        user.id, user.full_name, case_id, int(text)
    ),
    StaffCommand.RESOLVE: lambda desk, user, case_id, text, origin: desk.cases.resolve(
        user.id, user.full_name, case_id, CaseTag(text) if text else None
    ),
    StaffCommand.PRIORITY: lambda desk, user, case_id, text, origin: desk.cases.set_priority(
        user.id, case_id, text
    ),
    StaffCommand.NOTE: lambda desk, user, case_id, text, origin: desk.words.note(
        user.id, user.full_name, case_id, text
    ),
    StaffCommand.CANNED: _canned,
    StaffCommand.CONSENT: _consent,
    StaffCommand.REPLY: lambda desk, user, case_id, text, origin: desk.words.reply(
        user.id, case_id, text, origin
    ),
}
"""The commands about one case, each as the desk call it makes (the parser checked the
arguments: a number, a tag, a priority)."""


def usage(name: str, lang: str) -> str:
    """How a staff command is written."""
    key = USAGE.get(name, "staff.usage_case")
    if key == "staff.usage_case":
        return t(key, lang, command=name)
    if key == "staff.usage_resolve":
        return t(key, lang, tags=", ".join(CaseTag))
    return t(key, lang)


async def topic_case(desk: StaffDesk, message: Message) -> int | None:
    """The case whose topic a staff-group message was written in, if any."""
    if not message.is_topic_message or message.message_thread_id is None:
        return None
    return await desk.access.case_for_thread(message.message_thread_id)


async def on_staff_command(update: Update, context: HavenContext) -> None:
    """Run /cases, /case N, /claim N, /resolve N, /reply N text, /note N text, /priority, /staff."""
    message = message_of(update)
    user = update.effective_user
    if user is None:
        return
    words = (message.text or "/").split(maxsplit=1)
    name = words[0].lstrip("/").split("@")[0].lower()
    rest = words[1] if len(words) > 1 else ""
    case_in_topic = await topic_case(context.haven.desk, message)
    if case_in_topic is not None:
        rest = in_topic(name, rest, case_in_topic)
    parsed = parse_command(name, rest)
    origin = staff_words_key(message.chat_id, message.message_id, case_in_topic is not None)
    shown = await _run_command(context, message, user, name, parsed, origin)
    if shown is None:
        return
    # A stranger is refused and audited; the group's budget is for cases: one notice an hour.
    stranger = isinstance(shown, Refusal) and shown.stranger
    if stranger and not context.haven.desk.access.tell_refused(user.id):
        return
    answer = await retrying(
        lambda: message.reply_text(shown.text, reply_markup=reply_markup(shown))
    )
    if parsed is not None and parsed.case_id is not None and parsed.command in CASE_WORDS:
        # A transcript shown, words for the user, a note: erasing the case removes them too.
        await context.haven.store.link_messages(
            parsed.case_id,
            message.chat_id,
            [(message.message_id, CopyKind.MEMBER), (answer.message_id, CopyKind.TEXT)],
        )


@refusals(tell_strangers=True)
async def _run_command(
    context: HavenContext,
    message: Message,
    user: User,
    name: str,
    parsed: CommandLine | None,
    origin: str,
) -> Reply | None:
    """What a staff command shows (None: it posted its own answer, as /stats does)."""
    haven = context.haven
    desk = haven.desk
    if parsed is None:
        # Strangers learn nothing, not even the usage: they are refused (and audited).
        await desk.access.authorize(user.id, name, None)
        return Reply(usage(name, context.desk_language))
    if parsed.command == StaffCommand.CASES:
        return Reply(await desk.views.list_cases(user.id))
    if parsed.command == StaffCommand.STAFF:
        return Reply(await desk.views.staff_list(user.id))
    if parsed.command == StaffCommand.HEALTH:
        return Reply(await haven.health.report(user.id))
    if parsed.command == StaffCommand.STATS:
        await _stats(message, user, context, parsed.text == "week")
        return None
    if parsed.case_id is None:
        raise ValueError(f"/{parsed.command} needs a case number")
    shown = await CASE_COMMANDS[parsed.command](desk, user, parsed.case_id, parsed.text, origin)
    return shown if isinstance(shown, Reply) else Reply(shown)


async def _stats(message: Message, user: User, context: HavenContext, week: bool) -> None:
    """/stats: the numbers of the last day and week; /stats week adds the chart."""
    haven = context.haven
    await haven.desk.access.authorize(user.id, "stats", None)
    await message.reply_text(await haven.stats.summary())
    if week:
        png = await haven.stats.week_chart()
        await message.reply_photo(png, caption=t("staff.chart_caption", context.desk_language))


async def on_staff_text(update: Update, context: HavenContext) -> None:
    """Text in the staff group: in a case's topic it is for the person; a reply is a draft.

    In a topic the topic is the case: the words go to the person at once (notes, marked with
    ! or 📝, stay internal), and a ✓ follows once Telegram delivered them. A stranger is
    refused and audited, and not answered. Elsewhere, a reply to a case message is a draft.
    """
    message = message_of(update)
    user = update.effective_user
    if user is None or not message.text:
        return
    haven = context.haven
    case_id = await topic_case(haven.desk, message)
    if case_id is None or message.message_thread_id is None:
        if message.reply_to_message is not None:
            await on_staff_reply(update, context)
        return
    answer = await _topic_words(context, message, user, message.message_thread_id, message.text)
    if answer is None:  # a stranger: refused and audited, not answered
        return
    linked = [(message.message_id, CopyKind.MEMBER)]
    if answer is not NOTHING:
        said = answer
        shown = await retrying(
            lambda: message.reply_text(said.text, reply_markup=reply_markup(said))
        )
        linked.append((shown.message_id, CopyKind.TEXT))
    # The staff member's words and any answer: erasing the case removes them too.
    await haven.store.link_messages(case_id, message.chat_id, linked)


@refusals(tell_strangers=False)
async def _topic_words(
    context: HavenContext, message: Message, user: User, thread_id: int, text: str
) -> Reply | None:
    """A caseworker's words in a case's topic: to the person (NOTHING to show: the ✓ follows
    once delivered), or a note."""
    origin = staff_words_key(message.chat_id, message.message_id)
    answer = await context.haven.desk.drafts.topic_message(
        user.id, user.full_name, thread_id, text, origin
    )
    return NOTHING if answer is None else answer


async def on_staff_media(update: Update, context: HavenContext) -> None:
    """A photo or file posted in a case's topic: only text goes to the person; staff are told.

    Strangers are not answered (and nothing reaches the person either way).
    """
    message = message_of(update)
    user = update.effective_user
    case_id = await topic_case(context.haven.desk, message)
    if user is None or case_id is None:
        return
    answer = await _text_only(context, user, case_id)
    if answer is None:
        return
    shown = await message.reply_text(answer.text)
    if answer.toast:
        return
    await context.haven.store.link_messages(
        case_id,
        message.chat_id,
        [(message.message_id, CopyKind.MEMBER), (shown.message_id, CopyKind.TEXT)],
    )


@refusals(tell_strangers=False)
async def _text_only(context: HavenContext, user: User, case_id: int) -> Reply | None:
    """Staff posting a file in a topic are told only text goes out."""
    await context.haven.desk.access.authorize(user.id, "reply", case_id)
    return Reply(t("staff.topic_text_only", context.desk_language))


async def on_staff_reply(update: Update, context: HavenContext) -> None:
    """A reply to a case message: a draft to confirm, or a note; nothing goes out unasked.

    A reply from someone who is not staff is refused and audited, and not answered: the
    group is not told about it, and nothing reaches the user.
    """
    message = message_of(update)
    user = update.effective_user
    replied = message.reply_to_message
    if user is None or replied is None or not message.text:
        return
    answer = await _reply_to(context, user, replied.message_id, message.text)
    if answer is None:
        return
    store = context.haven.store
    shown = await retrying(
        lambda: message.reply_text(answer.text, reply_markup=reply_markup(answer))
    )
    case_id = await store.case_for_staff_message(message.chat_id, replied.message_id)
    if case_id is not None:
        # The staff member's words and the draft shown: erasing the case removes them too.
        await store.link_messages(
            case_id,
            message.chat_id,
            [(message.message_id, CopyKind.MEMBER), (shown.message_id, CopyKind.TEXT)],
        )


@refusals(tell_strangers=False)
async def _reply_to(context: HavenContext, user: User, replied_id: int, text: str) -> Reply | None:
    """A draft of the words for the person, or the note kept (None: not a case's message)."""
    return await context.haven.desk.drafts.reply_to(user.id, user.full_name, replied_id, text)


async def on_staff_member(update: Update, context: HavenContext) -> None:
    """Someone joined, left, was removed or restricted in the staff group: ask again next time."""
    change = update.chat_member
    if change is not None:
        context.haven.roster.changed(change.new_chat_member.user.id)


async def on_member_left(update: Update, context: HavenContext) -> None:
    """The "… left the group" message: the one sign of leaving a bot gets without being admin."""
    message = update.effective_message
    if message is not None and message.left_chat_member is not None:
        context.haven.roster.changed(message.left_chat_member.id)


async def on_bot_member(update: Update, context: HavenContext) -> None:
    """The bot was made, or stopped being, an administrator of the staff group."""
    change = update.my_chat_member
    if change is not None:
        context.haven.roster.trust_updates(change.new_chat_member.status in ADMIN_STATUSES)
        # Promoted with (or without) "Manage topics": cases get topics from now on (or not).
        await context.haven.topics.check()


async def on_staff_migrated(update: Update, context: HavenContext) -> None:
    """The staff group became a supergroup: follow it before a send is refused for it."""
    message = message_of(update)
    if message.migrate_to_chat_id is not None:
        await context.haven.outbox.follow(message.chat_id, message.migrate_to_chat_id)
