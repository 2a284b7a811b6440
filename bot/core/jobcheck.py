"""Score a job offer for the signs of a scam-compound recruitment, in Korean and English.

Two entry points share one catalogue of red flags:

- the guided check (``parse_pay`` and ``parse_choice`` read the form's answers, ``assess``
  rates a ``JobOffer``, ``render_assessment`` words the result), run by the action server;
- a pasted or forwarded advertisement (``looks_like_job_ad`` decides whether a message is one,
  ``scan_ad`` lists its red flags), run by the front end.

Every flag rests on a red flag or "how to verify" entry of the facts file; the wording and the
source of each flag are data in ``content/job_flags.yml`` so staff can edit them. The patterns
and severities stay here, with the rules that use them. No text here states a phone number or
a figure: the caller appends advisories and contacts from the facts module.

Imports only the standard library, PyYAML and bot.core.errors/bot.core.datafile/bot.core.triage, and runs on
Python 3.10, because the action server imports it too.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from bot.core.datafile import Reloading, read_yaml
from bot.core.errors import JobFlagsError
from bot.core.text import HANGUL, fold

__all__ = [
    "HIGH",
    "LOW",
    "MEDIUM",
    "MINOR",
    "SEVERE",
    "AdvisoryLevels",
    "Assessment",
    "Flag",
    "JobFlagsError",
    "JobOffer",
    "JobTexts",
    "Practice",
    "assess",
    "flag",
    "flag_lines",
    "job_texts",
    "looks_like_job_ad",
    "parse_choice",
    "parse_pay",
    "render_assessment",
    "scan_ad",
]

ROOT = Path(__file__).resolve().parents[2]
FLAGS_FILE = "job_flags.yml"

HIGH = "high"
MEDIUM = "medium"
LOW = "low"
SEVERE = "severe"
MINOR = "minor"

# Flag ids and severities. The order is the order flags are shown in within one severity.
SEVERITY: dict[str, str] = {
    "passport_deposit_bank": SEVERE,
    "tourist_visa_work": SEVERE,
    "travel_ban": SEVERE,
    "leave_advisory": SEVERE,
    "fake_official": SEVERE,
    "compound_region": MINOR,
    "high_pay": MINOR,
    "simple_job_abroad": MINOR,
    "telegram_or_dm": MINOR,
    "free_travel": MINOR,
    "no_experience": MINOR,
    "guaranteed_income": MINOR,
    "urgency": MINOR,
    "no_contract": MINOR,
    "no_work_visa": MINOR,
    "unverifiable": MINOR,
}
# Two minor flags that together make an offer high risk: an employer nobody can check,
# reached only through an anonymous channel.
SEVERE_PAIRS: tuple[frozenset[str], ...] = (frozenset({"unverifiable", "telegram_or_dm"}),)
HIGH_RISK_FLAG_COUNT = 3
MESSAGE_KEYS = (
    "risk_high",
    "risk_medium",
    "risk_low",
    "no_flags",
    "incomplete",
    "next_high",
    "next_medium",
    "next_low",
)

# Scoring constants. The exchange rate is an approximation used only to compare pay with the
# thresholds below; it is never shown to anyone as a fact.
USD_TO_KRW = 1_400
WEEKS_PER_MONTH = 4.33
WORKDAYS_PER_MONTH = 22
HOURS_PER_MONTH = 209  # Korean standard monthly hours for a 40-hour week
MAN = 10_000  # 만: Koreans quote pay in units of ten thousand won ("월 300" = 3,000,000 won)
BARE_WON_FLOOR = 100_000  # a bare number at least this big is read as won
UNSKILLED_PAY_KRW = 5_000_000  # monthly pay that is far too high for simple work
ANY_JOB_PAY_KRW = 10_000_000  # monthly pay that is far too high for almost any job abroad
COMPOUND_COUNTRIES = frozenset({"KH", "MM", "LA"})
CHOICES: dict[str, tuple[str, ...]] = {
    "channel": ("telegram", "sns_dm", "friend", "agency", "job_site", "other"),
    "flight_paid_by": ("employer", "self", "shared"),
    "visa": ("tourist", "visa_free", "work", "business", "unknown"),
}
YES_NO_FIELDS = ("asked_passport_deposit_bank", "written_contract", "verifiable")
MIN_AD_CHARS = 60
MIN_AD_SIGNALS = 4
STRONG_AD_SIGNALS = 6
MIN_AD_LINES = 4
NEWS_MARKERS_VETO = 2


class AdvisoryLevels(Protocol):
    """What ``assess`` needs from ``bot.core.facts.Facts``: the advisory level of a place."""

    def advisory_level(self, country: str, city: str | None, /) -> int | None:
        """Return 4 (travel ban), 3 (leave / special advisory), 2, 1, or None if unknown."""


@dataclass(frozen=True)
class Flag:
    """One red flag found, with its wording and the facts source it rests on."""

    id: str
    severity: str
    text_ko: str
    text_en: str
    source: str

    def text(self, lang: str) -> str:
        """Return the explanation in ``lang`` (English unless Korean)."""
        return self.text_ko if lang == "ko" else self.text_en


@dataclass(frozen=True)
class JobOffer:
    """The answers of the guided check; None means skipped or never asked."""

    country: str | None = None
    city: str | None = None
    job_type: str | None = None
    monthly_pay_krw: int | None = None
    channel: str | None = None
    flight_paid_by: str | None = None
    visa: str | None = None
    asked_passport_deposit_bank: bool | None = None
    written_contract: bool | None = None
    verifiable: bool | None = None


@dataclass(frozen=True)
class Assessment:
    """The verdict on an offer: risk, the flags behind it, and the answers that were missing."""

    risk: str
    flags: tuple[Flag, ...]
    unanswered: tuple[str, ...] = ()

    @property
    def complete(self) -> bool:
        """Tell whether every answer that could raise a flag was given."""
        return not self.unanswered


# The practices a person asks about one at a time ("they want to keep my passport, is that
# fine?"); bot/core/offers.py recognises them, job_flags.yml says what to answer.
PRACTICE_IDS = (
    "passport_held",
    "tourist_visa",
    "messenger_interview",
    "own_ticket",
    "high_pay",
    "crypto",
)


@dataclass(frozen=True)
class Practice:
    """A recruiting practice asked about directly: the flags that answer it, and an optional
    lead sentence (with its own source) where no flag says it plainly."""

    id: str
    flags: tuple[str, ...]
    lead_ko: str = ""
    lead_en: str = ""
    source: str = ""

    def lead(self, lang: str) -> str:
        """The lead sentence in ``lang`` ('' when the flags say it all)."""
        return self.lead_ko if lang == "ko" else self.lead_en


@dataclass(frozen=True)
class JobTexts:
    """The validated contents of ``job_flags.yml``: flags by id and the verdict messages."""

    flags: dict[str, Flag]
    messages: dict[str, dict[str, str]]
    practices: dict[str, Practice] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: Any) -> JobTexts:
        """Build from parsed YAML; raise ``JobFlagsError`` naming any bad entry."""
        if not isinstance(data, dict):
            raise JobFlagsError("top level must be a mapping with 'flags' and 'messages'")
        raw_flags = data.get("flags")
        if not isinstance(raw_flags, list):
            raise JobFlagsError("'flags' must be a list")
        flags: dict[str, Flag] = {}
        for index, raw in enumerate(raw_flags):
            item = _flag_entry(raw, index)
            if item.id in flags:
                raise JobFlagsError(f"flags[{index}]: duplicate id {item.id!r}")
            flags[item.id] = item
        missing = [name for name in SEVERITY if name not in flags]
        if missing:
            raise JobFlagsError(f"flags missing for ids {missing}")
        raw_messages = data.get("messages")
        if not isinstance(raw_messages, dict):
            raise JobFlagsError("'messages' must be a mapping")
        messages = {key: _message_entry(raw_messages.get(key), key) for key in MESSAGE_KEYS}
        raw_practices = data.get("practices") or []
        if not isinstance(raw_practices, list):
            raise JobFlagsError("'practices' must be a list")
        practices: dict[str, Practice] = {}
        for index, raw in enumerate(raw_practices):
            practice = _practice_entry(raw, index)
            practices[practice.id] = practice
        missing_practices = [name for name in PRACTICE_IDS if name not in practices]
        if raw_practices and missing_practices:
            raise JobFlagsError(f"practices missing for ids {missing_practices}")
        return cls(flags, messages, practices)

    def message(self, key: str, lang: str) -> str:
        """Return a verdict message in ``lang`` (English unless Korean)."""
        return self.messages[key]["ko" if lang == "ko" else "en"]


# ------------------------------------------------------------------------------- loading

_DIGIT = re.compile(r"\d")


def _checked_text(value: Any, where: str, lang: str) -> str:
    """Return a non-empty text that is in the right script and states no number."""
    if not isinstance(value, str) or not value.strip():
        raise JobFlagsError(f"{where}: must be a non-empty string")
    if lang == "ko" and not HANGUL.search(value):
        raise JobFlagsError(f"{where}: the Korean text has no Hangul")
    if lang == "en" and HANGUL.search(value):
        raise JobFlagsError(f"{where}: the English text contains Hangul")
    if _DIGIT.search(value):
        raise JobFlagsError(f"{where}: no digits allowed; numbers come from the facts module")
    return value.strip()


def _flag_entry(raw: Any, index: int) -> Flag:
    """Validate one flag entry of the file."""
    where = f"flags[{index}]"
    if not isinstance(raw, dict):
        raise JobFlagsError(f"{where}: must be a mapping")
    unknown = set(raw) - {"id", "text_ko", "text_en", "source"}
    if unknown:
        raise JobFlagsError(f"{where}: unknown keys {sorted(unknown)}")
    name = raw.get("id")
    if not isinstance(name, str) or name not in SEVERITY:
        raise JobFlagsError(f"{where}: unknown id {name!r}; the code knows {sorted(SEVERITY)}")
    where = f"flags[{index}] ({name})"
    source = raw.get("source")
    if not isinstance(source, str) or not source.strip():
        raise JobFlagsError(f"{where}: 'source' must name the facts entry it rests on")
    return Flag(
        id=name,
        severity=SEVERITY[name],
        text_ko=_checked_text(raw.get("text_ko"), f"{where}.text_ko", "ko"),
        text_en=_checked_text(raw.get("text_en"), f"{where}.text_en", "en"),
        source=source.strip(),
    )


def _practice_entry(raw: Any, index: int) -> Practice:
    """Validate one practice of the file: known id, known flags, a sourced lead or none."""
    where = f"practices[{index}]"
    if not isinstance(raw, dict):
        raise JobFlagsError(f"{where}: must be a mapping")
    unknown = set(raw) - {"id", "flags", "lead_ko", "lead_en", "source"}
    if unknown:
        raise JobFlagsError(f"{where}: unknown keys {sorted(unknown)}")
    name = raw.get("id")
    if not isinstance(name, str) or name not in PRACTICE_IDS:
        raise JobFlagsError(f"{where}: unknown id {name!r}; the code knows {list(PRACTICE_IDS)}")
    where = f"practices[{index}] ({name})"
    flags = raw.get("flags") or []
    if not isinstance(flags, list) or any(
        not isinstance(f, str) or f not in SEVERITY for f in flags
    ):
        raise JobFlagsError(f"{where}: 'flags' must list flag ids of this file")
    lead_ko, lead_en, source = raw.get("lead_ko"), raw.get("lead_en"), raw.get("source")
    if lead_ko is None and lead_en is None:
        if not flags:
            raise JobFlagsError(f"{where}: needs flags or a lead sentence")
        return Practice(name, tuple(flags))
    if not isinstance(source, str) or not source.strip():
        raise JobFlagsError(f"{where}: a lead sentence needs the 'source' it rests on")
    return Practice(
        name,
        tuple(flags),
        _checked_text(lead_ko, f"{where}.lead_ko", "ko"),
        _checked_text(lead_en, f"{where}.lead_en", "en"),
        source.strip(),
    )


def _message_entry(raw: Any, key: str) -> dict[str, str]:
    """Validate one verdict message (both languages)."""
    if not isinstance(raw, dict):
        raise JobFlagsError(f"messages.{key}: must be a mapping with 'ko' and 'en'")
    return {
        lang: _checked_text(raw.get(lang), f"messages.{key}.{lang}", lang) for lang in ("ko", "en")
    }


def flags_path() -> Path:
    """Find the flags file: the content directory in use, else the repository's."""
    configured = os.environ.get("HAVEN_CONTENT_DIR")
    if configured and (Path(configured) / FLAGS_FILE).is_file():
        return Path(configured) / FLAGS_FILE
    return ROOT / "content" / FLAGS_FILE


