"""`make bench`: reply latency, escalation latency, load, faults, memory and cold start, measured.

The bot is built exactly as `make run` builds it (``tests.conftest.start_harness``) and talks
to the Bot API stand-in on 127.0.0.1; the engine is the real Rasa server and action server.
Every timestamp is taken where a user would see it: a message is "in" when it is pushed to
the stand-in, and "answered" when the stand-in receives the bot's sendMessage. A benchmark
measures and does not judge timings, but it exits non-zero when a message was lost or
answered out of order, a distress message got no staff alert, or (fault phase) a queued
message was delivered twice or never.

Run from the repository root as ``python -m tests.bench`` (this package, ``tests/bench/``;
``--help`` lists the options). Results: a table on the console and ``reports/bench.json``;
logs in ``var/bench/``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import importlib.metadata
import json
import logging
import math
import os
import platform
import random
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import httpx
from telegram import Update
from telegram.ext import ContextTypes, TypeHandler

from bot.common.settings import ROOT, Settings
from bot.core.texts import TEXTS, t
from bot.engine.client import WEBHOOK, EngineResult, auth_header
from bot.engine.services import EnginePorts, EngineServices, free_port
from tests.bench.net import NetResult, measure_net, render_net
from tests.bench.pictures import PicturesResult, measure_pictures, render_pictures
from tests.conftest import (
    HAVEN_VARIABLES,
    STAFF_CHAT,
    STAFF_MEMBER,
    Harness,
    engine_workers,
    is_alert,
    make_settings,
    silent_server,
    start_harness,
    stop_harness,
)
from tests.telegram_stub import JSON, ApiError, BotApiStub, _Drop

log = logging.getLogger("bench")
T = TypeVar("T")

REPORT = ROOT / "reports" / "bench.json"
LOG_DIR = ROOT / "var" / "bench"
ENGINE_TIMEOUT = Settings().engine_timeout
WARMUP = 10
MESSAGES_PER_USER = 10  # latency phase: a fresh user every 10 messages keeps trackers short
SENDS_PER_SECOND = 30
"""Telegram's limit on a bot's messages overall, which the bot's rate limiter keeps to. The
latency phase stays under it: one message after another with a 10 ms engine asked for ~50
replies a second, so replies queued in the limiter and the phase timed that queue (7-9 ms
"after the engine" at p50) instead of the bot."""
EXCHANGE_TIMEOUT = 30.0
LOAD_TIMEOUT = 90.0
ALERT_TIMEOUT = ENGINE_TIMEOUT + 30.0
ALERT_DRAIN = 120.0
ALERTS_PER_BOT = 15  # the staff group may get 20 messages a minute (AIORateLimiter)
MAX_LOAD_MESSAGES = 10_000  # per user: every loop is bounded in count as well as in time
BURST_DEPTH = 5
FAULT_RATE = 0.05
FAULT_KINDS = ("429", "500", "drop")
FAULT_METHODS = frozenset({"sendMessage", "copyMessage"})
STAFF_REPLIES = 3  # per case in the fault phase, one after another, as a caseworker writes
PHASES = (
    "latency", "escalation", "alerts", "load", "fair", "burst", "faults", "pictures", "memory",
    "cold", "net",
)  # fmt: skip
WITHOUT_ENGINE = frozenset({"net"})  # phases that need no engine: run before it starts
COLD_READY_TIMEOUT = 300.0
COLD_ANSWER_TIMEOUT = 60.0
STOP_WAIT = 40.0
POLL = 0.005

# ~40 ordinary questions, alternating languages: greetings, contacts, red flags, job checks,
# travel advice, small talk. None trips the safety net or starts the guided job check.
ORDINARY: tuple[tuple[str, str], ...] = (
    ("en", "hi there"),
    ("ko", "안녕하세요"),
    ("en", "hello, what is this bot?"),
    ("ko", "이 봇은 뭐 하는 거예요?"),
    ("en", "good morning"),
    ("ko", "뭐 도와줄 수 있어요?"),
    ("en", "what can you do for me?"),
    ("ko", "캄보디아 대사관 전화번호 알려주세요"),
    ("en", "who runs this service?"),
    ("ko", "영사콜센터 번호가 뭐예요"),
    ("en", "what's the number of the korean embassy in cambodia?"),
    ("ko", "태국 경찰 신고 번호"),
    ("en", "emergency contacts please"),
    ("ko", "긴급 연락처 알려줘"),
    ("en", "police number in thailand"),
    ("ko", "해외 취업사기 특징이 뭐예요?"),
    ("en", "how do i contact the korean consulate in vietnam"),
    ("ko", "가짜 구인광고 어떻게 구별해요"),
    ("en", "what are the warning signs of a fake job abroad?"),
    ("ko", "해외 고수익 알바 사기 수법 알려줘"),
    ("en", "how can i tell if a job offer abroad is a scam"),
    ("ko", "해외취업 알선업체 등록됐는지 어떻게 확인해요?"),
    ("en", "red flags for overseas job ads"),
    ("ko", "회사가 진짜 있는 곳인지 확인하는 방법"),
    ("en", "how do i check if a recruitment agency is licensed?"),
    ("ko", "캄보디아 여행경보 단계 알려줘"),
    ("en", "how can i verify that a company really exists?"),
    ("ko", "시아누크빌 가도 안전해요?"),
    ("en", "is cambodia safe to travel right now?"),
    ("ko", "베트남 여행 위험한가요"),
    ("en", "travel warning for myanmar"),
    ("ko", "안녕"),
    ("en", "is it safe to visit laos these days"),
    ("ko", "고마워요"),
    ("en", "thanks a lot"),
    ("ko", "감사합니다 안녕히 계세요"),
    ("en", "thank you, bye"),
    ("ko", "오늘 날씨 어때"),
    ("en", "see you later"),
    ("ko", "맛집 추천해줘"),
    ("en", "tell me a joke"),
)

# Distress in both languages; every one is caught by the safety net alone (engine down).
DISTRESS: tuple[tuple[str, str], ...] = (
    ("ko", "여기 갇혀 있어요 도와주세요"),
    ("en", "help me please i am locked in"),
    ("ko", "여권을 뺏겼어요 못 나가요"),
    ("en", "they took my passport and wont let me leave"),
    ("ko", "감금당했어요 살려주세요"),
    ("en", "i am trapped in a compound in cambodia"),
    ("ko", "문을 밖에서 잠가요 나갈 수가 없어요"),
    ("en", "please help they beat us here"),
    ("ko", "저 지금 납치됐어요"),
    ("en", "i cant leave this building, they are watching me"),
    ("ko", "사장이 여권 가져가고 못 나가게 해요"),
    ("en", "we are being held against our will"),
    ("ko", "매일 때리고 감시해요 도와주세요"),
    ("en", "sos i need help now"),
    ("ko", "숙소에 가둬놓고 일 시켜요"),
    ("en", "they locked the door from outside"),
    ("ko", "살려주세요 제발"),
    ("en", "i was kidnapped, please send help"),
    ("ko", "캄보디아에서 감금돼 있어요 연락 주세요"),
    ("en", "they force us to scam people and wont let us go"),
)

# Load: each user numbers its messages ("hello 1", "what are the red flags 2", ...). Not
# "고마워요 <n>": the current model reads it as distress (the latency phase counts such alarms).
LOAD_TEXTS: dict[str, tuple[str, ...]] = {
    "en": (
        "hello",
        "what are the red flags",
        "embassy number in cambodia",
        "how do i check a recruitment agency",
        "is cambodia safe to travel",
        "thanks",
    ),
    "ko": (
        "안녕하세요",
        "취업사기 특징이 뭐예요",
        "캄보디아 대사관 번호",
        "알선업체 등록 확인 방법",
        "캄보디아 여행경보",
        "감사해요",
    ),
}

# Open-loop burst: each user sends one of these whole, at once; replies are compared with a
# calibration run of the same sequence, one message at a time.
BURST_SEQUENCES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("en", ("hi there", "what are the warning signs of a fake job abroad?",
            "emergency contacts please", "how do i check if a recruitment agency is licensed?",
            "thanks a lot")),
    ("ko", ("안녕하세요", "해외 취업사기 특징이 뭐예요?", "긴급 연락처 알려줘",
            "해외취업 알선업체 등록됐는지 어떻게 확인해요?", "고마워요")),
    ("en", ("what can you do for me?", "is cambodia safe to travel right now?",
            "police number in thailand", "red flags for overseas job ads", "see you later")),
    ("ko", ("이 봇은 뭐 하는 거예요?", "캄보디아 여행경보 단계 알려줘", "태국 경찰 신고 번호",
            "가짜 구인광고 어떻게 구별해요", "감사합니다 안녕히 계세요")),
)  # fmt: skip

FALLBACK = tuple(t("engine_down", lang) for lang in ("ko", "en"))
CASE_NUMBER = re.compile(r"#(\d+)")

# User id ranges, one per phase, so the shared engine never mixes two phases' trackers.
LATENCY_USERS = 10_000_000
ESCALATION_USERS = 20_000_000
LOAD_USERS = 30_000_000
BURST_USERS = 40_000_000
CALIBRATION_USERS = 45_000_000
COLD_USER = 50_000_000
FAULT_USERS = 60_000_000
FAIR_USERS = 70_000_000
FLOOD_USERS = 79_990_000
"""The flooding user of the fair phase's first round; each round has its own."""
STRANGER = 79_999_998
FLOOD_PER_SECOND = 20
FLOOD_MESSAGES = 600
"""The flood of the issue: 600 messages, 20 a second, never waiting for an answer."""
STRANGER_PER_SECOND = 2
FAIR_MARGIN = 0.20
"""The fair phase's alert p95 may exceed the load phase's by this share at most."""
ALERT_SAMPLES = 40
"""Alerts the load and fair phases collect at least (in rounds), so their p95 is not a max."""
MAX_ROUNDS = 8


# Results ------------------------------------------------------------------------------------


@dataclass
class Machine:
    """Where the numbers were taken: they mean little without it."""

    cpu_model: str
    cpus: int
    memory_gib: float
    kernel: str
    bot_python: str
    engine_python: str
    rasa: str
    python_telegram_bot: str
    model: str
    load_average: list[float]
    date: str


@dataclass
class Stats:
    """Latency percentiles (nearest rank) in milliseconds; None when nothing was measured."""

    count: int
    p50_ms: float | None
    p95_ms: float | None
    p99_ms: float | None
    mean_ms: float | None
    max_ms: float | None


