"""Reading pay as people write it ("월 300", "$2,000/month", "삼백만 원") into won a month."""

from __future__ import annotations

import re

from bot.core.folding import HANGUL
from bot.core.jobcheck.catalogue import norm
from bot.core.jobcheck.model import (
    BARE_WON_FLOOR,
    HOURS_PER_MONTH,
    MAN,
    USD_TO_KRW,
    WEEKS_PER_MONTH,
    WORKDAYS_PER_MONTH,
)

__all__ = ["amounts_in", "parse_pay"]

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


def amounts_in(text: str, *, strict: bool) -> list[int]:
    """Every amount of pay in a text, as monthly won.

    ``strict`` (for ads) keeps only amounts with a currency or a 만/억/million unit; otherwise
    (for an answer to "how much pay?") a bare number counts too: at least ``BARE_WON_FLOOR`` is
    won, a smaller one is 만원 when the answer is in Korean ("월 300"), else unreadable.
    """
    clean = _PHONE.sub(" ", norm(text))
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
    amounts = amounts_in(text, strict=False)
    return max(amounts) if amounts else None
