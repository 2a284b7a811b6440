"""Deliver queued messages exactly once, in order per chat, and say what could not be delivered.

Alerts, relays and staff replies are written to the store first; this loop sends them.

- Exactly once: a message Telegram accepted is never sent again. Acceptance is kept in memory
  first; if the store cannot record it (disk full, locked), the row is left out of the queue
  while the write is retried with backoff, and staff are alarmed if that persists.
- Nothing loops without a delay: any failure of an attempt, of its bookkeeping or of a whole
  pass backs off, in memory when the store cannot hold the delay.
- Refusals by kind, none blocking: a text over the limit is clipped with a note (long texts are
  split when queued), a copy whose source is gone becomes a notice, a migrated group is
  followed, a user who blocked the bot is noted on the case, anything else permanent is
  dead-lettered after ``dead_after`` tries. A dead message leaves the queue, so the messages
  behind it go on, in order; ``Reports`` (bot/desk/alarms.py) tells staff about each.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from typing import Protocol

from bot.core.errors import (
    Blocked,
    ChatMigrated,
    DeliveryError,
    RateLimited,
    Refused,
    SourceGone,
    TooLong,
)
from bot.core.replies import clip
from bot.core.texts import t
from bot.delivery.accepted import AcceptedLedger
from bot.delivery.backoff import BASE_DELAY, MAX_DELAY, STORE_RETRY_CAP, backoff
from bot.delivery.janitor import READ_THEN_DELETE_SECONDS
from bot.delivery.waiters import Delivery, Outcome, Waiters
from bot.store import OutboxItem, now
from bot.store.delivery_records import DeliveryRecords

__all__ = ["CLIP_LIMIT", "LogReports", "Outbox", "Reports", "Send", "reason"]

log = logging.getLogger(__name__)

Send = Callable[[OutboxItem], Awaitable[int | None]]

IDLE_WAIT = 1.0
MIN_WAIT = 0.05
DEAD_AFTER = 5
"""Tries before a permanently refused message is given up (blocked users: at once)."""
STORE_ALARM_AFTER = 3
"""Consecutive store failures before staff are alarmed (each failure is logged)."""
STOP_GRACE = 5.0
CLIP_LIMIT = 3500
"""UTF-16 units a text refused as too long is clipped to, well under Telegram's 4096."""


def reason(error: DeliveryError | None, lang: str) -> str:
    """Why a message did not get through, in words for staff."""
    if error is None:
        return t("staff.why_waiting", lang)
    if isinstance(error, Blocked):
        return t("staff.why_blocked", lang)
    if isinstance(error, TooLong):
        return t("staff.why_too_long", lang)
    if isinstance(error, SourceGone):
        return t("staff.why_gone", lang)
    if isinstance(error, Refused):
        return t("staff.why_refused", lang, detail=str(error))
    if isinstance(error, RateLimited):
        return t("staff.why_rate_limited", lang, seconds=error.retry_after or 0)
    return t("staff.why_transient", lang, detail=str(error))


class Reports(Protocol):
    """What the outbox tells staff about; bot/desk/alarms.py implements it."""

    async def undelivered(self, item: OutboxItem, error: DeliveryError) -> None:
        """A message was given up."""

    async def blocked(self, item: OutboxItem) -> None:
        """A user refuses the bot's messages."""

    async def chat_moved(self, old_chat: int, new_chat: int) -> None:
        """A group became a supergroup; its rows were moved already."""

    async def group_refused(self, item: OutboxItem, error: DeliveryError) -> None:
        """A group refuses the bot (removed, no rights); its rows stay queued."""

    async def delivered_late(self, case_id: int | None) -> None:
        """A staff reply reported as queued has been delivered."""

    async def replacement(self, item: OutboxItem, error: DeliveryError) -> str:
        """The text to send instead: a notice for a lost copy, or the clipped text."""

    async def store_failing(self, error: Exception) -> None:
        """The store keeps failing."""

    async def store_recovered(self) -> None:
        """The store works again."""


