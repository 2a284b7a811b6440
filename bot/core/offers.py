"""A question about a job offer, answered first: the practice it asks about, the red flags it
already names, and what it already says for the guided check.

"My recruiter wants to keep my passport for the visa, is that fine?" names its red flag; so
does "인스타 DM으로 베트남 고객상담 월 600에 숙소 제공 제안이 왔어요" (a social-media offer,
simple work abroad, high pay, free housing), which also gives the country, the job, the pay
and the channel. Such a message gets the flags, why they matter and their sources at once,
then an offer of the guided check that skips what the message already answered.

The patterns here read questions; the flag patterns of pasted ads (``scan_ad``) are reused.
Imports only the standard library, PyYAML and bot.core, and runs on Python 3.10: the action
server words the check's introduction with ``describe_prefill``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from bot.core.facts import source_labels
from bot.core.jobcheck import (
    ANY_JOB_PAY_KRW,
    FREE_TRAVEL,
    HIGH_PAY_WORDS,
    ID_BEFORE_CONTRACT,
    NO_EXPERIENCE,
    SIMPLE_JOB,
    THIRD_COUNTRY_ROUTE,
    UNREADABLE_DOCUMENTS,
    UNSKILLED_PAY_KRW,
    Flag,
    JobOffer,
    PlaceFinder,
    Practice,
    assess,
    job_texts,
    norm,
    ordered,
    parse_pay,
    rate_flags,
    scan_ad,
    tidy_flags,
    title_lines,
)
from bot.core.texts import t

__all__ = [
    "AD_DETAILS_PAYLOAD",
    "CHECK_SLOTS",
    "DETAILS_PAYLOAD",
    "PREFILL_SLOT",
    "OfferQuestion",
    "answers_from",
    "asks",
    "describe_prefill",
    "details_payload",
    "flags_from",
    "flags_payload",
    "offer_from",
    "practices_in",
    "prefill_from",
    "rate_text",
    "read_question",
    "render_answer",
    "render_flags",
]

# The form's slots in the order it asks them (domain.yml, forms.job_check_form).
CHECK_SLOTS = (
    "jc_destination",
    "jc_job_type",
    "jc_pay",
    "jc_channel",
    "jc_flight",
    "jc_visa",
    "jc_documents",
    "jc_contract",
    "jc_verifiable",
)
PREFILL_SLOT = "jc_prefilled"
SKIPPED = "skipped"
DETAILS_PAYLOAD = "/job_check_details "
"""Payload of the job-check result's "details" button (the answers as JSON follow)."""
AD_DETAILS_PAYLOAD = "/job_ad_details "
"""Payload of a scanned ad's "details" button (the flag ids, comma-separated, follow)."""
# A message whose only flag is "a compound region" ("a job in Cambodia, is it real?") leads to
# the check; a ban, a leave advisory or a compound-region job is said at once.
PLACE_FLAGS = frozenset({"compound_region"})
# Whom to report to when something was already sent (facts.yml contact ids, confirmed only).
REPORT_CONTACTS = ("kr-police-112", "kr-cyber-report")
AFTER_THE_FACT = "already_sent"
FULL_FLAGS = 1
"""Up to this many flags a direct answer explains in full; past it, only those asked about
(or the gravest), the others by name with their explanations under Details."""
MAX_JOB_TEXT = 60

