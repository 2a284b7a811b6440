"""Sending a handler's replies: split to Telegram's limit, tried again on a transient failure,
and logged for /clear and timed deletion."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Message
from telegram.error import TelegramError

from bot.core.errors import StoreError
from bot.core.replies import Reply, split_text
from bot.telegram.context import HavenContext
from bot.telegram.delivery import translate
from bot.telegram.render import reply_markup

__all__ = ["retrying", "send_replies"]

log = logging.getLogger(__name__)

SEND_TRIES = 3
SEND_RETRY_DELAY = 0.5


async def send_replies(context: HavenContext, chat_id: int, replies: list[Reply]) -> None:
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
    context: HavenContext, chat_id: int, sent: list[tuple[int, float | None]]
) -> None:
    """Remember what was sent; a store that fails here must not look like a failed reply."""
    try:
        await context.haven.store.log_messages(chat_id, sent, "bot")
    except StoreError as exc:
        log.error("could not log %d sent messages: %s", len(sent), exc)


async def send_part(context: HavenContext, chat_id: int, text: str, markup: Any) -> Message:
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