class LogReports:
    """Reports to the log only: for an outbox without a staff group (tests, tools)."""

    async def undelivered(self, item: OutboxItem, error: DeliveryError) -> None:
        """Log it."""
        log.error("outbox %s #%s given up: %s", item.kind, item.id, error)

    async def blocked(self, item: OutboxItem) -> None:
        """Log it."""
        log.warning("outbox: chat of case %s refuses the bot", item.case_id)

    async def chat_moved(self, old_chat: int, new_chat: int) -> None:
        """Log it."""
        log.warning("outbox: chat %s moved to %s", old_chat, new_chat)

    async def group_refused(self, item: OutboxItem, error: DeliveryError) -> None:
        """Log it."""
        log.critical("outbox: group %s refuses the bot: %s", item.chat_id, error)

    async def delivered_late(self, case_id: int | None) -> None:
        """Nothing to do."""

    async def replacement(self, item: OutboxItem, error: DeliveryError) -> str:
        """A bare clip, or a bare notice."""
        if item.copy_message_id is not None:
            return f"[case {item.case_id}: a copied message was gone]"
        return clip(item.text, CLIP_LIMIT, always=True)

    async def store_failing(self, error: Exception) -> None:
        """Log it."""
        log.critical("outbox: the store keeps failing: %s", error)

    async def store_recovered(self) -> None:
        """Log it."""
        log.warning("outbox: the store works again")


