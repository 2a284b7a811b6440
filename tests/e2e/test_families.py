"""Issue 25 end to end: a watched writer, a family told of ransom, and a crisis question,
through the real bot and engine and the Bot API stand-in (the rules: tests/unit/core/)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import STAFF_CHAT, Harness, alerts, texts

ROOT = Path(__file__).resolve().parents[2]

# ----------------------------------------------------------------------------- end to end


@pytest.mark.parametrize(
    ("user", "text", "language"),
    [
        (2501, "들키면 안 돼서 짧게 써요 바벳 시장 뒤 3층 건물", "ko"),
        (2502, "보고 나면 지울게요 항구 옆 창고에 있어요", "ko"),
        (2503, "they check my phone, can only write now. poipet, 5th floor", "en"),
    ],
)
async def test_a_watched_writer_gets_a_discreet_case_and_the_quiet_answer(
    bot: Harness, user: int, text: str, language: str
) -> None:
    reply = await bot.say(user, text, language_code=language)
    said = texts(reply)
    assert said in ("받았어요. 곧 여기로 짧게 답이 와요. 이 메시지들은 1분 뒤 지워져요.",
                    "Got it. A short answer will come here soon. "
                    "These messages will be deleted in 1 minute.")  # fmt: skip
    assert "112" not in said
    assert "0404" not in said
    assert "#" not in said
    assert all("reply_markup" not in m or "keyboard" not in m["reply_markup"] for m in reply)
    [alert] = await bot.staff_alerts(1)
    assert "🤫" in alert["text"]
    assert text.split()[-1] in alert["text"]  # staff read the place as written
    case = await bot.haven.store.case(1)
    assert case is not None
    assert case.kind == "discreet"


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("아들이 캄보디아 일자리 간다고 갔는데 돈 보내야 풀어준다는 연락만 와요", "ko"),
        ("my son left for a job abroad and now only writes that we must pay before he is let go", "en"),
    ],
)  # fmt: skip
async def test_a_family_told_of_ransom_is_the_contact_and_gets_the_family_numbers(
    bot: Harness, text: str, language: str
) -> None:
    reply = await bot.say(2510, text, language_code=language)
    said = texts(reply)
    assert "#1" in said
    assert "112" in said
    assert "3210-0404" in said
    assert "117" not in said
    [alert] = await bot.staff_alerts(1)
    assert "👪" in alert["text"]
    case = await bot.haven.store.case(1)
    assert case is not None
    assert case.kind == "standard"


@pytest.mark.parametrize(
    ("text", "language"),
    [("갇힌 사람들은 보통 어떻게 빠져나와요?", "ko"), ("how do trapped people get out?", "en")],
)
async def test_a_crisis_question_is_answered_without_an_alert(
    bot: Harness, text: str, language: str
) -> None:
    reply = await bot.say(2520, text, language_code=language)
    assert texts(reply).strip()
    assert await bot.haven.store.active_case(2520) is None
    assert alerts(bot.stub.sent(chat_id=STAFF_CHAT)) == []
