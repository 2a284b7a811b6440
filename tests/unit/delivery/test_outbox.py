"""The outbox delivers through failures, honouring Telegram's retry_after."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.core.errors import DeliveryError, RateLimited, Refused
from bot.delivery.backoff import backoff
from bot.delivery.janitor import Janitor
from bot.delivery.outbox import Outbox
from bot.store import CaseStore, OutboxItem, OutboxKind, Outgoing


class FlakyTelegram:
    """Answers like Telegram would: some errors first, then success."""

    def __init__(self, errors: list[Exception]) -> None:
        self.errors = errors
        self.delivered: list[str] = []

    async def send(self, item: OutboxItem) -> int:
        if self.errors:
            raise self.errors.pop(0)
        self.delivered.append(item.text)
        return len(self.delivered)


async def test_retries_until_accepted(tmp_path: Path) -> None:
    store = await CaseStore.open(tmp_path / "h.db")
    telegram = FlakyTelegram([DeliveryError("reset"), RateLimited("429", 0), DeliveryError("5xx")])
    outbox = Outbox(store, telegram.send, base_delay=0.01, max_delay=0.05)
    await store.enqueue(Outgoing(-1, OutboxKind.ALERT, "ALERT"))
    outbox.start()
    for _ in range(200):
        if telegram.delivered:
            break
        await asyncio.sleep(0.02)
    await outbox.stop()
    assert telegram.delivered == ["ALERT"]
    assert await store.pending() == []
    await store.close()


async def test_retry_after_is_honoured(tmp_path: Path) -> None:
    store = await CaseStore.open(tmp_path / "h.db")
    telegram = FlakyTelegram([RateLimited("429", 30)])
    outbox = Outbox(store, telegram.send)
    await store.enqueue(Outgoing(-1, OutboxKind.ALERT, "ALERT"))
    assert await outbox.deliver_due() == 0
    assert await outbox.deliver_due() == 0
    assert telegram.delivered == []
    next_at = await store.next_attempt_at()
    assert next_at is not None
    await store.close()


async def test_a_refusal_is_tried_a_bounded_number_of_times_then_given_up(tmp_path: Path) -> None:
    store = await CaseStore.open(tmp_path / "h.db")
    telegram = FlakyTelegram([Refused("400: Bad Request: can't parse entities")] * 3)
    outbox = Outbox(store, telegram.send, base_delay=0.01, max_delay=0.01, dead_after=3)
    await store.enqueue(Outgoing(-1, OutboxKind.ALERT, "ALERT"))
    await store.enqueue(Outgoing(-1, OutboxKind.RELAY, "next"))
    for _ in range(3):
        await outbox.deliver_due()
        assert telegram.delivered == []
        await asyncio.sleep(0.02)
    assert (await store.outbox_stats()).dead == 1
    assert await outbox.deliver_due() == 1
    assert telegram.delivered == ["next"]
    await store.close()


def test_backoff_grows_and_is_capped() -> None:
    assert [backoff(n, 1, 60) for n in range(8)] == [1, 2, 4, 8, 16, 32, 60, 60]


async def test_janitor_retries_transient_errors_and_gives_up_on_refusals(tmp_path: Path) -> None:
    store = await CaseStore.open(tmp_path / "h.db")
    await store.log_message(5, 10, "bot", delete_in=0)
    deleted: list[tuple[int, list[int]]] = []
    errors: list[Exception] = [DeliveryError("timed out"), RateLimited("429", 1)]

    async def delete(chat_id: int, message_ids: list[int]) -> None:
        if errors:
            raise errors.pop(0)
        deleted.append((chat_id, message_ids))

    janitor = Janitor(store, delete)
    assert await janitor.purge() == 0
    assert await janitor.purge() == 0
    assert await janitor.purge() == 1
    assert deleted == [(5, [10])]
    await store.log_message(6, 11, "bot", delete_in=0)
    errors.append(Refused("400: message to delete not found"))
    assert await janitor.purge() == 1
    assert await janitor.purge() == 0
    await store.close()
