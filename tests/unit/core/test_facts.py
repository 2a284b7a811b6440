"""The facts layer: only confirmed, sourced, dated numbers are ever said, and edits reload."""

from __future__ import annotations

import importlib.util
import logging
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

from bot.core.errors import FactsError
from bot.core.facts import Facts, FactsStore

ROOT = Path(__file__).resolve().parents[3]
CONTENT = ROOT / "content"
FACTS_FILE = CONTENT / "facts.yml"
COUNTRIES_FILE = CONTENT / "countries.yml"
SHARED_FILE = ROOT.parent / "shared" / "facts" / "facts.yml"
BUILD_SCRIPT = ROOT / "scripts" / "build_facts.py"

# Written here independently of bot.core.facts: digits with + - ~ / separators, 3+ digits, not part
# of a word, a domain or an amount like 1,000.
PHONE = re.compile(r"(?<![A-Za-z0-9_.,=/+])\+?\d[\d\-~/]*\d(?!\d|\.?[A-Za-z])")
DATE_OR_YEAR = re.compile(r"\d{4}-\d{2}-\d{2}|(?:19|20)\d{2}(?:-\d{2})?")
HANGUL = re.compile(r"[\uac00-\ud7a3\u3131-\u318e]")
CHECKED = {"en": "checked on 20", "ko": "확인일 20"}
LANGS = ("en", "ko")
CALL_CENTER = "+82-2-3210-0404"


def phone_tokens(text: str) -> list[str]:
    """Phone-like tokens of a text, dates and years left out."""
    return [
        t
        for t in PHONE.findall(text)
        if sum(c.isdigit() for c in t) >= 3 and not DATE_OR_YEAR.fullmatch(t)
    ]


def digits(text: str) -> str:
    """Only the digits, to compare numbers written with other separators."""
    return re.sub(r"\D", "", text)


