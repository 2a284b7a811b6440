"""The staff desk in the fast tier: topics, routing, digests, the ladder, canned replies, numbers.

Real SQLite, no engine and no Telegram: a stand-in forum records what would be made, and what
would be sent is collected.
"""

from __future__ import annotations

import asyncio
import shutil
import socket
import urllib.request
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.common.hours import StaffHours
from bot.core.errors import (
    CannedError,
    ConfigError,
    NotAuthorized,
    StoreUnavailable,
    TopicClosed,
    TopicGone,
)
from bot.core.replies import utf16_len, with_mentions
from bot.core.texts import t
from bot.delivery.routing import staff_words_key, typed_in
from bot.delivery.topics import ForumStatus, topic_link, topic_name
from bot.desk.canned import load_canned
from bot.desk.metrics import DeskCollector, MetricsEndpoint, snapshot_of
from bot.desk.staffinput import (
    Button,
    ButtonAction,
    CommandLine,
    StaffCommand,
    in_topic,
    parse_button,
    parse_command,
    tag_of,
)
from bot.desk.stats import draw_week, numbers_of, percentile, render_numbers, week_bars
from bot.store import CaseMetrics, CaseTag, OutboxItem, OutboxKind, Priority, iso, now
from tests.parts import (
    CONTENT,
    STAFF,
    STAFF_CHAT,
    USER,
    Parts,
    body,
    build_parts,
    message,
    until,
)

SUPERVISOR = 78
TOPICS_CHAT_PREFIX = "https://t.me/c/500/"


class FakeForum:
    """Telegram's topics as the desk sees them: made, renamed, closed, reopened, refused."""

    def __init__(self, forum: bool = True, may_manage: bool = True) -> None:
        self.status = ForumStatus(forum, may_manage)
        self.topics: dict[int, dict[str, object]] = {}
        self.calls: list[tuple[str, int]] = []
        self.next_id = 100

    async def forum_status(self, chat_id: int) -> ForumStatus:
        return self.status

    async def create_topic(self, chat_id: int, name: str, color: int) -> int:
        self.next_id += 1
        self.topics[self.next_id] = {"name": name, "color": color, "closed": False}
        self.calls.append(("create", self.next_id))
        return self.next_id

    async def rename_topic(self, chat_id: int, thread_id: int, name: str) -> None:
        if thread_id not in self.topics:
            raise TopicGone("400: message thread not found")
        self.topics[thread_id]["name"] = name
        self.calls.append(("rename", thread_id))

    async def close_topic(self, chat_id: int, thread_id: int) -> None:
        self.topics[thread_id]["closed"] = True
        self.calls.append(("close", thread_id))

    async def reopen_topic(self, chat_id: int, thread_id: int) -> None:
        self.topics[thread_id]["closed"] = False
        self.calls.append(("reopen", thread_id))


async def built(tmp_path: Path, forum: FakeForum | None = None, **kwargs: Any) -> Parts:
    return await build_parts(
        tmp_path,
        staff=(STAFF, SUPERVISOR),
        forum=forum,
        supervisors=frozenset({SUPERVISOR}),
        **kwargs,
    )


async def distress(parts: Parts, user: int = USER) -> int:
    replies = await parts.conversation.on_text(message("help me please, they locked me in", user))
    case = await parts.store.active_case(user)
    assert case is not None, replies
    return case.id


async def drain(parts: Parts, passes: int = 8) -> list[OutboxItem]:
    sent: list[OutboxItem] = []
    for _ in range(passes):
        sent += await parts.deliver()
    return sent


async def test_a_case_gets_a_topic_and_general_a_notice_with_its_link(tmp_path: Path) -> None:
    forum = FakeForum()
    parts = await built(tmp_path, forum)
    case_id = await distress(parts)
    sent = await drain(parts)
    [(thread, topic)] = forum.topics.items()
    assert (topic["name"], topic["color"]) == (f"#{case_id} 🔴 EN", 16478047)
    alert = next(item for item in sent if item.kind == OutboxKind.ALERT)
    assert alert.thread_id == thread
    assert "This topic is case #1" in alert.text
    notice = next(item for item in sent if item.kind == OutboxKind.CASE_NOTICE)
    assert notice.thread_id is None, "the notice goes to General"
    assert notice.text.startswith("🆕 #1 🔴 English · high priority")
    assert "locked me in" not in notice.text
    await parts.conversation.on_text(message("they are coming back"))
    relays = await drain(parts)
    assert [(item.kind, item.thread_id) for item in relays] == [(OutboxKind.RELAY, thread)]
    await parts.store.close()