_NOT_A_COPY = r"(?!\s*(?:copy|copies|scan|photo|picture|사본|복사|사진|스캔))"
PRACTICE_PATTERNS: dict[str, re.Pattern[str]] = {
    "passport_held": re.compile(
        r"(?:keep|hold|take|have|hand over|handing over|give|send|submit|collect|surrender"
        r"|leave|store|deposit)\w*\s+(?:\w+\s+){0,3}?passports?"
        + _NOT_A_COPY
        + r"|passports?"
        + _NOT_A_COPY
        + r"\s+(?:\w+\s+){0,4}?(?:kept|held|taken|collected"
        r"|handed|surrendered|deposited)"
        r"|여권"
        + _NOT_A_COPY
        + r"[^.\n?]{0,15}?(?:맡기|맡겨|맡아|맡긴|보관|회수|수거|제출|가지고\s*있"
        r"|갖고\s*있|가져|달라|주라|넘기|넘겨|걷|보내|부치)"
    ),
    "tourist_visa": re.compile(
        r"무비자|관광\s*비자|여행\s*비자|방문\s*비자|비자\s*(?:없이|필요\s*없|불필요)|도착\s*비자"
        r"|visa[\s-]?free|no visa|without (?:a )?visa|tourist visa|travel visa|visit(?:or)? visa"
        r"|visa on arrival|on a tourist"
    ),
    "messenger_interview": re.compile(
        r"(?:interview|talk|chat|contact|hire|hiring|recruit\w*|communicat\w*|everything|only)"
        r"\s+(?:\w+\s+){0,4}?(?:on|via|through|by|over|in)\s+(?:telegram|whatsapp|signal"
        r"|wechat|line|kakao\w*|instagram|facebook|messenger|dm|tiktok)"
        r"|(?:telegram|whatsapp|signal|wechat|kakao\w*|messenger)\s+(?:\w+\s+){0,2}?"
        r"(?:interview|only)"
        r"|(?:텔레그램|텔레|왓츠앱|위챗|카톡|카카오톡|라인|인스타|페북|디엠|dm|메신저|시그널)\s*"
        r"(?:으로|로|에서)?\s*(?:만\s*)?(?:면접|인터뷰|연락|대화|채용|소통|이야기|얘기)"
        r"|(?:면접|인터뷰)[^.\n]{0,10}(?:텔레그램|텔레|카톡|왓츠앱|위챗|메신저|dm|디엠)"
    ),
    "own_ticket": re.compile(
        r"(?:pay|buy|book|cover)\w*\s+(?:for\s+)?(?:my|our|your|the)\s+own\s+"
        r"(?:flights?|tickets?|airfare|plane|air\s?tickets?)"
        r"|(?:my|our)\s+own\s+(?:flights?|tickets?|airfare)"
        r"|(?:i|we)\s+(?:have|need|must|got)\s+to\s+(?:pay|buy|book)\s+(?:for\s+)?"
        r"(?:the|my|our|a)\s+(?:flights?|tickets?|airfare|plane)"
        r"|(?:항공권|비행기\s*(?:표|티켓|값)|티켓|항공료|항공\s*티켓)[^.\n?]{0,12}?(?:제가|내가|저보고"
        r"|나보고|본인이|자비|사비|직접|제\s*돈|내\s*돈)[^.\n?]{0,8}?(?:사|내|부담|구매|결제|끊)"
        r"|(?:제가|내가|저보고|나보고|본인이|자비로|사비로|제\s*돈으로|내\s*돈으로)[^.\n?]{0,8}?"
        r"(?:항공권|비행기\s*(?:표|티켓|값)|티켓|항공료)"
        r"|(?:항공권|비행기\s*(?:표|티켓|값)|티켓|항공료)[^.\n?]{0,12}?(?:본인|자비|사비|개인)\s*부담"
    ),
    "route_by_car": THIRD_COUNTRY_ROUTE,
    "id_before_contract": re.compile(
        ID_BEFORE_CONTRACT.pattern
        + r"|(?:여권\s*(?:사진|사본)|신분증|주민\s*등록\s*증|passport\s?(?:photo|picture|copy|scan)"
        r"|\bid\s?(?:card|photo)\b)[^.\n?]{0,20}?(?:보내|달라|달래|요구|제출|send|want|ask|need)"
        r"|(?:send|want|ask|need)\w*\s+(?:\w+\s+){0,3}?(?:passport\s?(?:photo|picture|copy|scan)"
        r"|id\s?(?:card|photo)|a photo of (?:my|your) (?:id|passport))"
    ),
    "unreadable_documents": UNREADABLE_DOCUMENTS,
    "already_sent": re.compile(
        r"(?:이미|벌써|already)[^.\n?]{0,30}?(?:여권|신분증|주민\s*등록\s*증|통장|계좌|카드|passport|\bid\b"
        r"|bank|account|card|보냈|줬|넘겼|만들|빌려|sent|gave|given|opened|lent|handed)"
        r"|(?:여권|신분증|주민\s*등록\s*증|통장|계좌|카드|사진)[^.\n?]{0,20}?(?:보냈|보내\s*버렸|보내\s*줬"
        r"|넘겼|넘겨\s*줬|줬어|줬는데|빌려\s*줬|만들어\s*줬|개설해\s*줬)"
        r"|\bi(?:'ve| have)?\s+(?:already\s+)?(?:sent|gave|given|opened|lent|handed|shared)\s+"
        r"(?:\w+\s+){0,4}?(?:passport|\bid\b|id card|bank|account|card|photo|selfie)"
    ),
    "friend_or_site": re.compile(
        r"(?:친구|지인|선배|후배|아는\s*(?:사람|형|언니|오빠|누나|동생|분))[^.\n?]{0,15}?(?:소개|추천|연결)"
        r"|(?:구인|취업|채용|알바)\s*사이트|잡코리아|사람인|알바몬|알바천국|워크넷"
        r"|friend\s+(?:\w+\s+){0,2}?(?:introduced|recommended|referred|got me|set me up)"
        r"|(?:introduced|referred|recommended)\s+by\s+(?:a\s+|my\s+)?(?:friend|relative|cousin)"
        r"|job\s?(?:site|board|portal|website)|(?:on|from)\s+(?:a|the)\s+(?:job\s+)?(?:site|website)"
    ),
    "crypto": re.compile(
        r"(?:\b(?:crypto\w*|usdt|tether|bitcoin|btc|binance|coin wallet)\b|코인|테더|비트코인"
        r"|가상\s*(?:화폐|자산)|암호\s*화폐|바이낸스)"
        r"(?=.*(?:pay|send|deposit|transfer|want|ask|open|buy|fee|보내|입금|결제|송금|달라|요구"
        r"|만들|개설|사\s*오|내라|수수료))"
        r"|(?:pay|send|deposit|transfer|want|ask|open|buy|fee|보내|입금|결제|송금|달라|요구|만들"
        r"|개설|내라|수수료).*(?:\b(?:crypto\w*|usdt|tether|bitcoin|btc|binance)\b|코인|테더"
        r"|비트코인|가상\s*(?:화폐|자산)|암호\s*화폐|바이낸스)"
    ),
}
_CHANNELS = (
    ("telegram", re.compile(r"텔레(?:그램)?|telegram|\btg\b|t\.me")),
    (
        "sns_dm",
        re.compile(
            r"인스타|insta\w*|페북|페이스북|facebook|\bfb\b|\bdm\b|디엠|틱톡|tiktok|카톡|카카오|kakao"
            r"|왓츠앱|whatsapp|위챗|wechat|라인\s*(?:으로|메시지|아이디)"
            r"|(?:on|via|through|over|in)\s+line\b|\bline\s+(?:app|id|message|chat|account)"
        ),
    ),
    (
        "agency",
        re.compile(r"에이전시|agency|알선\s*업체|인력\s*(?:회사|업체|사무소)|recruitment agency"),
    ),
    (
        "job_site",
        re.compile(r"잡코리아|사람인|워크넷|알바몬|알바천국|indeed|linkedin|링크드인|job\s?site"),
    ),
)
_VISAS = (
    (
        "visa_free",
        re.compile(
            r"무비자|비자\s*(?:없이|필요\s*없|불필요)|visa[\s-]?free|no visa|without (?:a )?visa"
        ),
    ),
    (
        "tourist",
        re.compile(
            r"관광\s*비자|여행\s*비자|방문\s*비자|도착\s*비자|tourist visa|travel visa|visit(?:or)? visa|visa on arrival|on a tourist"
        ),
    ),
    ("work", re.compile(r"취업\s*비자|워크\s*퍼밋|work(?:ing)?\s?(?:visa|permit)|employment visa")),
)
_PAY_CONTEXT = re.compile(
    r"월급|급여|연봉|월\s?\d|\d\s?만|만\s?원|\d\s?원|달러|\$|usd|usdt|salary|pay|a month|per month"
    r"|monthly|income|수입|벌"
)
_FREE_FLIGHT = re.compile(r"항공|비행기|flight|air\s?ticket|airfare|ticket")
_EMPLOYER_FLIGHT = re.compile(
    r"(?:항공권|항공료|비행기\s*(?:표|티켓|값)?|티켓)\s*(?:은|는|도|을|를)?\s*(?:회사|고용주|업체|그쪽|사장)"
    r"\s*(?:가|에서|이)?\s*(?:부담|지원|제공|내|대|사|끊)"
    r"|(?:회사|고용주|업체|그쪽|사장)\s*(?:가|에서|이)?\s*(?:항공권|항공료|비행기\s*(?:표|값)?|티켓)"
    r"\s*(?:을|를|도)?\s*(?:부담|지원|제공|내|대|사|끊)"
    r"|(?:company|employer|they|agency|boss)\s+(?:\w+\s+){0,2}?(?:pays?|paid|covers?|buys?|books?)"
    r"\s+(?:for\s+)?(?:the\s+|my\s+|our\s+)?(?:flights?|tickets?|airfare|plane)"
    r"|(?:flights?|tickets?|airfare)\s+(?:is\s+|are\s+)?(?:paid|covered|booked)\s+by"
)
_QUESTION = re.compile(
    r"\?|괜찮|정상|맞아요|맞나요|될까|되나요|돼요|해도|인가요|일까요|사기|진짜|믿어도|어때|어떤가요|위험"
    r"|\b(?:is (?:it|this|that)|should i|can i|ok|okay|fine|normal|legit|safe|real|scam)\b"
)


