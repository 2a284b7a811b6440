"""A pasted or forwarded advertisement: whether a message is one, and its red flags."""

from __future__ import annotations

import re
from typing import Protocol

from bot.core.jobcheck.catalogue import norm, ordered
from bot.core.jobcheck.model import (
    ANY_JOB_PAY_KRW,
    MIN_AD_CHARS,
    MIN_AD_LINES,
    MIN_AD_SIGNALS,
    NEWS_MARKERS_VETO,
    STRONG_AD_SIGNALS,
    UNSKILLED_PAY_KRW,
    AdvisoryLevels,
    Flag,
    JobOffer,
)
from bot.core.jobcheck.pay import amounts_in
from bot.core.jobcheck.places import COMPOUND_JOB, place_flags

__all__ = [
    "FREE_TRAVEL",
    "HIGH_PAY_WORDS",
    "ID_BEFORE_CONTRACT",
    "NO_EXPERIENCE",
    "SIMPLE_JOB",
    "THIRD_COUNTRY_ROUTE",
    "UNREADABLE_DOCUMENTS",
    "PlaceFinder",
    "looks_like_job_ad",
    "scan_ad",
    "text_flags",
    "tidy_flags",
]

# ---------------------------------------------------------------------------------- ads

_PLACES_COMPOUND = (
    r"캄보디아|cambodia|프놈펜|phnom\s?penh|시아누크빌|시하누크빌|시하눅빌|sihanoukville|sihanouk"
    r"|포이펫|poipet|바벳|bavet|보코|bokor|캄폿|kampot|코콩|koh\s?kong|바탐방|battambang|미얀마"
    r"|myanmar|버마|burma|미야와디|myawa?ddy|myavaddy|kk\s?park|kk\s?파크|shwe\s?kokko|타칠레익"
    r"|tachileik|라오스|laos|골든\s?트라이앵글|golden\s?triangle|보텐|boten"
)
_COMPOUND = re.compile(_PLACES_COMPOUND)
_ABROAD = re.compile(
    _PLACES_COMPOUND + r"|해외|overseas|abroad|태국|thailand|방콕|bangkok|파타야|pattaya|베트남"
    r"|vietnam|호치민|ho\s?chi\s?minh|하노이|hanoi|다낭|danang|필리핀|philippines|마닐라|manila"
    r"|클락|clark|말레이시아|malaysia|쿠알라|kuala|인도네시아|indonesia|두바이|dubai|동남아"
    r"|southeast asia|south east asia|중국|china|출국|비행기|항공|flight"
)
SIMPLE_JOB = re.compile(
    r"고객\s*(?:상담|서비스|응대|관리)|상담\s*(?:원|직|사|업무|알바)|(?<![a-z])cs(?![a-z])|c/s"
    r"|콜\s*센터|call\s?cent(?:er|re)|텔레\s*마케팅|telemarketing|타자|타이핑|typing|typist"
    r"|데이터\s*입력|data entry|채팅\s*(?:상담|알바|업무|매니저)|chat\s?(?:support|agent|operator)"
    r"|게임\s*(?:회사|업체|운영|매니저|사)|game\s?(?:company|operator|studio|agent)"
    r"|온라인\s*(?:마케팅|영업|홍보)|online\s?(?:marketing|sales|promotion)|customer\s?(?:service|support|care)"
    r"|번역|통역|translator|translation|interpreter|it support|오퍼레이터|operator|마케팅|marketing"
)
FREE_TRAVEL = re.compile(
    r"항공\s*(?:권|료|편|티켓)?\s*(?:무료|지원|제공|전액|포함|지급)|비행기\s*(?:표|티켓|값)?\s*(?:무료|지원|제공)"
    r"|왕복\s*항공|숙식\s*(?:제공|무료|지원|포함)|숙소\s*(?:무료|제공|지원)|기숙사\s*(?:무료|제공)"
    r"|free\s?(?:flights?|air\s?tickets?|airfare|tickets?|accommodation|housing|lodging|food"
    r"|meals|room|dorm|board)|room and board|board and lodging"
    r"|(?:flights?|air\s?tickets?|airfare|tickets?|accommodation|housing|lodging|dorm|meals|food)"
    r"(?: and (?:flights?|air\s?tickets?|accommodation|housing|lodging|dorm|meals|food))?"
    r" (?:is |are |will be )?(?:provided|included|covered|paid|free|on us)"
)
NO_EXPERIENCE = re.compile(
    r"경력\s*(?:무관|없어도|필요\s*없|x)|무경험|초보\s*(?:가능|환영|ok|오케이)|누구나\s*(?:가능|할 수)"
    r"|no (?:prior )?experience|experience (?:is )?not (?:required|needed|necessary)"
    r"|without experience|beginners? (?:welcome|ok)|anyone can (?:do|apply)"
)
_GUARANTEED = re.compile(
    r"수익\s*보장|보장\s*(?:수익|월급|급여|수입)|(?:월급|급여|수입)\s*보장|최소\s*\S+\s*보장"
    r"|guaranteed\s?(?:income|salary|pay|profit|earnings|returns?|money)"
    r"|(?:income|salary|pay|profit|earnings) (?:is )?guaranteed"
)
HIGH_PAY_WORDS = re.compile(
    r"고수익|고소득|고액\s*(?:알바|수입|연봉|급여)|high\s?(?:income|salary|pay|paying|earnings)"
    r"|big money|earn big|huge (?:income|salary)|easy money|쉽게 돈|큰돈"
)
_URGENCY = re.compile(
    r"급구|긴급\s*(?:모집|채용|구인)|당장\s*(?:출국|출발|떠날)|즉시\s*출국|바로\s*출국|빠른\s*출국"
    r"|(?:이번|다음)\s*주\s*(?:출국|출발)|내일\s*출국|urgent|asap|immediate\s?(?:departure|start)"
    r"|(?:leave|fly|depart)\s?(?:this|next) week|(?:leave|fly|depart) (?:immediately|tomorrow)"
    r"|start (?:immediately|tomorrow)"
)
# A Telegram handle or link: the recruiters' usual way to be reached.
_HANDLE_PATTERN = r"(?<![\w.])@[a-z][a-z0-9_]{3,}|t\.me/"
_HANDLE = re.compile(_HANDLE_PATTERN)
_TELEGRAM = re.compile(
    _HANDLE_PATTERN + r"|텔레(?:그램)?|telegram|whatsapp|왓츠앱"
    r"|카톡\s*(?:아이디|id|문의)|kakao\s?(?:id|talk)|라인\s*(?:아이디|id)|line id"
    r"|dm\s?(?:me|us|주세요|문의|for)|디엠|inbox (?:me|us)|pm (?:me|us)"
)
_PASSPORT_HANDOVER = re.compile(
    r"여권(?!\s*(?:사본|복사|copy))\s*(?:을|은|는)?[^.\n,]{0,10}?(?:맡기|맡겨|보관|회수|수거|제출|압수|가져|보내|주셔야|드려야|반납)"
    r"|(?:hold|keep|take|collect|hand over|surrender|submit|send|give)\s+(?:us\s+)?(?:your|the)\s+"
    r"(?:original\s+)?passports?(?!\s*(?:copy|scan|photo|picture))"
    r"|passports? (?:will be|is|are|must be) (?:kept|held|collected|taken|handed over|surrendered)"
    r"|passports? (?:needed|required) on arrival|hand (?:it )?over on arrival"
)
_BANK = re.compile(
    r"(?:통장|계좌|체크\s*카드)\s*(?:대여|양도|빌려|매입|판매|제공|모집|삽니다|구매|만들어|개설|필요|보내)"
    r"|(?:rent|lend|sell|provide|open|send)\s+(?:us\s+)?(?:your\s+|a\s+)?bank\s?(?:accounts?|cards?)"
    r"|bank (?:accounts?|cards?) (?:needed|required|rental)"
)
_DEPOSIT = re.compile(
    r"보증금(?!\s*(?:지원|없|무|x|0|불필요))|예치금|선입금|선납금|(?:수수료|교육비|등록비|소개비)(?!\s*(?:없|무|x|0))"
    r"|(?<!no )(?<!without )(?:upfront|registration|processing|training|placement|agency) fees?"
    r"|(?<!no )(?<!without )deposit(?!\s*(?:free|not required|support))|pay (?:a|the) fee"
)
_NO_CONTRACT = re.compile(
    r"계약서\s*(?:없|필요\s*없|불필요|x)|no (?:written )?contract|without (?:a )?contract"
    r"|contract (?:is )?not (?:needed|required)"
)
_UNVERIFIABLE = re.compile(
    r"(?:회사|업체)\s*(?:명|이름)?\s*(?:은|는)?\s*(?:비공개|추후|면접\s*후|도착\s*후)|상호\s*비공개"
    r"|company (?:name )?(?:will be )?(?:disclosed|revealed|given|shared) (?:later|after)"
    r"|company name (?:is )?(?:confidential|secret|undisclosed)|no company name"
)
_TOURIST_VISA = re.compile(
    r"무비자|관광\s*비자|비자\s*(?:없이|필요\s*없|불필요|x)|도착\s*비자|visa[\s-]?free|no visa"
    r"|without (?:a )?visa|tourist visa|visa on arrival"
)
_FAKE_OFFICIAL = re.compile(r"kotra|코트라|산업인력공단|hrd\s?korea|한국산업인력")
# A flight to a neighbouring country, then a car over a land border.
_VIA_CITY = (
    r"방콕|bangkok|호치민|호찌민|ho\s?chi\s?minh|hcmc|사이공|saigon|태국|thailand|베트남|vietnam"
    r"|매솟|메솟|mae\s?sot"
)
_BY_LAND = (
    r"차로|차\s*(?:를|을)?\s*타|차량|승합차|밴\s*(?:으로|타고)|육로|국경|픽업|by (?:car|van|road|land)"
    r"|drive|driven|overland|(?:land )?border|pick(?:ed)?\s?(?:you |us |me )?up|a car|the car|car will"
)
THIRD_COUNTRY_ROUTE = re.compile(
    rf"(?:{_VIA_CITY})[^\n]{{0,50}}?(?:{_BY_LAND})|(?:{_BY_LAND})[^\n]{{0,30}}?(?:{_VIA_CITY})"
)
_ID_ITEM = (
    r"여권\s*(?:사진|사본|복사본|스캔|정보면)|신분증|주민\s*등록\s*증|운전\s*면허\s*증|셀카|얼굴\s*사진"
    r"|passport\s?(?:photo|picture|copy|scan|page)|photo of (?:my |your |the )?passport|\bid\s?(?:card|photo)?\b"
    r"|identity card|selfie"
)
_BEFORE_CONTRACT = (
    r"계약\s*(?:서)?\s*(?:도)?\s*(?:전|없이|받기\s*전|쓰기\s*전|하기\s*전)|먼저|우선|before (?:signing|any|the|a|i)"
    r"|\bfirst\b|no contract|without (?:a )?contract"
)
ID_BEFORE_CONTRACT = re.compile(
    rf"(?:{_ID_ITEM})[^\n]{{0,50}}?(?:{_BEFORE_CONTRACT})|(?:{_BEFORE_CONTRACT})[^\n]{{0,50}}?(?:{_ID_ITEM})"
)
_DOCUMENT = r"계약서|서류|문서|contract|documents?|papers?|forms?"
_FOREIGN_SCRIPT = (
    r"중국어|크메르어|캄보디아어|태국어|미얀마어|버마어|라오어|베트남어|chinese|khmer|thai|burmese|lao\b"
    r"|못\s*읽|읽을\s*수\s*없|모르는\s*언어|이해\s*(?:가\s*)?안|can'?t read|cannot read|unable to read"
    r"|(?:don'?t|do not|can'?t|cannot) understand|language i (?:can'?t|cannot|don'?t)"
)
UNREADABLE_DOCUMENTS = re.compile(
    rf"(?:{_DOCUMENT})[^\n]{{0,40}}?(?:{_FOREIGN_SCRIPT})|(?:{_FOREIGN_SCRIPT})[^\n]{{0,40}}?(?:{_DOCUMENT})"
)
_CAMBODIA = re.compile(r"캄보디아|cambodia|프놈펜|phnom\s?penh|시아누크빌|시하누크빌|sihanoukville")

