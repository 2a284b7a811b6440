"""The job check and the ad scanner follow today's map and the new warning signs.

Myawaddy, eastern Shan and the Laos Golden Triangle SEZ are travel bans; Phnom Penh is Level 2;
the compound regions' jobs flag on their own; a third-country route by car, an ID before any
contract and documents in a language the person cannot read are named; "a friend" or "a job
site" never makes an offer low; "I already sent it" is answered from confirmed facts only.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.facts import Facts, FactsStore
from bot.core.jobcheck import (
    HIGH,
    LOW,
    JobOffer,
    assess,
    rate_flags,
    render_summary,
    scan_ad,
)
from bot.core.offers import (
    answers_from,
    details_payload,
    offer_from,
    prefill_from,
    read_question,
    render_answer,
)

ROOT = Path(__file__).resolve().parents[3]
FACTS = FactsStore(ROOT / "content" / "facts.yml", ROOT / "content" / "countries.yml").current()

SAFE = JobOffer(
    country="KH",
    city=None,
    job_type="production engineer",
    monthly_pay_krw=3_000_000,
    channel="agency",
    flight_paid_by="self",
    visa="work",
    asked_passport_deposit_bank=False,
    written_contract=True,
    verifiable=True,
)

MYAWADDY_ADS = [
    pytest.param(
        "[급구] 미야와디 고객상담 직원 모집\n월급 500만원 + 인센티브, 숙식 제공, 항공권 지원\n"
        "경력 무관, 컴퓨터만 할 줄 알면 OK\n문의 텔레그램 @jobmaster99",
        "ko",
        id="ko",
    ),
    pytest.param(
        "HIRING NOW - customer support agents in Myawaddy\nSalary $2,500/month, free accommodation"
        "\nNo experience needed, free flight to Bangkok\nContact @mw_recruit on Telegram",
        "en",
        id="en",
    ),
]


def ids(flags: object) -> set[str]:
    """The ids of a list of flags."""
    return {f.id for f in flags}  # type: ignore[attr-defined]


def with_(offer: JobOffer, **changes: object) -> JobOffer:
    """A copy of an offer with some answers changed."""
    return JobOffer(**{**offer.__dict__, **changes})


# -------------------------------------------------------------------------- the map


@pytest.mark.parametrize(("ad", "lang"), MYAWADDY_ADS)
def test_a_pasted_myawaddy_offer_is_high_with_the_ban_named(ad: str, lang: str) -> None:
    flags = scan_ad(ad, FACTS)
    assert "travel_ban" in ids(flags)
    assert rate_flags(flags) == HIGH
    line = FACTS.advisory_line(*FACTS.find_place(ad), lang)
    assert ("4단계 여행금지" if lang == "ko" else "Level 4 (travel ban)") in line
    assert "0404.go.kr" in line


@pytest.mark.parametrize(
    ("country", "city", "flag"),
    [
        ("MM", "Myawaddy", "travel_ban"),
        ("MM", "Shwe Kokko", "travel_ban"),
        ("MM", "Tachileik", "travel_ban"),
        ("LA", "Golden Triangle SEZ", "travel_ban"),
        ("LA", "Golden Triangle", "travel_ban"),
        ("KH", "Sihanoukville", "leave_advisory"),
    ],
)
def test_the_check_scores_todays_map(country: str, city: str, flag: str) -> None:
    result = assess(with_(SAFE, country=country, city=city), FACTS)
    assert flag in ids(result.flags)
    assert result.risk == HIGH


def test_phnom_penh_is_no_longer_high_on_location_alone() -> None:
    result = assess(with_(SAFE, city="Phnom Penh"), FACTS)
    assert not ids(result.flags) & {"travel_ban", "leave_advisory"}
    assert result.risk != HIGH


# ------------------------------------------------------------------------ job type


@pytest.mark.parametrize(
    "job",
    [
        "customer service",
        "고객 상담",
        "채팅 상담",
        "marketing",
        "data entry",
        "타이핑",
        "코인 투자",
        "crypto trading",
        "번역",
        "IT support",
    ],
)
def test_the_job_type_alone_raises_a_cambodia_offer_above_low(job: str) -> None:
    result = assess(with_(SAFE, job_type=job), FACTS)
    assert "compound_job" in ids(result.flags)
    assert result.risk != LOW
    assert len(result.flags) > len(assess(SAFE, FACTS).flags)


def test_the_same_job_elsewhere_is_not_a_compound_flag() -> None:
    offer = with_(SAFE, country="VN", job_type="customer service")
    assert "compound_job" not in ids(assess(offer, FACTS).flags)


@pytest.mark.parametrize(
    "text",
    [
        "Cambodia, customer service, 3M KRW, company pays the flight",
        "캄보디아 고객상담 월 300 항공권 회사 부담 괜찮나요?",
    ],
)
def test_the_issue_example_is_high(text: str) -> None:
    prefill = prefill_from(text, FACTS.find_place(text))
    assert {"jc_destination", "jc_job_type", "jc_pay", "jc_flight"} <= set(prefill)
    assert assess(offer_from(prefill), FACTS).risk == HIGH


# ----------------------------------------------------------------- channel is no proof


@pytest.mark.parametrize("channel", ["friend", "job_site", "친구 소개", "구인 사이트"])
def test_a_friend_or_a_job_site_never_makes_an_offer_low(channel: str) -> None:
    assert assess(with_(SAFE, country="VN"), FACTS).risk == LOW
    result = assess(with_(SAFE, country="VN", channel=channel), FACTS)
    assert result.risk != LOW
    assert "no guarantee" in render_summary(result, "en")
    assert "안전하다고 할 수 없어요" in render_summary(result, "ko")


# ---------------------------------------------------------------------- new warnings


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("방콕으로 가서 차로 국경 넘어간대요 괜찮아요?", "third_country_route"),
        ("fly to Bangkok, then a car takes you over the border. normal?", "third_country_route"),
        ("호치민 공항에서 픽업해서 육로로 이동한대요", "third_country_route"),
        ("계약도 안 했는데 여권 사진이랑 신분증 먼저 보내래요 정상이에요?", "id_before_contract"),
        ("they want a passport photo and ID card before any contract, ok?", "id_before_contract"),
        ("계약서가 중국어로만 되어 있어요 괜찮나요?", "unreadable_documents"),
        ("the contract is in Khmer and I can't read it, is that ok?", "unreadable_documents"),
    ],
)
def test_new_warning_signs_are_named(text: str, flag: str) -> None:
    question = read_question(text, FACTS.find_place(text), FACTS)
    assert flag in ids(question.flags)
    assert question.practices


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("이미 여권 사진이랑 신분증을 보냈어요 어떡하죠", "ko"),
        ("통장을 빌려 줬는데 어떻게 해야 해요?", "ko"),
        ("I already sent my passport photo and opened a bank account for them", "en"),
        ("i gave them my bank card last week, what now?", "en"),
    ],
)
def test_already_sent_is_answered_from_confirmed_facts(text: str, lang: str, facts: Facts) -> None:
    question = read_question(text, facts.find_place(text), facts)
    assert "already_sent" in [p.id for p in question.practices]
    answer = render_answer(question, lang, facts.contact_lines)
    assert "112" in answer
    assert "ecrm.police.go.kr" in answer
    assert ("대포통장" if lang == "ko" else "mule accounts") in answer
    assert "ATC" not in answer


@pytest.fixture
def facts() -> Facts:
    """The facts as shipped."""
    return FACTS


# ---------------------------------------------------------------------- details button


def test_details_payload_carries_every_answer() -> None:
    slots = {
        "jc_destination": "MM|Myawaddy",
        "jc_job_type": "고객 상담",
        "jc_pay": "5000000",
        "jc_contract": "no",
        "jc_verifiable": "skipped",
        "jc_visa": "",
    }
    answers = answers_from(details_payload(slots).split(" ", 1)[1])
    offer = offer_from(answers)
    assert offer.country == "MM"
    assert offer.city == "Myawaddy"
    assert offer.written_contract is False
    assert offer.verifiable is None
    assert answers_from("not json") == {}


# ------------------------------------------------------------------- held-out offers


def test_heldout_offers_are_rated_as_a_caseworker_would() -> None:
    from bot.tools.evaluate import offer_report

    store = FactsStore(ROOT / "content" / "facts.yml", ROOT / "content" / "countries.yml")
    report = offer_report(store)
    for lang in ("ko", "en"):
        assert report[lang]["offers"] >= 10
        assert report[lang]["high_recall"] == 1.0, report[lang]["misses"]
        assert report[lang]["agreement"] >= 0.9, report[lang]["misses"]


def test_a_free_text_answer_can_name_the_route() -> None:
    offer = with_(SAFE, country="TH", job_type="사무직인데 방콕 도착하면 차로 국경 넘어간대요")
    result = assess(offer, FACTS)
    assert "third_country_route" in ids(result.flags)
    assert result.risk == HIGH
