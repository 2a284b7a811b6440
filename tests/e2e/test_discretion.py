"""A watched phone, end to end through the Bot API stand-in (#23).

A person writes a distress message: everything they get afterwards (the reply, the safety
note, the "claimed" notice, the first staff /reply, a canned reply, a consent question) passes
the 80-character rule in both languages; a photo sent during the case leaves their chat only
once staff have its copy.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from bot.core.discretion import PREVIEW_CHARS, reveals
from bot.core.texts import t
from bot.engine.services import EngineServices
from tests.conftest import (
    STAFF_CHAT,
    STAFF_MEMBER,
    Harness,
    make_settings,
    start_harness,
    stop_harness,
)
from tests.telegram_stub import BotApiStub

SAFETY_WORD = "green kite"
DISTRESS = {
    "ko": "여기서 못 나가요 여권도 뺏겼어요 ㅠㅠ 도와주세요",
    "en": "they took my passport and locked us in, pls help",
}


@pytest_asyncio.fixture(loop_scope="session")
async def fast(stub: BotApiStub, engine: EngineServices, tmp_path: Path) -> AsyncIterator[Harness]:
    """The bot with a fast tick, so deletions happen within the test."""
    harness = await start_harness(stub, make_settings(stub, tmp_path, engine, tick_seconds=0.2))
    yield harness
    await stop_harness(harness)


async def staff_types(bot: Harness, text: str) -> None:
    update = bot.stub.push_text(STAFF_MEMBER, text, chat_id=STAFF_CHAT, chat_type="supergroup")
    await bot.processed(update)


def received(bot: Harness, user: int, after: int) -> list[dict[str, Any]]:
    return bot.stub.sent(chat_id=user)[after:]


@pytest.mark.parametrize("lang", ["ko", "en"])
async def test_nothing_telling_reaches_the_lock_screen(fast: Harness, lang: str) -> None:
    user = 650 if lang == "ko" else 651
    await fast.say(user, f"/safeword {SAFETY_WORD}", language_code=lang)
    start = len(fast.stub.sent(chat_id=user))
    replies = await fast.say(user, DISTRESS[lang], language_code=lang)
    assert replies, "the person is answered"
    assert all("keyboard" not in (m.get("reply_markup") or {}) for m in replies)
    [alert] = await fast.staff_alerts(1)
    await fast.processed(
        fast.stub.push_callback(STAFF_MEMBER, alert["message_id"], "claim:1", chat_id=STAFF_CHAT)
    )
    await staff_types(fast, "/reply 1 We are with you. Stay where you are.")
    await fast.stub.wait_for(
        lambda s: any("We are with you" in (m["text"] or "") for m in s.sent(chat_id=user))
    )
    await staff_types(fast, "/canned 1 location")
    await staff_types(fast, "/consent 1 embassy")
    await fast.stub.wait_for(
        lambda s: any(
            t("discreet.consent_yes", lang) in str(m.get("reply_markup"))
            for m in s.sent(chat_id=user)
        )
    )
    got = received(fast, user, start)
    assert len(got) >= 5, [m["text"] for m in got]
    for sent in got:
        text = sent["text"] or ""
        assert reveals(text, (SAFETY_WORD,)) == [], f"the lock screen shows: {text[:PREVIEW_CHARS]}"
    [words] = [m["text"] for m in got if "We are with you" in (m["text"] or "")]
    assert words.endswith(f"🔑 {SAFETY_WORD}")


async def test_a_photo_leaves_the_chat_once_staff_have_the_copy(fast: Harness) -> None:
    user = 652
    await fast.say(user, DISTRESS["en"], language_code="en")
    await fast.staff_alerts(1)
    fast.stub.fail("copyMessage", 2, 502)  # staff do not have it yet
    update = fast.stub.push_photo(user)
    await fast.processed(update)
    photo_id = update["message"]["message_id"]
    note = fast.stub.sent(chat_id=user)[-1]
    assert t("discreet.media_received", "en") in note["text"]
    assert photo_id not in fast.stub.deleted(user), "not before staff have the copy"
    await fast.stub.wait_for(lambda s: len(s.calls("copyMessage")) >= 1, timeout=15)
    await fast.stub.wait_for(lambda s: photo_id in s.deleted(user), timeout=15)
    copies = [p for m, p in fast.stub.calls("copyMessage") if p.get("message_id") == photo_id]
    assert copies, "the staff group got its copy"


async def test_commands_after_a_code_phrase_name_nothing_and_go_away(fast: Harness) -> None:
    user = 653
    await fast.say(user, "/safeword tiger lily", language_code="en")
    await fast.say(user, "/codeword blue umbrella")
    await fast.say(user, "blue umbrella")
    await fast.staff_alerts(1)
    for command in ("/forget", "/privacy", "/help", "/start"):
        answers = await fast.say(user, command)
        said = "\n".join(m["text"] or "" for m in answers).casefold()
        for word in ("case", "#", "team", "staff", "tiger lily"):
            assert word not in said, f"{command} says {word!r}: {said}"
