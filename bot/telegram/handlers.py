"""Telegram handlers: translate updates for the conversation and the staff desk, send replies."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any, cast

from telegram import CallbackQuery, Chat, Message, Update, User
from telegram.constants import ChatMemberStatus
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot.core.errors import MembershipUnknown, NotAuthorized, StoreError, StoreUnavailable
from bot.core.texts import t
from bot.incoming import Incoming
from bot.replies import Reply, split_text
from bot.routing import staff_words_key
from bot.runtime import Haven
from bot.staff import StaffDesk
from bot.staffinput import (
    Button,
    ButtonAction,
    CommandLine,
    StaffCommand,
    in_topic,
    parse_button,
    parse_command,
)
from bot.store import CaseTag, CopyKind
from bot.telegram.delivery import translate
from bot.telegram.render import reply_markup

log = logging.getLogger(__name__)

CASE_WORDS = (StaffCommand.CASE, StaffCommand.REPLY, StaffCommand.NOTE, StaffCommand.CANNED)
"""Staff commands whose message and answer are part of a case (erased with it)."""

USAGE: dict[str, str] = {
    StaffCommand.REPLY: "staff.usage_reply",
    StaffCommand.NOTE: "staff.usage_note",
    StaffCommand.PRIORITY: "staff.usage_priority",
    StaffCommand.TRANSFER: "staff.usage_transfer",
    StaffCommand.CANNED: "staff.usage_canned",
    StaffCommand.RESOLVE: "staff.usage_resolve",
    StaffCommand.STATS: "staff.usage_stats",
}
ADMIN_STATUSES = (ChatMemberStatus.OWNER, ChatMemberStatus.ADMINISTRATOR)
SEND_TRIES = 3
SEND_RETRY_DELAY = 0.5
MEDIA_KINDS = (
    ("photo", "photo"),
    ("voice", "voice"),
    ("audio", "audio"),
    ("video", "video"),
    ("video_note", "video"),
    ("animation", "animation"),
    ("sticker", "sticker"),
    ("document", "document"),
    ("contact", "contact"),
    ("location", "location"),
    ("venue", "location"),
    ("poll", "poll"),
    ("dice", "dice"),
)


def haven(context: ContextTypes.DEFAULT_TYPE) -> Haven:
    """The application's Haven parts, opened in post_init."""
    return cast(Haven, context.bot_data["haven"])


def incoming(update: Update, text: str = "", kind: str = "text") -> Incoming:
    """Describe a private-chat update for the conversation."""
    user = update.effective_user
    chat = update.effective_chat
    message = update.effective_message
    location = None
    if message is not None and message.location is not None:
        location = (message.location.latitude, message.location.longitude)
    return Incoming(
        user_id=user.id if user else 0,
        chat_id=chat.id if chat else 0,
        text=text,
        kind=kind,
        telegram_language=user.language_code if user else None,
        message_id=message.message_id if message else None,
        location=location,
    )


async def send_replies(
    context: ContextTypes.DEFAULT_TYPE, chat_id: int, replies: list[Reply]
) -> None:
    """Send replies in order, splitting long text; buttons go on the last part.

    What was sent is logged (for /clear and timed deletion) in one write at the end, so no
    reply waits for the disk; a send that fails still leaves the earlier ones logged.
    """
    sent: list[tuple[int, float | None]] = []
    try:
        for reply in replies:
            parts = split_text(reply.text) or ["…"]
            for index, part in enumerate(parts):
                last = index == len(parts) - 1
                message = await send_part(
                    context, chat_id, part, reply_markup(reply) if last else None
                )
                sent.append((message.message_id, reply.delete_in))
    finally:
        if sent:
            await log_sent(context, chat_id, sent)


async def log_sent(
    context: ContextTypes.DEFAULT_TYPE, chat_id: int, sent: list[tuple[int, float | None]]
) -> None:
    """Remember what was sent; a store that fails here must not look like a failed reply."""
    try:
        await haven(context).store.log_messages(chat_id, sent, "bot")
    except StoreError as exc:
        log.error("could not log %d sent messages: %s", len(sent), exc)


async def send_part(
    context: ContextTypes.DEFAULT_TYPE, chat_id: int, text: str, markup: Any
) -> Message:
    """Send one reply; a transient failure (5xx, a dropped connection) is tried again."""
    return await retrying(lambda: context.bot.send_message(chat_id, text, reply_markup=markup))