@dataclass(frozen=True)
class OfferQuestion:
    """What a message about an offer already tells: practices, red flags and check answers."""

    practices: tuple[Practice, ...] = ()
    flags: tuple[Flag, ...] = ()
    prefill: dict[str, str] = field(default_factory=dict)

    @property
    def answerable(self) -> bool:
        """There is something to say before any questionnaire."""
        return bool(self.practices or self.flags)

    @property
    def only_place(self) -> bool:
        """The only flags come from where the job is, and no practice is asked about."""
        return not self.practices and all(f.id in PLACE_FLAGS for f in self.flags)

    def split_flags(self) -> tuple[tuple[Flag, ...], tuple[Flag, ...]]:
        """The flags explained in full in the direct answer (those of the practices asked
        about, or all when there are few), and those only named (explained under Details)."""
        if len(self.flags) <= FULL_FLAGS:
            return self.flags, ()
        asked = {name for practice in self.practices for name in practice.flags}
        full = tuple(f for f in self.flags if f.id in asked)
        if not full and not any(p.leads for p in self.practices):
            full = self.flags[:1]  # nothing asked about: the gravest sign, in full
        return full, tuple(f for f in self.flags if f not in full)

    @property
    def after_the_fact(self) -> bool:
        """The person already sent something: what to do now matters, not a questionnaire."""
        return any(p.id == AFTER_THE_FACT for p in self.practices)

    @property
    def remaining(self) -> int:
        """How many of the check's questions the message left open."""
        return len([slot for slot in CHECK_SLOTS if slot not in self.prefill])


