"""The job-offer scorer: reading answers, rating offers, and spotting red flags in pasted ads."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.core import jobcheck
from bot.core.folding import HANGUL
from bot.core.jobcheck import (
    HIGH,
    LOW,
    MEDIUM,
    SEVERE,
    SEVERITY,
    Assessment,
    JobFlagsError,
    JobOffer,
    JobTexts,
    assess,
    job_texts,
    looks_like_job_ad,
    parse_choice,
    parse_pay,
    render_assessment,
    scan_ad,
)
from bot.core.jobcheck.catalogue import gather, load_job_texts

ROOT = Path(__file__).resolve().parents[3]


LEVELS: dict[tuple[str, str | None], int] = {
    ("KH", None): 2,
    ("KH", "Sihanoukville"): 3,
    ("KH", "Phnom Penh"): 3,
    ("KH", "Poipet"): 4,
    ("KH", "Bavet"): 4,
    ("LA", "Golden Triangle"): 4,
    ("TH", None): 1,
    ("VN", None): 1,
}


class StubFacts:
    """Advisory levels as the facts module gives them, for a few places."""

    def advisory_level(self, country: str, city: str | None = None) -> int | None:
        """Return the level for the city, else the country's, else None."""
        return LEVELS.get((country, city), LEVELS.get((country, None)))


FACTS = StubFacts()


def ids(flags: Any) -> set[str]:
    """The ids of a list of flags."""
    return {f.id for f in flags}


# ---------------------------------------------------------------------------------- pay


@pytest.mark.parametrize(
    ("text", "krw"),
    [
        ("300만원", 3_000_000),
        ("300만", 3_000_000),
        ("월 300", 3_000_000),
        ("월 300이요", 3_000_000),
        ("삼백만원", 3_000_000),
        ("3백만원", 3_000_000),
        ("1,000만 원", 10_000_000),
        ("천만원", 10_000_000),
        ("천오백만 원 준대요", 15_000_000),
        ("월 1000만원", 10_000_000),
        ("월 1000", 10_000_000),
        ("$3,000 a month", 4_200_000),
        ("3000 dollars", 4_200_000),
        ("3k usd", 4_200_000),
        ("USD 2500", 3_500_000),
        ("2500불", 3_500_000),
        ("3천 달러", 4_200_000),
        ("연봉 6000만원", 5_000_000),
        ("annual salary $48,000", 5_600_000),
        ("$800 per week", 4_849_600),
        ("주급 200만원", 8_660_000),
        ("3,000,000원", 3_000_000),
        ("4 million won", 4_000_000),
        ("KRW 2.5 million", 2_500_000),
        ("3000000", 3_000_000),
        ("월 300~500", 5_000_000),
        ("$1500-3000 + commission", 4_200_000),
        ("3월에 출국, 월급은 300만원", 3_000_000),
        ("시급 만원", 2_090_000),
        ("1000 USDT monthly", 1_400_000),
    ],
)
def test_parse_pay_reads_won_and_dollars_as_monthly_won(text: str, krw: int) -> None:
    assert parse_pay(text) == krw


@pytest.mark.parametrize(
    "text",
    [
        "",
        "잘 모르겠어요",
        "they didn't say",
        "3000",  # dollars or won? ask again rather than guess
        "회사가 내준대요",
        "이십대 환영",
        "010-1234-5678",
        "24시간",
        "30000 baht",
        "30000바트",
        "THB 30,000",
        "₱50,000 a month",
    ],
)
def test_parse_pay_without_a_readable_amount_is_none(text: str) -> None:
    assert parse_pay(text) is None


# ------------------------------------------------------------------------------ choices


@pytest.mark.parametrize(
    ("field", "text", "value"),
    [
        # the buttons of domain.yml
        ("channel", "telegram", "telegram"),
        ("channel", "social media DM", "sns_dm"),
        ("channel", "a friend", "friend"),
        ("channel", "registered agency", "agency"),
        ("channel", "job site", "job_site"),
        ("flight_paid_by", "employer pays", "employer"),
        ("flight_paid_by", "I pay", "self"),
        ("visa", "tourist visa", "tourist"),
        ("visa", "no visa", "visa_free"),
        ("visa", "work visa", "work"),
        ("asked_passport_deposit_bank", "yes", True),
        ("asked_passport_deposit_bank", "no", False),
        ("written_contract", "yes", True),
        ("written_contract", "no", False),
        ("verifiable", "yes", True),
        ("verifiable", "no", False),
        # canonical values pass through
        ("channel", "sns_dm", "sns_dm"),
        ("visa", "visa_free", "visa_free"),
    ],
)
def test_parse_choice_accepts_every_button_payload(field: str, text: str, value: object) -> None:
    assert parse_choice(field, text) == value


