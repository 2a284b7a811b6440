"""Telegram's rate limits for everyone, with a way past the queue for case traffic.

Under load hundreds of ordinary replies wait in the shared 30-per-second limiter, and a staff
alert queued behind them took half a minute to arrive. Case messages (alerts, relays, staff
replies) are few, so they skip the shared queue but still keep to the per-group limit; a 429
from Telegram is then handled by the outbox, which honours ``retry_after``. Nor do they wait out
a 429 answered to another request: the limiter stops every request for that long, which under
load put seconds in front of each alert. A case message refused in its turn is retried by the
outbox.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Coroutine
from typing import Any

from telegram.ext import AIORateLimiter

__all__ = ["URGENT", "CaseFirstRateLimiter"]

URGENT = -1
"""``rate_limit_args`` value that marks a request as case traffic."""

Callback = Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]]


class CaseFirstRateLimiter(AIORateLimiter):
    """AIORateLimiter whose URGENT requests bypass the shared queue, not the group limit."""

    def room(self, chat_id: int) -> int:
        """How many more messages may go into the group ``chat_id`` now without waiting.

        Read from the group's leaky bucket (capacity 20, draining in a minute), so the staff
        desk can merge alerts into a digest instead of letting them queue behind the limit.
        """
        limiter = self._group_limiters.get(chat_id)
        if limiter is None:
            return int(self._group_max_rate)
        room = int(self._group_max_rate)
        while room > 0 and not limiter.has_capacity(room):
            room -= 1
        return room

    async def process_request(
        self,
        callback: Callback,
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        """Send URGENT requests at once (group limit aside); queue the rest as usual."""
        if rate_limit_args != URGENT:
            return await super().process_request(
                callback, args, kwargs, endpoint, data, rate_limit_args
            )
        group: int | bool = False
        with contextlib.suppress(TypeError, ValueError):
            chat_id = int(data.get("chat_id"))  # type: ignore[arg-type]
            group = chat_id if chat_id < 0 else False
        limit = (
            self._get_group_limiter(group)
            if group and self._group_max_rate
            else contextlib.nullcontext()
        )
        async with limit:
            return await callback(*args, **kwargs)
