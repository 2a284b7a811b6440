"""The Telegram front end end to end: real Application, real engine, Bot API stand-in."""

from __future__ import annotations

import re

import pytest

from bot.telegram.app import MENU_COMMANDS
from tests.conftest import STAFF_CHAT, Harness, texts

HANGUL = re.compile(r"[가-힣]")


def is_korean(text: str) -> bool:
    """Mostly Hangul letters (numbers, names and symbols aside)."""
    letters = [c for c in text if c.isalpha()]
    return sum(1 for c in letters if HANGUL.match(c)) > len(letters) * 0.5


def is_english(text: str) -> bool:
    """No Hangul at all."""
    return not HANGUL.search(text)


async def test_korean_greeting_gets_korean_buttons(bot: Harness) -> None:
    replies = await bot.say(101, "안녕하세요", language_code="ko")
    assert replies, "no reply"
    assert all(is_korean(m["text"]) for m in replies)
    titles = [b["text"] for row in replies[-1]["reply_markup"]["inline_keyboard"] for b in row]
    assert "일자리 제안 확인하기" in titles


async def test_english_greeting_is_english(bot: Harness) -> None:
    replies = await bot.say(102, "hello there, who are you?", language_code="en")
    assert replies
    assert all(is_english(m["text"]) for m in replies)


async def test_language_follows_the_message_and_can_be_fixed(bot: Harness) -> None:
    assert is_korean(texts(await bot.say(103, "안녕하세요", language_code="en")))
    assert is_english(texts(await bot.say(103, "what can you do for me?")))
    assert is_english(texts(await bot.say(103, "ok")))
    menu = await bot.say(103, "/language")
    done = await bot.press(103, menu[-1], "한국어")
    assert is_korean(texts(done))
    assert is_korean(texts(await bot.say(103, "what can you do for me?")))


async def test_change_language_by_asking(bot: Harness) -> None:
    replies = await bot.say(104, "영어로 말해 주세요")
    assert is_english(texts(replies))
    assert is_english(texts(await bot.say(104, "thanks")))


async def test_contacts_in_both_languages_with_dates(bot: Harness) -> None:
    ko = texts(await bot.say(105, "캄보디아 긴급 연락처 알려줘"))
    assert "+82-2-3210-0404" in ko
    assert is_korean(ko)
    en = texts(await bot.say(106, "who do i call in cambodia? i need the embassy number"))
    assert "+82-2-3210-0404" in en
    assert "117" in en
    assert "checked" in en.lower()
    assert "+855-23-211-900" not in en


async def test_contacts_command_offers_countries(bot: Harness) -> None:
    replies = await bot.say(107, "/contacts")
    assert "+82-2-3210-0404" in texts(replies)
    thailand = await bot.press(107, replies[-1], "Thailand")
    assert "1155" in texts(thailand)


async def test_start_registers_commands_and_answers(bot: Harness) -> None:
    replies = await bot.say(108, "/start", language_code="ko")
    assert "Haven" in texts(replies)
    commands = bot.stub.commands()
    assert {c["command"] for c in commands.get("ko", [])} == set(MENU_COMMANDS)
    assert {c["command"] for c in commands.get("", [])} == set(MENU_COMMANDS)


async def test_job_check_starts_with_buttons(bot: Harness) -> None:
    replies = await bot.say(109, "I got a job offer in Cambodia, can you check if it's real?")
    assert "1/9" in texts(replies)
    answer = await bot.press(109, replies[-1], "Cambodia")
    assert "2/9" in texts(answer)


async def test_korean_job_check_to_the_end_raises_no_alert(bot: Harness) -> None:
    await bot.say(118, "/verify", language_code="ko")
    answers = [
        "캄보디아 시아누크빌",
        "고객상담",
        "월 800만원",
        "텔레그램으로 연락 왔어요",
        "회사가 내준대요",
        "무비자로 오래요",
        "네 여권 맡기래요",
        "아니요",
        "아니요",
    ]
    replies: list[dict[str, object]] = []
    for answer in answers:
        replies = await bot.say(118, answer)
    result = texts(replies)
    assert "위험도: 높음" in result
    assert "+82-2-3210-0404" in result
    assert is_korean(result)
    assert bot.stub.sent(chat_id=STAFF_CHAT) == []


async def test_long_message_is_answered(bot: Harness) -> None:
    text = ("I want to ask about a job offer " * 200)[:5000]
    replies = await bot.say(110, text)
    assert replies
    assert all(len(m["text"]) <= 4096 for m in replies)


async def test_sticker_and_photo_get_a_useful_answer(bot: Harness) -> None:
    await bot.say(111, "hello there, who are you?")
    before = len(bot.stub.sent(chat_id=111))
    update = bot.stub.push_sticker(111)
    await bot.processed(update)
    update = bot.stub.push_photo(111)
    await bot.processed(update)
    replies = bot.stub.sent(chat_id=111)[before:]
    assert len(replies) == 2
    assert all("write" in m["text"] for m in replies)