async def test_staff_words_in_a_topic_go_out_and_are_confirmed_after_delivery(
    tmp_path: Path,
) -> None:
    forum = FakeForum()
    parts = await built(tmp_path, forum)
    await distress(parts)
    await drain(parts)
    thread = next(iter(forum.topics))
    key = staff_words_key(STAFF_CHAT, 555)
    answer = await parts.desk.drafts.topic_message(STAFF, "Kim", thread, "We are here.", key)
    assert answer is not None, "the outbox is not running: staff hear it is not delivered yet"
    assert answer.text.startswith("⏳ Case #1: not delivered yet")
    sent = await drain(parts)
    to_user = [item for item in sent if item.chat_id == USER]
    assert [body(item.text) for item in to_user] == ["💬 Haven team: We are here."]
    [tick] = [item for item in sent if item.chat_id == STAFF_CHAT]  # no "now delivered" too
    assert (tick.thread_id, tick.reply_to) == (thread, 555)
    assert tick.text.startswith("✓ Delivered to case #1 · ")  # and when it left
    again = await parts.desk.drafts.topic_message(STAFF, "Kim", thread, "We are here.", key)
    assert again is None
    assert [i for i in await drain(parts) if i.chat_id == USER] == [], "the same update, once"
    note = await parts.desk.drafts.topic_message(STAFF, "Kim", thread, "📝 floor 5", key + "0")
    assert note is not None
    assert "Note kept" in note.text
    assert await drain(parts) == []
    with pytest.raises(NotAuthorized):
        await parts.desk.drafts.topic_message(999, "X", thread, "hello", key + "1")
    assert await parts.desk.drafts.topic_message(STAFF, "Kim", 4242, "chat", key + "2") is None
    await parts.store.close()


async def test_resolve_closes_the_topic_and_the_next_case_reopens_it(tmp_path: Path) -> None:
    forum = FakeForum()
    parts = await built(tmp_path, forum)
    first = await distress(parts)
    await drain(parts)
    thread = next(iter(forum.topics))
    await parts.desk.cases.resolve(STAFF, "Kim", first)
    await drain(parts)
    assert forum.topics[thread]["closed"]
    assert ("close", thread) in forum.calls
    second = await distress(parts)
    sent = await drain(parts)
    assert list(forum.topics) == [thread]
    assert forum.topics[thread] == {"name": f"#{second} 🔴 EN", "color": 16478047, "closed": False}
    alert = next(item for item in sent if item.kind == OutboxKind.ALERT)
    assert alert.thread_id == thread
    await parts.store.close()


async def test_a_closed_or_deleted_topic_is_mended_on_the_way(tmp_path: Path) -> None:
    forum = FakeForum()
    parts = await built(tmp_path, forum)
    await distress(parts)
    await drain(parts)
    thread = next(iter(forum.topics))
    refusals: list[Exception] = [TopicClosed("400: TOPIC_CLOSED")]
    real = parts.outbox._send  # the router

    async def refusing(item):  # type: ignore[no-untyped-def]
        if refusals and item.chat_id == STAFF_CHAT and item.thread_id is not None:
            raise refusals.pop(0)
        parts.sent.append(item)
        return 2000 + len(parts.sent)

    router = real
    router._send = refusing  # type: ignore[attr-defined]
    await parts.conversation.on_text(message("still here"))
    [relay] = await drain(parts)
    assert relay.thread_id == thread, "reopened, then sent"
    assert ("reopen", thread) in forum.calls
    del forum.topics[thread]
    refusals.append(TopicGone("400: Bad Request: message thread not found"))
    await parts.conversation.on_text(message("and now"))
    [relay] = await drain(parts)
    assert relay.thread_id != thread
    assert relay.thread_id in forum.topics, "the deleted topic was made again"
    await parts.store.close()


