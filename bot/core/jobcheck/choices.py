"""Reading the guided check's other answers: channel, flight, visa, documents, contract, checks."""

from __future__ import annotations

import re

from bot.core.jobcheck.catalogue import norm
from bot.core.jobcheck.model import CHOICES, YES_NO_FIELDS

__all__ = ["parse_choice"]

# ------------------------------------------------------------------------------ choices

_CHANNEL = (
    ("telegram", re.compile(r"텔레|telegram|\btg\b|t\.me")),
    ("other", re.compile(r"문자|\bsms\b|text message")),
    (
        "sns_dm",
        re.compile(
            r"sns|social|\bdm\b|디엠|인스타|insta|페북|페이스북|facebook|\bfb\b|틱톡|tiktok"
            r"|트위터|twitter|카톡|카카오|kakao|라인|\bline\b|왓츠앱|whatsapp|위챗|wechat|메신저"
            r"|messenger|오픈\s?채팅|open\s?chat|쪽지|메시지|message|\bx\b"
        ),
    ),
    (
        "agency",
        re.compile(
            r"agency|agent|에이전시|에이전트|알선|인력\s?(?:회사|업체|사무소)|파견|업체|헤드헌터"
            r"|headhunter|recruitment (?:firm|company)"
        ),
    ),
    (
        "job_site",
        re.compile(
            r"job\s?(?:site|board|portal)|website|web site|사이트|잡코리아|사람인|워크넷|월드잡"
            r"|worldjob|알바몬|알바천국|indeed|linkedin|링크드인|(?:구인|채용)\s?(?:광고|공고)"
            r"|posting|listing|online|온라인|홈페이지"
        ),
    ),
    (
        "friend",
        re.compile(
            r"friend|친구|지인|아는\s?(?:사람|형|언니|오빠|누나|동생|분)|선배|후배|relative|cousin"
            r"|family|가족|사촌|acquaintance|coworker|colleague|소개"
        ),
    ),
    (
        "other",
        re.compile(
            r"other|기타|전화|phone|\bcall|e-?mail|이메일|메일|신문|newspaper|poster|전단"
            r"|회사|company|employer|directly|직접"
        ),
    ),
)
_FLIGHT_SHARED = re.compile(r"반반|나눠|일부|반\s?만|\bhalf\b|split|share|partly|part of")
_FLIGHT_NOT_SELF = re.compile(
    r"안\s?내|안\s?사|don'?t (?:have to )?(?:pay|buy)|do not (?:have to )?(?:pay|buy)|not me"
    r"|no cost|nothing"
)
_FLIGHT_SELF = re.compile(
    r"제가|내가|저가|자비|본인|제\s?돈|내\s?돈|my own|myself|\bi pay|\bi(?:'ll| will)? (?:pay|buy)"
    r"|\bi bought|\bself\b|on me|out of pocket|i have to pay|i need to pay"
)
_FLIGHT_EMPLOYER = re.compile(
    r"회사|고용주|사장|업체|그쪽|저쪽|상대|에이전시|무료|공짜|지원|제공|내\s?준|내\s?줘|대\s?준"
    r"|사\s?준|끊어\s?준|보내\s?준|employer|company|\bthey\b|\bthem\b|agency|agent|free|covered"
    r"|paid for|provided|reimburs|차감|공제|deduct|advance|선지급|boss|recruiter"
)
_VISA = (
    (
        "tourist",
        re.compile(
            r"관광|tourist|travel visa|여행\s?비자|도착\s?비자|on arrival|\bvoa\b|e-?visa|전자\s?비자"
        ),
    ),
    (
        "visa_free",
        re.compile(
            r"무비자|비자\s?(?:없이|없어도|필요\s?없|안\s?필요|불필요|면제|x)|no visa|visa[\s-]?free"
            r"|without (?:a )?visa|(?:don'?t|do not|doesn'?t|does not|won'?t) need (?:a |any )?visa"
            r"|visa (?:is )?not (?:needed|required)|visa[\s-]?exempt|exemption|no need for (?:a )?visa"
        ),
    ),
    (
        "work",
        re.compile(
            r"취업\s?비자|워크\s?퍼밋|노동\s?허가|취업\s?허가|근로\s?비자|work(?:ing)?\s?(?:visa|permit)"
            r"|employment (?:visa|pass)|\be-?7\b|\be-?9\b|\bwp\b"
        ),
    ),
    ("business", re.compile(r"비즈니스|상용|business")),
    (
        "unknown",
        re.compile(
            r"모르|몰라|안\s?알려|못\s?들|말\s?안|아직|unknown|not sure|don'?t know|do not know"
            r"|no idea|didn'?t (?:say|tell)|not told|unsure|haven'?t"
        ),
    ),
)
_LEAD_YES = re.compile(
    r"^(?:/affirm|affirm|네|넵|넹|예|응|웅|ㅇㅇ+|ㅇ|ㅇㅋ|맞아요|맞아|맞습니다|맞음|그래요|그렇습니다"
    r"|그렇죠|yes|yeah|yep|yup|yea|ya|y|sure|correct|true|definitely)(?=[\s,.!~]|$)"
)
_LEAD_NO = re.compile(
    r"^(?:/deny|deny|아니요|아니오|아니|아뇨|아닙니다|ㄴㄴ+|ㄴ|노노|no|nope|nah|n|never|false|not really"
    r"|negative)(?=[\s,.!~]|$)"
)
_UNSURE = re.compile(
    r"모르|몰라|글쎄|애매|not sure|don'?t know|do not know|no idea|unsure|maybe|아마|idk"
)
_NEGATION = re.compile(
    r"없|않|못\s?(?:했|하|받|봤|찾)|아니|아뇨|\bno\b|\bnot\b|n't|never|none|nothing|nobody|unable"
    r"|아무\s?것도|안\s?(?:했|하|받|줬|주|물어|달라|달래|요구|해|되|돼|썼|써|맡|냈|보냈|알려|왔|봤|찾)"
)
_ASKED_ITEM = re.compile(
    r"여권|passport|보증금|deposit|통장|계좌|bank|account|체크\s?카드|카드|card|수수료|fee|돈|money"
    r"|휴대폰|핸드폰|phone"
)
_ASKED_ACTION = re.compile(
    r"달라|달래|줘야|내야|보내|맡기|맡겨|요구|가져오|제출|asked|ask|want|need|require|request|demand"
    r"|hold|keep|take|give|send|hand"
)
_CONTRACT_NO = re.compile(
    r"구두|말로만|verbal|oral|chat only|only (?:said|told|promised)|카톡으로만"
)
_CONTRACT_YES = re.compile(
    r"있|받았|썼|서명|사인|signed|\bhave\b|\bgot\b|received|written|계약서|contract"
)
_VERIFIED_YES = re.compile(
    r"확인|찾았|있|맞|verified|checked|confirmed|found|real|legit|registered|등록|진짜"
)
_VERIFIED_NO = re.compile(r"fake|가짜|couldn'?t|could not|can'?t|cannot|unable|안\s?나와|no result")


