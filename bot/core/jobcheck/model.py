"""The shapes of the job check: a flag, an offer, an assessment, a practice, the flags file's texts."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

__all__ = [
    "ANY_JOB_PAY_KRW",
    "BARE_WON_FLOOR",
    "CHOICES",
    "COMPOUND_COUNTRIES",
    "FLAGS_FILE",
    "HIGH",
    "HIGH_RISK_FLAG_COUNT",
    "HOURS_PER_MONTH",
    "LOW",
    "MAN",
    "MEDIUM",
    "MESSAGE_KEYS",
    "MINOR",
    "MIN_AD_CHARS",
    "MIN_AD_LINES",
    "MIN_AD_SIGNALS",
    "NEWS_MARKERS_VETO",
    "NO_GUARANTEE_CHANNELS",
    "PRACTICE_IDS",
    "ROOT",
    "SEVERE",
    "SEVERE_PAIRS",
    "SEVERITY",
    "STRONG_AD_SIGNALS",
    "SUMMARY_FLAGS",
    "UNPROVEN_CHANNEL",
    "UNSKILLED_PAY_KRW",
    "USD_TO_KRW",
    "WEEKS_PER_MONTH",
    "WORKDAYS_PER_MONTH",
    "YES_NO_FIELDS",
    "AdvisoryLevels",
    "Assessment",
    "Flag",
    "JobOffer",
    "Practice",
]

ROOT = Path(__file__).resolve().parents[3]
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
    "third_country_route": SEVERE,
    "compound_region": MINOR,
    "compound_job": MINOR,
    "id_before_contract": MINOR,
    "unreadable_documents": MINOR,
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
    "channel_no_guarantee",
    "more_flags",
)
# Flags named in the short result; the rest are counted there and explained under Details.
SUMMARY_FLAGS = 4
# Channels that sound safe but are no guarantee: a friend may have been recruited in turn, and
# fake employers post on job sites too. They never count as the channel question answered safe.
NO_GUARANTEE_CHANNELS = ("friend", "job_site")
UNPROVEN_CHANNEL = "channel_unproven"

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
    texts: dict[str, str] = field(hash=False)
    """The explanation, by language (each language Haven answers in)."""
    source: str
    titles: dict[str, str] = field(default_factory=dict, hash=False)
    """A few words naming the flag, by language."""

    def text(self, lang: str) -> str:
        """Return the explanation in ``lang`` (English when the language has none)."""
        return self.texts.get(lang) or self.texts["en"]

    def title(self, lang: str) -> str:
        """A few words naming the flag, for the short result (the text when none is given)."""
        return self.titles.get(lang) or self.titles.get("en") or self.text(lang)


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
    "route_by_car",
    "id_before_contract",
    "unreadable_documents",
    "already_sent",
    "friend_or_site",
)


@dataclass(frozen=True)
class Practice:
    """A recruiting practice asked about directly: the flags that answer it, and an optional
    lead sentence (with its own source) where no flag says it plainly."""

    id: str
    flags: tuple[str, ...]
    leads: dict[str, str] = field(default_factory=dict, hash=False)
    """The lead sentence by language (none when the flags say it all)."""
    source: str = ""

    def lead(self, lang: str) -> str:
        """The lead sentence in ``lang`` ('' when the flags say it all)."""
        return self.leads.get(lang) or self.leads.get("en", "")
