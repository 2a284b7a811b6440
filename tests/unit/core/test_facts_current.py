"""Facts that are true today: superseded advisories are never shown, every level has its date
and the pointer to today's level, sources read as publisher and date, and staleness is listed."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml

from bot.core.facts import Facts, FactsStore, load_facts, source_label, source_labels

ROOT = Path(__file__).resolve().parents[3]
FACTS_FILE = ROOT / "content" / "facts.yml"
COUNTRIES_FILE = ROOT / "content" / "countries.yml"
LEVEL_WORDS = {
    "en": re.compile(r"Level [1-4]|Special travel advisory"),
    "ko": re.compile(r"[1-4]단계|특별여행주의보"),
}
DATE = re.compile(r"\d{4}-\d{2}(?:-\d{2})?")
TODAY = {"en": "Check today's level at 0404.go.kr", "ko": "오늘의 단계는 0404.go.kr에서 확인하세요"}


@pytest.fixture(scope="module")
def facts() -> Facts:
    """The facts as shipped."""
    return FactsStore(FACTS_FILE, COUNTRIES_FILE).current()


def advisory_answers(facts: Facts) -> list[tuple[str, str, str]]:
    """Every advisory answer the facts can give: whole countries and every place."""
    answers = []
    for lang in ("en", "ko"):
        for code in facts.country_codes():
            answers.append((f"{code}", lang, facts.render_advisory(code, None, lang)))
        for place in facts.places:
            for code in place.countries:
                text = facts.render_advisory(code, place.name, lang)
                answers.append((f"{code} {place.name}", lang, text))
    return answers


# ------------------------------------------------------------------------ done when


@pytest.mark.parametrize(
    ("question", "lang", "level", "date"),
    [
        ("프놈펜 여행경보 몇 단계예요?", "ko", "2단계 여행자제", "2025-12-04"),
        ("What is the travel advisory for Phnom Penh?", "en", "Level 2", "2025-12-04"),
        ("미야와디 여행경보", "ko", "4단계 여행금지", "2023-11"),
        ("advisory level for Myawaddy", "en", "Level 4 (travel ban)", "2023-11"),
        ("골든트라이앵글 경제특구", "ko", "4단계 여행금지", "2024-02-01"),
        ("Tak province Mae Sot", "en", "Level 2", "checked on 2026-12-06"),
    ],
)
def test_current_levels_with_date_and_where_to_check(
    facts: Facts, question: str, lang: str, level: str, date: str
) -> None:
    country, city = facts.find_place(question)
    text = facts.render_advisory(country or "", city, lang)
    assert level in text
    assert date in text
    assert TODAY[lang] in text


def test_ban_areas_carry_the_penalty(facts: Facts) -> None:
    for code, city in (("MM", "Myawaddy"), ("LA", "Golden Triangle SEZ"), ("MM", "Eastern Shan")):
        assert "1 year in prison" in facts.render_advisory(code, city, "en")
        assert "벌금" in facts.render_advisory(code, city, "ko")


# ------------------------------------------------------------------- superseded map


def test_the_superseded_map_is_never_shown(facts: Facts) -> None:
    superseded = [a for a in facts.advisories if a.status == "superseded"]
    assert superseded, "the October 2025 Cambodia map is kept as superseded"
    old_dates = {a.since for a in superseded}
    for what, lang, text in advisory_answers(facts):
        for date in old_dates:
            assert date not in text, f"{what} ({lang}) shows the superseded map"
    for lang, special in (("en", "Special travel advisory"), ("ko", "특별여행주의보")):
        assert special not in facts.render_advisory("KH", "Phnom Penh", lang)


def test_a_superseded_advisory_alone_says_nothing(tmp_path: Path) -> None:
    data = yaml.safe_load(FACTS_FILE.read_text(encoding="utf-8"))
    data["advisories"] = [a for a in data["advisories"] if a["status"] == "superseded"]
    path = tmp_path / "facts.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    facts = load_facts(path, COUNTRIES_FILE)
    assert facts.advisory_level("KH", "Poipet") is None
    assert "no verified travel advisory" in facts.render_advisory("KH", "Poipet", "en")


# ------------------------------------------------------------------- every answer dated


def test_every_advisory_answer_carries_a_date_and_today(facts: Facts) -> None:
    for what, lang, text in advisory_answers(facts):
        assert TODAY[lang] in text, f"{what} ({lang})"
        if LEVEL_WORDS[lang].search(text):
            assert DATE.search(text), f"{what} ({lang}) names a level without a date"


def test_advisory_line_names_level_date_and_site(facts: Facts) -> None:
    line = facts.advisory_line("MM", "Myawaddy", "en")
    assert "Level 4 (travel ban)" in line
    assert "0404.go.kr" in line
    assert DATE.search(line)
    assert facts.advisory_line("KH", "Phnom Penh", "ko").count("2단계") == 1
    assert facts.advisory_line("VN", "Hanoi", "en") == ""


# ----------------------------------------------------------------------------- sources


@pytest.mark.parametrize(
    ("source", "lang", "label"),
    [
        (
            "0404.go.kr ATC0000000009668 (2025-07-15)",
            "ko",
            "외교부 해외안전여행 0404.go.kr, 2025-07-15",
        ),
        ("asiae.co.kr 2025120416172541902 (2025-12-04)", "en", "asiae.co.kr, 2025-12-04"),
        ("ohmynews A0003173850", "en", "ohmynews"),
        ("OHCHR via english.news.cn (2023-08-29)", "en", "OHCHR via english.news.cn, 2023-08-29"),
        ("roasiapacific.iom.int/node/113766", "en", "roasiapacific.iom.int/node/113766"),
        ("scmp.com 3329091 (Oct 2025)", "en", "scmp.com, 2025"),
    ],
)
def test_sources_read_as_publisher_and_date(source: str, lang: str, label: str) -> None:
    assert source_label(source, lang) == label


def test_no_answer_shows_a_bare_article_id(facts: Facts) -> None:
    article_id = re.compile(r"ATC\d+|A\d{9,}|\b\d{12,}\b|Seq_Code|idxno|wr_id")
    texts = [text for _, _, text in advisory_answers(facts)]
    texts += [facts.render_red_flags(lang) for lang in ("en", "ko")]
    texts += [facts.render_how_to_verify(lang) for lang in ("en", "ko")]
    texts += [facts.render_figures(lang) for lang in ("en", "ko")]
    for text in texts:
        assert not article_id.search(text), text
    assert source_labels(["a.com 1 (2020-01-01)", "a.com 2 (2021-01-01)", "b.org"]) == (
        "a.com, 2020-01-01; b.org"
    )


# ----------------------------------------------------------------------------- staleness


def test_stale_lists_older_entries_only_advisories_first(facts: Facts) -> None:
    newest = max(dt.date.fromisoformat(a.checked) for a in facts.advisories if a.stated)
    assert facts.stale(newest, days=90) == []
    later = newest + dt.timedelta(days=91)
    entries = facts.stale(later, days=90)
    assert entries
    assert entries[0].kind == "advisory"
    kinds = [e.kind for e in entries]
    assert kinds == sorted(kinds, key=lambda k: k != "advisory")
    limit = later - dt.timedelta(days=90)
    assert all(dt.date.fromisoformat(e.checked) < limit for e in entries)
    younger = facts.stale(later, days=365)
    assert younger == []


# ------------------------------------------------------------------ other languages


@pytest.mark.parametrize(
    ("speaker", "country", "first"),
    [("tl", "PH", "1343"), ("vi", "KH", "117"), ("zh", None, "117")],
)
def test_other_languages_get_the_lines_that_answer_in_them(
    facts: Facts, speaker: str, country: str | None, first: str
) -> None:
    text = facts.render_emergency(country, "en", speaker)
    lines = text.splitlines()
    assert lines[1] == "Lines that answer in your language or English:"
    assert first in lines[2]
    assert "interpret" not in text.lower()
    assert text.count("+82-2-3210-0404") == 1
    assert "Lines that answer" not in facts.render_emergency(country, "en", "en")
    assert "통역" not in facts.render_emergency(country, "ko", speaker)
