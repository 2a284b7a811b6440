"""Issue 22 through the Bot API: today's advisory levels with their date and where to check
them, a pasted Myawaddy offer rated high with the ban named, the guided check's short result
with its Details, and an offer question answered in both languages."""

from __future__ import annotations

import pytest

from tests.conftest import Harness, texts

MYAWADDY_AD = {
    "ko": (
        "[급구] 미야와디 고객상담 직원 모집\n월급 500만원 + 인센티브, 숙식 제공, 항공권 지원\n"
        "경력 무관, 컴퓨터만 할 줄 알면 OK\n문의 텔레그램 @jobmaster99"
    ),
    "en": (
        "HIRING NOW - customer support agents in Myawaddy\nSalary $2,500/month, free "
        "accommodation\nNo experience needed, free flight to Bangkok\nContact @mw_recruit on "
        "Telegram"
    ),
}


@pytest.mark.parametrize(
    ("text", "language", "wanted"),
    [
        ("프놈펜 여행경보 몇 단계예요?", "ko", ("2단계", "2025-12-04", "0404.go.kr")),
        (
            "What is the travel advisory level for Phnom Penh?",
            "en",
            ("Level 2", "2025-12-04", "0404.go.kr"),
        ),
        ("미얀마 미야와디 여행경보 알려 주세요", "ko", ("4단계 여행금지", "0404.go.kr")),
        ("travel advisory for Myawaddy, Myanmar?", "en", ("Level 4 (travel ban)", "0404.go.kr")),
    ],
)
async def test_advisory_levels_of_today(
    bot: Harness, text: str, language: str, wanted: tuple[str, ...]
) -> None:
    replies = texts(await bot.say(501, text, language_code=language))
    for part in wanted:
        assert part in replies, replies
    assert "특별여행주의보: 프놈펜" not in replies
    assert "Special travel advisory: Phnom Penh" not in replies


@pytest.mark.parametrize("language", ["ko", "en"])
async def test_a_pasted_myawaddy_offer_is_rated_high_with_the_ban(
    bot: Harness, language: str
) -> None:
    sent = await bot.say(502, MYAWADDY_AD[language], language_code=language)
    replies = texts(sent)
    assert ("위험도: 높음" if language == "ko" else "Risk: HIGH") in replies
    assert ("4단계 여행금지" if language == "ko" else "Level 4 (travel ban)") in replies
    assert "0404.go.kr" in replies
    assert len(replies) <= 600, len(replies)
    details = texts(
        await bot.press(502, sent[-1], "자세히 보기" if language == "ko" else "Details")
    )
    assert ("출처" if language == "ko" else "source") in details
    assert "ATC0000" not in details


async def test_the_check_result_is_short_and_details_explain_it(bot: Harness) -> None:
    await bot.say(503, "/verify", language_code="ko")
    answers = [
        "미얀마 미야와디",
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
        replies = await bot.say(503, answer)
    result = replies[-1]
    text = str(result["text"])
    assert "위험도: 높음" in text
    assert "4단계 여행금지" in text
    assert "+82-2-3210-0404" in text
    assert len(text) <= 600, len(text)
    details = texts(await bot.press(503, result, "자세히 보기"))
    assert "0404.go.kr" in details
    assert "출처" in details
    assert details.count("+82-2-3210-0404") == 1
    assert "ATC0000" not in details


async def test_one_answer_inside_the_check_fills_several_questions(bot: Harness) -> None:
    await bot.say(504, "/verify", language_code="ko")
    replies = await bot.say(504, "캄보디아 고객상담 월 300 항공권 회사 부담이에요")
    asked = texts(replies)
    # country, job, pay and flight are answered: the check goes on with the channel (4/9)
    assert "4/9" in asked, asked


@pytest.mark.parametrize(
    ("text", "language", "flag_words"),
    [
        (
            "the recruiter wants to keep my passport from the day I arrive, is that ok?",
            "en",
            "passport",
        ),
        ("채용 담당자가 도착하는 날부터 여권을 보관하겠대요, 괜찮아요?", "ko", "여권"),
        (
            "my recruiter says we fly to Bangkok and a car takes us over the border, is that normal?",
            "en",
            "land border",
        ),
        ("에이전시가 계약서 전에 여권 사진부터 보내래요 정상이에요?", "ko", "신분증"),
        ("I already sent my passport photo to them, what should I do?", "en", "ecrm.police.go.kr"),
        ("통장을 이미 빌려 줬어요 어떻게 해요?", "ko", "대포통장"),
    ],
)
async def test_practice_questions_get_a_direct_answer(
    bot: Harness, text: str, language: str, flag_words: str
) -> None:
    replies = texts(await bot.say(505, text, language_code=language))
    assert flag_words in replies, replies
    assert "9 questions" not in replies
    assert "질문은 9개" not in replies


@pytest.mark.parametrize(
    ("text", "language", "wanted"),
    [
        ("recruiter says the job is in Myawaddy, is that normal?", "en", "Level 4 (travel ban)"),
        ("미야와디에 있는 회사라는데 가도 될까요?", "ko", "4단계 여행금지"),
    ],
)
async def test_a_question_about_a_banned_place_names_the_ban_first(
    bot: Harness, text: str, language: str, wanted: str
) -> None:
    replies = texts(await bot.say(506, text, language_code=language))
    assert wanted in replies, replies
    assert "0404.go.kr" in replies