async def test_without_the_right_the_group_stays_flat_and_is_told(tmp_path: Path) -> None:
    forum = FakeForum(may_manage=False)
    parts = await built(tmp_path, forum)
    await distress(parts)
    sent = await drain(parts)
    assert forum.topics == {}
    assert any("Manage topics" in item.text for item in sent)
    alert = next(item for item in sent if item.kind == OutboxKind.ALERT)
    assert alert.thread_id is None
    assert "reply to this message" in alert.text
    await parts.store.close()


async def test_a_burst_is_announced_in_a_digest_before_the_alerts(tmp_path: Path) -> None:
    forum = FakeForum()
    parts = await built(tmp_path, forum, room=lambda chat: 12)
    cases = [await distress(parts, user) for user in range(300, 306)]
    sent = await drain(parts, passes=20)
    digest = sent[0]
    assert digest.kind == OutboxKind.DIGEST
    headline = digest.text.splitlines()[0]
    assert headline == "🆘 6 new cases: " + ", ".join(f"#{c} 🔴" for c in cases)
    assert digest.text.count("help me please, they locked me in") == 6
    alerts = [item for item in sent if item.kind == OutboxKind.ALERT]
    assert len(alerts) == 6
    assert all(item.thread_id for item in alerts), "each case's detail follows in its topic"
    assert not any(item.kind == OutboxKind.CASE_NOTICE for item in sent), "the digest was it"
    for case_id in cases:
        metrics = await parts.store.case_metrics(case_id)
        assert metrics is not None
        assert metrics.seen_at is not None
    await parts.store.close()


async def test_alerts_go_one_by_one_while_the_group_has_room(tmp_path: Path) -> None:
    parts = await built(tmp_path)
    for user in range(300, 306):
        await distress(parts, user)
    sent = await drain(parts, passes=20)
    assert [item.kind for item in sent] == [OutboxKind.ALERT] * 6
    await parts.store.close()


async def test_the_ladder_realerts_then_calls_the_supervisors_once(tmp_path: Path) -> None:
    forum = FakeForum()
    parts = await built(tmp_path, forum, realert=timedelta(0), supervisors_after=timedelta(0))
    case_id = await distress(parts)
    await drain(parts)
    assert await parts.ladder.climb() == 2
    sent = await drain(parts)
    realert = next(item for item in sent if item.kind == OutboxKind.REALERT)
    assert realert.thread_id is None
    assert realert.text.startswith(f"⏰ Still unclaimed: case #{case_id}")
    assert TOPICS_CHAT_PREFIX in realert.text
    call = next(item for item in sent if item.kind == OutboxKind.SUPERVISOR)
    assert call.text.startswith(f"📣 Case #{case_id} has waited")
    assert call.text.endswith("\nUser78")
    [mention] = call.mentions
    assert (mention.user_id, mention.label) == (SUPERVISOR, "User78")
    assert mention.offset == utf16_len(call.text) - utf16_len("User78")
    assert await parts.ladder.climb() == 1, "a re-alert again, the supervisors not"
    await parts.desk.cases.claim(STAFF, "Kim", case_id)
    await drain(parts)
    assert await parts.ladder.climb() == 0
    await parts.desk.cases.unclaim(STAFF, "Kim", case_id)
    await drain(parts)
    assert await parts.ladder.climb() == 2, "given back: the ladder starts again"
    await parts.store.close()


async def test_a_handover_names_the_new_caseworker(tmp_path: Path) -> None:
    parts = await built(tmp_path)
    case_id = await distress(parts)
    await drain(parts)
    answer = await parts.desk.cases.transfer(STAFF, "Kim", case_id, SUPERVISOR)
    assert answer.startswith("🔁 Case #1 handed over by Kim")
    [handover] = await drain(parts)
    assert handover.kind == OutboxKind.HANDOVER
    assert [m.user_id for m in handover.mentions] == [SUPERVISOR]
    refused = await parts.desk.cases.transfer(STAFF, "Kim", case_id, 31337)
    assert "31337 is not staff" in refused
    assert (await parts.store.case(case_id)).claimed_by == SUPERVISOR
    await parts.store.close()


