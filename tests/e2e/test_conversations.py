"""Issue 15 end to end: answers first, digressions inside flows, distress heard everywhere,
and SOS in the languages victims speak (real engine, real bot, Bot API stand-in).

The other-language messages here were written for this file, not taken from
tests/heldout/world.yml, which measures the safety net on messages it was not fitted to.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from bot.core.languages import load_languages
from bot.core.packs import pack_paths
from tests.conftest import STAFF_CHAT, Harness, alerts, texts
from tests.parts import body
from tests.telegram_stub import file_object

PRACTICES = [
    # (language, question, words of the flag that must answer it)
    ("en", "my recruiter wants to keep my passport for the visa, is that fine?", "passport"),
    ("ko", "채용 담당자가 비자 때문에 여권을 맡기라는데 괜찮아요?", "여권"),
    ("en", "they told me to enter on a tourist visa and work there, ok?", "tourist visa"),
    ("ko", "여행비자로 들어가서 일하라는데 괜찮아요?", "관광비자"),
    ("en", "the whole interview is only on telegram, is that normal?", "Telegram"),
    ("ko", "면접은 텔레그램으로만 한다는데 정상인가요?", "텔레그램"),
    ("en", "I have to pay for my own ticket, is that a problem?", "own ticket"),
    ("ko", "항공권은 제가 직접 사야 한대요 괜찮아요?", "항공권"),
    ("en", "they pay $6,000 a month for simple data entry, is that real?", "far above"),
    ("ko", "간단한 타이핑 업무인데 월 1500만원 준대요 진짜예요?", "지나치게 높아요"),
    ("en", "the recruiter wants the visa fee in USDT, is that ok?", "crypto"),
    ("ko", "채용 담당자가 수수료를 코인으로 보내라는데 괜찮나요?", "코인"),
]
SOURCE = {"en": "source:", "ko": "출처:"}
SOS = [
    # (code, the alert's name of the language, an SOS, an ordinary message)
    ("zh", "Chinese", "救命 我被他们关在公司里", "你好，请问柬埔寨的客服工作可靠吗？"),
    ("ja", "Japanese", "助けてください 監禁されています", "こんにちは、カンボジアの仕事について質問があります"),
    ("th", "Thai", "ช่วยด้วย ผมถูกขังอยู่ในตึก", "สวัสดีค่ะ อยากถามเรื่องงานที่กัมพูชา"),
    ("vi", "Vietnamese", "cứu tôi với, tôi bị nhốt trong công ty", "xin chào, công việc ở campuchia này có an toàn không?"),
    ("id", "Indonesian", "tolong saya, saya disekap di kamboja", "halo, apakah pekerjaan di kamboja ini aman?"),
    ("tl", "Tagalog", "tulungan nyo ako, nakakulong ako dito sa kompanya", "magandang gabi po, may tanong ako tungkol sa trabaho sa cambodia"),
    ("km", "Khmer", "ជួយខ្ញុំផង គេឃុំខ្ញុំនៅទីនេះ", "សួស្តី ខ្ញុំមានសំណួរអំពីការងារ"),
    ("my", "Burmese", "ကယ်ပါ ကျွန်မကို ပိတ်ထားတယ်", "မင်္ဂလာပါ အလုပ်အကြောင်း မေးချင်ပါတယ်"),
    ("lo", "Lao", "ຊ່ວຍແດ່ ຂ້ອຍຖືກກັກຂັງ", "ສະບາຍດີ ຂ້ອຍຢາກຖາມກ່ຽວກັບວຽກ"),
    ("ru", "Russian", "помогите, меня держат взаперти в камбодже", "здравствуйте, эта работа в камбодже надежная?"),
    ("es", "Spanish", "ayúdenme, me tienen encerrada en camboya", "hola, ¿es segura esta oferta de trabajo en camboya?"),
    ("ko-Latn", "Korean in Latin letters", "sallyeojuseyo yeogi gachyeosseoyo", "annyeonghaseyo, iljari mureobwado dwaeyo?"),
]  # fmt: skip
CALL_CENTER = "+82-2-3210-0404"
LANGUAGES = load_languages(*pack_paths(Path(__file__).resolve().parents[2] / "content"))


async def one_alert(bot: Harness) -> dict[str, Any]:
    """The single alert of the test: wait for it, then make sure no second one follows."""
    [alert] = await bot.staff_alerts(1)
    await asyncio.sleep(0.5)
    assert len(alerts(bot.stub.sent(chat_id=STAFF_CHAT))) == 1
    return alert


def no_questionnaire(replies: list[dict[str, Any]]) -> None:
    """No question of the guided check was asked."""
    assert "/9" not in texts(replies), texts(replies)


# ------------------------------------------------------------------- answers first


@pytest.mark.parametrize(("lang", "question", "words"), PRACTICES)
async def test_a_practice_question_gets_its_flag_first(
    bot: Harness, lang: str, question: str, words: str
) -> None:
    replies = await bot.say(501, question, language_code=lang)
    said = texts(replies)
    no_questionnaire(replies)
    assert words in said, said
    assert SOURCE[lang] in said, said
    assert "⚠️" in said
    assert bot.stub.sent(chat_id=STAFF_CHAT) == []


async def test_one_message_prefills_the_check_which_says_what_it_took(bot: Harness) -> None:
    message = "인스타 DM으로 베트남 고객상담 월 600에 숙소 제공 제안이 왔어요"
    replies = await bot.say(502, message, language_code="ko")
    no_questionnaire(replies)
    said = texts(replies)
    assert "SNS" in said, said
    assert "베트남" in said, said
    assert "6,000,000" in said, said
    started = await bot.press(502, replies[-1], "나머지 확인하기 (5개 질문)")
    intro = texts(started)
    assert "베트남" in intro, intro
    assert "고객상담" in intro, intro
    assert "남은 질문은 5개" in intro, intro
    assert "5/9" in intro, intro
    assert "1/9" not in intro, intro
    assert "2/9" not in intro, intro


async def test_a_prefilled_check_in_english_skips_what_was_said(bot: Harness) -> None:
    message = "a recruiter on telegram offers $5,000 a month for typing in Cambodia, legit?"
    replies = await bot.say(503, message, language_code="en")
    no_questionnaire(replies)
    assert "Cambodia" in texts(replies)
    started = await bot.press(503, replies[-1], "Check the rest (5 questions)")
    intro = texts(started)
    assert "Telegram" in intro, intro
    assert "7,000,000 won a month" in intro, intro
    assert "5/9" in intro, intro
    assert "1/9" not in intro, intro


# -------------------------------------------------------------------- digressions


@pytest.mark.parametrize(
    ("lang", "digression", "answer", "back", "next_step"),
    [
        ("en", "what is the emergency number in Cambodia?", "Thailand", "Back to the check", "2/9"),
        ("ko", "캄보디아 긴급 연락처 알려주세요", "태국", "하던 확인을 이어갈게요", "2/9"),
    ],
)
async def test_a_digression_in_the_check_is_answered_and_the_check_resumes(
    bot: Harness, lang: str, digression: str, answer: str, back: str, next_step: str
) -> None:
    await bot.say(504, "/verify", language_code=lang)
    replies = await bot.say(504, digression, language_code=lang)
    said = texts(replies)
    assert CALL_CENTER in said, said
    assert back in said, said
    assert "1/9" in said, said
    assert next_step not in said
    after = await bot.say(504, answer, language_code=lang)
    assert next_step in texts(after), texts(after)


@pytest.mark.parametrize(("lang", "stop"), [("en", "cancel"), ("ko", "취소")])
async def test_stop_words_leave_the_check(bot: Harness, lang: str, stop: str) -> None:
    await bot.say(505, "/verify", language_code=lang)
    replies = await bot.say(505, stop, language_code=lang)
    assert "/9" not in texts(replies)
    after = await bot.say(505, "hello" if lang == "en" else "안녕하세요", language_code=lang)
    assert "/9" not in texts(after)


@pytest.mark.parametrize(
    ("lang", "digression", "back"),
    [
        ("en", "how many people are held in the compounds?", "Back to where we were"),
        ("ko", "감금된 사람이 몇 명이나 돼요?", "하던 질문으로 돌아갈게요"),
    ],
)
async def test_a_digression_in_a_flow_is_answered_and_the_flow_resumes(
    bot: Harness, lang: str, digression: str, back: str
) -> None:
    await bot.say(506, "/checkin", language_code=lang)
    replies = await bot.say(506, digression, language_code=lang)
    said = texts(replies)
    assert "2021" in said, said
    assert "330" in said, said
    assert back in said, said
    step = await bot.haven.store.flow(506)
    assert step is not None
    assert step[1] == 0


# ---------------------------------------------------------- distress everywhere


async def test_distress_inside_the_job_check_raises_one_alert(bot: Harness) -> None:
    await bot.say(507, "/verify", language_code="en")
    await bot.say(507, "Cambodia", language_code="en")
    replies = await bot.say(507, "they took my passport and lock us in, help", language_code="en")
    assert "I have alerted a person" in texts(replies)
    await one_alert(bot)


async def test_the_rescue_flow_opens_the_case_first_and_relays_each_answer(
    bot: Harness,
) -> None:
    replies = await bot.say(508, "/rescue", language_code="ko")
    assert "#1" in texts(replies)
    await one_alert(bot)
    first = replies[-1]
    await bot.press(508, first, "캄보디아")
    beaten = await bot.say(508, "지금 때리고 있어요 살려주세요", language_code="ko")
    assert "#1" in texts(beaten)
    await bot.stub.wait_for(
        lambda s: (
            "때리고" in texts(s.sent(chat_id=STAFF_CHAT))
            and "country: Cambodia" in texts(s.sent(chat_id=STAFF_CHAT))
        )
    )
    assert len(alerts(bot.stub.sent(chat_id=STAFF_CHAT))) == 1
    assert await bot.haven.store.flow(508) is not None, "the rescue request goes on"


async def test_distress_in_the_checkin_setup_raises_one_alert(bot: Harness) -> None:
    await bot.say(509, "/checkin", language_code="en")
    replies = await bot.say(509, "please help they are beating me", language_code="en")
    assert "I have alerted a person" in texts(replies)
    await one_alert(bot)


async def test_distress_in_the_codeword_setup_raises_one_alert(bot: Harness) -> None:
    replies = await bot.say(510, "/codeword 살려주세요 여기 갇혀 있어요", language_code="ko")
    assert "상담원에게 알렸어요" in texts(replies)
    await one_alert(bot)


@pytest.mark.parametrize(
    ("kind", "content"),
    [
        ("photo", {"photo": [file_object("photo", 71, width=90, height=90)]}),
        ("video", {"video": file_object("video", 72, width=320, height=240, duration=3)}),
        ("document", {"document": file_object("document", 73, file_name="a.pdf")}),
    ],
)
async def test_a_caption_asking_for_help_raises_one_alert_and_the_media_reaches_staff(
    bot: Harness, kind: str, content: dict[str, Any]
) -> None:
    update = bot.stub.push_message(511, {**content, "caption": "help me they locked us in"})
    await bot.processed(update)
    said = texts(bot.stub.sent(chat_id=511))
    assert "I have alerted a person" in said, said
    assert "can't read photos" not in said
    alert = await one_alert(bot)
    assert "locked us in" in alert["text"]
    await bot.stub.wait_for(lambda s: any(m.get(kind) for m in s.sent(chat_id=STAFF_CHAT)))


async def test_an_edited_message_that_turns_into_distress_raises_an_alert(bot: Harness) -> None:
    update = bot.stub.push_text(512, "hello", language_code="en")
    await bot.processed(update)
    message_id = update["message"]["message_id"]
    edited = bot.stub.push_edited_text(512, message_id, "help me, I am locked in a room")
    await bot.processed(edited)
    await one_alert(bot)


async def test_forwarded_distress_raises_an_alert(bot: Harness) -> None:
    origin = {"type": "hidden_user", "sender_user_name": "Min", "date": 1_700_000_000}
    update = bot.stub.push_message(
        513, {"text": "살려주세요 여권 뺏기고 감금됐어요", "forward_origin": origin}
    )
    await bot.processed(update)
    await one_alert(bot)


# ------------------------------------------------------------- figures, sourced


@pytest.mark.parametrize(
    ("lang", "question", "source"),
    [
        ("en", "How serious is the scam compound problem?", "source:"),
        ("ko", "캄보디아 감금 피해가 얼마나 심각한가요?", "출처:"),
    ],
)
async def test_the_size_of_the_problem_comes_with_dated_sources(
    bot: Harness, lang: str, question: str, source: str
) -> None:
    replies = await bot.say(514, question, language_code=lang)
    said = texts(replies)
    assert "221" in said, said
    assert "330" in said, said
    assert source in said, said
    assert "2026-11-25" in said, said


# ------------------------------------------------- SOS in the languages victims speak


@pytest.mark.parametrize(("code", "name", "sos", "ordinary"), SOS)
async def test_sos_in_another_language_reaches_staff_with_the_language_named(
    bot: Harness, code: str, name: str, sos: str, ordinary: str
) -> None:
    calm = await bot.say(515, ordinary)
    assert "I have alerted" not in texts(calm)
    assert "상담원에게 알렸어요" not in texts(calm)
    await asyncio.sleep(0.3)
    assert alerts(bot.stub.sent(chat_id=STAFF_CHAT)) == []
    replies = await bot.say(515, sos)
    said = texts(replies)
    assert CALL_CENTER in said, said
    alert = await one_alert(bot)
    language = LANGUAGES.get(code)
    assert language is not None
    assert language.name("en") == name
    assert language.name("ko") in alert["text"], alert["text"]  # the staff group reads Korean
    if code != "ko-Latn":
        assert "interpreter needed" in alert["text"] or "통역 필요" in alert["text"]


async def test_a_vetted_sentence_in_the_writers_language_comes_first(bot: Harness) -> None:
    replies = await bot.say(516, "tulungan nyo ako, nakakulong ako dito sa kompanya")
    said = texts(replies)
    assert body(said).startswith("Naabisuhan na namin"), said
    assert "I have alerted a person" in said