@pytest.mark.parametrize(
    ("field", "text", "value"),
    [
        ("channel", "텔레그램으로 연락 왔어요", "telegram"),
        ("channel", "a recruiter messaged me on telegram", "telegram"),
        ("channel", "인스타 DM", "sns_dm"),
        ("channel", "페북 메신저로요", "sns_dm"),
        ("channel", "카톡으로 왔어요", "sns_dm"),
        ("channel", "I found it on Facebook", "sns_dm"),
        ("channel", "친구 소개", "friend"),
        ("channel", "지인이 소개해줬어요", "friend"),
        ("channel", "잡코리아에서 봤어요", "job_site"),
        ("channel", "via LinkedIn", "job_site"),
        ("channel", "알선업체 통해서요", "agency"),
        ("channel", "문자로 왔어요", "other"),
        ("flight_paid_by", "회사가 내준대요", "employer"),
        ("flight_paid_by", "the employer pays", "employer"),
        ("flight_paid_by", "they pay for it", "employer"),
        ("flight_paid_by", "공짜래요", "employer"),
        ("flight_paid_by", "나중에 월급에서 차감한대요", "employer"),
        ("flight_paid_by", "제가 내요", "self"),
        ("flight_paid_by", "I have to buy it myself", "self"),
        ("flight_paid_by", "반반 낸대요", "shared"),
        ("visa", "무비자", "visa_free"),
        ("visa", "비자 필요 없대요", "visa_free"),
        ("visa", "they said I don't need a visa", "visa_free"),
        ("visa", "관광비자로 오래요", "tourist"),
        ("visa", "일단 관광비자로 가서 취업비자로 바꿔준대요", "tourist"),
        ("visa", "워크퍼밋 받아준대요", "work"),
        ("visa", "business visa", "business"),
        ("visa", "모르겠어요", "unknown"),
        ("asked_passport_deposit_bank", "네", True),
        ("asked_passport_deposit_bank", "ㅇㅇ", True),
        ("asked_passport_deposit_bank", "네 여권 맡기래요", True),
        ("asked_passport_deposit_bank", "yes they want my passport", True),
        ("asked_passport_deposit_bank", "they asked for my passport", True),
        ("asked_passport_deposit_bank", "보증금 50만원 내래요", True),
        ("asked_passport_deposit_bank", "통장 만들어 오래요", True),
        ("asked_passport_deposit_bank", "아니요", False),
        ("asked_passport_deposit_bank", "ㄴㄴ", False),
        ("asked_passport_deposit_bank", "nope", False),
        ("asked_passport_deposit_bank", "아무것도 안 달래요", False),
        ("asked_passport_deposit_bank", "they didn't ask for anything", False),
        ("written_contract", "계약서 있어요", True),
        ("written_contract", "I signed one", True),
        ("written_contract", "아니요 계약서 없어요", False),
        ("written_contract", "no written contract", False),
        ("written_contract", "구두로만 약속했어요", False),
        ("written_contract", "아직 안 받았어요", False),
        ("written_contract", "not yet", False),
        ("verifiable", "네, 확인했어요", True),
        ("verifiable", "I checked, it is registered", True),
        ("verifiable", "아니요 확인 못 했어요", False),
        ("verifiable", "couldn't find it", False),
        ("verifiable", "잘 모르겠어요", False),  # not knowing means not verified
    ],
)
def test_parse_choice_reads_free_text_in_both_languages(
    field: str, text: str, value: object
) -> None:
    assert parse_choice(field, text) == value


@pytest.mark.parametrize(
    ("field", "text"),
    [
        ("channel", "blah"),
        ("channel", ""),
        ("flight_paid_by", "hmm"),
        ("visa", "asdf"),
        ("asked_passport_deposit_bank", "hmm"),
        ("asked_passport_deposit_bank", "모르겠어요"),
        # both a "no" and an item: asking again beats guessing the safe-sounding answer
        ("asked_passport_deposit_bank", "they didn't ask for my passport but want a deposit"),
        ("written_contract", "?"),
        ("verifiable", "음"),
    ],
)
def test_parse_choice_returns_none_when_unreadable(field: str, text: str) -> None:
    assert parse_choice(field, text) is None