async def test_edited_message_is_answered(bot: Harness) -> None:
    replies = await bot.say(112, "hello")
    update = bot.stub.push_edited_text(112, replies[0]["message_id"] - 1, "who are you?")
    await bot.processed(update)
    assert len(bot.stub.sent(chat_id=112)) > len(replies)


async def test_other_groups_get_silence(bot: Harness) -> None:
    update = bot.stub.push_text(113, "hello", chat_id=-100555, chat_type="supergroup")
    await bot.processed(update)
    assert bot.stub.sent(chat_id=-100555) == []


async def test_forged_button_is_refused_politely(bot: Harness) -> None:
    await bot.say(114, "hello there, who are you?")
    sent = bot.stub.sent(chat_id=114)[-1]
    before = len(bot.stub.sent(chat_id=114))
    update = bot.stub.push_callback(114, sent["message_id"], "h:not-a-real-key")
    await bot.processed(update)
    answers = [p.get("text") or "" for _, p in bot.stub.calls("answerCallbackQuery")]
    assert any("no longer available" in a for a in answers)
    assert bot.stub.sent(chat_id=114)[before:] == []
    update = bot.stub.push_callback(114, sent["message_id"], "claim:1")
    await bot.processed(update)
    assert bot.stub.sent(chat_id=STAFF_CHAT) == []


async def test_empty_message_is_answered(bot: Harness) -> None:
    replies = await bot.say(115, "   ")
    assert replies


async def test_fifty_users_at_once_in_order(bot: Harness) -> None:
    users = list(range(2000, 2050))
    script = ["hello", "what can you do?", "thanks"]
    for text in script:
        for user in users:
            bot.stub.push_text(user, text, language_code="en")
    await bot.stub.wait_for(
        lambda s: all(len(s.sent(chat_id=u)) >= len(script) for u in users), timeout=120
    )
    for user in users:
        got = [m["text"] for m in bot.stub.sent(chat_id=user)]
        assert got[0].startswith("Hi, I'm Haven"), got
        assert got[-1].startswith("You're welcome"), got


KOREAN_AD = (
    "🔥캄보디아 시아누크빌 고객상담 직원 급구🔥\n"
    "월 1,000만원 보장 / 경력 무관 / 숙식 제공 / 항공권 지원\n"
    "무비자 입국 가능, 여권은 도착 후 회사에서 보관\n"
    "문의는 텔레그램 @cs_manager_kh 로만"
)
ENGLISH_AD = (
    "HIRING NOW!! Customer service / typing staff for a game company in Poipet. "
    "Salary $3,500 per month, no experience needed, free flight + free accommodation. "
    "Come on a tourist visa, we handle the rest. Leave this week! Contact @hr_lucky on Telegram"
)


@pytest.mark.parametrize(
    ("user", "ad", "language", "found", "check_button"),
    [
        (116, KOREAN_AD, "ko", "위험 신호", "일자리 제안 확인하기"),
        (117, ENGLISH_AD, "en", "warning signs", "Check a job offer"),
    ],
)
async def test_pasted_job_ad_gets_its_red_flags(
    bot: Harness, user: int, ad: str, language: str, found: str, check_button: str
) -> None:
    replies = await bot.say(user, ad, language_code=language)
    answer = texts(replies)
    assert found in answer
    assert answer.count("⚠️") >= 3
    assert (is_korean if language == "ko" else is_english)(answer)
    titles = [b["text"] for row in replies[-1]["reply_markup"]["inline_keyboard"] for b in row]
    assert check_button in titles
    assert bot.stub.sent(chat_id=STAFF_CHAT) == []


async def test_one_user_flooding_holds_no_other_users_alert(
    bot: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    """Sixty messages at once from one user, then a cry for help from another: the alert goes
    out while the flood is still being handled (the flood is slowed by its own budget, logged
    once), and in the end every flood message is answered, in order, none lost."""
    flooder, other = 3100, 3101
    flood = [bot.stub.push_text(flooder, f"hello {n}", language_code="en") for n in range(60)]
    await bot.say(other, "help me please, they locked me in", language_code="en")
    await bot.staff_alerts(1)
    handled = sum(1 for update in flood if update["update_id"] in bot.done)
    assert handled < len(flood), "the other user's alert waited for the whole flood"
    for update in flood:
        await bot.processed(update, timeout=60)
    finished = [bot.done[update["update_id"]] for update in flood]
    assert finished == sorted(finished), "the flood was handled out of order"
    assert len(bot.stub.sent(chat_id=flooder)) >= len(flood)
    slowed = [r for r in caplog.records if "sends faster" in r.getMessage()]
    assert len(slowed) == 1, "a flood is logged once, not per message"
