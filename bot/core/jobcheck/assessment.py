"""Rating an offer from its answers and the advisory map, and wording the result."""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.core.jobcheck.ads import text_flags
from bot.core.jobcheck.catalogue import job_texts, norm, ordered
from bot.core.jobcheck.choices import parse_choice
from bot.core.jobcheck.model import (
    ANY_JOB_PAY_KRW,
    CHOICES,
    HIGH,
    HIGH_RISK_FLAG_COUNT,
    LOW,
    MEDIUM,
    NO_GUARANTEE_CHANNELS,
    SEVERE,
    SEVERE_PAIRS,
    SEVERITY,
    SUMMARY_FLAGS,
    UNPROVEN_CHANNEL,
    UNSKILLED_PAY_KRW,
    AdvisoryLevels,
    Assessment,
    Flag,
    JobOffer,
)
from bot.core.jobcheck.places import place_flags

__all__ = [
    "assess",
    "flag_lines",
    "place_flags",
    "rate_flags",
    "render_assessment",
    "render_summary",
    "title_lines",
]

# ------------------------------------------------------------------------------- assess

_UNSKILLED = re.compile(
    r"고객|상담|(?<![a-z])cs(?![a-z])|c/s|콜\s?센터|call\s?cent|텔레\s?마케팅|telemarket|타자|타이핑"
    r"|typing|typist|데이터\s?입력|data entry|채팅|chat|게임|game|마케팅|marketing|영업|sales"
    r"|번역|통역|translat|interpret|it support|it 지원|operator|오퍼레이터|customer|카지노|casino"
    r"|단순|simple|알바|part[\s-]?time|promot|홍보|office|사무"
)


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
    unskilled = bool(offer.job_type and _UNSKILLED.search(norm(offer.job_type)))
    return pay >= ANY_JOB_PAY_KRW or (unskilled and pay >= UNSKILLED_PAY_KRW)


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
    if offer.job_type:  # a free-text answer may say more: the route, an ID asked for first
        found |= text_flags(norm(offer.job_type))
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
    if _canonical("channel", offer.channel) in NO_GUARANTEE_CHANNELS:
        missing.append(UNPROVEN_CHANNEL)  # "a friend" or "a job site" never counts as safe
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
    ids = place_flags(offer, facts) | _answer_flags(offer)
    flags = ordered(ids)
    unanswered = _unanswered(offer)
    severe = any(f.severity == SEVERE for f in flags) or any(pair <= ids for pair in SEVERE_PAIRS)
    if severe or len(flags) >= HIGH_RISK_FLAG_COUNT:
        risk = HIGH
    elif flags or unanswered:
        risk = MEDIUM
    else:
        risk = LOW
    return Assessment(risk=risk, flags=flags, unanswered=unanswered)


def title_lines(flags: Iterable[Flag], lang: str, limit: int = SUMMARY_FLAGS) -> list[str]:
    """A few words per flag for the first ``limit`` flags, then how many more wait under
    Details."""
    listed = list(flags)
    lines = [f"⚠️ {flag.title(lang)}" for flag in listed[:limit]]
    if len(listed) > limit:
        more = job_texts().message("more_flags", lang).format(n=len(listed) - limit)
        lines.append(more)
    return lines


def flag_lines(flags: Iterable[Flag], lang: str) -> list[str]:
    """One warning line per red flag, in the reply language."""
    return [f"⚠️ {flag.text(lang)}" for flag in flags]


def _verdict(assessment: Assessment, lang: str, full: bool) -> str:
    """The risk line, the flags (explained in ``full``, else by name with the rest counted), a
    word on what is missing, and what to do next."""
    texts = job_texts()
    lines = [texts.message(f"risk_{assessment.risk}", lang)]
    lines += flag_lines(assessment.flags, lang) if full else title_lines(assessment.flags, lang)
    if not assessment.flags:
        lines.append(texts.message("no_flags", lang))
    if UNPROVEN_CHANNEL in assessment.unanswered and assessment.risk != HIGH:
        lines.append(texts.message("channel_no_guarantee", lang))
    elif assessment.unanswered and assessment.risk != HIGH:
        lines.append(texts.message("incomplete", lang))
    lines += ["", texts.message(f"next_{assessment.risk}", lang)]
    return "\n".join(lines)


def render_assessment(assessment: Assessment, lang: str) -> str:
    """Word the verdict in full: each flag with why it matters (the "details").

    Numbers and contacts are left to the caller, which appends them from the facts module.
    """
    return _verdict(assessment, lang, full=True)


def render_summary(assessment: Assessment, lang: str) -> str:
    """The short verdict: the risk, a few words per flag, and what to do now.

    The explanations, advisory, ways to verify and contacts go behind a "details" button.
    """
    return _verdict(assessment, lang, full=False)


def rate_flags(flags: Iterable[Flag]) -> str:
    """The risk a set of flags alone means (a pasted ad has no skipped questions)."""
    ids = {f.id for f in flags}
    if any(SEVERITY[i] == SEVERE for i in ids) or any(pair <= ids for pair in SEVERE_PAIRS):
        return HIGH
    if len(ids) >= HIGH_RISK_FLAG_COUNT:
        return HIGH
    return MEDIUM if ids else LOW