def test_parse_choice_rejects_an_unknown_field() -> None:
    with pytest.raises(ValueError, match="unknown job check field"):
        parse_choice("salary", "300")


# --------------------------------------------------------------------------------- ads

KO_ADS: list[tuple[str, set[str]]] = [
    (
        "🇰🇭캄보디아 고객상담(CS) 직원 모집🔥\n💰월 1000만원 이상 (수익 보장)\n"
        "✈️항공권 지원 / 숙식 제공\n✅경력 무관 초보 가능\n✅무비자 입국 OK\n📩문의 텔레 @cs_kh_hr",
        {
            "compound_job",
            "tourist_visa_work",
            "compound_region",
            "high_pay",
            "telegram_or_dm",
            "free_travel",
            "no_experience",
            "guaranteed_income",
        },
    ),
    (
        "[급구] 시아누크빌 타자 알바\n- 하루 8시간 타이핑만 하면 월 800만\n- 왕복 항공권, 기숙사 무료\n"
        "- 도착 후 여권은 회사에서 보관합니다\n- 이번 주 출국 가능자만\n"
        "연락은 텔레그램 t.me/sihanouk_job",
        {
            "compound_job",
            "passport_deposit_bank",
            "compound_region",
            "high_pay",
            "telegram_or_dm",
            "free_travel",
            "urgency",
        },
    ),
    (
        "필리핀 마닐라 게임회사 운영팀 채용합니다\n고수익 보장! 월급 600만원 + 인센티브\n"
        "관광비자로 입국 후 현지에서 처리해 드립니다\n숙소 제공, 경력 없어도 OK\n"
        "카톡 아이디 gamejob77 로 문의주세요",
        {
            "tourist_visa_work",
            "high_pay",
            "simple_job_abroad",
            "telegram_or_dm",
            "free_travel",
            "no_experience",
            "guaranteed_income",
        },
    ),
    (
        "KOTRA 공식 협력 캄보디아 프놈펜 해외취업 박람회 안내\n한국인 통역 및 번역 직원 대거 채용, 월 500만원\n"
        "항공료 전액 지원, 비자 없이 출국 가능\n참가 신청은 텔레그램 @kotra_kh_job 로",
        {
            "compound_job",
            "fake_official",
            "tourist_visa_work",
            "compound_region",
            "high_pay",
            "telegram_or_dm",
            "free_travel",
        },
    ),
    (
        "라오스 골든트라이앵글 카지노 마케팅 직원 구합니다\n월 $5,000 지급, 숙식 무료\n"
        "출국 전 보증금 100만원 입금 필요\n급여 받을 통장 개설 필요, 체크카드 제출\n문의: @laos_casino_work",
        {
            "compound_job",
            "passport_deposit_bank",
            "compound_region",
            "high_pay",
            "telegram_or_dm",
            "free_travel",
        },
    ),
    (
        "⚡긴급 채용⚡ 미얀마 온라인 영업팀\n👉 회사명은 면접 후 공개\n👉 계약서 필요 없음, 바로 출국\n"
        "👉 주급 200만원 지급\n👉 DM 주세요",
        {
            "compound_region",
            "high_pay",
            "simple_job_abroad",
            "telegram_or_dm",
            "urgency",
            "no_contract",
            "unverifiable",
        },
    ),
    (
        "태국 방콕 한국어 고객센터 상담원 모집\n월 250만원, 경력 무관\n"
        "항공권 본인 부담, 숙소는 직접 구하셔야 합니다\n이메일로 이력서 보내주세요: hr@bkkcs.co.th",
        {"simple_job_abroad", "no_experience"},
    ),
    (
        "베트남 다낭 리조트 알바 (비자 없이 가능!)\n하루 4시간 채팅 상담, 월 700만원\n"
        "도착하면 여권 맡기시고 숙소 배정\n라인 아이디 danang_resort 로 연락 주세요",
        {
            "passport_deposit_bank",
            "tourist_visa_work",
            "high_pay",
            "simple_job_abroad",
            "telegram_or_dm",
        },
    ),
    (
        "캄보디아 고수익 알바 월천 가능 숙식제공 항공권지원 경력무관 당장 출국 가능하신 분 "
        "텔레 문의 주세요 @money_kh",
        {
            "compound_region",
            "high_pay",
            "telegram_or_dm",
            "free_travel",
            "no_experience",
            "urgency",
        },
    ),
    # legitimate-looking ads: a registered company, a contract, a work visa
    (
        "(주)한빛소프트웨어 백엔드 개발자 정규직 채용\n근무지: 서울 강남구 테헤란로, 사업자등록번호 공개\n"
        "연봉 4,500만원~6,000만원 (경력에 따라 협의)\n4대 보험, 서면 근로계약서 작성\n"
        "지원: 사람인 또는 회사 홈페이지 채용 페이지",
        set(),
    ),
    (
        "[월드잡플러스 등록 공고] 베트남 호치민 한국계 제조업체 품질관리 엔지니어 채용\n"
        "- 취업비자(워크퍼밋) 회사에서 발급, 서면 근로계약서 체결\n- 월 급여 380만원, 경력 3년 이상\n"
        "- 항공권 본인 부담, 주거비 일부 지원\n- 지원 방법: 월드잡플러스 홈페이지에서 온라인 지원",
        set(),
    ),
    (
        "강남역 카페 바리스타 아르바이트 모집합니다\n시급 12,000원, 주 5일 오전 근무\n"
        "초보 가능, 친절하게 가르쳐 드려요\n문의는 매장 전화 또는 방문 부탁드립니다",
        set(),
    ),
]