def load_job_texts(path: Path) -> JobTexts:
    """Read and validate the flags file; raise ``JobFlagsError`` naming the bad entry."""
    data = read_yaml(path, JobFlagsError)
    try:
        return JobTexts.from_dict(data)
    except JobFlagsError as exc:
        raise JobFlagsError(f"{path}: {exc}") from None


_FILES: dict[Path, Reloading[JobTexts]] = {}


def job_texts_file(path: Path | None = None) -> Reloading[JobTexts]:
    """The reloading holder of one flags file (one per path, shared by every caller)."""
    target = path or flags_path()
    if target not in _FILES:
        _FILES[target] = Reloading(load_job_texts, target, error=JobFlagsError)
    return _FILES[target]


def job_texts(path: Path | None = None) -> JobTexts:
    """Return the flag texts, re-read when staff edited the file; a bad edit keeps the last good."""
    return job_texts_file(path).current()


def flag(flag_id: str) -> Flag:
    """Return the flag with this id, with its current wording."""
    return job_texts().flags[flag_id]


def _ordered(ids: set[str]) -> tuple[Flag, ...]:
    """Turn flag ids into flags: severe first, then in catalogue order."""
    order = list(SEVERITY)
    ranked = sorted(ids, key=lambda i: (SEVERITY[i] != SEVERE, order.index(i)))
    texts = job_texts()
    return tuple(texts.flags[i] for i in ranked)