def _yes_no(field: str, text: str) -> bool | None:
    """Read a yes/no answer; when unsure, prefer the reading that keeps the user safe."""
    if _LEAD_YES.match(text):
        return True
    if _LEAD_NO.match(text):
        return False
    if field == "verifiable":
        if _VERIFIED_NO.search(text) or _UNSURE.search(text) or _NEGATION.search(text):
            return False  # "I don't know" means it was not verified
        return True if _VERIFIED_YES.search(text) else None
    if _UNSURE.search(text):
        return None
    if field == "written_contract":
        if _CONTRACT_NO.search(text) or _NEGATION.search(text):
            return False
        return True if _CONTRACT_YES.search(text) else None
    negated = bool(_NEGATION.search(text))
    if negated and _ASKED_ITEM.search(text):
        return None  # "no deposit, but they keep my passport": ask again rather than guess
    if negated:
        return False
    if _ASKED_ITEM.search(text) or _ASKED_ACTION.search(text):
        return True
    return None


def _flight(text: str) -> str | None:
    """Read who pays for the flight."""
    if _FLIGHT_SHARED.search(text):
        return "shared"
    if _FLIGHT_NOT_SELF.search(text):
        return "employer"
    self_pays = bool(_FLIGHT_SELF.search(text))
    employer_pays = bool(_FLIGHT_EMPLOYER.search(text))
    if self_pays and employer_pays:
        return "shared"
    if self_pays:
        return "self"
    return "employer" if employer_pays else None


def _first(table: tuple[tuple[str, re.Pattern[str]], ...], text: str) -> str | None:
    """Return the value of the first pattern that matches."""
    return next((value for value, pattern in table if pattern.search(text)), None)


def parse_choice(field: str, text: str) -> str | bool | None:
    """Read a button payload or a free-text answer as the canonical value of ``field``.

    ``channel``, ``flight_paid_by`` and ``visa`` give one of ``CHOICES[field]``; the yes/no
    fields give a bool. None when the answer cannot be read, so the form asks again.
    """
    clean = norm(text)
    if not clean:
        return None
    if field in YES_NO_FIELDS:
        return _yes_no(field, clean)
    if field not in CHOICES:
        raise ValueError(f"unknown job check field {field!r}")
    if clean in CHOICES[field]:
        return clean
    if field == "channel":
        return _first(_CHANNEL, clean)
    if field == "flight_paid_by":
        return _flight(clean)
    return _first(_VISA, clean)