@dataclass
class Check:
    """Counts from the per-user order check: what was sent, answered, lost or misplaced."""

    messages: int = 0
    processed: int = 0
    answered: int = 0
    replies: int = 0
    lost: int = 0
    unanswered: int = 0
    reordered: int = 0
    stray_replies: int = 0
    errors: int = 0
    """Messages answered with "Something went wrong": the bot failed on them."""

    def failures(self) -> int:
        """Messages lost, unanswered, out of order or failed, and replies nobody asked for."""
        return self.lost + self.unanswered + self.reordered + self.stray_replies + self.errors


@dataclass
class Breakdown:
    """Where one message's time goes inside the bot: medians (p50) in milliseconds."""

    delivery_ms: float | None  # push -> the bot's first handler runs (getUpdates, PTB)
    before_engine_ms: float | None  # first handler -> engine request (language, SQLite)
    engine_ms: float | None  # the engine call as the bot sees it
    after_engine_ms: float | None  # engine answer -> sendMessage reaches the stand-in


@dataclass
class LatencyResult:
    """Phase 1: sequential messages through the bot and straight to the engine."""

    messages: int
    bot: Stats
    engine: Stats
    overhead_ms: float | None
    overhead_ratio: float | None
    own_ms: float | None  # p50 of each message's time in the bot outside its engine call
    breakdown: Breakdown
    engine_errors: int
    fallback_replies: int
    false_alarms: int
    check: Check


@dataclass
class EscalationResult:
    """Phase 2: distress message in, staff alert out, under one engine condition."""

    condition: str
    messages: int
    alert: Stats
    reply: Stats
    alerts: int
    missing_alerts: int
    check: Check


@dataclass
class LoadResult:
    """Phase 3: closed-loop users for a fixed time."""

    users: int
    distress_users: int
    duration_s: float
    rounds: int
    elapsed_s: float
    messages_per_second: float
    replies_per_second: float
    latency: Stats
    fallback_replies: int
    alerts: int
    missing_alerts: int
    unexpected_alerts: int
    alert: Stats
    check: Check


@dataclass
class BurstResult:
    """Phase 3b: open loop, every user's messages pushed at once, replies compared."""

    users: int
    per_user: int
    seconds: float
    latency: Stats
    matched: int
    fallback: int
    out_of_order: int
    unexpected: int
    variable: int
    false_alarms: int
    samples: list[str]
    check: Check


@dataclass
class FaultResult:
    """Phase 3c: the load again while a share of all sends fail at random (429, 500, drop).

    Counts what the outbox is for: every alert, relay and staff reply delivered exactly once
    (a duplicate is the same queued text twice in a chat), in order, and the alert delay.
    """

    users: int
    distress_users: int
    duration_s: float
    fault_rate: float
    sends: int
    faults: dict[str, int]
    latency: Stats
    check: Check
    alerts_expected: int
    alerts: int
    alert: Stats
    relays_expected: int
    relays: int
    staff_replies_sent: int
    staff_replies_delivered: int
    duplicates: int
    lost: int
    out_of_order: int
    samples: list[str]


@dataclass
class AlertBurstResult:
    """Phase 2b: distress users all at once; until each case is visible to staff, and after."""

    condition: str
    users: int
    cases: int
    visible: Stats
    all_visible_s: float | None
    detailed: int
    detail: Stats
    all_detailed_s: float | None
    digests: int
    group_posts: int
    most_in_a_minute: int
    throttled: int
    missing: int
    check: Check


@dataclass
class MemoryResult:
    """Phase 4: peak resident memory (VmHWM) of each process, in MiB."""

    bench_process_mib: float | None
    engine_mib: float | None
    actions_mib: float | None


@dataclass
class ColdStartResult:
    """Phase 5: `python -m bot` from spawn to its first answer, and back down."""

    ready_s: float | None
    first_answer_s: float | None
    answer_after_push_ms: float | None
    stop_s: float | None
    exit_code: int | None
    bot_peak_mib: float | None
    engine_peak_mib: float | None
    actions_peak_mib: float | None


@dataclass
class Goal:
    """One of the issue's goals and whether this run met it."""

    name: str
    target: str
    value: str
    met: bool | None


@dataclass
class Report:
    """Everything `make bench` found; written to reports/bench.json."""

    machine: Machine
    options: dict[str, Any]
    engine_start_s: float | None = None
    latency: LatencyResult | None = None
    escalation: list[EscalationResult] = field(default_factory=list)
    load: LoadResult | None = None
    fair: LoadResult | None = None
    burst: BurstResult | None = None
    faults: FaultResult | None = None
    alert_bursts: list[AlertBurstResult] = field(default_factory=list)
    pictures: PicturesResult | None = None
    net: NetResult | None = None
    memory: MemoryResult | None = None
    cold_start: ColdStartResult | None = None
    goals: list[Goal] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


# The stand-in, stamped ----------------------------------------------------------------------


@dataclass(frozen=True)
class Sent:
    """A sendMessage the stand-in accepted, stamped when its request arrived."""

    at: float
    chat_id: int
    message_id: int
    text: str


class TimedStub(BotApiStub):
    """The Bot API stand-in, also stamping every accepted sendMessage and the first poll."""

    def __init__(self) -> None:
        """A fresh stand-in; call start() before use."""
        super().__init__()
        self._stamps = threading.Lock()
        self._by_chat: dict[int, list[Sent]] = {}
        self.first_poll: float | None = None

    def _call(self, method: str, params: JSON, arrived: float | None = None) -> Any:
        """Stamp on arrival; keep the stamp only if Telegram would have accepted the call."""
        at = arrived if arrived is not None else time.monotonic()
        if method == "getUpdates" and self.first_poll is None:
            self.first_poll = at  # now, not when this long poll returns
        result = super()._call(method, params, arrived)
        if method == "sendMessage" and isinstance(result, dict):
            sent = Sent(at, int(result["chat"]["id"]), int(result["message_id"]), result["text"])
            with self._stamps:
                self._by_chat.setdefault(sent.chat_id, []).append(sent)
        return result

    def received(self, chat_id: int) -> list[Sent]:
        """The bot's messages to one chat, in the order they arrived."""
        with self._stamps:
            return sorted(self._by_chat.get(chat_id, ()), key=lambda s: s.at)

    def alerts(self) -> dict[int, Sent]:
        """New-case alerts in the staff group by case number."""
        found: dict[int, Sent] = {}
        for sent in self.received(STAFF_CHAT):
            match = CASE_NUMBER.search(sent.text)
            if is_alert(sent.text) and match is not None:
                found.setdefault(int(match.group(1)), sent)
        return found


class FaultyStub(TimedStub):
    """The stamped stand-in, failing a share of sendMessage and copyMessage calls at random.

    A failure is a 429 (retry after 1 s), a 500, or a connection dropped without an answer,
    in equal parts, decided before the call is performed: Telegram did not take the message,
    so sending it again is right and a second copy would be the bot's fault.
    """

    def __init__(self, rate: float, seed: int) -> None:
        """Fail ``rate`` of the sends while ``active``."""
        super().__init__()
        self.rate = rate
        self.active = False
        self.sends = 0
        self.faults: dict[str, int] = dict.fromkeys(FAULT_KINDS, 0)
        self._rng = random.Random(seed)
        self._dice = threading.Lock()

    def _call(self, method: str, params: JSON, arrived: float | None = None) -> Any:
        """Maybe fail the call as Telegram would; otherwise answer it."""
        if self.active and method in FAULT_METHODS:
            with self._dice:
                self.sends += 1
                kind = self._rng.choice(FAULT_KINDS) if self._rng.random() < self.rate else None
                if kind is not None:
                    self.faults[kind] += 1
            if kind == "drop":
                raise _Drop
            if kind == "429":
                raise ApiError(429, "Too Many Requests: retry after 1", {"retry_after": 1})
            if kind == "500":
                raise ApiError(500, "Internal Server Error")
        return super()._call(method, params, arrived)


# The bot, as `make run` builds it -----------------------------------------------------------


@dataclass
class Exchange:
    """One user message and, once attributed, the bot's replies to it."""

    user: int
    text: str
    update_id: int
    pushed: float
    done: float | None
    replies: list[Sent] = field(default_factory=list)

    @property
    def latency(self) -> float | None:
        """Seconds from the push to the first reply reaching the stand-in."""
        return self.replies[0].at - self.pushed if self.replies else None


class BenchBot:
    """A running bot on its own stand-in, knowing when each update was fully handled."""

    def __init__(self, stub: TimedStub, harness: Harness) -> None:
        """Wrap a started harness."""
        self.stub = stub
        self.harness = harness

    def push(self, user: int, text: str, lang: str) -> tuple[int, float]:
        """A user sends a text; return its update id and the moment it was sent."""
        pushed = time.monotonic()
        update = self.stub.push_text(user, text, language_code=lang)
        return int(update["update_id"]), pushed

    async def processed(self, update_id: int, timeout: float) -> float | None:
        """When the bot finished ``update_id``; None if it did not within ``timeout``."""
        return await self.harness.finished(update_id, timeout)

    async def say(self, user: int, text: str, lang: str, timeout: float) -> Exchange:
        """Closed loop: send and wait until the bot has handled the message."""
        update_id, pushed = self.push(user, text, lang)
        done = await self.processed(update_id, timeout)
        return Exchange(user, text, update_id, pushed, done)


@contextlib.asynccontextmanager
async def running_bot(
    engine: EngineServices | str,
    workdir: Path,
    stub: TimedStub | None = None,
    **overrides: Any,
) -> AsyncIterator[BenchBot]:
    """The real application on a fresh stand-in and database; stopped however we leave.

    ``engine`` is the running engine, or the bare address of a stopped or hung one.
    """
    stub = stub or TimedStub()
    stub.start()
    try:
        stub.set_member(STAFF_CHAT, STAFF_MEMBER, "member")
        workdir.mkdir(parents=True, exist_ok=True)
        harness = await start_harness(stub, make_settings(stub, workdir, engine, **overrides))
        try:
            yield BenchBot(stub, harness)
        finally:
            await stop_harness(harness)
    finally:
        stub.stop()