async def test_what_a_person_is_told_to_expect(tmp_path: Path) -> None:
    nights = StaffHours.parse("Mon-Fri 09:00-18:00 Asia/Seoul")
    parts = await built(tmp_path, hours=nights)
    friday_night = datetime(2026, 11, 27, 22, tzinfo=ZoneInfo("Asia/Seoul"))
    closed = await parts.ladder.what_to_expect("en", friday_night)
    assert closed.startswith(
        "Our team is not at work right now; a person will see this in about 59 hours"
    )
    # the numbers follow in the escalation reply's list: the Call Center is not named twice
    assert "+82-2-3210-0404" not in closed
    assert "아래 번호" in await parts.ladder.what_to_expect("ko", friday_night)
    monday = datetime(2026, 11, 30, 10, tzinfo=ZoneInfo("Asia/Seoul"))
    assert await parts.ladder.what_to_expect("en", monday) == t("wait_unknown", "en")
    for user in range(400, 406):
        case_id = await distress(parts, user)
        await parts.desk.words.reply(STAFF, case_id, "hello")
    await drain(parts, passes=30)
    parts.stats._typical = None  # the minute's cache of the usual wait
    usual = await parts.ladder.what_to_expect("en", monday)
    assert usual == "Lately a person has usually answered within 5 minutes."
    await parts.store.close()


async def test_words_typed_in_a_topic_are_answered_by_the_tick_alone(tmp_path: Path) -> None:
    forum = FakeForum()
    parts = await built(tmp_path, forum, reply_wait=5.0)
    parts.outbox.start()
    try:
        await distress(parts)
        await until(lambda: bool(forum.topics) and len(parts.to(STAFF_CHAT)) >= 2)
        thread = next(iter(forum.topics))
        key = staff_words_key(STAFF_CHAT, 556)
        answer = await parts.desk.drafts.topic_message(STAFF, "Kim", thread, "Stay calm.", key)
        assert answer is None, "delivered: the ✓ in the topic says so"
        assert body(parts.to(USER)[-1]) == "💬 Haven team: Stay calm."
        await until(
            lambda: any(t.startswith("✓ Delivered to case #1") for t in parts.to(STAFF_CHAT))
        )
    finally:
        await parts.outbox.stop()
        await parts.store.close()


async def test_canned_replies_go_out_in_the_user_s_language(tmp_path: Path) -> None:
    parts = await built(tmp_path, reply_wait=5.0)
    replies = await parts.conversation.on_text(message("도와주세요 여기 갇혀 있어요"))
    assert replies
    await parts.store.set_secret(USER, "safety_word", "blue kite")
    case = await parts.store.active_case(USER)
    assert case is not None
    assert case.language == "ko"
    await drain(parts)
    picker = await parts.desk.drafts.canned_picker(STAFF, case.id)
    assert [b.title for b in picker.buttons] == [
        "Safe to talk?", "Location", "Embassy", "Safety plan", "Call center",
    ]  # fmt: skip
    preview = await parts.desk.drafts.canned_preview(STAFF, case.id, "location")
    assert "going out in Korean" in preview.text
    assert "please share your location" in preview.text
    assert "위치를 보내 주세요" in preview.text
    token = preview.buttons[0].data.split(":")[1]
    parts.outbox.start()
    try:
        outcome, settled = await parts.desk.drafts.settle_draft(
            STAFF, "Kim", ButtonAction.SEND, token
        )
        assert settled
        assert outcome == "➡️ Sent to case #1."
        [sent] = [text for text in parts.to(USER) if "상담원" in text]
        assert body(sent).startswith("💬 Haven 상담원: 안전하게 할 수 있다면")
        assert sent.endswith("🔑 blue kite")
        answer = await parts.desk.drafts.send_canned(STAFF, case.id, "call_center")
        assert "Consular Call Center" in answer, "staff see it in their language"
        center = parts.to(USER)[-1]
        assert "외교부 영사콜센터" in center
        assert "+82-2-3210-0404" in center
        assert "no canned reply 'nope'" in await parts.desk.drafts.send_canned(
            STAFF, case.id, "nope"
        )
    finally:
        await parts.outbox.stop()
        await parts.store.close()


def test_the_canned_file_has_every_entry_in_both_languages() -> None:
    entries = load_canned(CONTENT / "canned.yml")
    assert {e.key for e in entries} >= {
        "safe_to_talk", "location", "embassy", "safety_plan", "call_center",
    }  # fmt: skip
    for entry in entries:
        assert set(entry.titles) == set(entry.texts) == {"ko", "en"}
        assert len(f"canned:{'9' * 18}:{entry.key}".encode()) <= 64


