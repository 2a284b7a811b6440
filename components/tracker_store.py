"""The engine's memory of conversations: in memory only, and only for as long as it is needed.

Rasa's default tracker store keeps every conversation, with every text it was sent, until the
engine stops. This one keeps a conversation while it is in use: one idle for ``idle_minutes``
(Haven's ENGINE_MEMORY_MINUTES) is dropped, and so are earlier sessions and, past
``max_events``, a conversation's oldest turns (its slots and active form are kept, so the
dialogue goes on). ``forget`` erases one conversation at once; the Haven channel calls it for
/forget (``POST /webhooks/haven/forget``). Nothing is written to disk.

A conversation is kept as its events, not as JSON: Rasa's in-memory store turns every tracker
into JSON on each save and back into events on each read, which cost more engine time per
message than the whole NLU pipeline (docs/architecture.md, "Engine capacity").

Configured in the endpoints file that ``bot/engine/services.py`` writes:
``tracker_store: {type: components.tracker_store.ExpiringTrackerStore, idle_minutes: 60}``.
With ENGINE_WORKERS above 1 the workers share ``ExpiringRedisTrackerStore`` instead: the same
expiry (Redis forgets the key), the same cap and the same ``forget``.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Iterable
from typing import Any

from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import InMemoryTrackerStore, RedisTrackerStore
from rasa.shared.core.constants import ACTION_LISTEN_NAME, ACTION_SESSION_START_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    Event,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

IDLE_MINUTES = 60.0
# About the last eight turns: the rules look back one or two, and every prediction, and every
# call to the action server, costs in proportion to the events kept (docs/architecture.md).
MAX_EVENTS = 50
MAX_SWEEP_SECONDS = 60.0


def latest_session(events: list[Event]) -> list[Event]:
    """The events of the last session (from its ``action_session_start``), or all of them."""
    for index in range(len(events) - 1, -1, -1):
        if isinstance(events[index], SessionStarted):
            before = events[index - 1] if index > 0 else None
            if isinstance(before, ActionExecuted) and before.action_name == (
                ACTION_SESSION_START_NAME
            ):
                index -= 1
            return events[index:]
    return events


def capped(tracker: DialogueStateTracker, events: list[Event], limit: int) -> list[Event]:
    """At most about ``limit`` events: the latest turns, after the state they start from.

    The dropped turns are replaced by what they left behind (slot values, the active form),
    so the dialogue continues where it was.
    """
    if len(events) <= limit:
        return events
    tail = events[-limit:]
    first_turn = next((i for i, e in enumerate(tail) if isinstance(e, UserUttered)), len(tail))
    tail = tail[first_turn:]
    stamp = tail[0].timestamp if tail else time.time()
    state: list[Event] = [
        ActionExecuted(ACTION_SESSION_START_NAME, timestamp=stamp),
        SessionStarted(timestamp=stamp),
    ]
    for name, slot in tracker.slots.items():
        if slot.value != slot.initial_value:
            state.append(SlotSet(name, slot.value, timestamp=stamp))
    if tracker.active_loop_name:
        state.append(ActiveLoop(tracker.active_loop_name, timestamp=stamp))
    state.append(ActionExecuted(ACTION_LISTEN_NAME, timestamp=stamp))
    return state + tail


def trimmed(store: Any, tracker: DialogueStateTracker, limit: int) -> DialogueStateTracker:
    """The tracker with only its latest session, capped at about ``limit`` events."""
    events = list(tracker.events)
    kept = capped(tracker, latest_session(events), limit)
    if len(kept) == len(events):
        return tracker
    smaller: DialogueStateTracker = store.init_tracker(tracker.sender_id)
    for event in kept:
        smaller.update(event, store.domain)
    return smaller


class ExpiringTrackerStore(InMemoryTrackerStore):
    """An in-memory tracker store that forgets idle conversations and old turns."""

    def __init__(
        self,
        domain: Domain | None = None,
        host: str | None = None,
        event_broker: EventBroker | None = None,
        idle_minutes: float = IDLE_MINUTES,
        max_events: int = MAX_EVENTS,
        **kwargs: Any,
    ) -> None:
        """Keep a conversation ``idle_minutes`` after its last message, ``max_events`` at most."""
        super().__init__(domain or Domain.empty(), event_broker, **kwargs)
        self.idle_seconds = float(idle_minutes) * 60
        self.max_events = int(max_events)
        self._last_saved: dict[str, float] = {}
        self._last_sweep = time.monotonic()
        self._sweeper: asyncio.Task[None] | None = None

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Keep the conversation's latest session, capped, and note when it was last used."""
        tracker = trimmed(self, tracker, self.max_events)
        await self.stream_events(tracker)
        self.store[tracker.sender_id] = tuple(tracker.events)  # type: ignore[assignment]
        self._last_saved[tracker.sender_id] = time.monotonic()
        if time.monotonic() - self._last_sweep >= self._pause:
            self.expire()
        self._start_sweeper()

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        """The conversation, unless it has been idle too long (then it is dropped)."""
        self._expire_one(sender_id)
        events: Any = self.store.get(sender_id)
        if events is None:
            return None
        return DialogueStateTracker.from_events(
            sender_id, list(events), self.domain.slots, self.max_event_history
        )

    async def retrieve_full_tracker(self, sender_id: str) -> DialogueStateTracker | None:
        """The conversation (this store keeps only its latest session)."""
        return await self.retrieve(sender_id)

    async def keys(self) -> Iterable[str]:
        """The conversations still kept."""
        self.expire()
        return list(self.store)

    async def forget(self, sender_id: str) -> bool:
        """Erase one conversation now; tell whether there was one."""
        self._last_saved.pop(sender_id, None)
        return self.store.pop(sender_id, None) is not None

    def expire(self) -> int:
        """Drop every conversation idle longer than the limit; return how many."""
        self._last_sweep = time.monotonic()
        cutoff = self._last_sweep - self.idle_seconds
        idle = [s for s, at in self._last_saved.items() if at <= cutoff]
        idle += [s for s in self.store if s not in self._last_saved]
        for sender in idle:
            self._last_saved.pop(sender, None)
            self.store.pop(sender, None)
        return len(idle)

    def _expire_one(self, sender_id: str) -> None:
        at = self._last_saved.get(sender_id)
        if at is None or time.monotonic() - at >= self.idle_seconds:
            self._last_saved.pop(sender_id, None)
            self.store.pop(sender_id, None)

    def _start_sweeper(self) -> None:
        """Expire idle conversations even when nobody writes (once, on the running loop)."""
        if self._sweeper is None or self._sweeper.done():
            with contextlib.suppress(RuntimeError):
                self._sweeper = asyncio.get_running_loop().create_task(self._sweep())

    @property
    def _pause(self) -> float:
        """How often idle conversations are looked for: a tenth of the limit, at most a minute."""
        return min(MAX_SWEEP_SECONDS, max(0.5, self.idle_seconds / 10))

    async def _sweep(self) -> None:
        while True:
            await asyncio.sleep(self._pause)
            self.expire()


