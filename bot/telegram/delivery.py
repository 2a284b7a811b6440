"""Sending queued messages through the Bot API, with Telegram's errors turned into Haven's.

This is the one place that knows python-telegram-bot's exception classes. Their hierarchy
misleads: ``BadRequest`` is a ``NetworkError``, so code that retried "network errors" retried
refusals for days. Each refusal is classified once here, by kind, and the outbox decides.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from telegram import MessageEntity, ReplyParameters, User
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.error import ChatMigrated as TelegramChatMigrated
from telegram.ext import ExtBot
from telegram.warnings import PTBDeprecationWarning

from bot.core.errors import (
    Blocked,
    ChatMigrated,
    DeliveryError,
    NoTopics,
    RateLimited,
    Refused,
    SourceGone,
    TooLong,
    TopicClosed,
    TopicGone,
)
from bot.core.replies import Mention, Reply
from bot.delivery.topics import ForumStatus
from bot.store import OutboxItem
from bot.telegram.ratelimit import URGENT
from bot.telegram.render import inline_keyboard

__all__ = ["TelegramDelivery", "telegram_errors", "translate"]

# Telegram's descriptions of 400 refusals, lower-cased, by what they mean for the outbox.
TOO_LONG = ("too long", "message_too_long")
SOURCE_GONE = (
    "message to copy not found",
    "message to forward not found",
    "message to delete not found",
    "message to edit not found",
    "message can't be deleted",
    "message_id_invalid",
    "message not found",
)
TOPIC_CLOSED = ("topic_closed",)
TOPIC_GONE = ("message thread not found", "topic_deleted", "topic_id_invalid")
NO_TOPICS = (
    "the chat is not a forum",
    "not enough rights to create a topic",
    "not enough rights to manage topics",
    "channel_forum_missing",
)
BLOCKED = (
    "chat not found",
    "user is deactivated",
    "peer_id_invalid",
    "bot was kicked",
    "not enough rights",
    "have no rights",
    "bot is not a member",
)

# The first kind whose markers a 400 contains ("not enough rights to create a topic" is
# NoTopics before it could be Blocked); none: a plain Refused.
REFUSALS: tuple[tuple[tuple[str, ...], type[Refused]], ...] = (
    (TOO_LONG, TooLong),
    (SOURCE_GONE, SourceGone),
    (TOPIC_CLOSED, TopicClosed),
    (TOPIC_GONE, TopicGone),
    (NO_TOPICS, NoTopics),
    (BLOCKED, Blocked),
)


def retry_seconds(error: RetryAfter) -> float:
    """Telegram's requested wait, whichever type this PTB version reports it as."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def translate(error: TelegramError) -> DeliveryError:
    """The Haven error for a Telegram error: transient, rate-limited, or refused by kind."""
    text = error.message
    if isinstance(error, RetryAfter):
        return RateLimited(f"429: retry after {retry_seconds(error):g}s", retry_seconds(error))
    if isinstance(error, TelegramChatMigrated):
        return ChatMigrated(f"chat migrated to {error.new_chat_id}", int(error.new_chat_id))
    if isinstance(error, Forbidden):
        return Blocked(f"403: {text}")
    if isinstance(error, BadRequest):
        lowered = text.lower()
        kind = next(
            (kind for markers, kind in REFUSALS if any(m in lowered for m in markers)), Refused
        )
        return kind(f"400: {text}")
    if isinstance(error, NetworkError):
        return DeliveryError(f"{type(error).__name__}: {text}")
    return DeliveryError(f"{type(error).__name__}: {text}")


@contextmanager
def telegram_errors() -> Iterator[None]:
    """Raise Haven's DeliveryError in place of any Telegram error inside the block."""
    try:
        yield
    except TelegramError as error:
        raise translate(error) from error