def attribute(
    stub: TimedStub, exchanges: Sequence[Exchange], queued: Callable[[str], bool] | None = None
) -> Check:
    """Give each reply to its message and count what is lost, unanswered or out of order.

    The bot handles one user's updates one at a time, so a reply belongs to the earliest
    message of that user (in push order) finished at or after the reply arrived. A message
    finished before an earlier one, or a reply outside every message's window, is a fault.
    Messages for which ``queued(text)`` holds came from the outbox (staff replies), not as
    answers, and are left out.
    """
    check = Check()
    by_user: dict[int, list[Exchange]] = {}
    for exchange in exchanges:
        by_user.setdefault(exchange.user, []).append(exchange)
    for user, mine in by_user.items():
        mine.sort(key=lambda e: e.update_id)
        replies = [r for r in stub.received(user) if queued is None or not queued(r.text)]
        index, latest = 0, -math.inf
        for exchange in mine:
            exchange.replies = []
            check.messages += 1
            if exchange.done is None:
                check.lost += 1
                continue
            check.processed += 1
            if exchange.done < latest:
                check.reordered += 1
            latest = max(latest, exchange.done)
            while index < len(replies) and replies[index].at <= exchange.done:
                if replies[index].at < exchange.pushed:
                    check.stray_replies += 1
                else:
                    exchange.replies.append(replies[index])
                index += 1
            check.replies += len(exchange.replies)
            if any(r.text.startswith(ERROR_REPLIES) for r in exchange.replies):
                check.errors += 1
            if exchange.replies:
                check.answered += 1
            else:
                check.unanswered += 1
        check.stray_replies += len(replies) - index
    return check


# Small helpers ------------------------------------------------------------------------------


ERROR_REPLIES = tuple(TEXTS["error"].values())
"""The bot's answer when handling a message failed (bot/telegram/private.py on_error)."""


def percentile(ordered: Sequence[float], p: float) -> float:
    """Nearest-rank percentile of sorted values: a value that was actually measured."""
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def stats(seconds: Sequence[float]) -> Stats:
    """Summarise latencies given in seconds."""
    if not seconds:
        return Stats(0, None, None, None, None, None)
    ordered = sorted(s * 1000 for s in seconds)

    def r(value: float) -> float:
        return round(value, 1)

    return Stats(
        count=len(ordered),
        p50_ms=r(percentile(ordered, 50)),
        p95_ms=r(percentile(ordered, 95)),
        p99_ms=r(percentile(ordered, 99)),
        mean_ms=r(sum(ordered) / len(ordered)),
        max_ms=r(ordered[-1]),
    )


def latencies(exchanges: Sequence[Exchange]) -> list[float]:
    """First-reply latencies of the answered messages."""
    return [e.latency for e in exchanges if e.latency is not None]


def is_fallback(text: str) -> bool:
    """The bot's "engine unavailable" answer (the safety net still ran)."""
    return text.startswith(FALLBACK)


def fallbacks(exchanges: Sequence[Exchange]) -> int:
    """How many messages were answered without the engine (it was slower than the timeout)."""
    return sum(1 for e in exchanges if any(is_fallback(r.text) for r in e.replies))


def case_number(replies: Sequence[Sent]) -> int | None:
    """The case number the bot told the user ("... (#12)"), if it opened one."""
    for reply in replies:
        match = CASE_NUMBER.search(reply.text)
        if match is not None:
            return int(match.group(1))
    return None


async def wait_until(predicate: Callable[[], bool], timeout: float) -> bool:
    """Poll ``predicate`` until it holds or ``timeout`` passes; timestamps come from the stub."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(POLL)
    return True


def progress(message: str) -> None:
    """Tell the person running `make bench` what is happening (stderr, not the table)."""
    print(f"bench: {message}", file=sys.stderr, flush=True)


def peak_mib(pid: int | str) -> float | None:
    """Peak resident set size (VmHWM) of a process in MiB; None if it is gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="utf-8")
    except OSError:
        return None
    match = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
    return round(int(match.group(1)) / 1024, 1) if match else None


def descendants(pid: int) -> list[int]:
    """Process ids below ``pid`` (the engine and action server of a `python -m bot`)."""
    found: list[int] = []
    queue = [pid]
    while queue and len(found) < 100:
        current = queue.pop()
        for children in Path(f"/proc/{current}/task").glob("*/children"):
            with contextlib.suppress(OSError):
                for child in children.read_text(encoding="utf-8").split():
                    found.append(int(child))
                    queue.append(int(child))
    return found


def command_line(pid: int) -> str:
    """A process's command line, or "" when it no longer exists."""
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return ""
    return raw.replace(b"\0", b" ").decode("utf-8", "replace")


# The machine --------------------------------------------------------------------------------


def describe_machine() -> Machine:
    """CPU, memory, Python and library versions, and the date, from /proc and the venvs."""
    cpuinfo = Path("/proc/cpuinfo").read_text(encoding="utf-8")
    models = re.findall(r"^model name\s*:\s*(.+)$", cpuinfo, re.MULTILINE)
    cpus = len(re.findall(r"^processor\s*:", cpuinfo, re.MULTILINE)) or os.cpu_count() or 0
    meminfo = Path("/proc/meminfo").read_text(encoding="utf-8")
    total = re.search(r"^MemTotal:\s+(\d+) kB", meminfo, re.MULTILINE)
    engine_python = ROOT / ".venv-engine" / "bin" / "python"
    return Machine(
        cpu_model=models[0].strip() if models else platform.processor() or "unknown",
        cpus=cpus,
        memory_gib=round(int(total.group(1)) / 1024**2, 1) if total else 0.0,
        kernel=f"{platform.system()} {platform.release()}",
        bot_python=platform.python_version(),
        engine_python=_engine_output(
            engine_python, "import platform; print(platform.python_version())"
        ),
        rasa=_engine_output(
            engine_python, "import importlib.metadata as m; print(m.version('rasa'))"
        ),
        python_telegram_bot=importlib.metadata.version("python-telegram-bot"),
        model=describe_model(ROOT / "models" / "haven.tar.gz"),
        load_average=[round(x, 2) for x in os.getloadavg()],
        date=datetime.now(UTC).isoformat(timespec="seconds"),
    )


def describe_model(path: Path) -> str:
    """Which model was measured: size and training time of models/haven.tar.gz."""
    try:
        info = path.stat()
    except OSError:
        return "missing"
    trained = datetime.fromtimestamp(info.st_mtime, UTC).isoformat(timespec="seconds")
    return f"{path.name}, {info.st_size / 1024**2:.1f} MiB, trained {trained}"