async def retrying(send: Callable[[], Awaitable[Message]]) -> Message:
    """Run ``send`` until Telegram takes it, at most SEND_TRIES times, backing off.

    Telegram's 429s are waited out by the rate limiter; refusals are raised at once.
    """
    for attempt in range(SEND_TRIES):
        try:
            return await send()
        except TelegramError as error:
            failure = translate(error)
            if failure.permanent or attempt == SEND_TRIES - 1:
                raise
            delay = failure.retry_after or SEND_RETRY_DELAY * 2**attempt
            log.warning("reply not sent (%s); trying again in %.1fs", failure, delay)
            await asyncio.sleep(delay)
    raise AssertionError("unreachable")


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer a private text message."""
    message = cast(Message, update.effective_message)
    replies = await haven(context).conversation.on_text(incoming(update, message.text or ""))
    await send_replies(context, message.chat_id, replies)


async def on_edited(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Treat an edited text or caption as a new message: an edit can turn into a cry for help."""
    message = cast(Message, update.effective_message)
    if message.location is not None:
        live = incoming(update, kind="live_location")
        replies = await haven(context).conversation.on_media(live)
        await send_replies(context, message.chat_id, replies)
        return
    text = message.text or message.caption or ""
    replies = await haven(context).conversation.on_text(incoming(update, text))
    await send_replies(context, message.chat_id, replies)