class TelegramDelivery:
    """What the outbox and the janitor call to reach Telegram; raises only DeliveryError."""

    def __init__(self, bot: ExtBot[Any]) -> None:
        """Send through ``bot``."""
        self._bot = bot

    async def send(self, item: OutboxItem) -> int | None:
        """Send (or copy) one queued message as case traffic; return its message id.

        In a forum, ``thread_id`` puts it in a topic; ``reply_to`` answers a message (if it is
        still there); ``mentions`` notify the people they name. Nothing else happens here after
        Telegram answers: what hangs on the delivery is the outbox's bookkeeping, so a failure
        in it can never look like a failed send.
        """
        reply = (
            ReplyParameters(item.reply_to, allow_sending_without_reply=True)
            if item.reply_to is not None
            else None
        )
        with telegram_errors():
            if item.copy_message_id is not None and item.copy_from_chat is not None:
                copied = await self._bot.copy_message(
                    item.chat_id,
                    item.copy_from_chat,
                    item.copy_message_id,
                    message_thread_id=item.thread_id,
                    rate_limit_args=URGENT,
                )
                return copied.message_id
            markup = inline_keyboard(Reply(item.text, buttons=item.buttons))
            sent = await self._bot.send_message(
                item.chat_id,
                item.text,
                reply_markup=markup,
                message_thread_id=item.thread_id,
                reply_parameters=reply,
                entities=mention_entities(item.text, item.mentions) or None,
                rate_limit_args=URGENT,
            )
        return sent.message_id

    async def send_photo(
        self, chat_id: int, png: bytes, caption: str, thread_id: int | None = None
    ) -> int:
        """Post a picture (the weekly chart) with a caption."""
        with telegram_errors():
            sent = await self._bot.send_photo(
                chat_id, png, caption=caption[:1024], message_thread_id=thread_id
            )
        return sent.message_id

    async def forum_status(self, chat_id: int) -> ForumStatus:
        """Whether the group has topics on, and whether the bot may make and close them."""
        with telegram_errors():
            chat = await self._bot.get_chat(chat_id)
            if chat.type != ChatType.SUPERGROUP or not chat.is_forum:
                return ForumStatus(forum=False, may_manage=False)
            member = await self._bot.get_chat_member(chat_id, self._bot.id)
        if member.status == ChatMemberStatus.OWNER:
            return ForumStatus(forum=True, may_manage=True)
        allowed = member.status == ChatMemberStatus.ADMINISTRATOR and bool(
            getattr(member, "can_manage_topics", False)
        )
        return ForumStatus(forum=True, may_manage=allowed)

    async def create_topic(self, chat_id: int, name: str, color: int) -> int:
        """Make a forum topic; return its message_thread_id."""
        with telegram_errors():
            topic = await self._bot.create_forum_topic(
                chat_id, name, icon_color=color, rate_limit_args=URGENT
            )
        return topic.message_thread_id

    async def rename_topic(self, chat_id: int, thread_id: int, name: str) -> None:
        """Give a topic a new name."""
        with telegram_errors():
            await self._bot.edit_forum_topic(chat_id, thread_id, name=name, rate_limit_args=URGENT)

    async def close_topic(self, chat_id: int, thread_id: int) -> None:
        """Close a topic: it stays readable, and takes no new messages until reopened."""
        with telegram_errors():
            await self._bot.close_forum_topic(chat_id, thread_id, rate_limit_args=URGENT)

    async def reopen_topic(self, chat_id: int, thread_id: int) -> None:
        """Reopen a closed topic."""
        with telegram_errors():
            await self._bot.reopen_forum_topic(chat_id, thread_id, rate_limit_args=URGENT)

    async def delete(self, chat_id: int, message_ids: list[int]) -> None:
        """Delete up to 100 messages of one chat."""
        with telegram_errors():
            await self._bot.delete_messages(chat_id, message_ids)

    async def edit(self, chat_id: int, message_id: int, text: str) -> None:
        """Replace the text of one of the bot's messages (and drop its buttons)."""
        with telegram_errors():
            await self._bot.edit_message_text(
                text, chat_id=chat_id, message_id=message_id, rate_limit_args=URGENT
            )


def mention_entities(text: str, mentions: tuple[Mention, ...]) -> list[MessageEntity]:
    """Text mentions, which notify people who may have no @username."""
    return [
        MessageEntity(
            MessageEntity.TEXT_MENTION,
            mention.offset,
            mention.length,
            user=User(mention.user_id, mention.label, is_bot=False),
        )
        for mention in mentions
    ]
