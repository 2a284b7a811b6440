"""Build Haven's parts once, the same way for Telegram and for the console chat."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from bot.alarms import Alarms
from bot.canned import CannedReplies, load_canned
from bot.checkin import CheckIns
from bot.conversation import Conversation
from bot.core.datafile import Reloading
from bot.core.errors import CannedError, ConfigError, DeliveryError
from bot.core.facts import FactsStore
from bot.core.jobcheck import job_texts_file
from bot.core.languages import LanguagesFile
from bot.core.triage import SafetyNetFile
from bot.digest import BurstDigest, Room, unlimited
from bot.discreet import Delete, Janitor
from bot.engine import Engine
from bot.flowrunner import FlowRunner
from bot.flows import FlowServices
from bot.health import Health
from bot.intake import CaseIntake
from bot.ladder import EscalationLadder
from bot.langid import LanguageId
from bot.metrics import MetricsEndpoint
from bot.outbox import Outbox, Send
from bot.phrasehash import upgrade_stored
from bot.pseudonym import pseudonym_key
from bot.retention import Edit, Retention, RetentionPolicy
from bot.roster import StaffRoster
from bot.routing import StaffRouter
from bot.settings import Settings
from bot.staff import StaffDesk
from bot.staffgroup import StaffGroup
from bot.stats import DeskStats
from bot.store import CaseStore, KeySource
from bot.topics import CaseTopics, Forum

log = logging.getLogger(__name__)

CONSOLE_STAFF_CHAT = 0
MESSAGES_PER_CASE = {True: 3, False: 1}
"""Group messages until staff see a new case: topic, alert and General notice, or the alert."""


@dataclass
class Haven:
    """Everything a handler needs, opened at start-up and closed at shutdown."""

    settings: Settings
    store: CaseStore
    engine: Engine | None
    outbox: Outbox
    desk: StaffDesk
    roster: StaffRoster
    conversation: Conversation
    checkins: CheckIns
    janitor: Janitor
    retention: Retention
    intake: CaseIntake
    alarms: Alarms
    health: Health
    topics: CaseTopics
    ladder: EscalationLadder
    stats: DeskStats
    metrics: MetricsEndpoint | None = None

    async def close(self) -> None:
        """Stop delivery and close connections; queued messages stay in the store."""
        if self.metrics is not None:
            self.metrics.stop()
        await self.outbox.stop()
        if self.engine is not None:
            await self.engine.close()
        await self.store.close()


def data_keys(settings: Settings) -> KeySource:
    """Where the data key that seals the store comes from (HAVEN_DATA_KEY, or its file)."""
    return KeySource(settings.data_key_path, env=settings.data_key)


async def preflight(settings: Settings) -> None:
    """Refuse now what ``open_haven`` would refuse, before the half-minute engine start.

    A missing or broken content file, an unreadable database, one a newer Haven wrote, or a
    lost or wrong data key each raise a HavenError saying what to do; nothing is changed.
    """
    FactsStore(settings.content_dir / "facts.yml", settings.content_dir / "countries.yml").current()
    SafetyNetFile(settings.content_dir / "safety_net.yml").current()
    job_texts_file().current()
    LanguagesFile(settings.content_dir / "languages.yml").current()
    Reloading(load_canned, settings.content_dir / "canned.yml", error=CannedError).current()
    store = await CaseStore.open(settings.database_path, data_keys(settings))
    await store.close()


async def open_haven(
    settings: Settings,
    send: Send,
    roster: StaffRoster,
    delete: Delete,
    edit: Edit | None = None,
    forum: Forum | None = None,
    room: Room | None = None,
) -> Haven:
    """Open the store, load the content files, and start the outbox.

    Whatever Haven cannot serve stops the start here with what to do: an unreadable or newer
    database, a lost data key, a missing or broken content file, no engine secret.
    ``edit(chat_id, message_id, text)`` replaces the text of a bot message (retention stubs
    copies of erased cases with it); without it, such copies are only deleted while they can be.
    ``forum`` manages the staff group's topics (None: no topics); ``room(chat)`` says how many
    messages the group takes now (None: no limit), for burst digests.
    """
    if not settings.engine_secret:
        raise ConfigError("no engine secret: set ENGINE_SECRET, or let Haven start the engine")
    facts = FactsStore(settings.content_dir / "facts.yml", settings.content_dir / "countries.yml")
    facts.current()
    net = SafetyNetFile(settings.content_dir / "safety_net.yml")
    net.current()
    job_texts = job_texts_file()
    job_texts.current()
    languages = LanguagesFile(settings.content_dir / "languages.yml")
    languages.current()
    store = await CaseStore.open(settings.database_path, data_keys(settings))
    await upgrade_stored(store)
    engine = Engine(
        settings.rasa_url, settings.engine_timeout, settings.engine_secret, pseudonym_key(settings)
    )
    canned = CannedReplies(settings.content_dir / "canned.yml", facts)
    canned.entries()
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
    lang = settings.staff_language
    group = StaffGroup(staff_chat)
    topics = CaseTopics(store, forum, group, lang)
    digest = BurstDigest(
        store, send, group, lang, room or unlimited, lambda: MESSAGES_PER_CASE[topics.on]
    )
    router = StaffRouter(
        store, send, group, lang, topics, digest, roster, settings.staff_supervisor_ids
    )
    outbox = Outbox(store, router)
    desk = StaffDesk(
        store, outbox, group, lang, roster, topics, canned, undo_seconds=settings.topic_undo_seconds
    )
    alarms = Alarms(store, send, outbox, desk, lang, settings.staff_user_ids)
    outbox.reports = alarms
    contents = (facts, net, job_texts, languages, canned.file)
    for holder in contents:
        holder.on_problem = alarms.content_problem
    stats = DeskStats(store, lang, settings.staff_hours.zone)
    ladder = EscalationLadder(
        store,
        outbox,
        group,
        lang,
        topics,
        stats,
        facts,
        realert=timedelta(minutes=settings.realert_minutes),
        supervisors_after=timedelta(minutes=settings.supervisor_minutes),
        supervisors=settings.staff_supervisor_ids,
        hours=settings.staff_hours,
    )
    intake = CaseIntake(store, desk, outbox, facts, lang, alarms, expect=ladder.what_to_expect)
    health = Health(
        store, outbox, desk, alarms, engine, contents, lang, settings.alert_alarm_minutes
    )
    checkins = CheckIns(store, intake)
    janitor = Janitor(store, delete)
    flows = FlowRunner(FlowServices(store, intake, facts, settings.checkin_grace_minutes))
    policy = RetentionPolicy.from_settings(settings)
    retention = Retention(
        store, policy, delete, edit or _cannot_edit, outbox, settings.staff_language
    )
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
        retention=retention,
        langid=LanguageId(languages),
    )
    metrics = None
    if settings.metrics_port is not None:
        metrics = MetricsEndpoint(stats, settings.metrics_port)
        metrics.start()
    outbox.start()
    return Haven(
        settings,
        store,
        engine,
        outbox,
        desk,
        roster,
        conversation,
        checkins,
        janitor,
        retention,
        intake,
        alarms,
        health,
        topics,
        ladder,
        stats,
        metrics,
    )


async def _cannot_edit(chat_id: int, message_id: int, text: str) -> None:
    """Where nothing can be edited (the console chat): the copy is left as it is."""
    raise DeliveryError("this front end cannot edit messages", permanent=True)