# ------------------------------------------------------------------------- normalisation

_SPACES = re.compile(r"[ \t\u00a0]+")


def _norm(text: str) -> str:
    """Folded as the safety net folds (jamo kept, quotes straight, lowercase), one space."""
    return _SPACES.sub(" ", fold(text)).strip()


# --------------------------------------------------------------------------------- pay

_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_KO_DIGITS = "일이삼사오육칠팔구"
_KO_UNITS = "십백천만억"
_KO_DIGIT_VALUE = {ch: i + 1 for i, ch in enumerate(_KO_DIGITS)}
_KO_SMALL = {"십": 10, "백": 100, "천": 1000}
_KO_BIG = {"만": 10_000, "억": 100_000_000}
# A Korean-style number must end in a unit (삼백, 3백만, 천오백만) and may not sit inside a
# word (회사, 천천히, 이십대).
_KO_FOLLOW = (
    r"(?=$|[^가-힣]|원|달러|불|정도|쯤|이상|이하|씩|까지|이요|요|입니다|이에요|예요|에|이라|라고"
    r"|이고|인데|부터|을|를|은|는|이|가|의|으로|로|짜리|받|준|줘|주|벌)"
)
_KO_NUMBER = (
    rf"(?:(?:{_DIGITS})\s?|(?<![가-힣])[{_KO_DIGITS}]?)[{_KO_UNITS}]"
    rf"(?:(?:{_DIGITS}|[{_KO_DIGITS}])?\s?[{_KO_UNITS}])*{_KO_FOLLOW}"
)
_AMOUNT = re.compile(
    rf"""
    (?P<pre>us\s?\$|\$|₩|\busdt\b|\busd\b|\bkrw\b)?\s?
    (?:
        (?P<ko>{_KO_NUMBER})
      | (?<![a-z0-9_+@/\#.:,])(?P<num>{_DIGITS})(?![\d:]|/\d|,\d{{3}})
        (?:\s?(?P<mag>k|m|mil|million|thousand|grand)\b)?
    )
    \s?(?P<post>원|won\b|krw\b|usdt\b|usd\b|us\s?dollars?\b|dollars?\b|bucks\b|달러|불|\$)?
    """,
    re.VERBOSE,
)
_KO_TOKEN = re.compile(rf"{_DIGITS}|[{_KO_DIGITS}{_KO_UNITS}]")
_MAGNITUDE = {"k": 1e3, "thousand": 1e3, "grand": 1e3, "m": 1e6, "mil": 1e6, "million": 1e6}
_USD_WORDS = frozenset({"$", "us$", "us $", "usd", "usdt", "달러", "불", "bucks"})
_PHONE = re.compile(r"\+?\d{2,4}[\s.\-]\d{3,4}[\s.\-]\d{3,4}")
_NOT_MONEY_AFTER = re.compile(
    r"\s?(?:시간|년|개월|달|일|명|대|살|세|%|시|분|주|층|번|호|차|회|월|박|km|kg|cm|h\b|hrs?\b"
    r"|hours?|years?|months?|days?|weeks?|people|persons?|yrs?|am\b|pm\b|th\b|st\b|nd\b|rd\b"
    r"|positions?|staff|slots?|seats?|vacanc)"
)
# Pay in another currency is not converted: better to ask again than to misread 30,000 baht.
_FOREIGN_AFTER = re.compile(
    r"\s?(?:바트|페소|위안|링깃|유로|리엘|짯|킵|엔|€|£|฿|₱|¥|(?:baht|thb|pesos?|php|yuan|rmb|cny"
    r"|vnd|ringgit|myr|yen|jpy|euros?|riels?|khr|kyats?|kip|dong)\b)"
)
_FOREIGN_BEFORE = re.compile(r"(?:€|£|฿|₱|¥|\b(?:thb|php|cny|rmb|vnd|khr|myr|jpy|eur))\s?$")
_RANGE_GAP = re.compile(r"\s?[-~–]\s?")
_PERIOD_AFTER = (
    (
        "year",
        re.compile(r"^\s?(?:per|a|/|each|every)\s?(?:year|yr|annum)\b|^\s?p\.?a\b|^\s?annually"),
    ),
    ("week", re.compile(r"^\s?(?:per|a|/|each|every)\s?(?:week|wk)\b|^\s?weekly|^\s?/\s?주")),
    ("day", re.compile(r"^\s?(?:per|a|/|each|every)\s?day\b|^\s?daily|^\s?/\s?일")),
    ("hour", re.compile(r"^\s?(?:per|an|/|each|every)\s?(?:hour|hr)\b|^\s?hourly|^\s?/\s?시간")),
    ("month", re.compile(r"^\s?(?:per|a|/|each|every)\s?(?:month|mo)\b|^\s?monthly|^\s?/\s?월")),
)
_PERIOD_BEFORE = re.compile(
    r"(?P<year>연봉|연\s?수입|연간|annual|yearly|per year)"
    r"|(?P<week>주급|weekly|per week)"
    r"|(?P<day>일당|일급|daily|per day)"
    r"|(?P<hour>시급|hourly|per hour)"
    r"|(?P<month>월급|월|한\s?달|매달|monthly|per month|a month)"
)
_PER_MONTH = {
    "year": 1 / 12,
    "week": WEEKS_PER_MONTH,
    "day": WORKDAYS_PER_MONTH,
    "hour": HOURS_PER_MONTH,
    "month": 1.0,
}
_PERIOD_WINDOW = 15