def asks(text: str) -> bool:
    """Whether a message asks something (a question mark, "is that fine", "괜찮아요")."""
    return _QUESTION.search(norm(text)) is not None


def practices_in(text: str) -> list[str]:
    """The ids of the practices a message speaks of, in catalogue order."""
    clean = norm(text)
    found = [name for name, pattern in PRACTICE_PATTERNS.items() if pattern.search(clean)]
    if _pay_too_high(clean):
        found.append("high_pay")
    order = list(job_texts().practices) or list(PRACTICE_PATTERNS)
    return sorted(set(found), key=lambda name: order.index(name) if name in order else 99)


def _pay(clean: str) -> int | None:
    """Monthly pay in won, when the message speaks of pay ("월 600", "$3,000 a month")."""
    if not _PAY_CONTEXT.search(clean):
        return None
    return parse_pay(clean)


def _pay_too_high(clean: str) -> bool:
    """Pay far above what the work justifies, read as the guided check reads it."""
    pay = _pay(clean)
    simple = bool(SIMPLE_JOB.search(clean) or NO_EXPERIENCE.search(clean))
    if pay is not None and (pay >= ANY_JOB_PAY_KRW or (simple and pay >= UNSKILLED_PAY_KRW)):
        return True
    return simple and bool(HIGH_PAY_WORDS.search(clean))


