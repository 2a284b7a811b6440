"""The private chat's handlers: what a person writes, sends or presses goes to the conversation.

Each turns the update into an ``Incoming`` (bot/common/incoming.py) and sends back the replies;
the conversation decides everything else.
"""

from __future__ import annotations

import contextlib
import logging

from telegram import CallbackQuery, Chat, Update, User
from telegram.error import TelegramError

from bot.common.incoming import Incoming
from bot.core.errors import StoreError
from bot.core.texts import t
from bot.telegram.context import HavenContext, message_of
from bot.telegram.pictures import fetcher, picture_in
from bot.telegram.sending import send_replies

__all__ = [
    "incoming",
    "on_command",
    "on_edited",
    "on_error",
    "on_media",
    "on_private_button",
    "on_text",
    "user_language",
]

log = logging.getLogger(__name__)

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


def incoming(update: Update, text: str = "", kind: str = "text") -> Incoming:
    """Describe a private-chat update for the conversation."""
    user = update.effective_user
    chat = update.effective_chat
    message = update.effective_message
    location = None
    live = False
    if message is not None and message.location is not None:
        location = (message.location.latitude, message.location.longitude)
        live = bool(message.location.live_period)
    return Incoming(
        user_id=user.id if user else 0,
        chat_id=chat.id if chat else 0,
        text=text,
        kind=kind,
        telegram_language=user.language_code if user else None,
        message_id=message.message_id if message else None,
        location=location,
        live=live,
    )


async def on_text(update: Update, context: HavenContext) -> None:
    """Answer a private text message."""
    message = message_of(update)
    await answer_text(context, message.chat_id, incoming(update, message.text or ""))


async def on_edited(update: Update, context: HavenContext) -> None:
    """Treat an edited text or caption as a new message: an edit can turn into a cry for help."""
    message = message_of(update)
    if message.location is not None:
        replies = await context.haven.conversation.on_media(incoming(update, kind="live_location"))
        await send_replies(context, message.chat_id, replies)
    else:
        text = message.text or message.caption or ""
        await answer_text(context, message.chat_id, incoming(update, text))


async def answer_text(context: HavenContext, chat_id: int, msg: Incoming) -> None:
    """Send the answer as soon as it is ready, then wait for the message's record.

    The handler ends only once the record is written, so the user's next message (handled
    after this one) reads it; the reply does not wait for the disk.
    """
    conversation = context.haven.conversation
    try:
        await send_replies(context, chat_id, await conversation.answer_text(msg))
    finally:
        await conversation.settle(msg.user_id)


async def on_media(update: Update, context: HavenContext) -> None:
    """Answer a photo, voice message, sticker, location or other non-text message.

    Its caption goes with it: "help me" under a photo must be heard like any message; and so
    do the words in a picture (a photo, or an image sent as a file), downloaded to be read.
    """
    message = message_of(update)
    kind = next((k for attr, k in MEDIA_KINDS if getattr(message, attr, None)), "message")
    caption = message.caption or ""
    found = picture_in(message)
    picture = fetcher(context.bot, *found) if found is not None else None
    replies = await context.haven.conversation.on_media(
        incoming(update, caption, kind=kind), picture
    )
    await send_replies(context, message.chat_id, replies)


async def on_command(update: Update, context: HavenContext) -> None:
    """Answer a user command such as /start, /contacts or /sos."""
    message = message_of(update)
    command, _, args = (message.text or "/help").partition(" ")
    name = command.lstrip("/").split("@")[0].lower()
    replies = await context.haven.conversation.on_command(incoming(update), name, args.strip())
    await send_replies(context, message.chat_id, replies)


async def on_private_button(
    update: Update, query: CallbackQuery, chat: Chat, context: HavenContext
) -> None:
    """A button in the presser's own chat: the conversation answers, toasts as toasts."""
    replies = await context.haven.conversation.on_button(incoming(update), query.data or "")
    toasts = [r for r in replies if r.toast]
    await query.answer(toasts[0].text[:190] if toasts else None)
    await send_replies(context, chat.id, [r for r in replies if not r.toast])


async def user_language(context: HavenContext, user: User) -> str:
    """The language a person chose or was last answered in (English if unknown)."""
    prefs = await context.haven.store.user(user.id)
    return prefs.language if prefs else "en"


async def on_error(update: object, context: HavenContext) -> None:
    """Log the failure with its traceback and tell a private-chat user to try again."""
    log.error("update failed", exc_info=context.error)
    if not isinstance(update, Update):
        return
    chat = update.effective_chat
    if chat is None or chat.type != Chat.PRIVATE:
        return
    lang = "en"
    if update.effective_user is not None and context.opened:
        with contextlib.suppress(StoreError):
            lang = await user_language(context, update.effective_user)
    text = t("error", lang)
    if update.effective_user is not None and context.opened:
        discretion = context.haven.conversation.discretion
        text = await discretion.text(update.effective_user.id, text, lang)
    try:
        await context.bot.send_message(chat.id, text)
    except TelegramError:
        log.exception("could not tell the user about the failure")
