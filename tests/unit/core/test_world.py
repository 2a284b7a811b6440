"""SOS in the languages victims speak, and questions about an offer answered first (fast tier).

The held-out set tests/heldout/world.yml was written as people in danger type on a phone, in
twelve languages; the safety net's rules for those languages were written from vocabulary,
not from it, and this file checks that nothing was copied across.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.common.langid import LanguageId, romanized_korean, script_language
from bot.core.errors import LanguagesError, PackError
from bot.core.facts import FactsStore
from bot.core.languages import LanguagesFile, load_languages
from bot.core.netviews import normalise
from bot.core.offers import CHECK_SLOTS, read_question
from bot.core.packs import pack_paths, packs
from bot.core.triage import SafetyNet

ROOT = Path(__file__).resolve().parents[3]
WORLD = ROOT / "tests" / "heldout" / "world.yml"
NET = ROOT / "content" / "safety_net.yml"
CONTENT = ROOT / "content"
WORLD_LANGS = tuple(
    p.code for p in packs(CONTENT) if not p.answers and p.part("safety_net.yml").is_file()
)
"""The languages Haven hears and has safety-net rules for."""
FACTS = ROOT / "content" / "facts.yml"
SHARED_FACTS = ROOT.parent / "shared" / "facts" / "facts.yml"
MIN_DISTRESS = 15
MIN_RECALL = 0.9
MIN_NAMED = 0.9
MIN_SENTENCE_CHARS = 10


def world() -> dict[str, dict[str, list[str]]]:
    """The held-out messages by language: distress and ordinary."""
    data: Any = yaml.safe_load(WORLD.read_text(encoding="utf-8"))
    return data["languages"]


@pytest.fixture(scope="module")
def net() -> SafetyNet:
    """The real lexicon."""
    return SafetyNet.load(NET)


@pytest.fixture(scope="module")
def langid() -> LanguageId:
    """The real language identification."""
    return LanguageId(LanguagesFile(CONTENT))


def test_the_heldout_set_covers_every_language_with_enough_messages() -> None:
    data = world()
    assert set(data) == set(WORLD_LANGS)
    for lang, sets in data.items():
        assert len(sets["distress"]) >= MIN_DISTRESS, lang
        assert len(sets["ordinary"]) >= 6, lang


@pytest.mark.parametrize("lang", WORLD_LANGS)
def test_sos_recall_and_false_alarms_per_language(net: SafetyNet, lang: str) -> None:
    sets = world()[lang]
    missed = [m for m in sets["distress"] if net.check(m) is None]
    alarms = [m for m in sets["ordinary"] if net.check(m) is not None]
    recall = 1 - len(missed) / len(sets["distress"])
    print(f"\n{lang}: recall {recall:.3f}, false alarms {len(alarms)}/{len(sets['ordinary'])}")
    assert recall >= MIN_RECALL, missed
    assert alarms == []


@pytest.mark.parametrize("lang", WORLD_LANGS)
def test_the_language_of_an_sos_is_named(net: SafetyNet, langid: LanguageId, lang: str) -> None:
    distress = world()[lang]["distress"]
    named = 0
    for message in distress:
        hit = net.check(message)
        named += langid.code(message, hit.lang if hit else None) == lang
    assert named / len(distress) >= MIN_NAMED, (lang, named)


def test_no_heldout_message_was_copied_into_the_lexicon_or_the_tests() -> None:
    """Sentences, not the plea words every lexicon must hold ("помогите", "たすけて")."""
    lexicon = NET.read_text(encoding="utf-8")
    folded = "\n".join(normalise(line) for line in lexicon.splitlines())
    ours = (ROOT / "tests" / "e2e" / "test_conversations.py").read_text(encoding="utf-8")
    for lang, sets in world().items():
        for message in sets["distress"] + sets["ordinary"]:
            spaced = normalise(message)
            one_word = re.fullmatch(r"[a-zа-яё]+", spaced) is not None
            if one_word or len(spaced.replace(" ", "")) < MIN_SENTENCE_CHARS:
                continue
            assert spaced not in folded, (lang, message)
            assert spaced.replace(" ", "") not in folded.replace(" ", ""), (lang, message)
            if message in sets["distress"]:
                assert message not in ours, (lang, message)


def test_scripts_name_their_language() -> None:
    assert script_language("ជួយខ្ញុំផង") == "km"
    assert script_language("ကယ်ပါ") == "my"
    assert script_language("ຊ່ວຍແດ່") == "lo"
    assert script_language("ช่วยด้วย") == "th"
    assert script_language("助けて 監禁") == "ja"
    assert script_language("救命") == "zh"
    assert script_language("살려주세요") == "ko"
    assert script_language("help me") is None
    assert romanized_korean("jebal dowajuseyo")
    assert not romanized_korean("tolong saya")


def test_every_net_language_has_a_name_and_replies_hold_no_number() -> None:
    languages = load_languages(*pack_paths(CONTENT))
    for code in WORLD_LANGS:
        entry = languages.get(code)
        assert entry is not None, code
        assert entry.name("en")
        assert entry.name("ko")
        if entry.reply:
            assert not re.search(r"\d", entry.reply), code
    assert languages.get("ko-Latn") is not None
    assert not languages.get("ko-Latn").interpreter  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("code", "content", "message"),
    [
        ("tl", "{en: Tagalog, ko: Tagalog}\n", "Korean name"),
        ("tl", "{en: 타갈로그, ko: 타갈로그어}\n", "without Hangul"),
        ("tl", "{en: Tagalog, ko: 타갈로그어, reply: 'call 112'}\n", "no digits"),
        ("tl", "{en: Tagalog, ko: 타갈로그어, note: x}\n", "unknown keys"),
        ("tl", "[Tagalog]\n", "a mapping"),
    ],
)
def test_a_malformed_pack_file_is_refused_naming_the_pack(
    tmp_path: Path, code: str, content: str, message: str
) -> None:
    path = tmp_path / code / "pack.yml"
    path.parent.mkdir()
    path.write_text(content, encoding="utf-8")
    with pytest.raises(LanguagesError, match=message) as caught:
        load_languages(path)
    assert str(path) in str(caught.value)


def test_a_pack_folder_not_named_by_a_language_tag_is_refused(tmp_path: Path) -> None:
    (tmp_path / "Tagalog").mkdir()
    (tmp_path / "Tagalog" / "pack.yml").write_text("{en: Tagalog, ko: 타갈로그어}\n")
    with pytest.raises(PackError, match="language tag"):
        pack_paths(tmp_path)


# -------------------------------------------------------------- answers first


@pytest.fixture(scope="module")
def facts() -> Any:
    """The facts as shipped."""
    return FactsStore(FACTS, ROOT / "content" / "countries.yml").current()


@pytest.mark.parametrize(
    ("question", "practice", "flag"),
    [
        ("they want to hold my passport until the visa is done, ok?", "passport_held", "passport_deposit_bank"),
        ("회사에서 여권을 보관한다는데 괜찮아요?", "passport_held", "passport_deposit_bank"),
        ("can I go on a travel visa and start working?", "tourist_visa", "tourist_visa_work"),
        ("무비자로 가서 일하면 된대요", "tourist_visa", "tourist_visa_work"),
        ("we only talk on whatsapp, they hire through it, fine?", "messenger_interview", "telegram_or_dm"),
        ("카톡으로만 면접 본대요", "messenger_interview", "telegram_or_dm"),
        ("we need to buy the flight ourselves, my own ticket, normal?", "own_ticket", None),
        ("비행기 표는 내 돈으로 사래요", "own_ticket", None),
        ("typing job in laos, 20 million won a month, real?", "high_pay", "high_pay"),
        ("they ask me to send a deposit in bitcoin", "crypto", "passport_deposit_bank"),
    ],
)  # fmt: skip
def test_a_practice_question_is_read(
    facts: Any, question: str, practice: str, flag: str | None
) -> None:
    read = read_question(question, facts.find_place(question), facts)
    assert practice in [p.id for p in read.practices]
    if flag is not None:
        assert flag in [f.id for f in read.flags]
    assert read.answerable


def test_one_message_prefills_the_check(facts: Any) -> None:
    text = "인스타 DM으로 베트남 고객상담 월 600에 숙소 제공 제안이 왔어요"
    read = read_question(text, facts.find_place(text), facts)
    assert read.prefill == {
        "jc_destination": "VN|",
        "jc_job_type": "고객상담",
        "jc_pay": "6000000",
        "jc_channel": "sns_dm",
    }
    assert read.remaining == len(CHECK_SLOTS) - 4
    assert {"telegram_or_dm", "high_pay", "simple_job_abroad"} <= {f.id for f in read.flags}


@pytest.mark.parametrize(
    "text", ["hi", "I got a job offer, can you check it?", "what is the weather in Seoul"]
)
def test_a_message_naming_no_flag_is_not_answered_early(facts: Any, text: str) -> None:
    assert not read_question(text, facts.find_place(text), facts).answerable


def _numbers(text: str) -> set[int]:
    """Every count or estimate in a text (dates, years and months left out; 12만 = 120000)."""
    text = re.sub(
        r"\d{4}-\d{2}-\d{2}|\d+\s*~\s*\d+\s*월|\d+\s*월|(?<!\d)(?:19|20)\d{2}(?!\d)", " ", text
    )
    found = set()
    for number, man in re.findall(r"(\d[\d,]*)\s*(만)?", text):
        value = int(number.replace(",", ""))
        found.add(value * 10_000 if man else value)
    return found


@pytest.mark.skipif(not SHARED_FACTS.exists(), reason="the shared facts file is not here")
def test_every_figure_said_is_confirmed_by_the_shared_file(facts: Any) -> None:
    shared: Any = yaml.safe_load(SHARED_FACTS.read_text(encoding="utf-8"))
    confirmed = set().union(*(_numbers(f["text"]) for f in shared["figures"]))
    for lang in ("en", "ko"):
        said = facts.render_figures(lang)
        assert "2026-11-25" in said
        assert _numbers(said) <= confirmed, (lang, _numbers(said) - confirmed)
        assert {221, 330} <= _numbers(said)