@pytest.mark.parametrize(
    ("ko", "en", "problem"),
    [
        ("{title: 가, text: 가}", "{title: a}", "needs a title and a text"),
        ("{title: 가, text: 가}", None, "needs a title and a text"),
        ("{title: 가, text: 가 +82-2-3210-0404}", "{title: a, text: a}", "a phone number"),
        ("{title: 가, text: 가}", "{title: a, text: 가}", "Korean letters"),
        ("{title: 가, text: '가 {call_center}'}", "{title: a, text: a}", "different placeholders"),
        ("{title: 가, text: '가 {who}'}", "{title: a, text: 'a {who}'}", "unknown"),
    ],
)
def test_a_broken_canned_reply_is_refused_naming_the_pack(
    tmp_path: Path, ko: str, en: str | None, problem: str
) -> None:
    path = tmp_path / "canned.yml"
    path.write_text("replies:\n  - key: x\n", encoding="utf-8")
    for code, rank, words in (("ko", 1, ko), ("en", 2, en)):
        (tmp_path / code).mkdir()
        (tmp_path / code / "pack.yml").write_text(f"{{en: a, ko: 가, answers: {rank}}}\n")
        (tmp_path / code / "canned.yml").write_text(f"x: {words}\n" if words else "{}\n")
    with pytest.raises(CannedError, match=problem) as caught:
        load_canned(path)
    if "placeholders" not in problem:  # a fault of one language names its pack's file
        said = str(caught.value)
        assert (
            f"{tmp_path / 'ko'}/canned.yml: x" in said or f"{tmp_path / 'en'}/canned.yml: x" in said
        )


def test_a_canned_key_must_be_short_lower_case(tmp_path: Path) -> None:
    shutil.copytree(CONTENT, tmp_path, dirs_exist_ok=True)
    (tmp_path / "canned.yml").write_text("replies:\n  - key: X y\n", encoding="utf-8")
    with pytest.raises(CannedError, match="key"):
        load_canned(tmp_path / "canned.yml")


def metrics_row(case_id: int, opened: datetime, **later: float | str | None) -> CaseMetrics:
    def at(minutes: float | str | None) -> str | None:
        return (
            iso(opened + timedelta(minutes=minutes)) if isinstance(minutes, int | float) else None
        )

    tag = later.get("tag")
    return CaseMetrics(
        case_id=case_id,
        opened_at=iso(opened),
        priority=Priority.HIGH if case_id % 2 else Priority.NORMAL,
        language="ko",
        missed_checkin=later.get("missed") == "yes",
        seen_at=at(0.1),
        claimed_at=at(later.get("claim")),
        first_reply_at=at(later.get("reply")),
        resolved_at=at(later.get("resolved")),
        tag=CaseTag(str(tag)) if tag else None,
        realerts=0,
        supervisors_at=None,
    )


def test_the_numbers_of_a_day() -> None:
    moment = now()
    rows = [
        metrics_row(1, moment - timedelta(hours=3), claim=2, reply=4, resolved=30, tag="rescued"),
        metrics_row(
            2, moment - timedelta(hours=2), claim=10, reply=20, resolved=40, tag="false_alarm"
        ),
        metrics_row(3, moment - timedelta(hours=1), claim=1, missed="yes"),
        metrics_row(4, moment - timedelta(days=3), claim=5, reply=6),
    ]
    numbers = numbers_of(rows, moment - timedelta(days=1), moment, (2, 1))
    assert (numbers.opened, numbers.opened_high) == (3, 2)
    assert (numbers.to_claim.p50, numbers.to_claim.p95, numbers.to_claim.count) == (2, 10, 3)
    assert (numbers.to_first_reply.p50, numbers.to_first_reply.count) == (4, 2)
    assert numbers.resolved == {"rescued": 1, "false_alarm": 1}
    assert (numbers.false_alarms, numbers.missed_checkins) == (1, 1)
    text = render_numbers(numbers, "📊 Day", "en")
    assert "Cases opened: 3 (2 high priority)" in text
    assert "Time to claim: p50 2 min · p95 10 min (n=3)" in text
    assert "Resolved, by tag: false alarm 1, rescued 1" in text
    assert "Missed check-ins: 1" in text
    korean = render_numbers(numbers, "📊", "ko")
    assert "담당까지: 중앙값 2분 · 95% 10분 (3건)" in korean
    assert percentile([], 50) is None


