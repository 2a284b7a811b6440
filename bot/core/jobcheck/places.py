"""Where a job is: the advisory level of its place, the scam-compound countries, and the jobs
they recruit for. Both the guided check and the ad scanner flag places with these."""

from __future__ import annotations

import re

from bot.core.jobcheck.catalogue import norm
from bot.core.jobcheck.model import COMPOUND_COUNTRIES, AdvisoryLevels, JobOffer

__all__ = ["COMPOUND_JOB", "place_flags"]

# The jobs the compound regions recruit for; named alone they are a flag there.
COMPOUND_JOB = re.compile(
    r"고객\s*(?:상담|서비스|응대|관리|센터)|상담\s*(?:원|직|사|업무|알바)|(?<![a-z])cs(?![a-z])|c/s"
    r"|콜\s*센터|call\s?cent|채팅|chat|마케팅|marketing|데이터\s*(?:입력|작업)|data entry|타자|타이핑"
    r"|typing|typist|코인|crypto|가상\s*(?:화폐|자산)|암호\s*화폐|투자|invest|trading|트레이딩|번역|통역"
    r"|translat|interpret|it\s?(?:support|지원|서포트)|전산\s*지원|customer\s?(?:service|support|care)"
)
COUNTRY_CODES = {
    "cambodia": "KH",
    "캄보디아": "KH",
    "myanmar": "MM",
    "burma": "MM",
    "미얀마": "MM",
    "laos": "LA",
    "라오스": "LA",
}


def country_code(country: str | None) -> str | None:
    """Return an ISO code for a code or a country name the facts module may pass."""
    if not country:
        return None
    value = country.strip()
    return value.upper() if len(value) == 2 else COUNTRY_CODES.get(value.lower(), value)


def place_flags(offer: JobOffer, facts: AdvisoryLevels) -> set[str]:
    """Flags for where the job is: the advisory level, the scam-compound countries, and the
    jobs they recruit for (customer service, chat, data entry, crypto …) named there."""
    code = country_code(offer.country)
    if code is None:
        return set()
    level = facts.advisory_level(code, offer.city or None)
    found: set[str] = set()
    if level is not None and level >= 4:
        found.add("travel_ban")
    elif level is not None and level >= 3:
        found.add("leave_advisory")
    elif code in COMPOUND_COUNTRIES:
        found.add("compound_region")
    risky_place = code in COMPOUND_COUNTRIES or (level is not None and level >= 3)
    if risky_place and offer.job_type and COMPOUND_JOB.search(norm(offer.job_type)):
        found.add("compound_job")
    return found
