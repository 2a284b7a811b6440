"""Case traffic skips the shared send queue but keeps to the group limit."""

from __future__ import annotations

import asyncio
from typing import Any

from telegram.error import RetryAfter

from bot.telegram.ratelimit import URGENT, CaseFirstRateLimiter


async def test_urgent_message_overtakes_a_full_queue() -> None:
    limiter = CaseFirstRateLimiter(overall_max_rate=1, overall_time_period=30, max_retries=0)
    await limiter.initialize()
    done: list[str] = []

    def request(name: str) -> Any:
        async def send() -> bool:
            done.append(name)
            return True

        return send

    async def process(name: str, chat_id: int, args: int | None) -> None:
        await limiter.process_request(
            request(name), (), {}, "sendMessage", {"chat_id": chat_id}, args
        )

    await process("first reply", 1, None)
    queued = asyncio.create_task(process("queued reply", 2, None))
    await asyncio.sleep(0.05)
    await asyncio.wait_for(process("alert", -100, URGENT), timeout=5)
    assert done == ["first reply", "alert"]
    queued.cancel()
    await limiter.shutdown()


async def test_urgent_messages_still_keep_the_group_limit() -> None:
    limiter = CaseFirstRateLimiter(group_max_rate=1, group_time_period=30, max_retries=0)
    await limiter.initialize()
    done: list[str] = []

    async def send() -> bool:
        done.append("sent")
        return True

    await limiter.process_request(send, (), {}, "sendMessage", {"chat_id": -100}, URGENT)
    second = asyncio.create_task(
        limiter.process_request(send, (), {}, "sendMessage", {"chat_id": -100}, URGENT)
    )
    await asyncio.sleep(0.2)
    assert done == ["sent"]
    assert not second.done()
    second.cancel()
    await limiter.shutdown()


async def test_urgent_messages_do_not_wait_out_a_429_of_another_request() -> None:
    limiter = CaseFirstRateLimiter(max_retries=1)
    await limiter.initialize()
    done: list[str] = []
    limited = True

    async def ordinary() -> bool:
        nonlocal limited
        if limited:
            limited = False
            raise RetryAfter(2)
        done.append("reply")
        return True

    async def alert() -> bool:
        done.append("alert")
        return True

    waiting = asyncio.create_task(
        limiter.process_request(ordinary, (), {}, "sendMessage", {"chat_id": 1}, None)
    )
    await asyncio.sleep(0.1)
    await asyncio.wait_for(
        limiter.process_request(alert, (), {}, "sendMessage", {"chat_id": -100}, URGENT), 1
    )
    assert done == ["alert"]
    await asyncio.wait_for(waiting, 5)
    assert done == ["alert", "reply"]
    await limiter.shutdown()