def _korean_value(text: str) -> float:
    """Read a Korean-style number: 삼백만 = 3,000,000; 1억 2천만 = 120,000,000."""
    total = section = current = 0.0
    for token in _KO_TOKEN.findall(text):
        if token in _KO_SMALL:
            section += (current or 1) * _KO_SMALL[token]
            current = 0.0
        elif token in _KO_BIG:
            total += ((section + current) or 1) * _KO_BIG[token]
            section = current = 0.0
        elif token in _KO_DIGIT_VALUE:
            current = float(_KO_DIGIT_VALUE[token])
        else:
            current = float(token.replace(",", ""))
    return total + section + current


def _period(text: str, start: int, end: int, floor: int, ceiling: int) -> float | None:
    """Find the pay period near an amount ("per week" after it, "연봉" before it), as a factor."""
    after = text[end : min(ceiling, end + _PERIOD_WINDOW)]
    for name, pattern in _PERIOD_AFTER:
        if pattern.search(after):
            return _PER_MONTH[name]
    before = text[max(floor, start - _PERIOD_WINDOW) : start]
    found = list(_PERIOD_BEFORE.finditer(before))
    if found and found[-1].lastgroup:
        return _PER_MONTH[found[-1].lastgroup]
    return None


def _currency(match: re.Match[str]) -> str | None:
    """Say whether an amount is in dollars ("usd"), won ("krw") or unmarked (None)."""
    marks = [m.replace(" ", "") for m in (match.group("pre"), match.group("post")) if m]
    if any(m in _USD_WORDS or "dollar" in m for m in marks):
        return "usd"
    if marks:
        return "krw"
    return None