async def on_media(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer a photo, voice message, sticker, location or other non-text message.

    Its caption goes with it: "help me" under a photo must be heard like any message.
    """
    message = cast(Message, update.effective_message)
    kind = next((k for attr, k in MEDIA_KINDS if getattr(message, attr, None)), "message")
    caption = message.caption or ""
    replies = await haven(context).conversation.on_media(incoming(update, caption, kind=kind))
    await send_replies(context, message.chat_id, replies)


async def on_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer a user command such as /start, /contacts or /sos."""
    message = cast(Message, update.effective_message)
    command, _, args = (message.text or "/help").partition(" ")
    name = command.lstrip("/").split("@")[0].lower()
    replies = await haven(context).conversation.on_command(incoming(update), name, args.strip())
    await send_replies(context, message.chat_id, replies)


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Route a button press by where it was pressed: buttons are bound to their chat.

    In the staff group only staff buttons count, pressed by staff; in a private chat only the
    presser's own chat with the bot; anywhere else (another group, an inline message) nothing.
    Callback data can be forged, so none of it is believed about where it came from.
    """
    query = update.callback_query
    user = update.effective_user
    if query is None or user is None:
        return
    h = haven(context)
    data = query.data or ""
    chat = query.message.chat if query.message is not None else None
    if chat is not None and chat.id == h.desk.chat_id:
        await _staff_button(query, user, context)
        return
    if chat is not None and chat.type == Chat.PRIVATE and chat.id == user.id:
        if parse_button(data) is not None:
            await h.desk.refuse(user.id, "button", None, "staff_button_elsewhere")
            await query.answer(t("button_expired", await _user_language(context, user)))
            return
        replies = await h.conversation.on_button(incoming(update), data)
        toasts = [r for r in replies if r.toast]
        await query.answer(toasts[0].text[:190] if toasts else None)
        await send_replies(context, chat.id, [r for r in replies if not r.toast])
        return
    # The audit keeps short codes only: which chat it was is in the warning log.
    where = f"chat {chat.id}" if chat is not None else "an inline message"
    log.warning("button pressed in %s by user %s refused", where, user.id)
    await h.desk.refuse(user.id, "button", None, "button_in_other_chat")
    await query.answer(t("button_expired", await _user_language(context, user)))


async def _staff_button(
    query: CallbackQuery, user: User, context: ContextTypes.DEFAULT_TYPE
) -> None:
    """A button in the staff group: Claim / Resolve on an alert, Send / Keep / Cancel on a draft."""
    desk = haven(context).desk
    button = parse_button(query.data or "")
    if button is None:
        await desk.refuse(user.id, "button", None, "not_staff_button")
        await query.answer(t("button_expired", desk_language(context)))
        return
    try:
        if button.case_id is not None and button.action in CASE_BUTTONS:
            text = await _case_button(query, user, context, button)
        else:
            text, settled = await desk.settle_draft(
                user.id, user.full_name, button.action, button.token
            )
            if settled:
                await _close_draft(query, text)
    except NotAuthorized as exc:
        await query.answer(str(exc), show_alert=True)
        return
    except StoreUnavailable as exc:
        text = t("staff.store_failing", desk_language(context), reason=str(exc))
        await query.answer(text[:190], show_alert=True)
        return
    await query.answer(text[:190])


CASE_BUTTONS = (ButtonAction.CLAIM, ButtonAction.RESOLVE, ButtonAction.CANNED)


async def _case_button(
    query: CallbackQuery, user: User, context: ContextTypes.DEFAULT_TYPE, button: Button
) -> str:
    """Claim; Resolve, and a tag (on the "resolved" notice); Canned (the list, then one).

    A list or a preview is posted under the pressed message (in its topic); a picked tag
    replaces the buttons it was picked from. Returns the short answer for the presser.
    """
    desk = haven(context).desk
    case_id = button.case_id
    assert case_id is not None
    if button.action == ButtonAction.CLAIM:
        return await desk.claim(user.id, user.full_name, case_id)
    if button.action == ButtonAction.RESOLVE and button.key:
        outcome = await desk.tag(user.id, user.full_name, case_id, CaseTag(button.key))
        await _close_draft(query, outcome)
        return outcome
    if button.action == ButtonAction.RESOLVE:
        return await desk.resolve(user.id, user.full_name, case_id)
    if button.key:
        shown = await desk.canned_preview(user.id, case_id, button.key)
    else:
        shown = await desk.canned_picker(user.id, case_id)
    message = query.message
    if isinstance(message, Message):
        posted = await message.reply_text(shown.text, reply_markup=reply_markup(shown))
        await haven(context).store.link_messages(
            case_id, posted.chat_id, [(posted.message_id, CopyKind.TEXT)]
        )
    return shown.text


async def _close_draft(query: CallbackQuery, outcome: str) -> None:
    """Replace a settled draft's buttons with what became of it, so nobody presses twice."""
    message = query.message
    if not isinstance(message, Message) or not message.text:
        return
    try:
        await query.edit_message_text(f"{message.text}\n\n{outcome}")
    except TelegramError as exc:
        log.warning("could not close a draft in the staff group: %s", exc)


async def on_staff_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Run /cases, /case N, /claim N, /resolve N, /reply N text, /note N text, /priority, /staff."""
    message = cast(Message, update.effective_message)
    user = update.effective_user
    if user is None:
        return
    words = (message.text or "/").split(maxsplit=1)
    name = words[0].lstrip("/").split("@")[0].lower()
    desk = haven(context).desk
    lang = desk_language(context)
    rest = words[1] if len(words) > 1 else ""
    topic_case = await _topic_case(desk, message)
    if topic_case is not None:
        rest = in_topic(name, rest, topic_case)
    parsed = parse_command(name, rest)
    origin = staff_words_key(message.chat_id, message.message_id, topic_case is not None)
    shown = Reply("")
    try:
        if parsed is None:
            # Strangers learn nothing, not even the usage: they are refused (and audited).
            await desk.authorize(user.id, name, None)
            shown = Reply(usage(name, lang))
        elif parsed.command == StaffCommand.CASES:
            shown = Reply(await desk.list_cases(user.id))
        elif parsed.command == StaffCommand.STAFF:
            shown = Reply(await desk.staff_list(user.id))
        elif parsed.command == StaffCommand.HEALTH:
            shown = Reply(await haven(context).health.report(user.id))
        elif parsed.command == StaffCommand.STATS:
            await _stats(message, user, context, parsed.text == "week")
            return
        else:
            shown = await _case_command(desk, user, parsed, origin)
    except MembershipUnknown as exc:  # perhaps a caseworker: they must know nothing was done
        shown = Reply(str(exc))
    except NotAuthorized as exc:
        # Refused and audited; the group's budget is for cases: one notice an hour at most.
        if not desk.tell_refused(user.id):
            return
        shown = Reply(str(exc))
    except StoreUnavailable as exc:  # nothing was done: the caseworker must know, and retry
        shown = Reply(t("staff.store_failing", lang, reason=str(exc)))
    answer = await retrying(
        lambda: message.reply_text(shown.text, reply_markup=reply_markup(shown))
    )
    if parsed is not None and parsed.case_id is not None and parsed.command in CASE_WORDS:
        # A transcript shown, words for the user, a note: erasing the case removes them too.
        await haven(context).store.link_messages(
            parsed.case_id,
            message.chat_id,
            [(message.message_id, CopyKind.MEMBER), (answer.message_id, CopyKind.TEXT)],
        )


def usage(name: str, lang: str) -> str:
    """How a staff command is written."""
    key = USAGE.get(name, "staff.usage_case")
    if key == "staff.usage_case":
        return t(key, lang, command=name)
    if key == "staff.usage_resolve":
        return t(key, lang, tags=", ".join(CaseTag))
    return t(key, lang)


async def _topic_case(desk: StaffDesk, message: Message) -> int | None:
    """The case whose topic a staff-group message was written in, if any."""
    if not message.is_topic_message or message.message_thread_id is None:
        return None
    return await desk.case_for_thread(message.message_thread_id)


async def _case_command(desk: StaffDesk, user: User, parsed: CommandLine, origin: str) -> Reply:
    command, case_id, text = parsed.command, parsed.case_id, parsed.text
    if case_id is None:
        raise ValueError(f"/{command} needs a case number")
    if command == StaffCommand.CASE:
        return Reply(await desk.show_case(user.id, case_id))
    if command == StaffCommand.CLAIM:
        return Reply(await desk.claim(user.id, user.full_name, case_id))
    if command == StaffCommand.UNCLAIM:
        return Reply(await desk.unclaim(user.id, user.full_name, case_id))
    if command == StaffCommand.TRANSFER:
        return Reply(await desk.transfer(user.id, user.full_name, case_id, int(text)))
    if command == StaffCommand.RESOLVE:
        tag = CaseTag(text) if text else None
        return Reply(await desk.resolve(user.id, user.full_name, case_id, tag))
    if command == StaffCommand.PRIORITY:
        return Reply(await desk.set_priority(user.id, case_id, text))
    if command == StaffCommand.NOTE:
        return Reply(await desk.note(user.id, user.full_name, case_id, text))
    if command == StaffCommand.CANNED and not text:
        return await desk.canned_picker(user.id, case_id)
    if command == StaffCommand.CANNED:
        return Reply(await desk.send_canned(user.id, case_id, text, origin))
    return Reply(await desk.reply(user.id, case_id, text, origin))


async def _stats(
    message: Message, user: User, context: ContextTypes.DEFAULT_TYPE, week: bool
) -> None:
    """/stats: the numbers of the last day and week; /stats week adds the chart."""
    h = haven(context)
    await h.desk.authorize(user.id, "stats", None)
    await message.reply_text(await h.stats.summary())
    if week:
        png = await h.stats.week_chart()
        await message.reply_photo(png, caption=t("staff.chart_caption", desk_language(context)))


async def on_staff_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Text in the staff group: in a case's topic it is for the person; a reply is a draft.

    In a topic the topic is the case: the words go to the person at once (notes, marked with
    ! or 📝, stay internal), and a ✓ follows once Telegram delivered them. A stranger is
    refused and audited, and not answered. Elsewhere, a reply to a case message is a draft.
    """
    message = cast(Message, update.effective_message)
    user = update.effective_user
    if user is None or not message.text:
        return
    h = haven(context)
    case_id = await _topic_case(h.desk, message)
    if case_id is None or message.message_thread_id is None:
        if message.reply_to_message is not None:
            await on_staff_reply(update, context)
        return
    origin = staff_words_key(message.chat_id, message.message_id)
    try:
        answer = await h.desk.topic_message(
            user.id, user.full_name, message.message_thread_id, message.text, origin
        )
    except MembershipUnknown as exc:
        answer = Reply(str(exc))
    except NotAuthorized:
        return
    except StoreUnavailable as exc:  # nothing went out: the caseworker must know, and retry
        answer = Reply(t("staff.store_failing", desk_language(context), reason=str(exc)))
    linked = [(message.message_id, CopyKind.MEMBER)]
    if answer is not None:
        said = answer
        shown = await retrying(
            lambda: message.reply_text(said.text, reply_markup=reply_markup(said))
        )
        linked.append((shown.message_id, CopyKind.TEXT))
    # The staff member's words and any answer: erasing the case removes them too.
    await h.store.link_messages(case_id, message.chat_id, linked)


async def on_staff_media(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A photo or file posted in a case's topic: only text goes to the person; staff are told.

    Strangers are not answered (and nothing reaches the person either way).
    """
    message = cast(Message, update.effective_message)
    user = update.effective_user
    h = haven(context)
    case_id = await _topic_case(h.desk, message)
    if user is None or case_id is None:
        return
    try:
        await h.desk.authorize(user.id, "reply", case_id)
    except MembershipUnknown as exc:
        await message.reply_text(str(exc))
        return
    except NotAuthorized:
        return
    shown = await message.reply_text(t("staff.topic_text_only", desk_language(context)))
    await h.store.link_messages(
        case_id,
        message.chat_id,
        [(message.message_id, CopyKind.MEMBER), (shown.message_id, CopyKind.TEXT)],
    )


async def on_staff_reply(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A reply to a case message: a draft to confirm, or a note; nothing goes out unasked.

    A reply from someone who is not staff is refused and audited, and not answered: the
    group is not told about it, and nothing reaches the user.
    """
    message = cast(Message, update.effective_message)
    user = update.effective_user
    replied = message.reply_to_message
    if user is None or replied is None or not message.text:
        return
    store = haven(context).store
    try:
        answer = await haven(context).desk.reply_to(
            user.id, user.full_name, replied.message_id, message.text
        )
    except MembershipUnknown as exc:
        answer = Reply(str(exc))
    except NotAuthorized:
        return
    except StoreUnavailable as exc:
        answer = Reply(t("staff.store_failing", desk_language(context), reason=str(exc)))
    if answer is not None:
        shown_reply = answer
        shown = await retrying(
            lambda: message.reply_text(shown_reply.text, reply_markup=reply_markup(shown_reply))
        )
        case_id = await store.case_for_staff_message(message.chat_id, replied.message_id)
        if case_id is not None:
            # The staff member's words and the draft shown: erasing the case removes them too.
            await store.link_messages(
                case_id,
                message.chat_id,
                [(message.message_id, CopyKind.MEMBER), (shown.message_id, CopyKind.TEXT)],
            )


async def on_staff_member(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Someone joined, left, was removed or restricted in the staff group: ask again next time."""
    change = update.chat_member
    if change is not None:
        haven(context).roster.changed(change.new_chat_member.user.id)


async def on_member_left(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The "… left the group" message: the one sign of leaving a bot gets without being admin."""
    message = update.effective_message
    if message is not None and message.left_chat_member is not None:
        haven(context).roster.changed(message.left_chat_member.id)


async def on_bot_member(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The bot was made, or stopped being, an administrator of the staff group."""
    change = update.my_chat_member
    if change is not None:
        haven(context).roster.trust_updates(change.new_chat_member.status in ADMIN_STATUSES)
        # Promoted with (or without) "Manage topics": cases get topics from now on (or not).
        await haven(context).topics.check()


async def _user_language(context: ContextTypes.DEFAULT_TYPE, user: User) -> str:
    prefs = await haven(context).store.user(user.id)
    return prefs.language if prefs else "en"


async def on_staff_migrated(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The staff group became a supergroup: follow it before a send is refused for it."""
    message = cast(Message, update.effective_message)
    if message.migrate_to_chat_id is not None:
        await haven(context).outbox.follow(message.chat_id, message.migrate_to_chat_id)


def desk_language(context: ContextTypes.DEFAULT_TYPE) -> str:
    """The staff group's language."""
    return haven(context).settings.staff_language


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the failure with its traceback and tell a private-chat user to try again."""
    log.error("update failed", exc_info=context.error)
    if not isinstance(update, Update):
        return
    chat = update.effective_chat
    if chat is None or chat.type != Chat.PRIVATE:
        return
    lang = "en"
    if update.effective_user is not None and "haven" in context.bot_data:
        try:
            prefs = await haven(context).store.user(update.effective_user.id)
        except StoreError:
            prefs = None
        lang = prefs.language if prefs else lang
    try:
        await context.bot.send_message(chat.id, t("error", lang))
    except TelegramError:
        log.exception("could not tell the user about the failure")