def prefill_from(text: str, place: tuple[str | None, str | None]) -> dict[str, str]:
    """The check's answers a message already gives, as values the form's validation accepts.

    ``place`` is the (country, city) the facts module found in the message.
    """
    clean = norm(text)
    found: dict[str, str] = {}
    country, city = place
    if country:
        found["jc_destination"] = f"{country}|{city or ''}"
    job = SIMPLE_JOB.search(clean)
    if job:
        found["jc_job_type"] = job.group(0)[:MAX_JOB_TEXT]
    pay = _pay(clean)
    if pay is not None:
        found["jc_pay"] = str(pay)
    channel = next((value for value, pattern in _CHANNELS if pattern.search(clean)), None)
    if channel:
        found["jc_channel"] = channel
    if PRACTICE_PATTERNS["own_ticket"].search(clean):
        found["jc_flight"] = "self"
    elif _EMPLOYER_FLIGHT.search(clean) or (
        FREE_TRAVEL.search(clean) and _FREE_FLIGHT.search(clean)
    ):
        found["jc_flight"] = "employer"
    visa = next((value for value, pattern in _VISAS if pattern.search(clean)), None)
    if visa:
        found["jc_visa"] = visa
    if PRACTICE_PATTERNS["passport_held"].search(clean) or PRACTICE_PATTERNS["crypto"].search(
        clean
    ):
        found["jc_documents"] = "yes"
    return found


def _yes_no(value: str | None) -> bool | None:
    """A form's yes/no slot value as a bool (None when skipped or never asked)."""
    return {"yes": True, "no": False}.get(value or "")


def offer_from(prefill: dict[str, str]) -> JobOffer:
    """The guided check's view of its slot values (from a message or the whole form);
    unanswered and skipped ones stay None."""
    given = {k: v for k, v in prefill.items() if v and v != SKIPPED}
    country, _, city = given.get("jc_destination", "").partition("|")
    pay = given.get("jc_pay", "")
    return JobOffer(
        country=country or None,
        city=city or None,
        job_type=given.get("jc_job_type"),
        monthly_pay_krw=int(pay) if pay.isdigit() else None,
        channel=given.get("jc_channel"),
        flight_paid_by=given.get("jc_flight"),
        visa=given.get("jc_visa"),
        asked_passport_deposit_bank=_yes_no(given.get("jc_documents")),
        written_contract=_yes_no(given.get("jc_contract")),
        verifiable=_yes_no(given.get("jc_verifiable")),
    )


def details_payload(slots: dict[str, str]) -> str:
    """The payload of the result's "details" button: the answers, so the front end can
    explain every flag with the advisory, the ways to verify and the contacts."""
    answers = {k: v for k, v in slots.items() if k in CHECK_SLOTS and v}
    return DETAILS_PAYLOAD + json.dumps(answers, ensure_ascii=False, separators=(",", ":"))


def answers_from(raw: str) -> dict[str, str]:
    """The answers a details payload carries (nothing from a malformed one)."""
    try:
        given = json.loads(raw)
    except ValueError:
        return {}
    if not isinstance(given, dict):
        return {}
    return {k: str(v) for k, v in given.items() if k in CHECK_SLOTS and v is not None}