async def erase(store: Any, sender_id: str) -> bool | None:
    """Erase a conversation from ``store`` and the wrappers around it (Rasa wraps the store
    in a fail-safe one with an in-memory fallback); None if no store here can erase."""
    erased: bool | None = None
    seen = 0
    while store is not None and seen < 5:
        seen += 1
        forget = getattr(store, "forget", None)
        if callable(forget) and asyncio.iscoroutinefunction(forget):
            erased = bool(await forget(sender_id)) or bool(erased)
        elif isinstance(store, InMemoryTrackerStore):
            erased = store.store.pop(sender_id, None) is not None or bool(erased)
        fallback = getattr(store, "_fallback_tracker_store", None)
        if isinstance(fallback, InMemoryTrackerStore):
            erased = fallback.store.pop(sender_id, None) is not None or bool(erased)
        store = getattr(store, "_tracker_store", None)
    return erased


class ExpiringRedisTrackerStore(RedisTrackerStore):
    """The same memory in Redis, shared by several engine workers (ENGINE_WORKERS above 1).

    Redis forgets a conversation ``idle_minutes`` after it was last saved (the key's expiry);
    a conversation keeps only its latest session, capped at ``max_events``, and ``forget``
    erases it at once. Rasa's own Redis store merges every save with the stored history; this
    one replaces it, since only the latest session is kept anyway.
    """

    def __init__(
        self,
        domain: Domain | None = None,
        host: str = "127.0.0.1",
        port: int = 6379,
        db: int = 0,
        password: str | None = None,
        event_broker: EventBroker | None = None,
        idle_minutes: float = IDLE_MINUTES,
        max_events: int = MAX_EVENTS,
        **kwargs: Any,
    ) -> None:
        """Connect to Redis; conversations expire ``idle_minutes`` after their last message."""
        super().__init__(
            domain or Domain.empty(),
            host=host,
            port=int(port),
            db=int(db),
            password=password or None,
            event_broker=event_broker,
            record_exp=float(idle_minutes) * 60,
            **kwargs,
        )
        self.max_events = int(max_events)

    async def save(self, tracker: DialogueStateTracker, timeout: float | None = None) -> None:
        """Replace the stored conversation with its latest session, capped; renew its expiry."""
        tracker = trimmed(self, tracker, self.max_events)
        self.red.set(
            self.key_prefix + tracker.sender_id,
            self.serialise_tracker(tracker),
            ex=max(1, round(timeout or self.record_exp or IDLE_MINUTES * 60)),
        )

    async def forget(self, sender_id: str) -> bool:
        """Erase one conversation now; tell whether there was one."""
        return bool(self.red.delete(self.key_prefix + sender_id))