_RECRUIT = re.compile(
    r"모집|채용|구인|구함|구합니다|급구|모십니다|뽑습니다|충원|hiring|vacanc|we are looking for"
    r"|we'?re looking for|looking for (?:staff|workers|people|candidates|agents|applicants"
    r"|employees)|join (?:our|the) team|job openings?|positions? (?:available|open)|apply now"
    r"|now recruiting|recruiting now|we are recruiting|we'?re recruiting|is recruiting"
    r"|(?:staff|agents?|workers|employees|reps?|operators?|teachers?|translators?|engineers?"
    r"|typists?|assistants?) (?:wanted|needed)|\bwanted\b"
)
_CONTACT = re.compile(
    _HANDLE_PATTERN + r"|텔레(?:그램)?\s*(?:문의|연락|아이디|id|주세요|디엠)"
    r"|문의|연락\s*(?:주세요|바랍니다|처|부탁)|카톡\s*(?:아이디|id|문의)|contact (?:us|me|@|via|on)"
    r"|dm (?:me|us|for)|pm (?:me|us)|inbox (?:me|us)|whatsapp|apply (?:via|on|at|through|here)"
    r"|send (?:your |us your )?(?:cv|resume)|이력서|지원\s*방법"
)
_PAY_WORDS = re.compile(
    r"고수익|고소득|월급|급여|연봉|수당|인센티브|수익|salary|income|commission|\bpay\b|bonus"
    r"|per month|a month|월\s?\d"
)
_PERKS = re.compile(
    FREE_TRAVEL.pattern + r"|숙소|기숙사|식사|숙식|accommodation|housing|dorm|meals"
    r"|visa (?:provided|support|sponsor)|비자\s*(?:지원|제공|발급)|보험|insurance"
)
_TERMS = re.compile(
    r"계약서|contract|정규직|계약직|full[\s-]?time|part[\s-]?time|4대\s*보험|근무\s*(?:지|시간|조건|형태)"
    r"|working hours|location:|자격\s*요건|우대|requirements|qualifications|benefits|annual leave"
    r"|연차|휴무|days off|주\s*\d\s*일|\d\s*days a week"
)
_DISTRESS = re.compile(
    r"help me|please help|help!|살려|도와\s?주세요|도와줘|갇혀|갇힌|감금|locked (?:in|up|me)"
    r"|trapped|can'?t (?:leave|escape|get out)|못\s?나가|나갈 수\s?(?:가|)\s?없|탈출|escape"
    r"|beat(?:en|ing)? me|때리|맞았|협박|threaten|took my passport|taken my passport"
    r"|여권\s*(?:을|를)?\s*(?:뺏|빼앗|가져갔)|sold me|팔려|팔았|구해\s?주|rescue me|구조"
    r"|held against|won'?t let me|연락\s*(?:이|도)?\s*(?:안\s*(?:돼|되|와)|끊|두절)|실종|missing"
    r"|lost (?:contact|touch)|can'?t reach|haven'?t heard"
)
_NEWS = re.compile(
    r"경찰|검찰|police|according to|reported|보도|기자|뉴스|\bnews\b|검거|arrest|raid|단속|피해자"
    r"|victims?|당국|authorities|외교부|ministry|밝혔다|전했다|알려졌다|말했다|했다고|\bsaid\b"
    r"|숨진|사망|\bdied\b|rescued|구출|송환|repatriat|investigat|수사|조사|officials?"
)
_QUESTION = re.compile(
    r"사기\s*(?:인가|일까|예요|야|죠|맞|아니)|진짜\s*(?:인가|일까|예요|야|맞)|믿어도|괜찮\s*(?:을까|은가|나요)"
    r"|가도\s*(?:될까|되나|돼)|어떻게\s*(?:해야|하나|생각)|is (?:this|it|that) (?:a )?(?:scam|legit"
    r"|real|safe|fake|ok)|should i|what do you think|can you check|could you check"
    r"|\?\s*$"
)