def test_the_weekly_chart_is_a_png(tmp_path: Path) -> None:
    moment = datetime(2026, 11, 25, 12, tzinfo=UTC)
    rows = [
        metrics_row(i, moment - timedelta(days=i % 7, hours=1), reply=i + 1) for i in range(1, 15)
    ]
    bars = week_bars(rows, moment, ZoneInfo("Asia/Seoul"))
    assert [bar.day for bar in bars][-1] == "11-25"
    assert sum(bar.high + bar.normal for bar in bars) == 14
    png = draw_week(bars, "ko")
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(png) > 5000


def test_the_metrics_endpoint_serves_on_loopback_only(tmp_path: Path) -> None:
    moment = now()
    rows = [
        metrics_row(1, moment - timedelta(hours=3), claim=2, reply=4, resolved=30, tag="rescued"),
        metrics_row(2, moment - timedelta(days=30), claim=1, missed="yes"),
    ]
    collector = DeskCollector()
    folded = Counter({"opened:high": 4, "resolved:safe": 3, "missed": 2})
    collector.snapshot = snapshot_of(rows, (1, 1), moment, folded)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    endpoint = MetricsEndpoint(None, port)  # type: ignore[arg-type]
    endpoint._collector = collector
    endpoint.start()
    try:
        body = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5).read().decode()
        assert endpoint._server is not None
        assert endpoint._server.server_address[0] == "127.0.0.1"
    finally:
        endpoint.stop()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        busy = MetricsEndpoint(None, taken.getsockname()[1])  # type: ignore[arg-type]
        with pytest.raises(ConfigError, match="METRICS_PORT"):
            busy.start()
    # Timelines retention let go still count: the totals only grow.
    assert 'haven_cases_opened_total{priority="high"} 5.0' in body
    assert 'haven_cases_opened_total{priority="normal"} 1.0' in body
    assert 'haven_cases_resolved_total{tag="rescued"} 1.0' in body
    assert 'haven_cases_resolved_total{tag="safe"} 3.0' in body
    assert "haven_missed_checkins_total 3.0" in body
    assert "haven_cases_unclaimed 1.0" in body
    assert 'haven_time_to_claim_seconds{quantile="0.5"} 120.0' in body, "the last week only"


def test_names_links_and_mentions() -> None:
    assert topic_link(-1001234, 55) == "https://t.me/c/1234/55"
    assert topic_link(-42, 55) is None
    text, mentions = with_mentions("📣 #1 상담", [(7, "김민지"), (8, "Bo")])
    assert text == "📣 #1 상담\n김민지, Bo"
    assert [(m.offset, m.length) for m in mentions] == [(9, 3), (14, 2)]
    assert typed_in(staff_words_key(-100, 77), -100) == 77
    assert typed_in("draft:x", -100) is None
    assert typed_in(staff_words_key(-200, 77), -100) is None


async def test_topic_names_carry_no_personal_data(tmp_path: Path) -> None:
    parts = await built(tmp_path)
    await parts.conversation.on_text(message("help me please, they locked me in"))
    case = await parts.store.active_case(USER)
    assert case is not None
    assert topic_name(case) == "#1 🔴 EN"
    await parts.store.close()


@pytest.mark.parametrize(
    ("name", "rest", "typed"),
    [
        ("note", "5 people in the room", "9 5 people in the room"),
        ("note", "#3 about the other case", "#3 about the other case"),
        ("reply", "we are here", "9 we are here"),
        ("claim", "", "9"),
        ("claim", "12", "12"),
        ("resolve", "rescued", "9 rescued"),
        ("canned", "location", "9 location"),
        ("canned", "", "9"),
        ("transfer", "9003", "9 9003"),
        ("transfer", "12 9003", "12 9003"),
        ("cases", "", ""),
        ("stats", "week", "week"),
        ("weather", "x", "x"),
    ],
)
def test_in_a_topic_the_case_number_may_be_left_out(name: str, rest: str, typed: str) -> None:
    assert in_topic(name, rest, 9) == typed