EN_ADS: list[tuple[str, set[str]]] = [
    (
        "Hiring now! Customer service reps for Cambodia. Salary $1500-3000. Free food and dorm. "
        "Passport needed. No experience. Contact @hr_jenny",
        {
            "compound_job",
            "compound_region",
            "telegram_or_dm",
            "free_travel",
            "no_experience",
        },
    ),
    (
        "URGENT HIRING: typing job in Myavaddy, 2500 USD, visa and flight covered, "
        "interview on telegram",
        {
            "compound_job",
            "compound_region",
            "telegram_or_dm",
            "free_travel",
            "urgency",
        },
    ),
    (
        "🔥🔥 EARN BIG IN CAMBODIA 🔥🔥\nWe are looking for Korean and English speakers for online "
        "marketing / customer support in Sihanoukville!\n✅ Salary $4,000 - $6,000 per month + "
        "commission\n✅ FREE flight ticket and FREE accommodation\n✅ No experience needed, "
        "training provided\n✅ Tourist visa is fine, we handle everything\n"
        "📲 Inbox me or WhatsApp +855 12 345 678",
        {
            "compound_job",
            "tourist_visa_work",
            "compound_region",
            "high_pay",
            "telegram_or_dm",
            "free_travel",
            "no_experience",
        },
    ),
    (
        "Job vacancy: data entry clerk in Myanmar (near Thai border)\n"
        "Pay: 3,500 USD monthly, guaranteed income\n"
        "Requirements: bring your original passport, the company will keep your passport for "
        "visa processing\nA refundable deposit of $500 is required before departure\n"
        "Contact us on Telegram: t.me/mm_dataentry",
        {
            "compound_job",
            "passport_deposit_bank",
            "compound_region",
            "telegram_or_dm",
            "guaranteed_income",
        },
    ),
    (
        "Now hiring game company agents in Laos Golden Triangle SEZ 🎰\n"
        "$2000 base + bonuses, easy money, beginners welcome\nFlights and accommodation provided\n"
        "You must open a bank account for us before you fly\nLeave this week! DM @gt_games_hr",
        {
            "passport_deposit_bank",
            "compound_region",
            "high_pay",
            "simple_job_abroad",
            "telegram_or_dm",
            "free_travel",
            "no_experience",
            "urgency",
        },
    ),
    (
        "Customer support agents wanted in Bangkok, Thailand - Korean speakers.\n"
        "We're recruiting now. Package: $7,000/month, free housing, visa-free entry, "
        "no contract needed, start immediately.\nSend your CV on WhatsApp.",
        {
            "tourist_visa_work",
            "high_pay",
            "simple_job_abroad",
            "telegram_or_dm",
            "free_travel",
            "urgency",
            "no_contract",
        },
    ),
    (
        "Hiring in Clark, Philippines: chat support and typists for an online gaming company.\n"
        "Earn $5,000+ a month, guaranteed salary. No experience required. Free board and "
        "lodging.\nCompany name will be disclosed after you arrive. Apply here: t.me/clark_chat_jobs",
        {
            "high_pay",
            "simple_job_abroad",
            "telegram_or_dm",
            "free_travel",
            "no_experience",
            "guaranteed_income",
            "unverifiable",
        },
    ),
    (
        "💸Remote typing job abroad, 10,000 USD monthly, no experience, free flight, "
        "DM @fastcash_jobs now💸",
        {"high_pay", "simple_job_abroad", "telegram_or_dm", "free_travel", "no_experience"},
    ),
    (
        "Translators wanted in Phnom Penh: KOTRA partner job fair this Saturday! Salary 4,000 USD, "
        "tourist visa OK, contact @kotra_fair_kh",
        {
            "compound_job",
            "fake_official",
            "tourist_visa_work",
            "compound_region",
            "high_pay",
            "telegram_or_dm",
        },
    ),
    # legitimate-looking ads
    (
        "Samjin Logistics Co., Ltd. (Seoul) is hiring a full-time English-Korean translator.\n"
        "Location: Mapo-gu, Seoul. Business registration number available on request.\n"
        "Salary: KRW 42 million per year, written employment contract, national health insurance.\n"
        "Apply through our official website or Saramin. Interviews held at our Seoul office.",
        set(),
    ),
    (
        "ABC Electronics Vietnam (subsidiary of a listed Korean company) is hiring a production "
        "engineer in Bac Ninh.\nRequirements: 3+ years experience in SMT lines. Work permit and "
        "work visa arranged by the company before departure.\nSalary USD 3,200 per month, written "
        "contract, annual leave 12 days.\nApply via Worldjob+ or our company website.",
        set(),
    ),
    (
        "English teacher wanted for a public elementary school program in Daejeon, Korea.\n"
        "E-2 visa sponsored, one-year written contract, monthly salary 2.3 million won, housing "
        "provided.\nRequirements: bachelor's degree, criminal record check. Apply at our official "
        "recruitment website.",
        set(),
    ),
]