def _ad_signals(text: str) -> set[str]:
    """Which kinds of job-ad content a normalised text has."""
    checks = {
        "recruit": _RECRUIT,
        "contact": _CONTACT,
        "pay": _PAY_WORDS,
        "perks": _PERKS,
        "no_experience": NO_EXPERIENCE,
        "abroad": _ABROAD,
        "job": SIMPLE_JOB,
        "urgency": _URGENCY,
        "guaranteed": _GUARANTEED,
        "terms": _TERMS,
    }
    found = {name for name, pattern in checks.items() if pattern.search(text)}
    if "pay" not in found and amounts_in(text, strict=True):
        found.add("pay")
    return found


def looks_like_job_ad(text: str) -> bool:
    """Tell whether a message is a pasted or forwarded job advertisement.

    Conservative, because a wrong "yes" takes the message away from the dialogue engine: the
    text must be at least ``MIN_AD_CHARS`` long, recruit or give a contact, and show at least
    ``MIN_AD_SIGNALS`` kinds of ad content (pay, perks, no experience, abroad, job type ...).
    Distress ("they took my passport") and news reports never count; a question about an offer
    counts only when it quotes a clearly formatted ad (a handle, several lines or many signals).
    """
    if len(text.strip()) < MIN_AD_CHARS:
        return False
    clean = norm(text)
    # Most messages neither recruit nor give a contact: settle those before the other checks.
    if not (_RECRUIT.search(clean) or _CONTACT.search(clean)) or _DISTRESS.search(clean):
        return False
    signals = _ad_signals(clean)
    if not signals & {"recruit", "contact"} or len(signals) < MIN_AD_SIGNALS:
        return False
    handle = _HANDLE.search(clean) is not None
    if len(_NEWS.findall(clean)) >= NEWS_MARKERS_VETO and not handle:
        return False
    if _QUESTION.search(clean):
        lines = [line for line in clean.splitlines() if line.strip()]
        structured = handle or len(lines) >= MIN_AD_LINES or len(signals) >= STRONG_AD_SIGNALS
        return structured
    return True


