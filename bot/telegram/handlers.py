"""Telegram handlers: translate updates for the conversation and the staff desk, send replies."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any, cast

from telegram import Chat, Message, Update
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot.core.errors import NotAuthorized, StoreError, StoreUnavailable
from bot.core.texts import t
from bot.incoming import Incoming
from bot.replies import Reply, split_text
from bot.runtime import Haven
from bot.telegram.delivery import translate
from bot.telegram.render import reply_markup

log = logging.getLogger(__name__)

CASE_COMMAND = re.compile(r"^\s*#?(\d{1,9})\s*(.*)$", re.DOTALL)
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
    """Treat an edited text as a new message: an edit can turn into a cry for help."""
    message = cast(Message, update.effective_message)
    if message.location is not None:
        live = incoming(update, kind="live_location")
        replies = await haven(context).conversation.on_media(live)
        await send_replies(context, message.chat_id, replies)
        return
    replies = await haven(context).conversation.on_text(incoming(update, message.text or ""))
    await send_replies(context, message.chat_id, replies)


async def on_media(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer a photo, voice message, sticker, location or other non-text message."""
    message = cast(Message, update.effective_message)
    kind = next((k for attr, k in MEDIA_KINDS if getattr(message, attr, None)), "message")
    replies = await haven(context).conversation.on_media(incoming(update, kind=kind))
    await send_replies(context, message.chat_id, replies)


async def on_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer a user command such as /start, /contacts or /sos."""
    message = cast(Message, update.effective_message)
    command, _, args = (message.text or "/help").partition(" ")
    name = command.lstrip("/").split("@")[0].lower()
    replies = await haven(context).conversation.on_command(incoming(update), name, args.strip())
    await send_replies(context, message.chat_id, replies)


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer an inline button press in a private chat."""
    query = update.callback_query
    if query is None:
        return
    chat = update.effective_chat
    if chat is None:
        return
    replies = await haven(context).conversation.on_button(incoming(update), query.data or "")
    toasts = [r for r in replies if r.toast]
    await query.answer(toasts[0].text[:190] if toasts else None)
    await send_replies(context, chat.id, [r for r in replies if not r.toast])


async def on_staff_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Claim or resolve a case from the buttons of an alert."""
    query = update.callback_query
    user = update.effective_user
    if query is None or user is None:
        return
    action, _, number = (query.data or "").partition(":")
    desk = haven(context).desk
    if action not in ("claim", "resolve") or not number.isdigit():
        await query.answer(t("button_expired", desk_language(context)))
        return
    try:
        if action == "claim":
            text = await desk.claim(user.id, user.full_name, int(number))
        else:
            text = await desk.resolve(user.id, user.full_name, int(number))
    except NotAuthorized as exc:
        await query.answer(str(exc), show_alert=True)
        return
    except StoreUnavailable as exc:
        text = t("staff.store_failing", desk_language(context), reason=str(exc))
        await query.answer(text[:190], show_alert=True)
        return
    await query.answer(text[:190])


async def on_staff_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Run /cases, /case N, /claim N, /resolve N, /reply N text or /priority N level."""
    message = cast(Message, update.effective_message)
    user = update.effective_user
    if user is None:
        return
    command, _, rest = (message.text or "").partition(" ")
    name = command.lstrip("/").split("@")[0].lower()
    desk = haven(context).desk
    lang = desk_language(context)
    match = CASE_COMMAND.match(rest)
    try:
        if name == "cases":
            text = await desk.list_cases(user.id)
        elif name == "health":
            text = await haven(context).health.report(user.id)
        elif match is None:
            usage = {"reply": "staff.usage_reply", "priority": "staff.usage_priority"}.get(
                name, "staff.usage_case"
            )
            text = t(usage, lang, command=name)
        else:
            number, tail = int(match.group(1)), match.group(2).strip()
            if name == "case":
                text = await desk.show_case(user.id, number)
            elif name == "claim":
                text = await desk.claim(user.id, user.full_name, number)
            elif name == "resolve":
                text = await desk.resolve(user.id, user.full_name, number)
            elif name == "priority":
                text = await desk.set_priority(user.id, number, tail.lower())
            elif tail:
                text = await desk.reply(user.id, number, tail)
            else:
                text = t("staff.usage_reply", lang)
    except NotAuthorized as exc:
        text = str(exc)
    except StoreUnavailable as exc:  # nothing was done: the caseworker must know, and retry
        text = t("staff.store_failing", lang, reason=str(exc))
    await retrying(lambda: message.reply_text(text))


async def on_staff_reply(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Pass a staff reply to a case message on to that case's user."""
    message = cast(Message, update.effective_message)
    user = update.effective_user
    replied = message.reply_to_message
    if user is None or replied is None or not message.text:
        return
    try:
        text = await haven(context).desk.reply_to(user.id, replied.message_id, message.text)
    except NotAuthorized as exc:
        text = str(exc)
    except StoreUnavailable as exc:
        text = t("staff.store_failing", desk_language(context), reason=str(exc))
    if text is not None:
        answer = text
        await retrying(lambda: message.reply_text(answer))


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