ALL_ADS = [pytest.param(text, flags, id=f"ko{i}") for i, (text, flags) in enumerate(KO_ADS)] + [
    pytest.param(text, flags, id=f"en{i}") for i, (text, flags) in enumerate(EN_ADS)
]


@pytest.mark.parametrize(("text", "expected"), ALL_ADS)
def test_a_pasted_ad_is_recognised(text: str, expected: set[str]) -> None:
    assert looks_like_job_ad(text)


@pytest.mark.parametrize(("text", "expected"), ALL_ADS)
def test_scan_ad_finds_the_expected_flags(text: str, expected: set[str]) -> None:
    assert ids(scan_ad(text)) == expected


def test_scan_ad_lists_each_flag_once_severe_first() -> None:
    text = KO_ADS[1][0] + "\n" + KO_ADS[1][0]
    flags = scan_ad(text)
    assert len(flags) == len(ids(flags))
    severities = [f.severity for f in flags]
    assert severities == sorted(severities, key=lambda s: s != SEVERE)
    assert flags[0].id == "passport_deposit_bank"


def test_scan_ad_does_not_flag_a_passport_copy_or_a_housing_deposit_support() -> None:
    text = (
        "베트남 하노이 한국계 건설사 현장 관리자 채용, 취업비자 발급, 여권 사본 제출, "
        "숙소 보증금 지원, 서면 계약서 작성, 월 400만원"
    )
    assert "passport_deposit_bank" not in ids(scan_ad(text))