def _engine_output(python: Path, code: str) -> str:
    """Ask the engine's interpreter one short question."""
    try:
        done = subprocess.run(
            [str(python), "-c", code], capture_output=True, text=True, timeout=30, check=True
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return done.stdout.strip()


# Phase 1: reply latency ---------------------------------------------------------------------


async def engine_round_trip(
    client: httpx.AsyncClient, sender: str, text: str, lang: str
) -> tuple[float, bool]:
    """Post one message straight to the engine's Haven channel, as bot/engine/client.py does."""
    started = time.monotonic()
    try:
        response = await client.post(
            WEBHOOK, json={"sender": sender, "message": text, "language": lang}
        )
    except httpx.HTTPError:
        return time.monotonic() - started, False
    elapsed = time.monotonic() - started
    return elapsed, response.status_code == 200 and bool(response.json().get("responses"))


class Stages:
    """Stamps inside the running bot, for the latency phase's breakdown only.

    A handler in a group before the bot's own marks when an update reaches the application,
    and the Haven engine client's ``send`` is wrapped to time the engine call.
    """

    def __init__(self, bot: BenchBot) -> None:
        """Install the stamps on ``bot``."""
        self.reached: dict[int, float] = {}
        self.engine_calls: list[tuple[float, float]] = []
        bot.harness.app.add_handler(TypeHandler(Update, self.stamp), group=-1)
        engine = bot.harness.haven.engine
        if engine is not None:
            send = engine.send

            async def timed(sender: str, text: str, language: str, **options: Any) -> EngineResult:
                started = time.monotonic()
                try:
                    return await send(sender, text, language, **options)
                finally:
                    self.engine_calls.append((started, time.monotonic()))

            setattr(engine, "send", timed)  # noqa: B010 (an instance attribute, on purpose)

    async def stamp(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """The update reached the application's handlers."""
        self.reached[update.update_id] = time.monotonic()

    def split(self, exchange: Exchange) -> tuple[float, float, float, float] | None:
        """Delivery, before-engine, engine and after-engine seconds of one exchange."""
        reached = self.reached.get(exchange.update_id)
        calls = [c for c in self.engine_calls if reached is not None and c[0] >= reached]
        if reached is None or not calls or not exchange.replies or exchange.done is None:
            return None
        started, ended = calls[0]
        if started > exchange.done:
            return None
        first = exchange.replies[0].at
        return reached - exchange.pushed, started - reached, ended - started, first - ended

    def take(self) -> None:
        """Forget engine calls already matched (the phase is sequential)."""
        self.engine_calls.clear()


def own_time(parts: Sequence[tuple[float, float, float, float]]) -> float | None:
    """The median of each message's time in the bot outside its own engine call.

    Paired per message, unlike the difference of two medians (the overhead line): how fast
    the engine answered the bot's request and the phase's own one does not enter it.
    """
    if not parts:
        return None
    return round(percentile(sorted(d + b + a for d, b, _e, a in parts), 50) * 1000, 1)


def breakdown(parts: Sequence[tuple[float, float, float, float]]) -> Breakdown:
    """Medians of each stage."""
    if not parts:
        return Breakdown(None, None, None, None)
    medians = [round(percentile(sorted(p[i] for p in parts), 50) * 1000, 1) for i in range(4)]
    return Breakdown(*medians)


async def under_send_limit(since: float, sends: int) -> None:
    """Wait until ``sends`` replies sent since ``since`` keep within SENDS_PER_SECOND."""
    await asyncio.sleep(max(0.0, since + sends / SENDS_PER_SECOND - time.monotonic()))


async def measure_latency(services: EngineServices, workdir: Path, count: int) -> LatencyResult:
    """Each message through the bot, then the same one straight to the engine, in turn.

    The next message waits until the replies so far keep within Telegram's overall limit
    (SENDS_PER_SECOND): the phase times one message's way through the bot, not a queue.
    """
    async with (
        running_bot(services, workdir / "latency") as bot,
        httpx.AsyncClient(
            base_url=services.rasa_url,
            timeout=EXCHANGE_TIMEOUT,
            headers=auth_header(services.secret),
        ) as client,
    ):
        stages = Stages(bot)
        for i in range(WARMUP):
            lang, text = ORDINARY[i % len(ORDINARY)]
            warmup = await bot.say(LATENCY_USERS - 1 - i, text, lang, EXCHANGE_TIMEOUT)
            await engine_round_trip(client, f"bench-warmup-{i}", text, lang)
            await under_send_limit(warmup.pushed, len(bot.stub.received(warmup.user)))
        exchanges: list[Exchange] = []
        parts: list[tuple[float, float, float, float]] = []
        engine_times: list[float] = []
        engine_errors = 0
        for i in range(count):
            lang, text = ORDINARY[i % len(ORDINARY)]
            user = LATENCY_USERS + i // MESSAGES_PER_USER
            stages.take()
            exchange = await bot.say(user, text, lang, EXCHANGE_TIMEOUT)
            exchange.replies = [r for r in bot.stub.received(user) if r.at >= exchange.pushed]
            split = stages.split(exchange)
            if split is not None:
                parts.append(split)
            exchanges.append(exchange)
            sender = f"bench-direct-{i // MESSAGES_PER_USER}"
            seconds, ok = await engine_round_trip(client, sender, text, lang)
            if ok:
                engine_times.append(seconds)
            else:
                engine_errors += 1
            await under_send_limit(exchange.pushed, len(exchange.replies))
        await asyncio.sleep(0.5)
        false_alarms = len(bot.stub.alerts())
        check = attribute(bot.stub, exchanges)
    bot_stats, engine_stats = stats(latencies(exchanges)), stats(engine_times)
    overhead = ratio = None
    if bot_stats.p50_ms is not None and engine_stats.p50_ms:
        overhead = round(bot_stats.p50_ms - engine_stats.p50_ms, 1)
        ratio = round(overhead / engine_stats.p50_ms, 3)
    return LatencyResult(
        messages=count,
        bot=bot_stats,
        engine=engine_stats,
        overhead_ms=overhead,
        overhead_ratio=ratio,
        own_ms=own_time(parts),
        breakdown=breakdown(parts),
        engine_errors=engine_errors,
        fallback_replies=fallbacks(exchanges),
        false_alarms=false_alarms,
        check=check,
    )


# Phase 2: escalation latency ----------------------------------------------------------------


@dataclass
class Escalated:
    """One distress message: when it was answered and when its alert reached the staff."""

    exchange: Exchange
    case: int | None
    alert_at: float | None


async def escalate_once(bot: BenchBot, user: int, lang: str, text: str) -> Escalated:
    """A new user sends one distress message; wait for its reply and its staff alert."""
    exchange = await bot.say(user, text, lang, ENGINE_TIMEOUT + EXCHANGE_TIMEOUT)
    case = case_number(bot.stub.received(user))
    if case is None:
        return Escalated(exchange, None, None)
    await wait_until(lambda: case in bot.stub.alerts(), ALERT_TIMEOUT)
    alert = bot.stub.alerts().get(case)
    return Escalated(exchange, case, alert.at if alert else None)


async def measure_escalation(
    condition: str, engine: EngineServices | str, workdir: Path, count: int, first_user: int
) -> EscalationResult:
    """Distress messages from distinct users, one at a time (an open case takes no second).

    A fresh bot takes every ``ALERTS_PER_BOT`` messages: Telegram lets a bot post 20 messages
    a minute in a group and the bot's rate limiter enforces that, so one bot's 21st alert in a
    minute would measure the limit, not the bot.
    """
    done: list[Escalated] = []
    checks: list[Check] = []
    plan = [(first_user + i, *DISTRESS[i % len(DISTRESS)]) for i in range(count)]
    for start in range(0, count, ALERTS_PER_BOT):
        async with running_bot(engine, workdir / f"{condition}-{start}") as bot:
            results = [
                await escalate_once(bot, user, lang, text)
                for user, lang, text in plan[start : start + ALERTS_PER_BOT]
            ]
            checks.append(attribute(bot.stub, [r.exchange for r in results]))
            done += results
    check = Check(**{k: sum(getattr(c, k) for c in checks) for k in asdict(Check())})
    alert_times = [r.alert_at - r.exchange.pushed for r in done if r.alert_at is not None]
    return EscalationResult(
        condition=condition,
        messages=count,
        alert=stats(alert_times),
        reply=stats(latencies([r.exchange for r in done])),
        alerts=len(alert_times),
        missing_alerts=count - len(alert_times),
        check=check,
    )


# Phase 2b: alert burst ----------------------------------------------------------------------

ALERT_BURST_USERS = 30
ALERT_BURST_USER_BASE = 60_000_000
VISIBLE_TIMEOUT = 60.0
SEEN_MARKS = ("🚨", "🆘", "🆕")  # an alert, a burst digest, a case's notice in General


def case_numbers_seen(text: str) -> set[int]:
    """The cases a staff-group message makes visible: an alert's, a digest's, a notice's."""
    if not text.startswith(SEEN_MARKS) and "🚨" not in text.split("\n")[0]:
        return set()
    return {int(n) for n in CASE_NUMBER.findall(text)}


def most_in_a_window(stamps: Sequence[float], window: float = 60.0) -> int:
    """The most messages that reached the group within any ``window`` seconds."""
    ordered = sorted(stamps)
    most = start = 0
    for end, stamp in enumerate(ordered):
        while stamp - ordered[start] > window:
            start += 1
        most = max(most, end - start + 1)
    return most


async def measure_alert_burst(
    services: EngineServices, workdir: Path, users: int, forum: bool, detail_wait: float
) -> AlertBurstResult:
    """``users`` people in distress write at once: when can staff see each case?

    A case is visible when a staff-group message names it: its alert, a digest, or its
    notice in General. The stand-in answers 429 beyond Telegram's ~20 messages a minute per
    group, so "throttled" counts the times the bot broke the limit. Each case's own alert
    ("detail") follows as the limit allows; the phase waits ``detail_wait`` seconds for them.
    """
    condition = "forum topics" if forum else "flat group"
    async with running_bot(
        services, workdir / f"alert-burst-{'forum' if forum else 'flat'}"
    ) as bot:
        if forum:
            bot.stub.make_forum(STAFF_CHAT)
            bot.stub.set_member(STAFF_CHAT, bot.stub.bot_id, "administrator")
            await bot.harness.haven.topics.check()
        await asyncio.sleep(0.5)
        first = ALERT_BURST_USER_BASE + (1000 if forum else 0)
        pushed: list[Exchange] = []
        for i in range(users):
            lang, text = DISTRESS[i % len(DISTRESS)]
            update_id, at = bot.push(first + i, text, lang)
            pushed.append(Exchange(first + i, text, update_id, at, None))
        for exchange in pushed:
            exchange.done = await bot.processed(exchange.update_id, EXCHANGE_TIMEOUT * 2)
        check = attribute(bot.stub, pushed)
        cases = {e.user: case_number(e.replies) for e in pushed}
        wanted = {c for c in cases.values() if c is not None}

        def first_seen() -> dict[int, float]:
            seen: dict[int, float] = {}
            for sent in bot.stub.received(STAFF_CHAT):
                for number in case_numbers_seen(sent.text):
                    seen.setdefault(number, sent.at)
            return seen

        await wait_until(lambda: wanted <= set(first_seen()), VISIBLE_TIMEOUT)
        await wait_until(lambda: wanted <= set(bot.stub.alerts()), detail_wait)
        seen, alerts = first_seen(), bot.stub.alerts()
        digests = sum(s.text.startswith("🆘") for s in bot.stub.received(STAFF_CHAT))
        posts = bot.stub.group_posts(STAFF_CHAT)
        throttled = len(bot.stub.throttled(STAFF_CHAT))
    started = min(e.pushed for e in pushed)
    visible = [seen[c] - e.pushed for e in pushed if (c := cases[e.user]) is not None and c in seen]
    detail = [
        alerts[c].at - e.pushed for e in pushed if (c := cases[e.user]) is not None and c in alerts
    ]
    all_seen = wanted <= set(seen)
    all_detailed = wanted <= set(alerts)
    return AlertBurstResult(
        condition=condition,
        users=users,
        cases=len(wanted),
        visible=stats(visible),
        all_visible_s=round(max(seen[c] for c in wanted) - started, 2)
        if all_seen and wanted
        else None,
        detailed=len(wanted & set(alerts)),
        detail=stats(detail),
        all_detailed_s=round(max(alerts[c].at for c in wanted) - started, 2)
        if all_detailed and wanted
        else None,
        digests=digests,
        group_posts=len(posts),
        most_in_a_minute=most_in_a_window(posts),
        throttled=throttled,
        missing=users - len(wanted & set(seen)),
        check=check,
    )


# Phase 3: load ------------------------------------------------------------------------------


@dataclass(frozen=True)
class UserPlan:
    """What one simulated user sends: numbered questions, or a distress message among few."""

    user: int
    lang: str
    delay: float
    distress_at: int | None = None
    distress_text: str = ""

    def message(self, k: int) -> str | None:
        """The user's k-th message (0-based); None when a distress user has said enough."""
        if self.distress_at is not None:
            if k == self.distress_at:
                return self.distress_text
            if k > self.distress_at + 2:
                return None
        base = LOAD_TEXTS[self.lang][k % len(LOAD_TEXTS[self.lang])]
        return f"{base} {k + 1}"


def in_distress(i: int, users: int) -> bool:
    """Whether the i-th of ``users`` load users is in distress: every 20th (5 %), at least one."""
    return i % 20 == 19 or (users < 20 and i == users - 1)


def load_plans(
    users: int, duration: float, rng: random.Random, first_user: int = LOAD_USERS
) -> list[UserPlan]:
    """Every 20th user is in distress (5%), at a random moment of the first half of the run."""
    plans = []
    for i in range(users):
        lang = "ko" if i % 2 else "en"
        if in_distress(i, users):
            d_lang, d_text = DISTRESS[(i // 20) % len(DISTRESS)]
            plans.append(
                UserPlan(
                    first_user + i, d_lang, rng.uniform(0, duration / 2), rng.randrange(3), d_text
                )
            )
        else:
            plans.append(UserPlan(first_user + i, lang, rng.uniform(0, 1.0)))
    return plans


async def load_user(bot: BenchBot, plan: UserPlan, deadline: float) -> list[Exchange]:
    """Closed loop: send, wait for the bot to finish, send the next, until the deadline."""
    await asyncio.sleep(plan.delay)
    sent: list[Exchange] = []
    for k in range(MAX_LOAD_MESSAGES):
        text = plan.message(k)
        if text is None or time.monotonic() >= deadline:
            break
        exchange = await bot.say(plan.user, text, plan.lang, LOAD_TIMEOUT)
        sent.append(exchange)
        if exchange.done is None:
            break
    return sent


Noise = Callable[["BenchBot", float, int], Coroutine[Any, Any, None]]
"""Traffic that is not measured (a flood, a stranger) sent until the given deadline, in the
given round."""


@dataclass
class LoadRound:
    """One round of the load: what was sent and answered, and each distress user's alert."""

    distress_users: int
    elapsed: float
    exchanges: list[Exchange]
    check: Check
    alerts: int
    unexpected_alerts: int
    alert_times: list[float]


def load_rounds(users: int, rounds: int | None) -> int:
    """Rounds of the load: ``rounds`` if given, else as many as ALERT_SAMPLES alerts need."""
    if rounds is not None:
        return rounds
    per_round = sum(1 for i in range(users) if in_distress(i, users))
    return min(MAX_ROUNDS, math.ceil(ALERT_SAMPLES / max(1, per_round)))


@dataclass
class LoadPhase:
    """N users at once for D seconds; every message answered, in order; every alert sent.

    ``noise`` runs beside them (the fair phase: a flooding user, a stranger in the group).
    The load runs in rounds, each on a fresh bot: a round's 5 % in distress fill what the
    staff group may take in a minute, and one round's handful of alerts gives no p95.
    """

    name: str
    users: int
    duration: float
    rounds: int
    first_user: int
    noise: Sequence[Noise] = ()
    done: list[LoadRound] = field(default_factory=list)
    rng: random.Random = field(default_factory=lambda: random.Random(20251125))

    async def next_round(self, services: EngineServices, workdir: Path) -> None:
        """Run the next round."""
        number = len(self.done)
        plans = load_plans(
            self.users, self.duration, self.rng, self.first_user + number * self.users
        )
        self.done.append(
            await load_round(services, workdir, plans, self.duration, self.noise, number)
        )

    def result(self) -> LoadResult:
        """The rounds so far, taken together."""
        done = self.done
        exchanges = [e for r in done for e in r.exchanges]
        check = Check()
        for r in done:
            for name, value in asdict(r.check).items():
                setattr(check, name, getattr(check, name) + value)
        elapsed = max(sum(r.elapsed for r in done), 1e-9)
        alert_times = [t for r in done for t in r.alert_times]
        distress = sum(r.distress_users for r in done)
        return LoadResult(
            users=self.users,
            distress_users=distress,
            duration_s=self.duration,
            rounds=len(done),
            elapsed_s=round(elapsed, 1),
            messages_per_second=round(check.processed / elapsed, 1),
            replies_per_second=round(check.replies / elapsed, 1),
            latency=stats(latencies(exchanges)),
            fallback_replies=fallbacks(exchanges),
            alerts=sum(r.alerts for r in done),
            missing_alerts=distress - len(alert_times),
            unexpected_alerts=sum(r.unexpected_alerts for r in done),
            alert=stats(alert_times),
            check=check,
        )


def load_phase(users: int, duration: float, rounds: int | None) -> LoadPhase:
    """Phase 3: the plain load."""
    return LoadPhase("load", users, duration, load_rounds(users, rounds), LOAD_USERS)


def fair_phase(users: int, duration: float, rounds: int | None) -> LoadPhase:
    """Phase 3a: the load with one user flooding and one stranger spamming the staff group."""
    return LoadPhase(
        "fair",
        users - 1,
        duration,
        load_rounds(users - 1, rounds),
        FAIR_USERS,
        noise=(flooding_user, stranger_in_the_group),
    )


async def measure_loads(
    services: EngineServices, workdir: Path, phases: Sequence[LoadPhase]
) -> list[LoadResult]:
    """Run the phases' rounds in turn (load, fair, load, ...): compared with each other, they
    share whatever else the machine was doing meanwhile."""
    for number in range(max((p.rounds for p in phases), default=0)):
        for load in phases:
            if number < load.rounds:
                progress(f"{load.name}, round {number + 1} of {load.rounds}")
                await load.next_round(services, workdir)
    return [load.result() for load in phases]


async def load_round(
    services: EngineServices,
    workdir: Path,
    plans: Sequence[UserPlan],
    duration: float,
    noise: Sequence[Noise],
    number: int,
) -> LoadRound:
    """One round of the load on a fresh bot (and so a fresh staff group budget)."""
    distress = [p for p in plans if p.distress_at is not None]
    async with running_bot(services, workdir / f"load-{plans[0].user}") as bot:
        started = time.monotonic()
        noisy = [asyncio.create_task(make(bot, started + duration, number)) for make in noise]
        per_user = await asyncio.gather(*(load_user(bot, p, started + duration) for p in plans))
        await asyncio.gather(*noisy)
        exchanges = [e for mine in per_user for e in mine]
        finished = max((e.done for e in exchanges if e.done is not None), default=started)
        distress_exchanges = [
            mine[p.distress_at]
            for p, mine in zip(plans, per_user, strict=True)
            if p.distress_at is not None and len(mine) > p.distress_at
        ]
        check = attribute(bot.stub, exchanges)
        cases = [(e, case_number(e.replies)) for e in distress_exchanges]
        wanted = {c for _e, c in cases if c is not None}
        await wait_until(lambda: wanted <= set(bot.stub.alerts()), ALERT_DRAIN)
        await asyncio.sleep(0.5)
        alerts = bot.stub.alerts()
    return LoadRound(
        distress_users=len(distress),
        elapsed=finished - started,
        exchanges=exchanges,
        check=check,
        alerts=len(alerts),
        unexpected_alerts=len(set(alerts) - wanted),
        alert_times=[alerts[c].at - e.pushed for e, c in cases if c is not None and c in alerts],
    )


async def flooding_user(bot: BenchBot, deadline: float, number: int) -> None:
    """One user sending FLOOD_MESSAGES, FLOOD_PER_SECOND a second, never waiting for answers.

    A new user each round: the engine keeps a conversation per user, shared by the rounds.
    """
    k = 0
    while time.monotonic() < deadline and k < FLOOD_MESSAGES:
        bot.push(FLOOD_USERS + number, f"spam spam {k}", "en")
        k += 1
        await asyncio.sleep(1 / FLOOD_PER_SECOND)


async def stranger_in_the_group(bot: BenchBot, deadline: float, number: int) -> None:
    """A member of the staff group who is not staff, sending staff commands all along."""
    while time.monotonic() < deadline:
        bot.stub.push_command(STRANGER, "/cases", chat_id=STAFF_CHAT, chat_type="supergroup")
        await asyncio.sleep(1 / STRANGER_PER_SECOND)


async def measure_burst(services: EngineServices, workdir: Path, users: int) -> BurstResult:
    """Open loop: every user's whole sequence pushed at once, replies checked message by message.

    Each sequence is first run twice, one message at a time, by calibration users; a reply
    that differs between the two runs is "variable" and only its presence is checked.
    """
    async with running_bot(services, workdir / "burst") as bot:
        expected: list[list[tuple[str, ...]]] = []
        stable: list[list[bool]] = []
        for s, (lang, texts) in enumerate(BURST_SEQUENCES):
            runs = []
            for c in range(2):
                user = CALIBRATION_USERS + 10 * s + c
                calibration = [await bot.say(user, text, lang, EXCHANGE_TIMEOUT) for text in texts]
                attribute(bot.stub, calibration)
                runs.append([tuple(r.text for r in e.replies) for e in calibration])
            expected.append(runs[0])
            stable.append([a == b for a, b in zip(runs[0], runs[1], strict=True)])
        assigned = [(BURST_USERS + u, u % len(BURST_SEQUENCES)) for u in range(users)]
        pushed: list[tuple[int, int]] = []
        exchanges: list[Exchange] = []
        started = time.monotonic()
        for k in range(BURST_DEPTH):
            for user, s in assigned:
                lang, texts = BURST_SEQUENCES[s]
                update_id, at = bot.push(user, texts[k], lang)
                pushed.append((s, k))
                exchanges.append(Exchange(user, texts[k], update_id, at, None))
        deadline = started + LOAD_TIMEOUT + 10 * users
        for exchange in exchanges:
            exchange.done = await bot.processed(
                exchange.update_id, max(0.0, deadline - time.monotonic())
            )
        seconds = max((e.done or 0.0) for e in exchanges) - started
        await asyncio.sleep(0.5)
        false_alarms = len(bot.stub.alerts())
        check = attribute(bot.stub, exchanges)
    matched = fallback = out_of_order = unexpected = variable = 0
    samples: list[str] = []
    for (s, k), exchange in zip(pushed, exchanges, strict=True):
        user, text = exchange.user, exchange.text
        got = tuple(r.text for r in exchange.replies)
        if got == expected[s][k]:
            matched += 1
        elif any(is_fallback(r) for r in got):
            fallback += 1
        elif not stable[s][k]:
            variable += 1
        elif got in expected[s] and got != expected[s][k]:
            out_of_order += 1
            samples.append(f"user {user} message {k + 1} {text!r} got the reply of another")
        else:
            unexpected += 1
            samples.append(f"user {user} message {k + 1} {text!r}: {' | '.join(got)[:160]!r}")
    return BurstResult(
        users=users,
        per_user=BURST_DEPTH,
        seconds=round(seconds, 1),
        latency=stats(latencies(exchanges)),
        matched=matched,
        fallback=fallback,
        out_of_order=out_of_order,
        unexpected=unexpected,
        variable=variable,
        false_alarms=false_alarms,
        samples=samples[:5],
        check=check,
    )


# Phase 4: memory ----------------------------------------------------------------------------


# Phase 3c: faults ----------------------------------------------------------------------------

STAFF_PREFIXES = tuple(t("to_user.from_staff", lang, text="") for lang in ("ko", "en"))


def from_staff(text: str) -> bool:
    """A staff reply as the user receives it (it came through the outbox)."""
    return text.startswith(STAFF_PREFIXES)


def staff_words(received: Sequence[Sent]) -> list[str]:
    """What staff wrote to a user, as received, in order, without the "Haven team" prefix."""
    words = []
    for sent in received:
        for prefix in STAFF_PREFIXES:
            if sent.text.startswith(prefix):
                words.append(sent.text.removeprefix(prefix))
    return words


def queued_in_staff_group(text: str) -> bool:
    """An alert or a relay in the staff group: what must arrive there exactly once."""
    return text.startswith(("🚨", "📨"))


async def answer_cases(bot: BenchBot, stop: asyncio.Event) -> dict[int, list[str]]:
    """A caseworker answers each new case with STAFF_REPLIES replies, one after another."""
    written: dict[int, list[str]] = {}
    tasks: list[asyncio.Task[None]] = []

    async def answer(case: int) -> None:
        for k in range(1, STAFF_REPLIES + 1):
            text = f"fault-check {case}.{k}"
            written[case].append(text)
            update = bot.stub.push_text(
                STAFF_MEMBER, f"/reply {case} {text}", chat_id=STAFF_CHAT, chat_type="supergroup"
            )
            await bot.processed(int(update["update_id"]), LOAD_TIMEOUT)

    while not stop.is_set():
        for case in bot.stub.alerts():
            if case not in written:
                written[case] = []
                tasks.append(asyncio.create_task(answer(case)))
        await asyncio.sleep(0.05)
    await asyncio.gather(*tasks)
    return written


def duplicates_in(texts: Sequence[str]) -> list[str]:
    """Texts that arrived more than once (one entry per extra copy)."""
    seen: dict[str, int] = {}
    extra = []
    for text in texts:
        seen[text] = seen.get(text, 0) + 1
        if seen[text] > 1:
            extra.append(text)
    return extra


def in_order(found: Sequence[str], wanted: Sequence[str]) -> bool:
    """Whether the wanted texts that arrived arrived in the wanted order."""
    arrived = [w for w in wanted if w in found]
    return [f for f in found if f in wanted] == arrived


async def measure_faults(
    services: EngineServices, workdir: Path, users: int, duration: float, rate: float
) -> FaultResult:
    """The load phase's users, with ``rate`` of all sends failing for ``duration`` seconds.

    Distress users open cases; a caseworker answers each case three times; the users' later
    messages are relayed. Faults stop after the load; then everything queued is given time
    to arrive, and what arrived is counted.
    """
    plans = load_plans(users, duration, random.Random(20251126), first_user=FAULT_USERS)
    stub = FaultyStub(rate, seed=12)
    async with running_bot(services, workdir / "faults", stub=stub, staff_language="en") as bot:
        stub.active = True
        started = time.monotonic()
        stop = asyncio.Event()
        caseworker = asyncio.create_task(answer_cases(bot, stop))
        per_user = await asyncio.gather(*(load_user(bot, p, started + duration) for p in plans))
        stub.active = False
        cases: dict[int, tuple[UserPlan, list[Exchange]]] = {}
        pushed: dict[int, float] = {}
        for plan, mine in zip(plans, per_user, strict=True):
            at = plan.distress_at
            if at is None or len(mine) <= at:
                continue
            case = case_number(stub.received(plan.user))
            if case is not None:
                cases[case] = (plan, mine[at:])
                pushed[case] = mine[at].pushed
        await wait_until(lambda: set(cases) <= set(stub.alerts()), ALERT_DRAIN)
        stop.set()
        written = await caseworker
        relays = {
            case: [
                t("staff.relayed", "en", id=case, text=e.text)
                for e in later[1:]
                if e.done is not None
            ]
            for case, (_plan, later) in cases.items()
        }

        def arrived() -> bool:
            staff = [r.text for r in stub.received(STAFF_CHAT)]
            if not all(r in staff for wanted in relays.values() for r in wanted):
                return False
            return all(
                set(written.get(case, [])) <= set(staff_words(stub.received(plan.user)))
                for case, (plan, _later) in cases.items()
            )

        await wait_until(arrived, ALERT_DRAIN)
        await asyncio.sleep(2.0)  # anything sent twice would arrive now
        exchanges = [e for mine in per_user for e in mine]
        check = attribute(stub, exchanges, queued=from_staff)
        staff = [r.text for r in stub.received(STAFF_CHAT)]
        alerts = stub.alerts()
        extra = duplicates_in([x for x in staff if queued_in_staff_group(x)])
        lost = 0
        out_of_order = 0
        delivered_replies = 0
        for case, (plan, _mine) in cases.items():
            to_user = staff_words(stub.received(plan.user))
            extra += duplicates_in(to_user)
            wanted = written.get(case, [])
            delivered_replies += sum(w in to_user for w in wanted)
            lost += sum(w not in to_user for w in wanted)
            lost += sum(r not in staff for r in relays[case])
            out_of_order += not in_order(to_user, wanted)
            out_of_order += not in_order(staff, relays[case])
        distress = [p for p in plans if p.distress_at is not None]
        lost += len(distress) - len(set(cases) & set(alerts))
    alert_times = [alerts[c].at - pushed[c] for c in cases if c in alerts]
    return FaultResult(
        users=users,
        distress_users=len(distress),
        duration_s=duration,
        fault_rate=rate,
        sends=stub.sends,
        faults=dict(stub.faults),
        latency=stats(latencies(exchanges)),
        check=check,
        alerts_expected=len(distress),
        alerts=len(set(cases) & set(alerts)),
        alert=stats(alert_times),
        relays_expected=sum(len(r) for r in relays.values()),
        relays=sum(r in staff for wanted in relays.values() for r in wanted),
        staff_replies_sent=sum(len(w) for w in written.values()),
        staff_replies_delivered=delivered_replies,
        duplicates=len(extra),
        lost=lost,
        out_of_order=out_of_order,
        samples=[x[:80] for x in extra[:5]],
    )


def measure_memory(services: EngineServices) -> MemoryResult:
    """Peak RSS so far: this process (bot, stand-in and driver), engine, action server."""
    pids = services.pids()
    return MemoryResult(
        bench_process_mib=peak_mib("self"),
        engine_mib=peak_mib(pids["engine"]) if "engine" in pids else None,
        actions_mib=peak_mib(pids["actions"]) if "actions" in pids else None,
    )


# Phase 5: cold start ------------------------------------------------------------------------


async def measure_cold_start(workdir: Path) -> ColdStartResult:
    """`make run` with a trained model: spawn `python -m bot`, ask "hello" at its first poll."""
    stub = TimedStub()
    stub.start()
    process: asyncio.subprocess.Process | None = None
    children: list[int] = []
    result = ColdStartResult(None, None, None, None, None, None, None, None)
    try:
        stub.set_member(STAFF_CHAT, STAFF_MEMBER, "member")
        ports = EnginePorts.free()
        workdir.mkdir(parents=True, exist_ok=True)
        env = {k: v for k, v in os.environ.items() if k not in (*HAVEN_VARIABLES, "ACTIONS_PORT")}
        env.update(
            TELEGRAM_BOT_TOKEN=stub.token,
            TELEGRAM_BASE_URL=stub.base_url,
            STAFF_CHAT_ID=str(STAFF_CHAT),
            STAFF_USER_IDS=str(STAFF_MEMBER),
            DATABASE_PATH=str(workdir / "haven.sqlite3"),
            RASA_URL=f"http://127.0.0.1:{ports.rasa}",
            ACTIONS_PORT=str(ports.actions),
            HAVEN_START_ENGINE="true",
            PYTHONPATH=str(ROOT),
        )
        with (LOG_DIR / "cold-start.log").open("wb") as out:
            spawned = time.monotonic()
            process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", cwd=workdir, env=env, stdin=subprocess.DEVNULL,
                stdout=out, stderr=out, start_new_session=True,
            )  # fmt: skip
        running = process

        def ready() -> bool:
            return stub.first_poll is not None or running.returncode is not None

        if not await wait_until(ready, COLD_READY_TIMEOUT) or stub.first_poll is None:
            raise RuntimeError(f"the bot never polled; see {LOG_DIR / 'cold-start.log'}")
        result.ready_s = round(stub.first_poll - spawned, 2)
        pushed = time.monotonic()
        stub.push_text(COLD_USER, "안녕하세요", language_code="ko")
        if await wait_until(lambda: bool(stub.received(COLD_USER)), COLD_ANSWER_TIMEOUT):
            answered = stub.received(COLD_USER)[0].at
            result.first_answer_s = round(answered - spawned, 2)
            result.answer_after_push_ms = round((answered - pushed) * 1000, 1)
        children = descendants(process.pid)
        result.bot_peak_mib = peak_mib(process.pid)
        for pid in children:
            line = command_line(pid)
            if "components.action_server" in line:
                result.actions_peak_mib = peak_mib(pid)
            elif "rasa run" in line:
                result.engine_peak_mib = peak_mib(pid)
        stopping = time.monotonic()
        process.send_signal(signal.SIGTERM)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(process.wait(), STOP_WAIT)
        if process.returncode is not None:
            result.stop_s = round(time.monotonic() - stopping, 2)
            result.exit_code = process.returncode
    finally:
        if process is not None:
            children = children or descendants(process.pid)
            await kill_tree(process, children)
        stub.stop()
    return result


async def kill_tree(process: asyncio.subprocess.Process, children: list[int]) -> None:
    """Make sure the bot we spawned and the engine it spawned are gone (by their ids only)."""
    if process.returncode is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        await process.wait()
    for pid in children:
        line = command_line(pid)
        if "rasa" in line or "components.action_server" in line:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(pid, signal.SIGKILL)


# Goals, table, report -----------------------------------------------------------------------


def evaluate_goals(report: Report) -> list[Goal]:
    """The issue's goals, each with this run's value."""
    goals: list[Goal] = []
    if report.latency is not None and report.latency.overhead_ratio is not None:
        ratio = report.latency.overhead_ratio
        goals.append(
            Goal(
                "bot overhead over the engine (p50)",
                "< 10% of engine p50",
                f"{report.latency.overhead_ms} ms = {ratio:.1%}",
                ratio < 0.10,
            )
        )
    limit_down = ENGINE_TIMEOUT * 1000 + 300
    for result in report.escalation:
        target = 300.0 if result.condition == "engine up" else limit_down
        p95 = result.alert.p95_ms
        goals.append(
            Goal(
                f"escalation p95, {result.condition}",
                f"< {target:.0f} ms",
                f"{p95} ms" if p95 is not None else "no alerts",
                p95 is not None and p95 < target and result.missing_alerts == 0,
            )
        )
    if report.fair is not None and report.load is not None:
        plain, fair = report.load.alert.p95_ms, report.fair.alert.p95_ms
        goals.append(
            Goal(
                "alert p95, one user flooding and a stranger in the group",
                f"<= load p95 + {FAIR_MARGIN:.0%}",
                f"{fair} ms vs {plain} ms",
                None
                if fair is None or plain is None
                else fair <= plain * (1 + FAIR_MARGIN) and report.fair.missing_alerts == 0,
            )
        )
    for burst in report.alert_bursts:
        goals.append(
            Goal(
                f"{burst.users} distress users at once, {burst.condition}: every case visible",
                "< 10 s, group limit kept",
                f"{burst.all_visible_s} s, {burst.throttled} × 429"
                if burst.all_visible_s is not None
                else f"{burst.missing} never visible",
                burst.all_visible_s is not None
                and burst.all_visible_s < 10.0
                and burst.throttled == 0,
            )
        )
    if (pictures := report.pictures) is not None:
        goals.append(
            Goal(
                "typed p50 growth while 5 pictures are read",
                f"<= engine p50 ({pictures.engine_p50_ms:.0f} ms)",
                f"{pictures.growth_p50_ms:.0f} ms",
                pictures.met,
            )
        )
    return goals


def find_problems(report: Report) -> list[str]:
    """Lost or reordered messages and missing alerts: what makes `make bench` fail."""
    problems: list[str] = []

    def check(name: str, c: Check) -> None:
        if c.failures():
            problems.append(
                f"{name}: {c.lost} lost, {c.unanswered} unanswered, {c.reordered} reordered, "
                f"{c.stray_replies} stray replies, {c.errors} failed, of {c.messages} messages"
            )

    if report.latency is not None:
        check("latency", report.latency.check)
    for result in report.escalation:
        check(f"escalation ({result.condition})", result.check)
        if result.missing_alerts:
            problems.append(
                f"escalation ({result.condition}): {result.missing_alerts} of "
                f"{result.messages} distress messages got no staff alert"
            )
    for name, load in (("load", report.load), ("fair", report.fair)):
        if load is None:
            continue
        check(name, load.check)
        if load.missing_alerts:
            problems.append(
                f"{name}: {load.missing_alerts} of {load.distress_users} "
                f"distress users got no staff alert"
            )
    if report.burst is not None:
        check("burst", report.burst.check)
        if report.burst.out_of_order:
            problems.append(f"burst: {report.burst.out_of_order} replies out of order")
    if (faults := report.faults) is not None:
        check("faults", faults.check)
        if faults.duplicates or faults.lost or faults.out_of_order:
            problems.append(
                f"faults: {faults.duplicates} queued messages delivered twice, {faults.lost} "
                f"never delivered, {faults.out_of_order} chats out of order"
            )
    for alert_burst in report.alert_bursts:
        check(f"alert burst ({alert_burst.condition})", alert_burst.check)
        if alert_burst.missing:
            problems.append(
                f"alert burst ({alert_burst.condition}): {alert_burst.missing} of "
                f"{alert_burst.users} cases never visible to staff"
            )
    return problems


def find_warnings(report: Report) -> list[str]:
    """False alarms: not a lost message, but a caseworker paged for an ordinary question."""
    found = []
    if report.latency is not None and report.latency.false_alarms:
        found.append(f"latency: {report.latency.false_alarms} ordinary messages raised an alert")
    if report.load is not None and report.load.unexpected_alerts:
        found.append(f"load: {report.load.unexpected_alerts} alerts for users not in distress")
    if report.burst is not None and report.burst.false_alarms:
        found.append(f"burst: {report.burst.false_alarms} ordinary messages raised an alert")
    if report.burst is not None and report.burst.unexpected:
        found.append(f"burst: {report.burst.unexpected} replies differ from the calibration")
    return found


def ms(value: float | None) -> str:
    """A millisecond figure for the table."""
    return "-" if value is None else f"{value:,.0f} ms" if value >= 100 else f"{value:.1f} ms"


def table(rows: Sequence[Sequence[str]], indent: str = "  ") -> str:
    """Left-aligned first column, right-aligned others."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = [row[0].ljust(widths[0])] + [
            c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)
        ]
        lines.append(indent + "  ".join(cells).rstrip())
    return "\n".join(lines)


def stats_row(name: str, s: Stats) -> list[str]:
    """One latency line of the table."""
    return [name, str(s.count), ms(s.p50_ms), ms(s.p95_ms), ms(s.p99_ms), ms(s.max_ms)]


def render(report: Report) -> str:
    """The console table."""
    m = report.machine
    out = [
        f"Haven benchmark, {m.date}",
        f"  {m.cpu_model}, {m.cpus} CPUs, {m.memory_gib} GiB, {m.kernel}",
        f"  bot: Python {m.bot_python}, python-telegram-bot {m.python_telegram_bot}; "
        f"engine: Python {m.engine_python}, Rasa {m.rasa}; ENGINE_TIMEOUT {ENGINE_TIMEOUT:g} s, "
        f"ENGINE_WORKERS {engine_workers()}",
        f"  model {m.model}; load average at start {' '.join(map(str, m.load_average))}",
    ]
    if report.engine_start_s is not None:
        out.append(f"  engine + action server started in {report.engine_start_s:.1f} s")
    header = ["", "n", "p50", "p95", "p99", "max"]
    if (lat := report.latency) is not None:
        out += [
            "",
            f"1. Reply latency, {lat.messages} messages one at a time (ko/en mix), "
            f"replies kept under {SENDS_PER_SECOND} a second",
        ]
        out.append(
            table(
                [
                    header,
                    stats_row("bot: push -> first reply at stand-in", lat.bot),
                    stats_row("engine REST webhook, same messages", lat.engine),
                ]
            )
        )
        ratio = "-" if lat.overhead_ratio is None else f"{lat.overhead_ratio:.1%}"
        out.append(
            f"  bot overhead (p50 difference): {ms(lat.overhead_ms)} = {ratio} of engine p50; "
            f"engine errors {lat.engine_errors}; fallback answers {lat.fallback_replies}"
        )
        b = lat.breakdown
        out.append(
            f"  inside the bot (p50): delivery {ms(b.delivery_ms)}, before the engine "
            f"{ms(b.before_engine_ms)}, engine {ms(b.engine_ms)}, after {ms(b.after_engine_ms)}; "
            f"the bot's own time per message (paired, engine call left out) {ms(lat.own_ms)}"
        )
        out.append(f"  {check_line(lat.check)}; false alarms {lat.false_alarms}")
    if report.escalation:
        out += ["", "2. Escalation: distress message in -> staff alert sent"]
        rows = [["", "n", "alerts", "alert p50", "alert p95", "reply p50", "reply p95"]]
        for e in report.escalation:
            name = e.condition
            rows.append(
                [
                    name,
                    str(e.messages),
                    str(e.alerts),
                    ms(e.alert.p50_ms),
                    ms(e.alert.p95_ms),
                    ms(e.reply.p50_ms),
                    ms(e.reply.p95_ms),
                ]
            )
        out.append(table(rows))
    if report.alert_bursts:
        out += ["", "2b. Alert burst: distress users at once -> each case visible to staff"]
        rows = [["", "cases", "visible p50", "p95", "all", "own alert p95", "all", "digests"]]
        for ab in report.alert_bursts:
            rows.append(
                [
                    ab.condition,
                    str(ab.cases),
                    ms(ab.visible.p50_ms),
                    ms(ab.visible.p95_ms),
                    seconds(ab.all_visible_s),
                    ms(ab.detail.p95_ms),
                    seconds(ab.all_detailed_s)
                    if ab.all_detailed_s is not None
                    else f"{ab.detailed} of {ab.cases}",
                    str(ab.digests),
                ]
            )
        out.append(table(rows))
        for ab in report.alert_bursts:
            out.append(
                f"  {ab.condition}: {ab.group_posts} messages into the group, at most "
                f"{ab.most_in_a_minute} in a minute, {ab.throttled} answered 429; {check_line(ab.check)}"
            )
    fair = "3a. Fair (one more user flooding, a stranger in the staff group)"
    for name, load in (("3. Load", report.load), (fair, report.fair)):
        if load is None:
            continue
        out += [
            "",
            f"{name}: {load.users} users, closed loop, {load.duration_s:g} s, "
            f"{load.rounds} rounds on fresh bots ({load.distress_users} users in distress)",
        ]
        out.append(
            table(
                [
                    header,
                    stats_row("first reply", load.latency),
                    stats_row("staff alert", load.alert),
                ]
            )
        )
        out.append(
            f"  {load.messages_per_second} messages/s handled, {load.replies_per_second} "
            f"replies/s, over {load.elapsed_s} s; {load.fallback_replies} answered without "
            f"the engine (slower than {ENGINE_TIMEOUT:g} s)"
        )
        out.append(f"  {check_line(load.check)}")
        out.append(
            f"  alerts: {load.alerts} for {load.distress_users} distress users "
            f"({load.missing_alerts} missing, {load.unexpected_alerts} unexpected)"
        )
    if (burst := report.burst) is not None:
        total = burst.users * burst.per_user
        out += [
            "",
            f"3b. Burst: {burst.users} users x {burst.per_user} messages pushed at once "
            f"({total}), handled in {burst.seconds} s",
        ]
        out.append(table([header, stats_row("first reply", burst.latency)]))
        out.append(f"  {check_line(burst.check)}")
        out.append(
            f"  replies vs one-at-a-time calibration: {burst.matched} identical, "
            f"{burst.fallback} engine fallback, {burst.variable} variable, "
            f"{burst.out_of_order} out of order, {burst.unexpected} other"
        )
        out += [f"    {s}" for s in burst.samples]
    if (f := report.faults) is not None:
        injected = ", ".join(f"{n} {kind}" for kind, n in f.faults.items())
        out += [
            "",
            f"3c. Faults: {f.users} users, {f.duration_s:g} s, {f.fault_rate:.0%} of sends "
            f"failing ({sum(f.faults.values())} of {f.sends}: {injected})",
        ]
        out.append(
            table([header, stats_row("first reply", f.latency), stats_row("staff alert", f.alert)])
        )
        out.append(f"  {check_line(f.check)}")
        out.append(
            f"  queued messages: alerts {f.alerts}/{f.alerts_expected}, relays "
            f"{f.relays}/{f.relays_expected}, staff replies "
            f"{f.staff_replies_delivered}/{f.staff_replies_sent}; duplicates {f.duplicates}, "
            f"lost {f.lost}, chats out of order {f.out_of_order}"
        )
        out += [f"    twice: {s}" for s in f.samples]
    if (mem := report.memory) is not None:
        out += ["", "4. Peak memory (VmHWM)"]
        rows = [
            ["bench process (bot + stand-in + driver)", mib(mem.bench_process_mib)],
            ["engine (rasa run)", mib(mem.engine_mib)],
            ["action server (components.action_server)", mib(mem.actions_mib)],
        ]
        if report.cold_start is not None:
            rows.append(
                ["bot alone (python -m bot, cold start)", mib(report.cold_start.bot_peak_mib)]
            )
        out.append(table(rows))
    if (cold := report.cold_start) is not None:
        out += [
            "",
            "5. Cold start: python -m bot (engine, action server, bot) with a trained model",
        ]
        out.append(
            table(
                [
                    ["spawn -> first getUpdates", seconds(cold.ready_s)],
                    ["spawn -> first answer", seconds(cold.first_answer_s)],
                    ["hello -> answer", ms(cold.answer_after_push_ms)],
                    ["SIGTERM -> exit", f"{seconds(cold.stop_s)} (code {cold.exit_code})"],
                ]
            )
        )
    if report.pictures is not None:
        out += render_pictures(report.pictures)
    if report.net is not None:
        out += render_net(report.net)
    if report.goals:
        out += ["", "Goals"]
        out.append(
            table(
                [[g.name, g.target, g.value, "met" if g.met else "NOT met"] for g in report.goals]
            )
        )
    out += [
        "",
        "Problems"
        if report.problems
        else "No lost, reordered, unanswered or duplicated message; no missing alert.",
    ]
    out += [f"  {p}" for p in report.problems]
    return "\n".join(out)


def check_line(c: Check) -> str:
    """The counts behind "every message answered, in order"."""
    return (
        f"{c.messages} sent, {c.processed} handled, {c.answered} answered "
        f"({c.replies} replies); lost {c.lost}, unanswered {c.unanswered}, "
        f"out of order {c.reordered}, stray replies {c.stray_replies}, failed {c.errors}"
    )


def mib(value: float | None) -> str:
    """A memory figure for the table."""
    return "-" if value is None else f"{value:,.0f} MiB"


def seconds(value: float | None) -> str:
    """A seconds figure for the table."""
    return "-" if value is None else f"{value:.2f} s"


# Running it ---------------------------------------------------------------------------------


async def phase(report: Report, name: str, work: Awaitable[T]) -> T | None:
    """Run one phase; a crash is reported and the others still run."""
    progress(name)
    try:
        return await work
    except Exception as exc:
        log.exception("phase %s failed", name)
        report.problems.append(f"{name} failed: {type(exc).__name__}: {exc}")
        return None


async def start_engine(services: EngineServices) -> float:
    """Start the action server and the engine as `make run` does; return the seconds taken."""
    started = time.monotonic()
    await services.start()
    return round(time.monotonic() - started, 1)


async def run(options: argparse.Namespace, report: Report) -> None:
    """Start the engine, run phases 1 to 4 against it, stop it, then the cold start."""
    task = asyncio.current_task()
    if task is not None:
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, task.cancel)
    only: set[str] = options.only

    def wanted(name: str) -> bool:
        return not only or name in only

    if wanted("net"):
        report.net = await phase(
            report, "net: the safety net on the longest messages", asyncio.to_thread(measure_net)
        )
    if only and only <= WITHOUT_ENGINE:
        return
    with tempfile.TemporaryDirectory(prefix="haven-bench-") as tmp:
        work = Path(tmp)
        services = EngineServices(EnginePorts.free(), log_dir=LOG_DIR, workers=engine_workers())
        try:
            report.engine_start_s = await phase(
                report, "starting the engine", start_engine(services)
            )
            if report.engine_start_s is None:
                return
            if wanted("latency"):
                report.latency = await phase(
                    report,
                    f"latency, {options.messages} messages",
                    measure_latency(services, work, options.messages),
                )
            n = options.escalations
            if wanted("escalation"):
                up = await phase(
                    report, "escalation, engine up",
                    measure_escalation("engine up", services, work, n, ESCALATION_USERS),
                )  # fmt: skip
                closed = f"http://127.0.0.1:{free_port()}"
                down = await phase(
                    report, "escalation, engine stopped",
                    measure_escalation("engine stopped", closed, work, n, ESCALATION_USERS + 1000),
                )  # fmt: skip
                with silent_server() as hung_url:
                    hung = await phase(
                        report, "escalation, engine hung",
                        measure_escalation(
                            "engine hung", hung_url, work, n, ESCALATION_USERS + 2000
                        ),
                    )  # fmt: skip
                report.escalation = [r for r in (up, down, hung) if r is not None]
            loads = [
                make(options.users, options.duration, options.rounds)
                for name, make in (("load", load_phase), ("fair", fair_phase))
                if wanted(name)
            ]
            if loads:
                measured = await phase(
                    report,
                    f"{' and '.join(p.name for p in loads)}, {options.users} users for "
                    f"{options.duration:g} s a round, rounds in turn",
                    measure_loads(services, work, loads),
                )
                for load, result in zip(loads, measured or [], strict=False):
                    setattr(report, load.name, result)
            if wanted("alerts"):
                for forum in (False, True):
                    alert_burst = await phase(
                        report,
                        f"alert burst, {options.alert_burst} users, {'forum' if forum else 'flat'}",
                        measure_alert_burst(
                            services, work, options.alert_burst, forum, options.detail_wait
                        ),
                    )
                    if alert_burst is not None:
                        report.alert_bursts.append(alert_burst)
            burst_users = max(4, options.users // 10)
            if wanted("burst"):
                report.burst = await phase(
                    report,
                    f"burst, {burst_users} users",
                    measure_burst(services, work, burst_users),
                )
            if wanted("faults"):
                report.faults = await phase(
                    report,
                    f"faults, {options.users} users for {options.duration:g} s, "
                    f"{options.fault_rate:.0%} of sends failing",
                    measure_faults(
                        services, work, options.users, options.duration, options.fault_rate
                    ),
                )
            if wanted("pictures"):
                report.pictures = await phase(
                    report,
                    "pictures: OCR per screenshot, typed messages while pictures are read",
                    measure_pictures(services, work / "pictures"),
                )
            if wanted("memory"):
                report.memory = measure_memory(services)
        finally:
            await services.stop()
        if wanted("cold"):
            report.cold_start = await phase(report, "cold start", measure_cold_start(work / "cold"))


def parse_options(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """--messages, --users, --duration, --quick, --json, --escalations, --fault-rate, --only."""
    parser = argparse.ArgumentParser(prog="make bench", description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=500, help="latency messages (500)")
    parser.add_argument("--users", type=int, default=200, help="simulated users under load (200)")
    parser.add_argument("--duration", type=float, default=60.0, help="load seconds (60)")
    parser.add_argument(
        "--rounds",
        type=int,
        default=None,
        help=f"load and fair rounds, each on a fresh bot (enough for {ALERT_SAMPLES} alerts)",
    )
    parser.add_argument(
        "--escalations", type=int, default=30, help="distress messages per engine condition (30)"
    )
    parser.add_argument(
        "--alert-burst",
        type=int,
        default=ALERT_BURST_USERS,
        help=f"distress users at once in the alert burst ({ALERT_BURST_USERS})",
    )
    parser.add_argument(
        "--detail-wait",
        type=float,
        default=180.0,
        help="seconds to wait for each burst case's own alert after all are visible (180)",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="smoke run: 60 messages, 20 users, 10 s, 6 escalations, 20 s for burst details",
    )
    parser.add_argument(
        "--fault-rate",
        type=float,
        default=FAULT_RATE,
        help=f"share of sends failing in the fault phase ({FAULT_RATE:g})",
    )
    parser.add_argument(
        "--only",
        type=lambda v: {p.strip() for p in v.split(",") if p.strip()},
        default=set(),
        help=f"run only these phases, comma-separated: {', '.join(PHASES)}",
    )
    parser.add_argument("--json", type=Path, default=REPORT, help=f"report file ({REPORT})")
    options = parser.parse_args(argv)
    if options.quick:
        options.messages, options.users, options.duration, options.escalations = 60, 20, 10.0, 6
        options.rounds = options.rounds or 1
        options.detail_wait = min(options.detail_wait, 20.0)
    counts = (options.messages, options.users, options.escalations, options.rounds or 1)
    if min(counts) < 1 or options.duration <= 0:
        parser.error("counts and the duration must be positive")
    if not 0 <= options.fault_rate < 1:
        parser.error("--fault-rate must be at least 0 and below 1")
    if options.only - set(PHASES):
        parser.error(f"unknown phases {sorted(options.only - set(PHASES))}; known: {PHASES}")
    return options


def main(argv: Sequence[str] | None = None) -> int:
    """Run everything, print the table, write the JSON; non-zero if anything was lost."""
    options = parse_options(argv)
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    for pattern in ("engine-*.log", "actions-*.log", "endpoints-*.yml"):
        for old in LOG_DIR.glob(pattern):
            old.unlink()
    logging.basicConfig(
        filename=LOG_DIR / "bench.log",
        filemode="w",
        level=logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    for noisy in ("httpx", "apscheduler"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    report = Report(
        machine=describe_machine(),
        options={
            k: str(v) if isinstance(v, Path) else sorted(v) if isinstance(v, set) else v
            for k, v in vars(options).items()
        },
    )
    try:
        asyncio.run(run(options, report))
    except (KeyboardInterrupt, asyncio.CancelledError):
        print("bench: interrupted; every process it started has been stopped", file=sys.stderr)
        return 130
    report.goals = evaluate_goals(report)
    report.problems += find_problems(report)
    report.warnings += find_warnings(report)
    print(render(report))
    options.json.parent.mkdir(parents=True, exist_ok=True)
    options.json.write_text(
        json.dumps(asdict(report), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    print(f"\nreport: {options.json}; logs: {LOG_DIR}")
    return 1 if report.problems else 0


if __name__ == "__main__":
    sys.exit(main())