def _amounts(text: str, *, strict: bool) -> list[int]:
    """Every amount of pay in a text, as monthly won.

    ``strict`` (for ads) keeps only amounts with a currency or a 만/억/million unit; otherwise
    (for an answer to "how much pay?") a bare number counts too: at least ``BARE_WON_FLOOR`` is
    won, a smaller one is 만원 when the answer is in Korean ("월 300"), else unreadable.
    """
    clean = _PHONE.sub(" ", _norm(text))
    korean = bool(HANGUL.search(clean))
    results: list[int] = []
    matches = [m for m in _AMOUNT.finditer(clean) if m.group("ko") or m.group("num")]
    previous_currency: str | None = None
    previous_period: float | None = None
    for index, match in enumerate(matches):
        currency = _currency(match)
        floor = matches[index - 1].end() if index else 0
        ceiling = matches[index + 1].start() if index + 1 < len(matches) else len(clean)
        period = _period(clean, match.start(), match.end(), floor, ceiling)
        if index and _RANGE_GAP.fullmatch(clean[floor : match.start()]):
            # "$1500-3000", "연봉 4,500만원~6,000만원": the upper bound shares the unit
            currency = currency or previous_currency
            period = period or previous_period
        previous_currency, previous_period = currency, period
        if currency is None and (
            _FOREIGN_AFTER.match(clean, match.end())
            or _FOREIGN_BEFORE.search(clean, 0, match.start())
        ):
            continue
        if match.group("ko"):
            value = _korean_value(match.group("ko"))
            big_unit = any(unit in match.group("ko") for unit in _KO_BIG)
        else:
            value = float(match.group("num").replace(",", ""))
            mag = match.group("mag")
            value *= _MAGNITUDE[mag] if mag else 1
            big_unit = mag in ("m", "mil", "million")
            if currency is None and not mag and _NOT_MONEY_AFTER.match(clean, match.end()):
                continue
        if currency == "usd":
            krw = value * USD_TO_KRW
        elif currency == "krw" or big_unit:
            krw = value
        elif strict:
            continue
        elif value >= BARE_WON_FLOOR:
            krw = value
        elif korean:
            krw = value * MAN
        else:
            continue
        monthly = krw * (period or 1.0)
        if monthly >= 1:
            results.append(round(monthly))
    return results