class Outbox:
    """The delivery loop; ``wake()`` after queueing something to send it at once."""

    def __init__(
        self,
        store: DeliveryRecords,
        send: Send,
        base_delay: float = BASE_DELAY,
        max_delay: float = MAX_DELAY,
        *,
        reports: Reports | None = None,
        dead_after: int = DEAD_AFTER,
        discreet_delete_in: float = READ_THEN_DELETE_SECONDS,
    ) -> None:
        """Deliver from ``store`` through ``send`` (which returns the sent message id)."""
        self._store = store
        self._send = send
        self._base = base_delay
        self._cap = max_delay
        self.reports: Reports = reports or LogReports()
        self._dead_after = dead_after
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self._accepted = AcceptedLedger(store, discreet_delete_in)
        self._held: dict[int, float] = {}
        self._tries: dict[int, int] = {}
        self._errors: dict[int, DeliveryError] = {}
        self._clipped: set[int] = set()
        self._waiters = Waiters()
        self._store_failures = 0
        self._store_alarmed = False
        self._progress = False
        self.last_error: tuple[datetime, str] | None = None

    # Running -------------------------------------------------------------------------

    def wake(self) -> None:
        """Look at the queue now instead of at the next tick."""
        self._wake.set()

    def start(self) -> None:
        """Run the delivery loop in the background."""
        if self._task is None:
            self._stopping = False
            self._task = asyncio.create_task(self._run(), name="haven-outbox")

    async def stop(self) -> None:
        """Let the attempt in flight finish, stop, and record what was accepted meanwhile.

        Anything unsent stays queued for the next start. Cutting a send short could leave
        Telegram holding a message the store thinks unsent, which the next start would send
        again, so the loop gets a moment to finish first.
        """
        if self._task is not None:
            self._stopping = True
            self.wake()
            with contextlib.suppress(TimeoutError, asyncio.CancelledError):
                await asyncio.wait_for(asyncio.shield(self._task), STOP_GRACE)
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        await self._record_accepted(force=True)
        if self._accepted:
            log.error(
                "outbox: %d delivered messages could not be recorded before stopping; the "
                "next start will send them again",
                len(self._accepted),
            )

    async def deliver_due(self) -> int:
        """Try every message that is due once; return how many were sent."""
        failures = self._store_failures
        await self._record_accepted()
        clock = time.monotonic()
        due = [
            item
            for item in await self._store.pending(skip=self._accepted.ids())
            if self._held.get(item.id, 0.0) <= clock
        ]
        # One row per chat, each chat on its own: a group waiting out its limit (20 a
        # minute) never holds back a person's private chat, nor one person another.
        outcomes = await asyncio.gather(
            *(self._attempt(item) for item in due if not self._stopping), return_exceptions=True
        )
        errors = [o for o in outcomes if isinstance(o, BaseException)]
        if errors:
            raise errors[0]
        sent = sum(1 for o in outcomes if o is True)
        if self._store_failures == failures and not self._accepted:
            await self._store_fine()
        return sent

    async def _run(self) -> None:
        failures = 0
        while not self._stopping:
            self._progress = False
            self._wake.clear()  # a wake() from here on means: look again at once
            try:
                sent = await self.deliver_due()
                failures = 0
            except Exception as exc:
                failures += 1
                log.exception("outbox pass failed; retrying")
                await self._store_trouble(exc)
                await self._pause(backoff(failures - 1, 0.5, STORE_RETRY_CAP))
                continue
            if sent or self._progress:
                continue
            await self._sleep_until_due()

    async def _sleep_until_due(self) -> None:
        wait = IDLE_WAIT
        try:
            next_at = await self._store.next_attempt_at(skip=self._accepted.ids() | set(self._held))
        except Exception:
            next_at = None  # the next pass reports the failure
        if next_at is not None:
            wait = min(wait, (next_at - now()).total_seconds())
        clock = time.monotonic()
        for deadline in (*self._held.values(), *self._accepted.retry_times()):
            wait = min(wait, deadline - clock)
        await self._pause(wait)

    async def _pause(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), timeout=max(seconds, MIN_WAIT))

    # One attempt ---------------------------------------------------------------------

    async def _attempt(self, item: OutboxItem) -> bool:
        """Send one row; whatever goes wrong ends in a recorded (or held) delay."""
        try:
            message_id = await self._send(item)
        except DeliveryError as exc:
            await self._failed(item, exc)
            return False
        except Exception as exc:
            log.exception("outbox %s #%s: the send failed unexpectedly", item.kind, item.id)
            await self._failed(item, DeliveryError(f"{type(exc).__name__}: {exc}"))
            return False
        await self._accept(item, message_id)
        return True

    async def _accept(self, item: OutboxItem, message_id: int | None) -> None:
        """Telegram has it: never send it again, whatever the store says next."""
        self._forget(item.id)
        entry = self._accepted.add(item, message_id)
        log.info("outbox delivered %s #%s (case %s)", item.kind, item.id, item.case_id)
        failure = await self._accepted.record(entry)
        if failure is not None:
            await self._store_trouble(failure)
        await self._settle(item, Delivery(Outcome.SENT))

    async def _failed(self, item: OutboxItem, exc: DeliveryError) -> None:
        """Decide what a failed attempt means, by kind of failure."""
        self.last_error = (now(), f"{item.kind}: {exc}")
        self._errors[item.id] = exc
        # Counted here too: when the store cannot record a failure, the delays still grow.
        tries = max(item.attempts, self._tries.get(item.id, 0))
        self._tries[item.id] = tries + 1
        if isinstance(exc, ChatMigrated):
            await self._moved(item, exc)
        elif isinstance(exc, TooLong) and item.copy_message_id is None:
            if item.id in self._clipped:
                await self._dead(item, exc)
            else:
                await self._replace(item, exc, clipped=True)
        elif isinstance(exc, SourceGone) and item.copy_message_id is not None:
            await self._replace(item, exc, clipped=False)
        elif isinstance(exc, Blocked) and item.chat_id > 0:
            await self._report("blocked", self.reports.blocked(item))
            await self._dead(item, exc)
        elif isinstance(exc, Blocked):
            # A group refuses the bot: alerts must not vanish, so they wait for it to return.
            await self._report("group refused", self.reports.group_refused(item, exc))
            await self._retry(item, exc, self._cap)
        elif exc.permanent:
            if tries + 1 >= self._dead_after:
                await self._dead(item, exc)
            else:
                await self._retry(item, exc, backoff(tries, self._base, self._cap))
        elif exc.retry_after is not None:
            await self._retry(item, exc, exc.retry_after)
        else:
            await self._retry(item, exc, backoff(tries, self._base, self._cap))

    def _forget(self, item_id: int) -> None:
        """The row is settled: drop what was kept in memory about its attempts."""
        self._held.pop(item_id, None)
        self._errors.pop(item_id, None)
        self._tries.pop(item_id, None)
        self._clipped.discard(item_id)

    async def _retry(self, item: OutboxItem, exc: DeliveryError, delay: float) -> None:
        """Try again after ``delay``; the delay holds in memory if the store cannot keep it."""
        self._held[item.id] = time.monotonic() + delay
        log.warning(
            "outbox %s #%s: %s; retry in %.1fs (attempt %d)",
            item.kind,
            item.id,
            exc,
            delay,
            self._tries.get(item.id, item.attempts + 1),
        )
        try:
            await self._store.mark_failed(item, str(exc), delay)
        except Exception as store_exc:
            log.error(
                "outbox %s #%s: could not record the failure: %s", item.kind, item.id, store_exc
            )
            await self._store_trouble(store_exc)

    async def _dead(self, item: OutboxItem, exc: DeliveryError) -> None:
        """Give up on a row: out of the queue, staff told; its chat's next rows go on."""
        log.error(
            "outbox %s #%s given up after %d tries: %s",
            item.kind,
            item.id,
            self._tries.get(item.id, item.attempts + 1),
            exc,
        )
        try:
            await self._store.mark_dead(item, str(exc))
        except Exception as store_exc:
            # Still live in the store: it will be tried (and refused) again later, and only
            # reported once it is recorded as dead.
            self._held[item.id] = time.monotonic() + backoff(0, 0.5, STORE_RETRY_CAP)
            log.error(
                "outbox %s #%s: could not record it as dead: %s", item.kind, item.id, store_exc
            )
            await self._store_trouble(store_exc)
            return
        self._forget(item.id)
        self._progress = True
        if not self._waiters.waiting(item.id):  # a caseworker waiting on it is told directly
            await self._report("undelivered", self.reports.undelivered(item, exc))
        await self._settle(item, Delivery(Outcome.DEAD, exc))

    async def _replace(self, item: OutboxItem, exc: DeliveryError, clipped: bool) -> None:
        """Send something else in the row's place, at once and in its place in the order."""
        try:
            text = await self.reports.replacement(item, exc)
            await self._store.rewrite(item, text)
        except Exception as store_exc:
            log.exception("outbox %s #%s: could not replace it", item.kind, item.id)
            await self._store_trouble(store_exc)
            self._held[item.id] = time.monotonic() + backoff(0, 0.5, STORE_RETRY_CAP)
            return
        if clipped:
            self._clipped.add(item.id)
        self._held.pop(item.id, None)
        self._progress = True
        log.warning("outbox %s #%s: %s; sending a replacement", item.kind, item.id, exc)

    async def _moved(self, item: OutboxItem, exc: ChatMigrated) -> None:
        """Telegram refused a row because its group moved: follow it, then try again at once."""
        try:
            await self.follow(item.chat_id, exc.new_chat_id)
        except Exception as store_exc:
            log.exception("outbox: could not move chat %s", item.chat_id)
            await self._store_trouble(store_exc)
            self._held[item.id] = time.monotonic() + backoff(0, 0.5, STORE_RETRY_CAP)
            return
        self._held.pop(item.id, None)
        self._progress = True

    async def follow(self, old_chat: int, new_chat: int) -> None:
        """A group became a supergroup: its queued rows go to the new id, in the same order.

        Called when Telegram refuses a send with the new id, or when the group's migration
        message arrives first; the second call finds nothing left to move and tells no one.
        """
        known = await self._store.moved_to(old_chat) == new_chat
        moved = await self._store.move_chat(old_chat, new_chat)
        log.warning("outbox: chat %s moved to %s (%d queued)", old_chat, new_chat, moved)
        self.wake()
        if not known:
            await self._report("chat moved", self.reports.chat_moved(old_chat, new_chat))

    async def _report(self, what: str, report: Awaitable[None]) -> None:
        """Tell staff; a failure to tell is logged, never a reason to resend."""
        try:
            await report
        except Exception:
            log.exception("outbox: could not report %s", what)

    # Bookkeeping ---------------------------------------------------------------------

    async def _record_accepted(self, force: bool = False) -> None:
        """Record the acceptances due (all with ``force``); a failing store is alarmed."""
        for failure in await self._accepted.record_due(force):
            await self._store_trouble(failure)

    async def _store_trouble(self, exc: Exception) -> None:
        self._store_failures += 1
        if self._store_failures >= STORE_ALARM_AFTER and not self._store_alarmed:
            self._store_alarmed = True
            await self._report("store failing", self.reports.store_failing(exc))

    async def _store_fine(self) -> None:
        self._store_failures = 0
        if self._store_alarmed:
            self._store_alarmed = False
            await self._report("recovery", self.reports.store_recovered())

    # What others ask -----------------------------------------------------------------

    @property
    def unrecorded(self) -> int:
        """Messages delivered whose delivery the store has not recorded yet."""
        return len(self._accepted)

    def case_for_message(self, chat_id: int, message_id: int) -> int | None:
        """The case of a message delivered but not yet recorded (a reply to it must work)."""
        return self._accepted.case_for_message(chat_id, message_id)

    async def wait(
        self, ids: Sequence[int], timeout: float, case_id: int | None = None
    ) -> Delivery:
        """Wait up to ``timeout`` seconds for rows' outcome: all sent, one dead, or queued.

        Rows still queued when the time is up are reported to staff when they arrive
        (``Reports.delivered_late``), or when they are given up (``Reports.undelivered``).
        """
        return await self._waiters.wait(ids, timeout, case_id, self._errors)

    async def _settle(self, item: OutboxItem, delivery: Delivery) -> None:
        late = self._waiters.settle(item.id, delivery)
        if late is not None:
            await self._report("late delivery", self.reports.delivered_late(late.case_id))
