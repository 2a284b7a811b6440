"""Build Haven's parts once, the same way for Telegram and for the console chat."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from bot.chat.checkin import CheckIns
from bot.chat.conversation import Conversation
from bot.chat.flowrunner import FlowRunner
from bot.chat.flows import FlowServices
from bot.chat.phrasehash import upgrade_stored
from bot.chat.pictures import Pictures
from bot.common.langid import LanguageId
from bot.common.roster import StaffRoster
from bot.common.settings import Settings
from bot.common.staffgroup import StaffGroup
from bot.core.datafile import Reloading
from bot.core.errors import ConfigError, DeliveryError, PackError
from bot.core.facts import FactsStore
from bot.core.jobcheck import JobTexts, job_texts_file
from bot.core.languages import LanguagesFile
from bot.core.packs import gaps
from bot.core.triage import SafetyNetFile
from bot.delivery.backoff import BASE_DELAY, MAX_DELAY
from bot.delivery.digest import BurstDigest, Room, unlimited
from bot.delivery.discretion import Discretion
from bot.delivery.janitor import Delete, Janitor
from bot.delivery.outbox import Outbox, Send
from bot.delivery.retention import Edit, Retention, RetentionPolicy
from bot.delivery.routing import StaffRouter
from bot.delivery.topics import CaseTopics, Forum
from bot.desk.alarms import Alarms
from bot.desk.backups import BackupSchedule
from bot.desk.canned import CannedReplies
from bot.desk.health import Health
from bot.desk.intake import CaseIntake
from bot.desk.ladder import EscalationLadder
from bot.desk.metrics import MetricsEndpoint
from bot.desk.staff import StaffDesk, open_desk
from bot.desk.stalefacts import StaleFacts
from bot.desk.stats import DeskStats
from bot.desk.words import REPLY_WAIT
from bot.engine.client import Engine
from bot.engine.gate import EngineGate, engine_width
from bot.engine.ocr import TextReader
from bot.engine.pseudonym import pseudonym_key
from bot.store import CaseStore, KeySource
from bot.store.erasure import namer

__all__ = [
    "Contents",
    "Haven",
    "Tuning",
    "data_keys",
    "load_contents",
    "open_haven",
    "preflight",
    "wire",
]

log = logging.getLogger(__name__)

CONSOLE_STAFF_CHAT = 0
MESSAGES_PER_CASE = {True: 3, False: 1}
"""Group messages until staff see a new case: topic, alert and General notice, or the alert."""


@dataclass(frozen=True)
class Contents:
    """The staff-edited content files, each loaded once and re-read when it changes."""

    facts: FactsStore
    net: SafetyNetFile
    job_texts: Reloading[JobTexts]
    languages: LanguagesFile
    canned: CannedReplies

    @property
    def files(self) -> tuple[Reloading[Any], ...]:
        """Every content file, for reload problems and /health."""
        return (self.facts, self.net, self.job_texts, self.languages, self.canned.file)


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
    flows: FlowRunner
    contents: Contents
    metrics: MetricsEndpoint | None = None
    backups: BackupSchedule | None = None
    """The scheduled backup (BACKUP_EVERY_HOURS), if any."""

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
    load_contents(settings.content_dir)
    store = await CaseStore.open(settings.database_path, data_keys(settings))
    await store.close()


def load_contents(content_dir: Path) -> Contents:
    """Load every content file now: a missing or broken one stops the start, saying which.

    So does a language pack that lacks a part (bot/core/packs.py ``gaps``): a language Haven
    answers in must say everything, and screen for danger, in that language.
    """
    facts = FactsStore(content_dir / "facts.yml", content_dir / "countries.yml")
    facts.current()
    net = SafetyNetFile(content_dir / "safety_net.yml")
    net.current()
    job_texts = job_texts_file()
    job_texts.current()
    languages = LanguagesFile(content_dir)
    languages.current()
    canned = CannedReplies(content_dir / "canned.yml", facts)
    canned.entries()
    missing = gaps(content_dir)
    if missing:
        raise PackError("the language packs are incomplete:\n  " + "\n  ".join(missing))
    return Contents(facts, net, job_texts, languages, canned)


@dataclass(frozen=True)
class Tuning:
    """Timings that are not settings: tests shorten them, the service keeps the defaults."""

    reply_wait: float = REPLY_WAIT
    outbox_base_delay: float = BASE_DELAY
    outbox_max_delay: float = MAX_DELAY


async def open_haven(
    settings: Settings,
    send: Send,
    roster: StaffRoster,
    delete: Delete,
    edit: Edit | None = None,
    forum: Forum | None = None,
    room: Room | None = None,
) -> Haven:
    """Open the store, load the content files, wire the parts, and start the outbox.

    Whatever Haven cannot serve stops the start here with what to do: an unreadable or newer
    database, a lost data key, a missing or broken content file, no engine secret.
    ``edit(chat_id, message_id, text)`` replaces the text of a bot message (retention stubs
    copies of erased cases with it); without it, such copies are only deleted while they can be.
    ``forum`` manages the staff group's topics (None: no topics); ``room(chat)`` says how many
    messages the group takes now (None: no limit), for burst digests.
    """
    if not settings.engine_secret:
        raise ConfigError("no engine secret: set ENGINE_SECRET, or let Haven start the engine")
    contents = load_contents(settings.content_dir)
    key = pseudonym_key(settings)
    store = await CaseStore.open(settings.database_path, data_keys(settings), names=namer(key))
    await upgrade_stored(store)
    engine = Engine(
        settings.rasa_url,
        settings.engine_timeout,
        settings.engine_secret,
        key,
        gate=EngineGate(engine_width(settings.engine_workers), settings.engine_queue_seconds),
    )
    haven = await wire(
        settings,
        store,
        engine,
        contents,
        send,
        roster,
        delete,
        edit,
        forum,
        room or unlimited,
        reader=TextReader.find(),  # without Tesseract: a warning, honest answers
    )
    if haven.metrics is not None:
        haven.metrics.start()
    haven.outbox.start()
    return haven


async def wire(
    settings: Settings,
    store: CaseStore,
    engine: Engine | None,
    contents: Contents,
    send: Send,
    roster: StaffRoster,
    delete: Delete,
    edit: Edit | None = None,
    forum: Forum | None = None,
    room: Room = unlimited,
    tuning: Tuning = Tuning(),
    reader: TextReader | None = None,
) -> Haven:
    """Build every part over an open store, the one way: the service and the tests use it.

    Nothing is started (the outbox loop, the metrics server); ``engine`` None answers with the
    safety net alone, ``reader`` None answers pictures honestly as unread.
    """
    facts = contents.facts
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
    digest = BurstDigest(store, send, group, lang, room, lambda: MESSAGES_PER_CASE[topics.on])
    discretion = Discretion(store)
    router = StaffRouter(
        store,
        send,
        group,
        lang,
        topics,
        digest,
        roster,
        settings.staff_supervisor_ids,
        discretion,
    )
    outbox = Outbox(
        store, router, base_delay=tuning.outbox_base_delay, max_delay=tuning.outbox_max_delay
    )
    desk = open_desk(
        store,
        outbox,
        group,
        lang,
        roster,
        topics,
        contents.canned,
        reply_wait=tuning.reply_wait,
        undo_seconds=settings.topic_undo_seconds,
    )
    alarms = Alarms(store, send, outbox, desk.access, lang, settings.staff_user_ids)
    outbox.reports = alarms
    for holder in contents.files:
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
    intake = CaseIntake(
        store,
        desk.access,
        desk.relays,
        desk.consents,
        outbox,
        facts,
        lang,
        alarms,
        expect=ladder.what_to_expect,
    )
    stale = StaleFacts(facts, alarms, settings.facts_stale_days, lang)
    health = Health(
        store,
        outbox,
        desk.access,
        alarms,
        engine,
        contents.files,
        lang,
        settings.alert_alarm_minutes,
        stale,
    )
    checkins = CheckIns(store, intake)
    janitor = Janitor(store, delete)
    flows = FlowRunner(FlowServices(store, intake, facts, settings.checkin_grace_minutes))
    policy = RetentionPolicy.from_settings(settings)
    retention = Retention(store, policy, delete, edit or _cannot_edit, outbox, lang)
    conversation = Conversation(
        store=store,
        engine=engine,
        facts=facts,
        net=contents.net,
        intake=intake,
        flows=flows,
        checkins=checkins,
        janitor=janitor,
        distress_threshold=settings.distress_threshold,
        retention=retention,
        langid=LanguageId(contents.languages),
        pictures=Pictures(reader),
        discretion=discretion,
    )
    metrics = None
    if settings.metrics_port is not None:
        metrics = MetricsEndpoint(stats, settings.metrics_port, health.verdict)
    backups = None
    if settings.backup_every_hours:
        backups = BackupSchedule(settings, data_keys(settings), alarms)
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
        flows,
        contents,
        metrics,
        backups,
    )


async def _cannot_edit(chat_id: int, message_id: int, text: str) -> None:
    """Where nothing can be edited (the console chat): the copy is left as it is."""
    raise DeliveryError("this front end cannot edit messages", permanent=True)