def parse_pay(text: str) -> int | None:
    """Read promised pay as monthly won ("300만원", "$3,000 a month", "연봉 6000만원").

    Dollars are converted at ``USD_TO_KRW``, weekly pay times ``WEEKS_PER_MONTH``, yearly pay
    divided by twelve. With a range or several amounts the highest counts, because the highest
    promise is what lures. None when no amount can be read, so the form asks again.
    """
    amounts = _amounts(text, strict=False)
    return max(amounts) if amounts else None


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
    clean = _norm(text)
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


# ------------------------------------------------------------------------------- assess

_UNSKILLED = re.compile(
    r"고객|상담|(?<![a-z])cs(?![a-z])|c/s|콜\s?센터|call\s?cent|텔레\s?마케팅|telemarket|타자|타이핑"
    r"|typing|typist|데이터\s?입력|data entry|채팅|chat|게임|game|마케팅|marketing|영업|sales"
    r"|번역|통역|translat|interpret|it support|it 지원|operator|오퍼레이터|customer|카지노|casino"
    r"|단순|simple|알바|part[\s-]?time|promot|홍보|office|사무"
)
_COUNTRY_CODES = {
    "cambodia": "KH",
    "캄보디아": "KH",
    "myanmar": "MM",
    "burma": "MM",
    "미얀마": "MM",
    "laos": "LA",
    "라오스": "LA",
}


def _country_code(country: str | None) -> str | None:
    """Return an ISO code for a code or a country name the facts module may pass."""
    if not country:
        return None
    value = country.strip()
    return value.upper() if len(value) == 2 else _COUNTRY_CODES.get(value.lower(), value)


def _canonical(field: str, value: str | None) -> str | None:
    """Accept a canonical choice as is, and read anything else the way the form would."""
    if value is None or value in CHOICES[field]:
        return value
    parsed = parse_choice(field, value)
    return parsed if isinstance(parsed, str) else None


def _pay_flag(offer: JobOffer) -> bool:
    """Tell whether the pay is far above what the job justifies."""
    pay = offer.monthly_pay_krw
    if pay is None:
        return False
    unskilled = bool(offer.job_type and _UNSKILLED.search(_norm(offer.job_type)))
    return pay >= ANY_JOB_PAY_KRW or (unskilled and pay >= UNSKILLED_PAY_KRW)