def read_question(
    text: str, place: tuple[str | None, str | None], facts: PlaceFinder
) -> OfferQuestion:
    """Read a message about an offer: practices asked about, flags named, answers given.

    The flags are those a pasted ad with the same words would raise, those the guided check
    would raise from the answers the message gives (the place's advisory level included), and
    those of the practices asked about; severe first.
    """
    texts = job_texts()
    practices = tuple(texts.practices[p] for p in practices_in(text) if p in texts.practices)
    prefill = prefill_from(text, place)
    ids = {f.id for f in scan_ad(text, facts)}
    ids |= {f.id for f in assess(offer_from(prefill), facts).flags}
    for practice in practices:
        ids |= set(practice.flags)
    return OfferQuestion(practices, ordered(tidy_flags(ids)), prefill)


def _sourced(text: str, source: str, lang: str) -> str:
    """A warning with its source as a person can use it (publisher and date)."""
    labels = source_labels(source.split(";"), lang)
    return f"⚠️ {text}\n({t('facts.source', lang, labels=labels)})"


def rate_text(text: str, facts: PlaceFinder) -> tuple[str, tuple[Flag, ...]]:
    """The rating a pasted or described offer gets from its words alone, and its flags."""
    question = read_question(text, facts.find_place(text), facts)
    return rate_flags(question.flags), question.flags


def render_answer(
    question: OfferQuestion,
    lang: str,
    contacts: Callable[[tuple[str, ...], str], str] | None = None,
) -> str:
    """The direct answer: each practice's lead, then each flag, with its source.

    ``contacts`` (``Facts.contact_lines``) adds whom to report to when something was already
    sent: confirmed numbers only, from the facts file.
    """
    blocks: list[str] = []
    for practice in question.practices:
        if practice.lead(lang):
            blocks.append(_sourced(practice.lead(lang), practice.source, lang))
            if practice.id == AFTER_THE_FACT and contacts is not None:
                blocks.append(contacts(REPORT_CONTACTS, lang))
    full, named = question.split_flags()
    blocks.append(render_flags(full, lang))
    blocks.append("\n".join(title_lines(named, lang)))
    return "\n\n".join(b for b in blocks if b)


def render_flags(flags: Iterable[Flag], lang: str) -> str:
    """Each flag explained, with its source (publisher and date)."""
    return "\n\n".join(_sourced(flag.text(lang), flag.source, lang) for flag in flags)


def flags_payload(flags: Iterable[Flag]) -> str:
    """The payload of a scanned ad's "details" button."""
    return AD_DETAILS_PAYLOAD + ",".join(f.id for f in flags)


def flags_from(raw: str) -> tuple[Flag, ...]:
    """The flags a details payload names (unknown ids are left out)."""
    known = job_texts().flags
    return ordered({name for name in raw.split(",") if name in known})


def _value(slot: str, value: str, lang: str, country_name: Callable[[str, str], str]) -> str:
    """One pre-filled answer as a person would say it."""
    if slot == "jc_destination":
        code, _, city = value.partition("|")
        name = country_name(code, lang)
        return f"{name} ({city})" if city else name
    if slot == "jc_pay" and value.isdigit():
        return t("check.pay_value", lang, amount=f"{int(value):,}")
    if slot in ("jc_channel", "jc_flight", "jc_visa"):
        return t(f"check.{slot[3:]}_{value}", lang)
    if slot == "jc_documents":
        return t("check.yes", lang)
    return value


def describe_prefill(
    prefill: dict[str, str], lang: str, country_name: Callable[[str, str], str]
) -> str:
    """ "country: Vietnam · pay: 6,000,000 won a month · …", in the check's order."""
    items = [
        f"{t(f'check.field_{slot[3:]}', lang)}: {_value(slot, prefill[slot], lang, country_name)}"
        for slot in CHECK_SLOTS
        if slot in prefill
    ]
    return " · ".join(items)
