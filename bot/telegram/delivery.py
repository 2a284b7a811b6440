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

from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.error import ChatMigrated as TelegramChatMigrated
from telegram.ext import ExtBot
from telegram.warnings import PTBDeprecationWarning

from bot.core.errors import (
    Blocked,
    ChatMigrated,
    DeliveryError,
    RateLimited,
    Refused,
    SourceGone,
    TooLong,
)
from bot.replies import Reply
from bot.store import OutboxItem
from bot.telegram.ratelimit import URGENT
from bot.telegram.render import inline_keyboard

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
BLOCKED = (
    "chat not found",
    "user is deactivated",
    "peer_id_invalid",
    "bot was kicked",
    "not enough rights",
    "have no rights",
    "bot is not a member",
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
        if any(marker in lowered for marker in TOO_LONG):
            return TooLong(f"400: {text}")
        if any(marker in lowered for marker in SOURCE_GONE):
            return SourceGone(f"400: {text}")
        if any(marker in lowered for marker in BLOCKED):
            return Blocked(f"400: {text}")
        return Refused(f"400: {text}")
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

        Nothing else happens here after Telegram answers: what hangs on the delivery is the
        outbox's bookkeeping, so a failure in it can never look like a failed send.
        """
        with telegram_errors():
            if item.copy_message_id is not None and item.copy_from_chat is not None:
                copied = await self._bot.copy_message(
                    item.chat_id, item.copy_from_chat, item.copy_message_id, rate_limit_args=URGENT
                )
                return copied.message_id
            markup = inline_keyboard(Reply(item.text, buttons=item.buttons))
            sent = await self._bot.send_message(
                item.chat_id, item.text, reply_markup=markup, rate_limit_args=URGENT
            )
        return sent.message_id

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