def _place_flags(offer: JobOffer, facts: AdvisoryLevels) -> set[str]:
    """Flags for where the job is: the advisory level, and the scam-compound countries."""
    code = _country_code(offer.country)
    if code is None:
        return set()
    level = facts.advisory_level(code, offer.city or None)
    if level is not None and level >= 4:
        return {"travel_ban"}
    if level is not None and level >= 3:
        return {"leave_advisory"}
    return {"compound_region"} if code in COMPOUND_COUNTRIES else set()


def _answer_flags(offer: JobOffer) -> set[str]:
    """Flags raised by the answers about pay, channel, flight, visa and documents."""
    found: set[str] = set()
    channel = _canonical("channel", offer.channel)
    visa = _canonical("visa", offer.visa)
    if _pay_flag(offer):
        found.add("high_pay")
    if channel in ("telegram", "sns_dm"):
        found.add("telegram_or_dm")
    if _canonical("flight_paid_by", offer.flight_paid_by) == "employer":
        found.add("free_travel")
    if visa in ("tourist", "visa_free"):
        found.add("tourist_visa_work")
    elif visa in ("business", "unknown"):
        found.add("no_work_visa")
    if offer.asked_passport_deposit_bank:
        found.add("passport_deposit_bank")
    if offer.written_contract is False:
        found.add("no_contract")
    if offer.verifiable is False:
        found.add("unverifiable")
    return found


def _unanswered(offer: JobOffer) -> tuple[str, ...]:
    """The questions whose missing answer could hide a flag.

    Every question can raise a flag except the job type, which matters only when the pay lies
    between the two thresholds (there it decides whether the pay is too high for the work).
    """
    fields = [
        "country",
        "monthly_pay_krw",
        "channel",
        "flight_paid_by",
        "visa",
        "asked_passport_deposit_bank",
        "written_contract",
        "verifiable",
    ]
    missing = [name for name in fields if getattr(offer, name) is None]
    pay = offer.monthly_pay_krw
    if not offer.job_type and pay is not None and UNSKILLED_PAY_KRW <= pay < ANY_JOB_PAY_KRW:
        missing.insert(1, "job_type")
    return tuple(missing)


def assess(offer: JobOffer, facts: AdvisoryLevels) -> Assessment:
    """Rate an offer: "high", "medium" or "low", with the flags behind the rating.

    - high: any severe flag (passport/deposit/bank asked for, tourist visa or visa-free for
      work, a travel-ban or leave/special-advisory area, KOTRA/HRD names used for Cambodia), or
      an unverifiable employer reached through Telegram or a social-media DM, or at least
      ``HIGH_RISK_FLAG_COUNT`` flags of any kind;
    - medium: one or two minor flags; or no flag while an answer that could raise one was
      skipped ("not enough answers to rule out risk"), since calling a scam safe is the worst
      mistake this check can make;
    - low: no flag and every such question answered.

    ``facts`` is ``bot.core.facts.Facts`` (only its ``advisory_level`` is used). A skipped answer
    (None) raises no flag by itself.
    """
    ids = _place_flags(offer, facts) | _answer_flags(offer)
    flags = _ordered(ids)
    unanswered = _unanswered(offer)
    severe = any(f.severity == SEVERE for f in flags) or any(pair <= ids for pair in SEVERE_PAIRS)
    if severe or len(flags) >= HIGH_RISK_FLAG_COUNT:
        risk = HIGH
    elif flags or unanswered:
        risk = MEDIUM
    else:
        risk = LOW
    return Assessment(risk=risk, flags=flags, unanswered=unanswered)


def flag_lines(flags: Iterable[Flag], lang: str) -> list[str]:
    """One warning line per red flag, in the reply language."""
    return [f"⚠️ {flag.text(lang)}" for flag in flags]