def load_yaml(path: Path) -> dict[str, Any]:
    """Parse a YAML mapping."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def contact_texts(data: dict[str, Any], status: str) -> list[str]:
    """Every text field of the contacts with the given status, one string per entry."""
    texts = []
    for entry in data.get("contacts", []):
        if entry.get("status") == status:
            fields = [str(v) for k, v in entry.items() if k not in ("source", "checked")]
            texts.append(" ".join(fields))
    return texts


def unconfirmed_numbers(data: dict[str, Any]) -> set[str]:
    """Phone-like tokens of unconfirmed entries, in their numbers, notes and sources."""
    numbers: set[str] = set()
    for entry in data.get("contacts", []):
        if entry.get("status") != "confirmed":
            sources = entry.get("source") or []
            sources = [sources] if isinstance(sources, str) else sources
            numbers.update(phone_tokens(" ".join([str(entry.get("number", "")), *sources])))
    return numbers


@pytest.fixture(scope="module")
def facts() -> Facts:
    """The facts as shipped."""
    return FactsStore(FACTS_FILE, COUNTRIES_FILE).current()


def all_renders(facts: Facts) -> Iterator[tuple[str, str, str]]:
    """(description, language, text) for every answer the facts can give."""
    codes: list[str | None] = [*facts.country_codes(), None, "XX"]
    for lang in LANGS:
        for code in codes:
            yield f"contacts {code}", lang, facts.render_contacts(code, lang)
            yield f"emergency {code}", lang, facts.render_emergency(code, lang)
            if code is not None:
                yield f"advisory {code}", lang, facts.render_advisory(code, None, lang)
        for place in facts.places:
            for code in place.countries:
                text = facts.render_advisory(code, place.name, lang)
                yield f"advisory {code} {place.name}", lang, text
        yield "red flags", lang, facts.render_red_flags(lang)
        yield "how to verify", lang, facts.render_how_to_verify(lang)


# ------------------------------------------------------------------ number provenance


def test_every_stated_number_is_confirmed_in_content_and_shared_file(facts: Facts) -> None:
    content = contact_texts(load_yaml(FACTS_FILE), "confirmed")
    shared = contact_texts(load_yaml(SHARED_FILE), "confirmed") if SHARED_FILE.exists() else None
    seen: set[str] = set()
    for what, lang, text in all_renders(facts):
        for token in phone_tokens(text):
            seen.add(token)
            assert any(token in entry for entry in content), f"{what} ({lang}): {token}"
            if shared is not None:
                assert any(token in entry for entry in shared), f"{what} ({lang}): {token}"
    assert {CALL_CENTER, "117", "+855-979-117-117", "1155", "112"} <= seen


def test_no_unconfirmed_number_is_ever_said(facts: Facts) -> None:
    banned = unconfirmed_numbers(load_yaml(FACTS_FILE))
    if SHARED_FILE.exists():
        banned |= unconfirmed_numbers(load_yaml(SHARED_FILE))
    assert {"+855-23-211-900", "1288", "1191", "+95-94-2115-8030"} <= banned
    banned_digits = {digits(n) for n in banned}
    for what, lang, text in all_renders(facts):
        for number in banned:
            assert number not in text, f"{what} ({lang}) states unconfirmed {number}"
        for token in phone_tokens(text):
            assert digits(token) not in banned_digits, f"{what} ({lang}): {token}"


def test_phone_numbers_lists_confirmed_numbers_only(facts: Facts) -> None:
    numbers = facts.phone_numbers()
    assert {CALL_CENTER, "117", "+855-979-117-117", "02-2204-4979"} <= numbers
    assert not numbers & unconfirmed_numbers(load_yaml(FACTS_FILE))
    if SHARED_FILE.exists():
        shared = contact_texts(load_yaml(SHARED_FILE), "confirmed")
        assert all(any(n in entry for entry in shared) for n in numbers)


def test_every_number_is_shown_with_its_checked_date(facts: Facts) -> None:
    for what, lang, text in all_renders(facts):
        # The short emergency list gives one date for all its numbers, at its end.
        parts = [text] if what.startswith("emergency") else text.split("\n\n")
        for part in parts:
            if phone_tokens(part):
                assert CHECKED[lang] in part, (
                    f"{what} ({lang}) has a number without a date:\n{part}"
                )


def test_every_statable_entry_has_a_source_and_a_checked_date() -> None:
    data = load_yaml(FACTS_FILE)
    sections = ("contacts", "advisories", "red_flags", "how_to_verify", "figures")
    count = 0
    for section in sections:
        for entry in data.get(section, []):
            assert entry.get("status") in ("confirmed", "unconfirmed", "superseded"), entry
            if entry["status"] != "confirmed":
                continue
            count += 1
            sources = entry.get("source")
            assert isinstance(sources, list), entry
            assert sources, entry
            assert all(isinstance(s, str) and s.strip() for s in sources), entry
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(entry.get("checked"))), entry
    assert count > 20


# ----------------------------------------------------------------- built, not drifted


def build_module() -> ModuleType:
    """Import scripts/build_facts.py (scripts/ is not a package)."""
    spec = importlib.util.spec_from_file_location("build_facts", BUILD_SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(not SHARED_FILE.exists(), reason="the shared facts file is not here")
def test_shared_entries_keep_their_status_number_and_sources() -> None:
    content = {c["id"]: c for c in load_yaml(FACTS_FILE)["contacts"]}
    shared = load_yaml(SHARED_FILE)["contacts"]
    for entry in shared:
        mine = content[entry["id"]]
        assert mine["status"] == entry["status"], entry["id"]
        assert str(mine["number"]) == str(entry["number"]), entry["id"]
        assert mine["source"] == entry["source"], entry["id"]
        assert mine["country"] == entry["country"], entry["id"]
    assert set(content) == {e["id"] for e in shared}


# ------------------------------------------------------------------------- rendering


def test_korean_answers_are_korean_and_english_answers_have_no_hangul(facts: Facts) -> None:
    for what, lang, text in all_renders(facts):
        assert text.strip(), what
        if lang == "ko":
            assert HANGUL.search(text), f"{what}: no Korean"
        else:
            assert not HANGUL.search(text), f"{what}: Hangul in English: {HANGUL.findall(text)}"


def test_cambodia_contacts(facts: Facts) -> None:
    en = facts.render_contacts("KH", "en")
    assert en.index(CALL_CENTER) < en.index("117")
    assert "+855-979-117-117" in en
    assert "checked on 2026-11-25" in en
    assert "+855-23-211-900" not in en
    assert "verified number for the Korean embassy in Cambodia" in en
    ko = facts.render_contacts("KH", "ko")
    assert CALL_CENTER in ko
    assert "확인일 2026-11-25" in ko
    assert "대사관 번호는 아직 확인된 것이 없어요" in ko


def test_contacts_without_a_country_invite_to_pick_one(facts: Facts) -> None:
    text = facts.render_contacts(None, "en")
    assert CALL_CENTER in text
    assert "which country" in text
    assert "117" not in phone_tokens(text)


@pytest.mark.parametrize("code", ["MM", "XX"])
def test_no_verified_numbers_is_said_honestly(facts: Facts, code: str) -> None:
    text = facts.render_contacts(code, "en")
    assert CALL_CENTER in text
    assert f"I don't have verified numbers for {facts.country_name(code, 'en')}" in text
    assert "+95" not in text
    assert "없어요" in facts.render_contacts(code, "ko")


def test_korea_and_thailand_contacts(facts: Facts) -> None:
    korea = facts.render_contacts("KR", "en")
    assert "112" in phone_tokens(korea)
    assert "02-2204-4979" in korea
    assert "embassy" not in korea
    assert "1155" in facts.render_contacts("TH", "en")


def test_emergency_message(facts: Facts) -> None:
    default = facts.render_emergency(None, "en")
    assert CALL_CENTER in default
    assert "If you are in Cambodia" in default
    assert "+855-979-117-117" in default
    cambodia = facts.render_emergency("KH", "en")
    assert "In Cambodia" in cambodia
    assert "+855-979-117-117" in cambodia
    myanmar = facts.render_emergency("MM", "ko")
    assert CALL_CENTER in myanmar
    assert "미얀마" in myanmar
    for code in (*facts.country_codes(), None):
        for lang in LANGS:
            assert CALL_CENTER in facts.render_emergency(code, lang)


@pytest.mark.parametrize(
    ("code", "city", "level"),
    [
        ("KH", None, 1),
        ("KH", "Siem Reap", 1),
        ("KH", "Sihanoukville", 3),
        ("KH", "Phnom Penh", 2),
        ("KH", "Koh Kong", 3),
        ("KH", "Poipet", 4),
        ("KH", "Bavet", 4),
        ("KH", "Bokor", 4),
        ("KH", "Kampot", 4),
        ("MM", "Golden Triangle", 4),
        ("LA", "Golden Triangle", 4),
        ("TH", "Golden Triangle", 4),
        ("TH", "Bangkok", None),
        ("TH", "Mae Sot", 2),
        ("TH", "Tak", 2),
        ("MM", "Myawaddy", 4),
        ("MM", "Shwe Kokko", 4),
        ("MM", "Tachileik", 4),
        ("MM", "Shan State", 4),
        ("MM", "Yangon", None),
        ("LA", "Golden Triangle SEZ", 4),
        ("LA", "Bokeo", 4),
        ("LA", "Vientiane", None),
        ("TH", None, None),
        ("VN", None, None),
        ("KR", "Seoul", None),
        (None, None, None),
    ],
)
def test_advisory_level(
    facts: Facts, code: str | None, city: str | None, level: int | None
) -> None:
    assert facts.advisory_level(code, city) == level


def test_advisory_texts(facts: Facts) -> None:
    shv = facts.render_advisory("KH", "Sihanoukville", "en")
    assert "Level 3" in shv
    assert "2025-12-04" in shv
    assert "checked on 2026-12-06" in shv
    assert "Check today's level at 0404.go.kr" in shv
    poipet = facts.render_advisory("KH", "Poipet", "ko")
    assert "4단계 여행금지" in poipet
    assert "벌금" in poipet
    phnom_penh = facts.render_advisory("KH", "Phnom Penh", "en")
    assert "Level 2" in phnom_penh
    assert "Special travel advisory" not in phnom_penh
    kampot = facts.render_advisory("KH", "Kampot", "en")
    assert "Level 1" in kampot
    assert "Bokor" in kampot
    whole = facts.render_advisory("KH", None, "en")
    assert all(n in whole for n in ("Bokor", "Bavet", "Poipet", "Sihanoukville", "rest of"))
    assert "2024-02-01" in facts.render_advisory("LA", "Golden Triangle", "en")
    assert "2024-02-01부터" in facts.render_advisory("LA", "Golden Triangle", "ko")


@pytest.mark.parametrize(("code", "city"), [("VN", None), ("TH", "Bangkok"), ("PH", "Manila")])
def test_no_advisory_data_is_said_honestly(facts: Facts, code: str, city: str | None) -> None:
    text = facts.render_advisory(code, city, "en")
    assert "I have no verified travel advisory data for" in text
    assert "Check today's level at 0404.go.kr" in text
    assert "정보가 없어요" in facts.render_advisory(code, city, "ko")


def test_red_flags_and_how_to_verify(facts: Facts) -> None:
    flags = facts.render_red_flags("en")
    assert flags.count("\n• ") == 9
    assert "checked on 2026-11-25" in flags
    assert "checked on 2026-12-06" in flags
    assert "0404.go.kr" in flags
    assert "한 달에 1,000만 원" in facts.render_red_flags("ko")
    verify = facts.render_how_to_verify("en")
    assert "KOTRA" in verify
    assert verify.count("\n• ") == 5
    assert "확인일" in facts.render_how_to_verify("ko")


def test_country_names(facts: Facts) -> None:
    assert facts.country_name("TH", "en") == "Thailand"
    assert facts.country_name("TH", "ko") == "태국"
    assert facts.country_name("KH", "ko") == "캄보디아"
    assert facts.country_name("KR", "en") == "Korea"
    assert facts.country_name("KR", "ko") == "한국"
    assert facts.country_name("kh", "en") == "Cambodia"
    assert facts.country_name("XX", "en") == "XX"
    assert set(facts.country_codes()) >= {"KH", "TH", "VN", "LA", "MM", "PH", "KR"}


# ------------------------------------------------------------------------ find_place


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("캄보디아", ("KH", None)),
        ("캄보디아 시아누크빌", ("KH", "Sihanoukville")),
        ("캄보디아시아누크빌", ("KH", "Sihanoukville")),
        ("시아누크 빌이래요", ("KH", "Sihanoukville")),
        ("시하누크빌", ("KH", "Sihanoukville")),
        ("Sihanoukville, Cambodia", ("KH", "Sihanoukville")),
        ("CAMBODIA", ("KH", None)),
        ("who do i call in cambodia? i need the embassy number", ("KH", None)),
        ("제동생이캄보디아에서연락이안돼요", ("KH", None)),
        ("캄보디아에 있는데 한국에 못 가요", ("KH", None)),
        ("프놈펜", ("KH", "Phnom Penh")),
        ("PhnomPenh", ("KH", "Phnom Penh")),
        ("phnom penh", ("KH", "Phnom Penh")),
        ("Poipet", ("KH", "Poipet")),
        ("포이펫에서 납치당했어요", ("KH", "Poipet")),
        ("Poipet on the Thailand border", ("KH", "Poipet")),
        ("im in a compound in bavet", ("KH", "Bavet")),
        ("바벳", ("KH", "Bavet")),
        ("Kampot", ("KH", "Kampot")),
        ("Bokor Mountain area (Kampot)", ("KH", "Bokor")),
        ("보코산", ("KH", "Bokor")),
        ("태국", ("TH", None)),
        ("thailand", ("TH", None)),
        ("Bangkok", ("TH", "Bangkok")),
        ("방콕 한국 대사관 전화번호", ("TH", "Bangkok")),
        ("베트남", ("VN", None)),
        ("호치민 위험한가", ("VN", "Ho Chi Minh City")),
        ("라오스", ("LA", None)),
        ("phone numbr korea embassy Laos", ("LA", None)),
        ("미얀마", ("MM", None)),
        ("burma", ("MM", None)),
        ("필리핀", ("PH", None)),
        ("Philipines police", ("PH", None)),
        ("골든트라이앵글", ("LA", "Golden Triangle")),
        ("골든 트라이앵글 라오스", ("LA", "Golden Triangle")),
        ("the Golden Triangle in Thailand", ("TH", "Golden Triangle")),
        ("한국", ("KR", None)),
        ("korea", ("KR", None)),
        ("how do i call the police in Korea", ("KR", None)),
        ("I live in seoul", ("KR", "Seoul")),
        ("서울 사는데 캄보디아 일자리 제안 받았어요", ("KH", None)),
    ],
)
def test_find_place(facts: Facts, text: str, expected: tuple[str | None, str | None]) -> None:
    assert facts.find_place(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "hello",
        "도와주세요",
        "한국어로 말해줘",
        "한국말로 해줘",
        "저 한국인인데 도와주세요",
        "I'm Korean, reply in korean",
        "north korea",
        "주말에 방콕했어요",
        "돈을 다 낭비했어요",
        "세부 내용 알려주세요",
        "넥타이 타이밍",
        "they took my passport",
        "117",
    ],
)
def test_find_place_ignores_ordinary_words(facts: Facts, text: str) -> None:
    assert facts.find_place(text) == (None, None)


# --------------------------------------------------------------------------- reloading


@pytest.fixture
def edited(tmp_path: Path) -> tuple[FactsStore, Path, Path]:
    """A store over a copy of content/ (with the packs' place names), for editing."""
    shutil.copytree(CONTENT, tmp_path, dirs_exist_ok=True)
    facts_copy = tmp_path / "facts.yml"
    countries_copy = tmp_path / "countries.yml"
    return FactsStore(facts_copy, countries_copy), facts_copy, countries_copy


def rewrite(path: Path, old: str, new: str) -> None:
    """Edit a file the way staff would, and make sure its modification time moves."""
    text = path.read_text(encoding="utf-8")
    assert old in text
    before = path.stat().st_mtime_ns
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    os.utime(path, ns=(before + 1_000_000_000, before + 1_000_000_000))


def test_an_edit_is_seen_without_a_new_store(edited: tuple[FactsStore, Path, Path]) -> None:
    store, facts_file, _ = edited
    first = store.current()
    assert "1155" in first.render_contacts("TH", "en")
    assert store.current() is first
    rewrite(facts_file, "number: '1155'", "number: '1199'")
    rewrite(facts_file, "checked: '2026-11-25'", "checked: '2027-01-02'")
    text = store.current().render_contacts("TH", "en")
    assert "1199" in text
    assert "1155" not in text
    assert "checked on 2027-01-02" in store.current().render_contacts(None, "en")


def test_a_country_file_edit_is_seen(edited: tuple[FactsStore, Path, Path]) -> None:
    store, _, countries_file = edited
    assert store.current().find_place("kep") == (None, None)
    rewrite(countries_file, "places:\n", "places:\n  - {name: Kep, country: KH}\n")
    assert store.current().find_place("kep") == ("KH", "Kep")
    assert store.current().place_name("Kep", "ko") == "Kep"
    korean = countries_file.parent / "ko" / "places.yml"
    rewrite(korean, "places:\n", "places:\n  Kep: {name: 캡, names: [껩]}\n")
    assert store.current().find_place("껩에서 일자리") == ("KH", "Kep")
    assert store.current().place_name("Kep", "ko") == "캡"


def test_place_names_in_a_pack_must_name_a_known_place(
    edited: tuple[FactsStore, Path, Path],
) -> None:
    store, _, countries_file = edited
    good = store.current()
    rewrite(countries_file.parent / "en" / "places.yml", "places:\n", "places:\n  Kepp: {}\n")
    assert store.current() is good
    assert "en/places.yml: places ['Kepp'] are not in countries.yml" in store.problem


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("contacts:\n", "contacts: [\n"),
        (
            "  - kmnews.info/2024/02/21 (2024-02-21)\n  - world.kbs.co.kr han_dong_k 46903 (2016-11-28)\n",
            "",
        ),
        ("checked: '2026-11-25'", "checked: 'last week'"),
        ("id: kr-consular-call-center\n", "id: kr-call-centre\n"),
        ("level: 4", "level: 5"),
        ("    - Poipet\n", "    - Poipett\n"),
    ],
)
def test_a_bad_edit_keeps_the_last_good_version(
    edited: tuple[FactsStore, Path, Path], caplog: pytest.LogCaptureFixture, old: str, new: str
) -> None:
    store, facts_file, _ = edited
    good = store.current()
    rewrite(facts_file, old, new)
    with caplog.at_level(logging.WARNING, logger="bot.core.facts"):
        assert store.current() is good
        assert store.current() is good
    warnings = [r for r in caplog.records if "last good version" in r.getMessage()]
    assert len(warnings) == 1
    shutil.copy(FACTS_FILE, facts_file)
    os.utime(facts_file, ns=(1, 1))
    assert store.current() is not good


