"""Build Haven's parts once, the same way for Telegram and for the console chat."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.alarms import Alarms
from bot.checkin import CheckIns
from bot.conversation import Conversation
from bot.core.errors import ConfigError
from bot.core.facts import FactsStore
from bot.core.jobcheck import job_texts_file
from bot.core.triage import SafetyNetFile
from bot.discreet import Delete, Janitor
from bot.engine import Engine
from bot.flowrunner import FlowRunner
from bot.flows import FlowServices
from bot.health import Health
from bot.intake import CaseIntake
from bot.outbox import Outbox, Send
from bot.pseudonym import pseudonym_key
from bot.settings import Settings
from bot.staff import StaffDesk
from bot.store import CaseStore

log = logging.getLogger(__name__)

CONSOLE_STAFF_CHAT = 0


@dataclass
class Haven:
    """Everything a handler needs, opened at start-up and closed at shutdown."""

    settings: Settings
    store: CaseStore
    engine: Engine | None
    outbox: Outbox
    desk: StaffDesk
    conversation: Conversation
    checkins: CheckIns
    janitor: Janitor
    intake: CaseIntake
    alarms: Alarms
    health: Health

    async def close(self) -> None:
        """Stop delivery and close connections; queued messages stay in the store."""
        await self.outbox.stop()
        if self.engine is not None:
            await self.engine.close()
        await self.store.close()


async def preflight(settings: Settings) -> None:
    """Refuse now what ``open_haven`` would refuse, before the half-minute engine start.

    A missing or broken content file, an unreadable database or one a newer Haven wrote each
    raise a HavenError saying what to do; nothing is changed.
    """
    FactsStore(settings.content_dir / "facts.yml", settings.content_dir / "countries.yml").current()
    SafetyNetFile(settings.content_dir / "safety_net.yml").current()
    job_texts_file().current()
    store = await CaseStore.open(settings.database_path)
    await store.close()


async def open_haven(
    settings: Settings,
    send: Send,
    is_staff: Callable[[int], Awaitable[bool]],
    delete: Delete,
) -> Haven:
    """Open the store, load facts and the safety net, and start the outbox.

    Whatever Haven cannot serve stops the start here with what to do: an unreadable or newer
    database, a missing or broken content file, no engine secret.
    """
    if not settings.engine_secret:
        raise ConfigError("no engine secret: set ENGINE_SECRET, or let Haven start the engine")
    facts = FactsStore(settings.content_dir / "facts.yml", settings.content_dir / "countries.yml")
    facts.current()
    net = SafetyNetFile(settings.content_dir / "safety_net.yml")
    net.current()
    job_texts = job_texts_file()
    job_texts.current()
    store = await CaseStore.open(settings.database_path)
    engine = Engine(
        settings.rasa_url, settings.engine_timeout, settings.engine_secret, pseudonym_key(settings)
    )
    outbox = Outbox(store, send)
    configured = (
        settings.staff_chat_id if settings.staff_chat_id is not None else CONSOLE_STAFF_CHAT
    )
    staff_chat = await store.moved_to(configured)
    if staff_chat != configured:
        log.warning(
            "the staff group %s became %s (a supergroup): set STAFF_CHAT_ID=%s",
            configured,
            staff_chat,
            staff_chat,
        )
    desk = StaffDesk(store, outbox, staff_chat, settings.staff_language, is_staff)
    alarms = Alarms(store, send, outbox, desk, settings.staff_language, settings.staff_user_ids)
    outbox.reports = alarms
    for holder in (facts, net, job_texts):
        holder.on_problem = alarms.content_problem
    intake = CaseIntake(store, desk, outbox, facts, settings.staff_language, alarms)
    health = Health(
        store,
        outbox,
        desk,
        alarms,
        engine,
        (facts, net, job_texts),
        settings.staff_language,
        settings.alert_alarm_minutes,
    )
    checkins = CheckIns(store, intake)
    janitor = Janitor(store, delete)
    flows = FlowRunner(FlowServices(store, intake, facts, settings.checkin_grace_minutes))
    conversation = Conversation(
        store=store,
        engine=engine,
        facts=facts,
        net=net,
        intake=intake,
        flows=flows,
        checkins=checkins,
        janitor=janitor,
        distress_threshold=settings.distress_threshold,
    )
    outbox.start()
    return Haven(
        settings,
        store,
        engine,
        outbox,
        desk,
        conversation,
        checkins,
        janitor,
        intake,
        alarms,
        health,
    )


class MembershipCache:
    """Staff checks ask Telegram at most once a minute per user."""

    def __init__(self, check: Callable[[int], Awaitable[bool]], ttl: float = 60.0) -> None:
        """Cache the answers of ``check`` for ``ttl`` seconds."""
        self._check = check
        self._ttl = ttl
        self._answers: dict[int, tuple[float, bool]] = {}

    async def __call__(self, user_id: int) -> bool:
        """Tell whether ``user_id`` is staff now."""
        cached = self._answers.get(user_id)
        if cached is not None and time.monotonic() - cached[0] < self._ttl:
            return cached[1]
        answer = await self._check(user_id)
        self._answers[user_id] = (time.monotonic(), answer)
        return answer
