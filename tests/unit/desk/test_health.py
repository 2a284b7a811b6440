"""Haven as open_haven builds it, without Telegram: /health, the stuck-alert alarm, content edits."""

from __future__ import annotations

import asyncio
import os
import re
import shutil
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
import pytest_asyncio

from bot.common.incoming import Incoming
from bot.common.roster import GroupMember, MemberStatus, StaffRoster
from bot.common.settings import Settings
from bot.core.errors import DeliveryError, NotAuthorized
from bot.runtime import Haven, open_haven
from bot.store import OutboxItem, OutboxKind
from tests.parts import until

CONTENT = Path(__file__).resolve().parents[3] / "content"
STAFF_CHAT = -100600
STAFF = 31
USER = 5150
CLOSED_ENGINE = "http://127.0.0.1:9"  # nothing listens on the discard port


class Telegram:
    """Collects what Haven sends; alerts can be made to fail."""

    def __init__(self) -> None:
        self.sent: list[OutboxItem] = []
        self.failing: Callable[[OutboxItem], bool] = lambda item: False

    async def send(self, item: OutboxItem) -> int:
        if self.failing(item):
            raise DeliveryError("502: Bad Gateway")
        self.sent.append(item)
        return len(self.sent)

    def to(self, chat_id: int) -> list[str]:
        return [i.text for i in self.sent if i.chat_id == chat_id]


@pytest_asyncio.fixture(loop_scope="session")
async def running(tmp_path: Path) -> AsyncIterator[tuple[Haven, Telegram, Path]]:
    """Haven on its own copy of content/, with a closed engine and a fake Telegram."""
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    telegram = Telegram()

    async def in_group(user_id: int) -> GroupMember:
        return GroupMember(user_id, "Kim", MemberStatus.MEMBER)

    async def delete(chat_id: int, message_ids: list[int]) -> None:
        return None

    settings = Settings(
        staff_chat_id=STAFF_CHAT,
        staff_language="en",
        rasa_url=CLOSED_ENGINE,
        engine_secret="s" * 40,
        database_path=tmp_path / "haven.sqlite3",
        content_dir=content,
        alert_alarm_minutes=0.001,
    )
    haven = await open_haven(settings, telegram.send, StaffRoster({STAFF}, in_group), delete)
    yield haven, telegram, content
    await haven.close()


async def test_health_is_for_staff_and_tells_the_queue_engine_and_errors(
    running: tuple[Haven, Telegram, Path],
) -> None:
    haven, telegram, _content = running
    with pytest.raises(NotAuthorized):
        await haven.health.report(999)
    assert [(e.actor_id, e.action, e.allowed) for e in await haven.store.audit_log()] == [
        (999, "health", False)
    ]
    telegram.failing = lambda item: item.kind == OutboxKind.ALERT
    await haven.conversation.on_text(Incoming(USER, USER, "help me please, they locked me in"))
    await until(lambda: haven.outbox.last_error is not None)
    report = await haven.health.report(STAFF)
    assert "Outbox: 1 waiting (oldest" in report
    assert "Dead letters: 0 in all, 0 in the last 24 h" in report
    assert "Engine: down" in report
    assert "Last delivery error: alert: 502: Bad Gateway" in report
    assert "Content files: fine" in report
    assert re.search(r"Fact entries checked more than 90 days ago: \d+", report)


async def test_an_alert_stuck_too_long_is_alarmed_once(
    running: tuple[Haven, Telegram, Path],
) -> None:
    haven, telegram, _content = running
    telegram.failing = lambda item: item.kind == OutboxKind.ALERT and item.id != 0
    await haven.conversation.on_text(Incoming(USER, USER, "help me please, they locked me in"))
    await asyncio.sleep(0.1)
    await haven.health.watch()
    await haven.health.watch()
    alarms = [t for t in telegram.to(STAFF_CHAT) if "alert(s) undelivered" in t]
    assert len(alarms) == 1
    assert "oldest: case #1" in alarms[0]
    telegram.failing = lambda item: False
    await until(lambda: any("New case #1" in t for t in telegram.to(STAFF_CHAT)), timeout=10)


async def test_a_broken_content_edit_keeps_serving_and_staff_are_told_once(
    running: tuple[Haven, Telegram, Path],
) -> None:
    haven, telegram, content = running
    countries = content / "countries.yml"
    countries.write_text("countries: [\n", encoding="utf-8")
    os.utime(countries, ns=(10**9, 10**9))
    for _ in range(3):
        replies = await haven.conversation.on_command(Incoming(USER, USER, ""), "contacts", "")
        assert "1330" in replies[0].text or "+82" in replies[0].text
    await until(lambda: any("countries.yml" in t for t in telegram.to(STAFF_CHAT)))
    await asyncio.sleep(0.2)
    notices = [t for t in telegram.to(STAFF_CHAT) if "countries.yml" in t]
    assert len(notices) == 1
    assert "the last good version stays in use" in notices[0]
    report = await haven.health.report(STAFF)
    assert (
        "Content file facts.yml, countries.yml, ko/places.yml, en/places.yml: "
        "last good version in use"
    ) in report