def test_a_deleted_file_keeps_the_last_good_version(edited: tuple[FactsStore, Path, Path]) -> None:
    store, _, countries_file = edited
    good = store.current()
    countries_file.unlink()
    assert store.current() is good


def test_a_bad_file_at_start_up_is_an_error(edited: tuple[FactsStore, Path, Path]) -> None:
    store, facts_file, _ = edited
    facts_file.write_text("contacts: [\n", encoding="utf-8")
    with pytest.raises(FactsError, match="not valid YAML"):
        store.current()


def test_a_translation_with_other_numbers_is_not_shown(
    edited: tuple[FactsStore, Path, Path], caplog: pytest.LogCaptureFixture
) -> None:
    store, facts_file, _ = edited
    rewrite(facts_file, "근무시간 외 +66-81-914-5803", "근무시간 외 +66-81-000-0000")
    with caplog.at_level(logging.WARNING, logger="bot.core.facts"):
        text = store.current().render_contacts("TH", "ko")
    assert "+66-81-914-5803" in text
    assert "+66-81-000-0000" not in text
    assert any("number_ko" in r.getMessage() for r in caplog.records)


def test_unconfirmed_entries_stay_silent_when_edited(edited: tuple[FactsStore, Path, Path]) -> None:
    store, facts_file, _ = edited
    rewrite(facts_file, "name_en: Korean Embassy in Myanmar, incident duty phone\n", "name_en: X\n")
    text = store.current().render_contacts("MM", "en")
    assert "+95-94-2115-8030" not in text
    assert "I don't have verified numbers for Myanmar" in text