def _ad_pay_too_high(text: str, simple_or_easy: bool) -> bool:
    """Tell whether the ad promises pay far above what its work justifies."""
    amounts = amounts_in(text, strict=True)
    top = max(amounts) if amounts else 0
    if top >= ANY_JOB_PAY_KRW or (simple_or_easy and top >= UNSKILLED_PAY_KRW):
        return True
    return bool(HIGH_PAY_WORDS.search(text))


def tidy_flags(ids: set[str]) -> set[str]:
    """Count each signal once: a named ban or leave advisory says more than "a compound
    region", and a compound-region job says more than "simple work abroad"."""
    tidy = set(ids)
    if tidy & {"travel_ban", "leave_advisory"}:
        tidy.discard("compound_region")
    if "compound_job" in tidy:
        tidy.discard("simple_job_abroad")
    return tidy


def text_flags(clean: str) -> set[str]:
    """Flags any message about an offer can name in words: the route through a third country
    by car, an ID asked for before a contract, documents in a language the person can't read."""
    found: set[str] = set()
    if THIRD_COUNTRY_ROUTE.search(clean):
        found.add("third_country_route")
    if ID_BEFORE_CONTRACT.search(clean):
        found.add("id_before_contract")
    if UNREADABLE_DOCUMENTS.search(clean):
        found.add("unreadable_documents")
    return found


