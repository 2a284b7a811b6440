"""Score a job offer for the signs of a scam-compound recruitment, in Korean and English.

Two entry points share one catalogue of red flags: the guided check (``parse_pay`` and
``parse_choice`` read the form's answers, ``assess`` rates a ``JobOffer``,
``render_assessment`` words the result), run by the action server; and a pasted or forwarded
advertisement (``looks_like_job_ad``, ``scan_ad``), run by the front end. Every flag rests on a
red flag or "how to verify" entry of the facts file; the wording and the source of each flag are
data in ``content/job_flags.yml``. Standard library, PyYAML and bot.core only (Python 3.10):
the action server imports it too.

``model`` holds the shapes, ``catalogue`` the flags file, ``pay`` and ``choices`` read answers,
``assessment`` rates an offer, ``ads`` scans an advertisement."""

from __future__ import annotations

from bot.core.errors import JobFlagsError
from bot.core.jobcheck.ads import (
    FREE_TRAVEL,
    HIGH_PAY_WORDS,
    ID_BEFORE_CONTRACT,
    NO_EXPERIENCE,
    SIMPLE_JOB,
    THIRD_COUNTRY_ROUTE,
    UNREADABLE_DOCUMENTS,
    PlaceFinder,
    looks_like_job_ad,
    scan_ad,
    text_flags,
    tidy_flags,
)
from bot.core.jobcheck.assessment import (
    assess,
    flag_lines,
    rate_flags,
    render_assessment,
    render_summary,
    title_lines,
)
from bot.core.jobcheck.catalogue import (
    JobTexts,
    flag,
    job_texts,
    job_texts_file,
    load_job_texts,
    norm,
    ordered,
)
from bot.core.jobcheck.choices import parse_choice
from bot.core.jobcheck.model import (
    ANY_JOB_PAY_KRW,
    HIGH,
    LOW,
    MEDIUM,
    MINOR,
    SEVERE,
    SEVERITY,
    UNSKILLED_PAY_KRW,
    AdvisoryLevels,
    Assessment,
    Flag,
    JobOffer,
    Practice,
)
from bot.core.jobcheck.pay import parse_pay

__all__ = [
    "ANY_JOB_PAY_KRW",
    "FREE_TRAVEL",
    "HIGH",
    "HIGH_PAY_WORDS",
    "ID_BEFORE_CONTRACT",
    "LOW",
    "MEDIUM",
    "MINOR",
    "NO_EXPERIENCE",
    "SEVERE",
    "SEVERITY",
    "SIMPLE_JOB",
    "THIRD_COUNTRY_ROUTE",
    "UNREADABLE_DOCUMENTS",
    "UNSKILLED_PAY_KRW",
    "AdvisoryLevels",
    "Assessment",
    "Flag",
    "JobFlagsError",
    "JobOffer",
    "JobTexts",
    "PlaceFinder",
    "Practice",
    "assess",
    "flag",
    "flag_lines",
    "job_texts",
    "job_texts_file",
    "load_job_texts",
    "looks_like_job_ad",
    "norm",
    "ordered",
    "parse_choice",
    "parse_pay",
    "rate_flags",
    "render_assessment",
    "render_summary",
    "scan_ad",
    "text_flags",
    "tidy_flags",
    "title_lines",
]