NOT_ADS = [
    "안녕하세요",
    "오늘 날씨 좋네요 ㅎㅎ",
    "thanks, that helps a lot!",
    "캄보디아에서 고객 상담 일자리 제안을 받았는데 사기인가요?",
    "How can I check if a job offer in Cambodia is real? They promised $3000 a month and a free "
    "flight.",
    "What are the warning signs of a fake job offer abroad? I'm looking for work in Thailand and "
    "want to be careful about recruiters.",
    "My cousin got a message on Telegram offering a customer service job in Cambodia for $5000 "
    "a month with free flights. Is this legit?",
    "제 친구가 텔레그램으로 캄보디아 CS 일자리 월 1000만원, 항공권 지원, 숙식 제공 제안을 받았대요. "
    "이거 믿어도 될까요?",
    "Is Global Star Recruitment Agency in Seoul registered? They're hiring for jobs in Vietnam "
    "with a salary of 3 million won.",
    "help I'm locked in a room, they took my passport",
    "I came to Cambodia for a customer service job, they promised $3000 salary and free flights "
    "and accommodation, now they took my passport and I can't leave the building, please help",
    "취업하러 캄보디아 왔는데 여권 뺏기고 감금됐어요. 월급 천만원 준다더니 숙식 제공도 거짓말이었어요. "
    "텔레그램 문의로 연락했던 @kh_job 이에요. 도와주세요",
    "Cambodian police raided a compound in Sihanoukville on Tuesday and rescued 50 Korean "
    "nationals who had been lured by fake job ads promising high salaries, free flights and "
    "accommodation. According to the foreign ministry, the victims were recruited through "
    "Telegram for customer service jobs with no experience needed.",
    "경찰에 따르면 이들은 텔레그램 구인 광고를 보고 캄보디아로 출국했으며, 고수익과 숙식 제공, "
    "경력 무관 조건을 약속받았다. 외교부는 시아누크빌 지역에 출국 권고를 내렸다고 밝혔다.",
    "Hiring! DM @x_job",
]


@pytest.mark.parametrize("text", NOT_ADS)
def test_questions_distress_chat_and_news_are_not_ads(text: str) -> None:
    assert not looks_like_job_ad(text)


# ------------------------------------------------------------------------------- assess

SCAM_KO = JobOffer(
    country="KH",
    city="Sihanoukville",
    job_type="고객 상담",
    monthly_pay_krw=10_000_000,
    channel="telegram",
    flight_paid_by="employer",
    visa="tourist",
    asked_passport_deposit_bank=True,
    written_contract=False,
    verifiable=False,
)
LEGIT = JobOffer(
    country="VN",
    city=None,
    job_type="production engineer",
    monthly_pay_krw=4_500_000,
    channel="agency",
    flight_paid_by="self",
    visa="work",
    asked_passport_deposit_bank=False,
    written_contract=True,
    verifiable=True,
)


def with_(offer: JobOffer, **changes: Any) -> JobOffer:
    """A copy of ``offer`` with some answers changed."""
    values = {name: getattr(offer, name) for name in offer.__dataclass_fields__}
    values.update(changes)
    return JobOffer(**values)


def test_the_full_scam_story_is_high_with_every_flag_severe_first() -> None:
    result = assess(SCAM_KO, FACTS)
    assert result.risk == HIGH
    assert ids(result.flags) == {
        "leave_advisory",
        "compound_job",
        "tourist_visa_work",
        "passport_deposit_bank",
        "high_pay",
        "telegram_or_dm",
        "free_travel",
        "no_contract",
        "unverifiable",
    }
    severe = [f.severity == SEVERE for f in result.flags]
    assert severe == sorted(severe, reverse=True)
    assert result.complete


def test_the_english_story_is_high_without_a_pay_flag() -> None:
    offer = with_(SCAM_KO, job_type="customer service", monthly_pay_krw=4_200_000)
    result = assess(offer, FACTS)
    assert result.risk == HIGH
    assert "high_pay" not in ids(result.flags)


def test_skipped_answers_raise_no_flag_but_the_rest_still_count() -> None:
    offer = with_(SCAM_KO, job_type=None, channel=None, visa=None, written_contract=None)
    result = assess(offer, FACTS)
    assert result.risk == HIGH
    assert not {"telegram_or_dm", "tourist_visa_work", "no_contract"} & ids(result.flags)
    assert {"channel", "visa", "written_contract"} <= set(result.unanswered)


def test_a_fully_legitimate_offer_is_low() -> None:
    result = assess(LEGIT, FACTS)
    assert result == Assessment(risk=LOW, flags=(), unanswered=())


def test_an_all_skipped_offer_is_never_low() -> None:
    result = assess(JobOffer(), FACTS)
    assert result.risk == MEDIUM
    assert not result.flags
    assert not result.complete


@pytest.mark.parametrize(
    "field",
    [
        "country",
        "monthly_pay_krw",
        "channel",
        "flight_paid_by",
        "visa",
        "asked_passport_deposit_bank",
        "written_contract",
        "verifiable",
    ],
)
def test_one_skipped_question_prevents_low(field: str) -> None:
    result = assess(with_(LEGIT, **{field: None}), FACTS)
    assert result.risk == MEDIUM
    assert result.unanswered == (field,)