@pytest.mark.parametrize(
    ("name", "rest", "parsed"),
    [
        ("resolve", "4 false alarm", CommandLine(StaffCommand.RESOLVE, 4, CaseTag.FALSE_ALARM)),
        ("resolve", "4 family-report", CommandLine(StaffCommand.RESOLVE, 4, CaseTag.FAMILY_REPORT)),
        ("resolve", "4", CommandLine(StaffCommand.RESOLVE, 4, "")),
        ("resolve", "4 maybe", None),
        ("transfer", "4 9003", CommandLine(StaffCommand.TRANSFER, 4, "9003")),
        ("transfer", "4 kim", None),
        ("transfer", "4", None),
        ("unclaim", "4", CommandLine(StaffCommand.UNCLAIM, 4)),
        ("canned", "4 Location", CommandLine(StaffCommand.CANNED, 4, "location")),
        ("canned", "4", CommandLine(StaffCommand.CANNED, 4)),
        ("canned", "4 no way", None),
        ("stats", "", CommandLine(StaffCommand.STATS)),
        ("stats", "week", CommandLine(StaffCommand.STATS, text="week")),
        ("stats", "month", None),
    ],
)
def test_the_new_commands_parse_strictly(name: str, rest: str, parsed: CommandLine | None) -> None:
    assert parse_command(name, rest) == parsed


@pytest.mark.parametrize(
    ("data", "parsed"),
    [
        ("resolve:4:rescued", Button(ButtonAction.RESOLVE, case_id=4, key="rescued")),
        ("resolve:4:lost", None),
        ("canned:4", Button(ButtonAction.CANNED, case_id=4)),
        ("canned:4:safe_to_talk", Button(ButtonAction.CANNED, case_id=4, key="safe_to_talk")),
        ("canned:4:Safe", None),
        ("claim:4:rescued", None),
    ],
)
def test_the_new_buttons_parse_strictly(data: str, parsed: Button | None) -> None:
    assert parse_button(data) == parsed


def test_tags_as_staff_type_them() -> None:
    assert tag_of("False Alarm") == CaseTag.FALSE_ALARM
    assert tag_of("job-check") == CaseTag.JOB_CHECK
    assert tag_of("dunno") is None


async def test_a_message_waiting_for_room_lets_new_cases_be_announced_first(
    tmp_path: Path,
) -> None:
    room = {"now": 20}
    forum = FakeForum()
    parts = await built(tmp_path, forum, room=lambda chat: room["now"])
    first = await distress(parts, 300)
    await drain(parts)
    await parts.conversation.on_text(message("they are coming", 300))
    room["now"] = 0
    later = await distress(parts, 301)  # comes in while the relay waits for the group

    async def drained_room() -> None:
        await asyncio.sleep(0.5)
        room["now"] = 20

    waiting = asyncio.create_task(drained_room())
    sent = await drain(parts, passes=4)
    await waiting
    kinds = [(item.kind, item.case_id) for item in sent if item.chat_id == STAFF_CHAT]
    assert kinds[0] == (OutboxKind.DIGEST, None), kinds
    assert f"#{later} 🔴" in sent[0].text
    assert (OutboxKind.RELAY, first) in kinds
    await parts.store.close()


async def test_a_late_case_behind_announced_alerts_gets_its_own_digest(tmp_path: Path) -> None:
    parts = await built(tmp_path, room=lambda chat: 3)
    for user in range(300, 305):
        await distress(parts, user)
    digest, alert = await parts.deliver()
    assert (digest.kind, alert.kind) == (OutboxKind.DIGEST, OutboxKind.ALERT)
    late = await distress(parts, 399)
    again, _alert = await parts.deliver()
    assert again.kind == OutboxKind.DIGEST, "the late case would wait behind four alerts"
    assert again.text.startswith(f"🆘 1 new case: #{late} 🔴")
    await parts.store.close()


async def test_a_store_failing_on_the_usual_wait_still_tells_the_person_help_was_asked(
    tmp_path: Path,
) -> None:
    parts = await built(tmp_path)

    async def no_numbers(lang: str) -> str:
        raise StoreUnavailable("database is locked")

    parts.intake._expect = no_numbers
    replies = await parts.conversation.on_text(message("help me please, they locked me in"))
    assert body(replies[0].text).startswith("I have alerted a person from our team (#1)."), replies[
        0
    ].text
    assert await parts.store.active_case(USER) is not None
    await parts.store.close()