def render_assessment(assessment: Assessment, lang: str) -> str:
    """Word the verdict: the risk line, one line per flag, and what to do next.

    Numbers and contacts are left to the caller, which appends them from the facts module.
    """
    texts = job_texts()
    lines = [texts.message(f"risk_{assessment.risk}", lang)]
    lines += flag_lines(assessment.flags, lang)
    if not assessment.flags:
        lines.append(texts.message("no_flags", lang))
    if assessment.unanswered and assessment.risk != HIGH:
        lines.append(texts.message("incomplete", lang))
    lines += ["", texts.message(f"next_{assessment.risk}", lang)]
    return "\n".join(lines)


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
_SIMPLE_JOB = re.compile(
    r"고객\s*(?:상담|서비스|응대|관리)|상담\s*(?:원|직|사|업무|알바)|(?<![a-z])cs(?![a-z])|c/s"
    r"|콜\s*센터|call\s?cent(?:er|re)|텔레\s*마케팅|telemarketing|타자|타이핑|typing|typist"
    r"|데이터\s*입력|data entry|채팅\s*(?:상담|알바|업무|매니저)|chat\s?(?:support|agent|operator)"
    r"|게임\s*(?:회사|업체|운영|매니저|사)|game\s?(?:company|operator|studio|agent)"
    r"|온라인\s*(?:마케팅|영업|홍보)|online\s?(?:marketing|sales|promotion)|customer\s?(?:service|support|care)"
    r"|번역|통역|translator|translation|interpreter|it support|오퍼레이터|operator|마케팅|marketing"
)
_FREE_TRAVEL = re.compile(
    r"항공\s*(?:권|료|편|티켓)?\s*(?:무료|지원|제공|전액|포함|지급)|비행기\s*(?:표|티켓|값)?\s*(?:무료|지원|제공)"
    r"|왕복\s*항공|숙식\s*(?:제공|무료|지원|포함)|숙소\s*(?:무료|제공|지원)|기숙사\s*(?:무료|제공)"
    r"|free\s?(?:flights?|air\s?tickets?|airfare|tickets?|accommodation|housing|lodging|food"
    r"|meals|room|dorm|board)|room and board|board and lodging"
    r"|(?:flights?|air\s?tickets?|airfare|tickets?|accommodation|housing|lodging|dorm|meals|food)"
    r"(?: and (?:flights?|air\s?tickets?|accommodation|housing|lodging|dorm|meals|food))?"
    r" (?:is |are |will be )?(?:provided|included|covered|paid|free|on us)"
)
_NO_EXPERIENCE = re.compile(
    r"경력\s*(?:무관|없어도|필요\s*없|x)|무경험|초보\s*(?:가능|환영|ok|오케이)|누구나\s*(?:가능|할 수)"
    r"|no (?:prior )?experience|experience (?:is )?not (?:required|needed|necessary)"
    r"|without experience|beginners? (?:welcome|ok)|anyone can (?:do|apply)"
)
_GUARANTEED = re.compile(
    r"수익\s*보장|보장\s*(?:수익|월급|급여|수입)|(?:월급|급여|수입)\s*보장|최소\s*\S+\s*보장"
    r"|guaranteed\s?(?:income|salary|pay|profit|earnings|returns?|money)"
    r"|(?:income|salary|pay|profit|earnings) (?:is )?guaranteed"
)
_HIGH_PAY_WORDS = re.compile(
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
    _FREE_TRAVEL.pattern + r"|숙소|기숙사|식사|숙식|accommodation|housing|dorm|meals"
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
        "no_experience": _NO_EXPERIENCE,
        "abroad": _ABROAD,
        "job": _SIMPLE_JOB,
        "urgency": _URGENCY,
        "guaranteed": _GUARANTEED,
        "terms": _TERMS,
    }
    found = {name for name, pattern in checks.items() if pattern.search(text)}
    if "pay" not in found and _amounts(text, strict=True):
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
    clean = _norm(text)
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
    amounts = _amounts(text, strict=True)
    top = max(amounts) if amounts else 0
    if top >= ANY_JOB_PAY_KRW or (simple_or_easy and top >= UNSKILLED_PAY_KRW):
        return True
    return bool(_HIGH_PAY_WORDS.search(text))


def scan_ad(text: str) -> list[Flag]:
    """List the red flags in an ad, severe first, each once."""
    clean = _norm(text)
    abroad = bool(_ABROAD.search(clean))
    simple = bool(_SIMPLE_JOB.search(clean))
    no_experience = bool(_NO_EXPERIENCE.search(clean))
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
    if lure_context and _FREE_TRAVEL.search(clean):
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
    return list(_ordered(found))