class PlaceFinder(AdvisoryLevels, Protocol):
    """What ``scan_ad`` needs from ``bot.core.facts.Facts``: places named and their levels."""

    def find_place(self, text: str, /) -> tuple[str | None, str | None]:
        """Return the (country code, canonical place) a text names."""


def scan_ad(text: str, facts: PlaceFinder | None = None) -> list[Flag]:
    """List the red flags in an ad, severe first, each once.

    With ``facts``, the place the ad names is scored as the guided check scores it: a travel
    ban or a leave advisory there is named, and so is a compound-region job.
    """
    clean = norm(text)
    abroad = bool(_ABROAD.search(clean))
    simple = bool(SIMPLE_JOB.search(clean))
    no_experience = bool(NO_EXPERIENCE.search(clean))
    found: set[str] = set()
    if _PASSPORT_HANDOVER.search(clean) or _BANK.search(clean) or _DEPOSIT.search(clean):
        found.add("passport_deposit_bank")
    if _TOURIST_VISA.search(clean):
        found.add("tourist_visa_work")
    if _FAKE_OFFICIAL.search(clean) and _CAMBODIA.search(clean):
        found.add("fake_official")
    if _COMPOUND.search(clean):
        found.add("compound_region")
    if _ad_pay_too_high(clean, simple or no_experience):
        found.add("high_pay")
    if simple and abroad:
        found.add("simple_job_abroad")
    if _TELEGRAM.search(clean):
        found.add("telegram_or_dm")
    # Free housing or "no experience" is ordinary in a job at home; it is a lure abroad.
    lure_context = abroad or "high_pay" in found
    if lure_context and FREE_TRAVEL.search(clean):
        found.add("free_travel")
    if lure_context and no_experience:
        found.add("no_experience")
    if _GUARANTEED.search(clean):
        found.add("guaranteed_income")
    if abroad and _URGENCY.search(clean):
        found.add("urgency")
    if _NO_CONTRACT.search(clean):
        found.add("no_contract")
    if _UNVERIFIABLE.search(clean):
        found.add("unverifiable")
    found |= text_flags(clean)
    job = COMPOUND_JOB.search(clean)
    if facts is not None:
        country, city = facts.find_place(text)
        offer = JobOffer(country=country, city=city, job_type=job.group(0) if job else None)
        found |= place_flags(offer, facts)
    elif job and _COMPOUND.search(clean):
        found.add("compound_job")
    return list(ordered(tidy_flags(found)))
