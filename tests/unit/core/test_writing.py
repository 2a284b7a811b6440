"""The catalogue holds to docs/writing.md: short messages, one term per thing, no phone number
twice, the escalation reply's order, and numbers only from confirmed entries."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

from bot.core.facts import Facts, FactsStore, phone_tokens
from bot.core.jobcheck import (
    SEVERITY,
    JobOffer,
    assess,
    job_texts,
    render_assessment,
    render_summary,
)
from bot.core.texts import TEXTS, t

ROOT = Path(__file__).resolve().parents[3]
FACTS = FactsStore(ROOT / "content" / "facts.yml", ROOT / "content" / "countries.yml").current()
SHARED = ROOT.parent / "shared" / "facts" / "facts.yml"
LANGS = ("ko", "en")
MAX_MESSAGE = 600
LONG_FORM = frozenset({"privacy"})  # a reference page, sent only when asked for

WORST = JobOffer(
    country="MM",
    city="Myawaddy",
    job_type="customer service",
    monthly_pay_krw=12_000_000,
    channel="telegram",
    flight_paid_by="employer",
    visa="tourist",
    asked_passport_deposit_bank=True,
    written_contract=False,
    verifiable=False,
)
OFFERS = [
    WORST,
    JobOffer(country="KH", city="Sihanoukville", job_type="고객 상담", channel="friend"),
    JobOffer(country="KH", city="Phnom Penh", job_type="data entry", channel="job_site"),
    JobOffer(),
]


def person_facing() -> list[tuple[str, str, str]]:
    """(key, language, text) of every catalogue text a person (not staff) reads."""
    return [
        (key, lang, entry[lang])
        for key, entry in TEXTS.items()
        for lang in LANGS
        if not key.startswith("staff.") and lang in entry
    ]


def job_result(offer: JobOffer, facts: Facts, lang: str) -> str:
    """What the guided check sends first (actions/job_check_result.py)."""
    parts = [render_summary(assess(offer, facts), lang)]
    parts.append(facts.advisory_line(offer.country, offer.city, lang))
    parts.append(facts.call_center_line(lang))
    return "\n\n".join(p for p in parts if p)


def job_details(offer: JobOffer, facts: Facts, lang: str) -> str:
    """What the Details button sends (bot/chat/jobquestions.py)."""
    parts = [render_assessment(assess(offer, facts), lang)]
    if offer.country:
        parts.append(facts.render_advisory(offer.country, offer.city, lang))
    parts += [facts.render_how_to_verify(lang), facts.render_contacts(offer.country, lang)]
    return "\n\n".join(p for p in parts if p)


def escalation_replies(lang: str) -> list[str]:
    """The escalation reply as bot/desk/intake.py composes it, with each honest wait."""
    body = t("escalated", lang, case=12)
    waits = [
        t("wait_usual", lang, minutes=20),
        t("wait_unknown", lang),
        t("wait_closed", lang, hours=9, call_center="(ignored)"),
    ]
    replies = []
    for wait in waits:
        for country in (None, "KH", "PH", "TH"):
            for speaker in (None, "tl", "vi", "zh"):
                emergency = FACTS.render_emergency(country, lang, speaker)
                replies.append(f"{body}\n{wait}\n\n{emergency}")
    return replies


def every_reply() -> list[tuple[str, str]]:
    """(what, text) for the replies built from facts, in both languages."""
    replies = []
    for lang in LANGS:
        for code in [*FACTS.country_codes(), None]:
            replies.append((f"contacts {code} {lang}", FACTS.render_contacts(code, lang)))
            if code:
                replies.append((f"advisory {code} {lang}", FACTS.render_advisory(code, None, lang)))
        for place in FACTS.places:
            replies.append(
                (
                    f"advisory {place.name} {lang}",
                    FACTS.render_advisory(place.countries[0], place.name, lang),
                )
            )
        for i, offer in enumerate(OFFERS):
            replies.append((f"job result {i} {lang}", job_result(offer, FACTS, lang)))
            replies.append((f"job details {i} {lang}", job_details(offer, FACTS, lang)))
        replies += [(f"escalation {lang}", text) for text in escalation_replies(lang)]
        replies.append((f"red flags {lang}", FACTS.render_red_flags(lang)))
        replies.append((f"verify {lang}", FACTS.render_how_to_verify(lang)))
    return replies


# ------------------------------------------------------------------------------ short


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("offer", OFFERS)
def test_the_job_check_result_fits_in_about_600_characters(offer: JobOffer, lang: str) -> None:
    text = job_result(offer, FACTS, lang)
    assert len(text) <= MAX_MESSAGE, f"{len(text)} characters:\n{text}"


def test_every_person_facing_text_is_short() -> None:
    for key, lang, text in person_facing():
        if key not in LONG_FORM:
            assert len(text) <= MAX_MESSAGE, f"{key} ({lang}): {len(text)} characters"


def test_flag_titles_are_a_few_words() -> None:
    for flag in job_texts().flags.values():
        for lang in LANGS:
            assert len(flag.title(lang)) <= 60, f"{flag.id} ({lang})"
    assert set(job_texts().flags) == set(SEVERITY)


# ------------------------------------------------------------------------- one purpose


@pytest.mark.parametrize("lang", LANGS)
def test_the_escalation_reply_says_once_what_happens_next_then_the_numbers(lang: str) -> None:
    soon = {"ko": r"곧", "en": r"\bsoon\b(?! as)"}[lang]
    for key in ("escalated", "wait_usual", "wait_unknown", "wait_closed"):
        assert not re.search(soon, TEXTS[key][lang]), key
        assert not phone_tokens(TEXTS[key][lang]), f"{key} states a number itself"
        assert "{call_center}" not in TEXTS[key][lang]
    for reply in escalation_replies(lang):
        head, _, numbers = reply.partition("\n\n")
        assert not phone_tokens(head), "the numbers come after what happens next"
        assert phone_tokens(numbers)
        assert reply.count("+82-2-3210-0404") == 1


# ------------------------------------------------------------------------ no number twice


def test_no_reply_repeats_a_phone_number() -> None:
    for what, text in every_reply():
        repeated = [n for n, c in Counter(phone_tokens(text)).items() if c > 1]
        assert not repeated, f"{what} repeats {repeated}:\n{text}"


def test_no_reply_states_a_number_the_shared_file_does_not_confirm() -> None:
    confirmed = FACTS.phone_numbers()
    shared_text = ""
    if SHARED.exists():
        data = yaml.safe_load(SHARED.read_text(encoding="utf-8"))
        shared_text = " ".join(
            " ".join(str(c.get(k, "")) for k in ("number", "note", "name_en", "name_ko"))
            for c in data["contacts"]
            if c.get("status") == "confirmed"
        )
    for what, text in every_reply():
        for token in phone_tokens(text):
            assert token in confirmed, f"{what}: {token}"
            if shared_text:
                assert token in shared_text, f"{what}: {token} is not in the shared file"


# ------------------------------------------------------------------------- same word


def test_one_term_for_the_code_phrase() -> None:
    for key, lang, text in person_facing():
        if lang == "ko":
            assert "암호 문구" not in text, key
        else:
            assert (
                not re.search(r"secret phrase|code ?word(?! your)", text, re.I)
                or "/codeword" in text
            ), key
    for key in ("help", "privacy", "discreet.codeword_usage"):
        assert "비밀 문구" in TEXTS[key]["ko"], key
        assert "code phrase" in TEXTS[key]["en"], key


def test_korean_has_no_slash_particles() -> None:
    for key, lang, text in person_facing():
        if lang == "ko":
            assert "을(를)" not in text, key
            assert "이(가)" not in text, key


def test_level_three_says_leave() -> None:
    assert TEXTS["facts.level_3"]["en"] == "Level 3 (leave; do not go)"


def test_a_direct_answer_explains_what_was_asked_and_names_the_rest() -> None:
    import yaml as _yaml

    from bot.core.offers import read_question, render_answer

    heldout = ROOT / "tests" / "heldout"
    practices = _yaml.safe_load((heldout / "practices.yml").read_text(encoding="utf-8"))
    offers = _yaml.safe_load((heldout / "offers.yml").read_text(encoding="utf-8"))
    asked = [
        (text, lang)
        for by_lang in practices["practices"].values()
        for lang, texts in by_lang.items()
        for text in texts
    ]
    asked += [(o["text"], lang) for lang, items in offers["offers"].items() for o in items]
    for text, lang in asked:
        question = read_question(text, FACTS.find_place(text), FACTS)
        answer = render_answer(question, lang, FACTS.contact_lines)
        assert len(answer) <= MAX_MESSAGE, f"{len(answer)}: {text}"