def test_job_type_matters_only_when_the_pay_is_between_the_thresholds() -> None:
    assert assess(with_(LEGIT, job_type=None), FACTS).risk == LOW
    between = with_(LEGIT, job_type=None, monthly_pay_krw=6_000_000)
    assert assess(between, FACTS).unanswered == ("job_type",)


@pytest.mark.parametrize(
    ("changes", "risk", "flag_ids"),
    [
        ({"flight_paid_by": "employer"}, MEDIUM, {"free_travel"}),
        ({"flight_paid_by": "shared"}, LOW, set()),
        ({"country": "KH"}, MEDIUM, {"compound_region"}),
        ({"country": "Cambodia"}, MEDIUM, {"compound_region"}),
        ({"country": "KH", "city": "Phnom Penh"}, HIGH, {"leave_advisory"}),
        ({"country": "KH", "city": "Poipet"}, HIGH, {"travel_ban"}),
        ({"country": "LA", "city": "Golden Triangle"}, HIGH, {"travel_ban"}),
        ({"country": "LA"}, MEDIUM, {"compound_region"}),
        ({"visa": "visa_free"}, HIGH, {"tourist_visa_work"}),
        ({"visa": "business"}, MEDIUM, {"no_work_visa"}),
        ({"visa": "unknown"}, MEDIUM, {"no_work_visa"}),
        ({"asked_passport_deposit_bank": True}, HIGH, {"passport_deposit_bank"}),
        ({"channel": "sns_dm", "verifiable": False}, HIGH, {"telegram_or_dm", "unverifiable"}),
        ({"channel": "telegram"}, MEDIUM, {"telegram_or_dm"}),
        ({"channel": "텔레그램으로 왔어요"}, MEDIUM, {"telegram_or_dm"}),
        ({"written_contract": False, "verifiable": False}, MEDIUM, {"no_contract", "unverifiable"}),
        (
            {"job_type": "customer service", "monthly_pay_krw": 6_000_000, "channel": "telegram"},
            MEDIUM,
            {"high_pay", "telegram_or_dm"},
        ),
        (
            {
                "job_type": "typing",
                "monthly_pay_krw": 6_000_000,
                "channel": "telegram",
                "flight_paid_by": "employer",
            },
            HIGH,
            {"high_pay", "telegram_or_dm", "free_travel"},
        ),
        ({"monthly_pay_krw": 6_000_000}, LOW, set()),  # an engineer may earn that
        ({"monthly_pay_krw": 12_000_000}, MEDIUM, {"high_pay"}),
    ],
)
def test_assess_rates_typical_offers(
    changes: dict[str, Any], risk: str, flag_ids: set[str]
) -> None:
    result = assess(with_(LEGIT, **changes), FACTS)
    assert (result.risk, ids(result.flags)) == (risk, flag_ids)


def test_assess_works_with_an_unknown_place() -> None:
    result = assess(with_(LEGIT, country="ZZ"), FACTS)
    assert result.risk == LOW


# ------------------------------------------------------------------------------- render


@pytest.mark.parametrize(
    "offer", [SCAM_KO, LEGIT, JobOffer(), with_(LEGIT, flight_paid_by="employer")]
)
def test_render_is_korean_in_korean_and_free_of_hangul_in_english(offer: JobOffer) -> None:
    result = assess(offer, FACTS)
    korean = render_assessment(result, "ko")
    english = render_assessment(result, "en")
    assert korean.startswith("위험도:")
    assert english.startswith("Risk:")
    assert HANGUL.search(korean)
    assert not HANGUL.search(english)
    for text in (korean, english):
        assert not re.search(r"\d", text), "numbers come only from the facts module"
        assert len(text.splitlines()) >= 3


def test_render_shows_the_risk_each_flag_and_the_next_step() -> None:
    result = assess(SCAM_KO, FACTS)
    english = render_assessment(result, "en")
    assert english.splitlines()[0] == "Risk: HIGH 🔴"
    for f in result.flags:
        assert f"⚠️ {f.text('en')}" in english
    assert "Do not accept this offer" in english
    korean = render_assessment(result, "ko")
    assert korean.splitlines()[0] == "위험도: 높음 🔴"
    assert all(f.text("ko") in korean for f in result.flags)


def test_render_says_when_answers_are_missing() -> None:
    result = assess(JobOffer(), FACTS)
    assert "Not enough answers to rule out risk" in render_assessment(result, "en")
    assert "위험도: 중간" in render_assessment(result, "ko")


def test_render_low_says_it_is_no_guarantee() -> None:
    english = render_assessment(assess(LEGIT, FACTS), "en")
    assert english.startswith("Risk: LOW")
    assert "not a guarantee" in english


# -------------------------------------------------------------------------------- data


def test_every_flag_has_both_texts_and_a_source() -> None:
    texts = job_texts()
    assert set(texts.flags) == set(SEVERITY)
    for f in texts.flags.values():
        assert f.source.strip()
        assert HANGUL.search(f.text("ko"))
        assert not HANGUL.search(f.text("en"))
        assert f.severity == SEVERITY[f.id]


def test_every_source_is_one_the_facts_file_cites() -> None:
    facts_file = ROOT / "content" / "facts.yml"
    if not facts_file.is_file():
        pytest.skip("content/facts.yml not present")
    cited = facts_file.read_text(encoding="utf-8")
    for f in job_texts().flags.values():
        for part in f.source.split(";"):
            token = max(re.findall(r"[A-Za-z0-9_.=/]+", part), key=len)
            assert token in cited, f"{f.id}: {token!r} is not cited in facts.yml"


def _data() -> dict[str, Any]:
    """The shipped flags with their words, gathered from the packs."""
    data, langs = gather(ROOT / "content" / "job_flags.yml")
    assert langs == ("ko", "en")
    return data


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d["flags"].pop(0), "flags missing"),
        (lambda d: d["flags"].append(dict(d["flags"][0], id="made_up")), "unknown id"),
        (lambda d: d["flags"].append(dict(d["flags"][0])), "duplicate id"),
        (lambda d: d["flags"][0].update(source=""), "source"),
        (lambda d: d["flags"][0]["text"].update(en="여권"), "contains Hangul"),
        (lambda d: d["flags"][0]["text"].update(ko="passport"), "has no Hangul"),
        (lambda d: d["flags"][0]["text"].update(en="Call 117 now"), "no digits"),
        (lambda d: d["flags"][0]["title"].pop("ko"), r"title\.ko: must be"),
        (lambda d: d["messages"].pop("next_low"), "next_low"),
        (lambda d: d["practices"][0].pop("source"), "needs the 'source'"),
    ],
)
def test_a_broken_flags_file_is_refused_with_a_reason(mutate: Any, message: str) -> None:
    data = _data()
    mutate(data)
    with pytest.raises(JobFlagsError, match=message):
        JobTexts.from_dict(data)


def _edit_first_english_flag(content: Path, text: str) -> tuple[Path, str]:
    """Copy content/ to ``content`` and give the first flag a new English text there."""
    shutil.copytree(ROOT / "content", content, dirs_exist_ok=True)
    words = content / "en" / "job_flags.yml"
    data = yaml.safe_load(words.read_text(encoding="utf-8"))
    first = next(iter(data["flags"]))
    data["flags"][first]["text"] = text
    words.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    return words, first


def test_a_fault_in_one_language_names_its_pack(tmp_path: Path) -> None:
    words, _ = _edit_first_english_flag(tmp_path, "여권")
    with pytest.raises(JobFlagsError, match="contains Hangul") as caught:
        load_job_texts(tmp_path / "job_flags.yml")
    assert str(caught.value).startswith(str(words))


def test_edits_to_the_flags_file_are_picked_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, first = _edit_first_english_flag(tmp_path, "Edited by staff.")
    monkeypatch.setenv("HAVEN_CONTENT_DIR", str(tmp_path))
    assert jobcheck.flag(first).text("en") == "Edited by staff."
    monkeypatch.setenv("HAVEN_CONTENT_DIR", str(tmp_path / "elsewhere"))
    assert jobcheck.flag(first).text("en") != "Edited by staff."


@pytest.mark.parametrize(
    ("place", "flag_id"),
    [
        ("캄보디아 시아누크빌", "leave_advisory"),
        ("Poipet", "travel_ban"),
        ("Cambodia", "compound_region"),
        ("Myanmar", "compound_region"),
    ],
)
def test_assess_uses_the_real_advisory_levels(place: str, flag_id: str) -> None:
    facts_module = pytest.importorskip("bot.core.facts")
    content = ROOT / "content"
    store = facts_module.FactsStore(content / "facts.yml", content / "countries.yml")
    facts = store.current()
    country, city = facts.find_place(place)
    result = assess(JobOffer(country=country, city=city), facts)
    assert flag_id in ids(result.flags)
