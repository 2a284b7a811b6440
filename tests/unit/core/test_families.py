"""Issue 25: the watched writer, ransom told by the person or family, and crisis questions.

The catalogues below are written for this file (not taken from tests/heldout/families.yml, nor
from nlu/), so they check the families on messages the rules were not fitted to one by one.
The end-to-end tests run the real bot and engine through the Bot API stand-in.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.core.errors import SafetyNetError
from bot.core.facts import FactsStore
from bot.core.netplaces import known_places
from bot.core.netviews import normalise
from bot.core.triage import (
    FAMILY,
    PLACE,
    WATCHED,
    SafetyNet,
    Writer,
    decide,
)
from bot.tools.evaluate import load_examples

ROOT = Path(__file__).resolve().parents[3]
CONTENT = ROOT / "content"
NET_FILE = CONTENT / "safety_net.yml"
FAMILIES = ROOT / "tests" / "heldout" / "families.yml"


@pytest.fixture(scope="module")
def net() -> SafetyNet:
    """The real lexicon with the real place names, loaded once."""
    return SafetyNet.load(NET_FILE)


# ------------------------------------------------------------------------------ catalogues

WATCHED_KO = [
    "몰래 보내는 거예요 강 옆 단지 7동 2층",
    "들킬까봐 빨리 써요 포이펫 국경 근처 초록 건물",
    "보고 지울게요 창고 같은 건물 지하에 있어요",
    "걸리면 끝이에요 위치는 바벳 카지노 뒤쪽",
    "짧게만 쓸게요 시하누크빌 4층짜리 숙소",
    "관리자 자는 사이에 보내요 공장 옥상 바로 밑층",
    "빨리 쓸게요 들어오기 전에 B동 5층",
    "전화하면 안돼요 문자만 돼요 카지노 옆 건물",
]
WATCHED_EN = [
    "writing in secret. compound by the river, building 2",
    "they go through our phones so ill delete this. poipet, tall hotel",
    "can only text for a minute. 3rd floor, dorm 5",
    "before the guards come back: warehouse near the port, top floor",
    "hidden phone. bavet, casino compound block e",
    "dont reply. sihanoukville, the building behind the market",
    "they cant know im texting. 4th floor",
    "sneaking this message out, building 2 near the casino",
]
RANSOM_SELF_KO = [
    "돈 보내야 여기서 풀어준대요",
    "집에 전화해서 돈 받아내라고 협박해요",
    "나가려면 몸값 내래요",
    "빚 갚기 전까진 못 나간대요",
    "석방금으로 3천불 요구해요",
]
RANSOM_SELF_EN = [
    "they want my family to pay before they let me go",
    "i have to buy my freedom, they ask 7000",
    "they will only release me if money is sent",
    "pay off the debt or i can never leave, the boss says",
    "theyre asking my parents for 10k to let me go",
]
RANSOM_FAMILY_KO = [
    "아들이 돈 부쳐야 풀려난다고 연락이 왔어요",
    "딸 데려오려면 삼천만원 보내래요",
    "남동생이 빚 다 갚기 전엔 못 나온대요",
    "우리 애를 데리고 있다면서 돈을 요구해요",
]
RANSOM_FAMILY_EN = [
    "my son wrote that we must wire money before they let him go",
    "they are asking for money to release my daughter",
    "my brother can only come home if we pay his debt to them",
    "a stranger says my husband stays there unless we send 10k",
    "they want 3000 from us or my son stays",
    "동생이 돈 안 보내면 못 온대요",
]
CURIOUS_KO = [
    "갇힌 사람들은 어떻게 구출되는 거예요?",
    "왜 한국인들이 그런 곳에 끌려가요?",
    "몸값을 요구한다는 게 진짜예요?",
    "피해자들은 보통 얼마나 잡혀 있다가 나와요?",
]
CURIOUS_EN = [
    "how do trapped people usually get rescued?",
    "is it true families are asked for ransom?",
    "why do people get locked up in those compounds?",
    "how are victims freed from scam centres?",
]
ORDINARY = [
    "엄마 몰래 선물 사서 2층 카페에 숨겼어요",
    "회사 몰래 면접 보러 가요 역 앞 빌딩 5층",
    "몰래 야식 시켰어요 기숙사 3층",
    "답장 안 주셔도 돼요 다낭 리조트 예약했어요",
    "they might see the surprise, hide the gift on the 3rd floor",
    "can only write now, lunch break, building 5 cafeteria",
    "quick msg only, landed at phnom penh airport, all good",
    "my son has to pay the rent before he can leave the apartment",
    "my daughter needs 3000 dollars to pay tuition",
    "딸이 용돈 보내줘서 고마웠어요",
    "동생이 돈 모아서 한국 돌아올 수 있대요",
    "how do i get out of this contract?",
    "new sneakers from the mall near the beach, secret sale on floor 2",
]


@pytest.mark.parametrize("text", WATCHED_KO + WATCHED_EN)
def test_a_watched_writer_escalates_as_watched(net: SafetyNet, text: str) -> None:
    verdict = decide(text, None, None, net)
    assert verdict.escalate, text
    assert verdict.writer is Writer.WATCHED, (text, verdict)


@pytest.mark.parametrize("text", RANSOM_SELF_KO + RANSOM_SELF_EN)
def test_ransom_told_by_the_person_is_their_own_case(net: SafetyNet, text: str) -> None:
    verdict = decide(text, None, None, net)
    assert verdict.escalate, text
    assert verdict.writer is Writer.PERSON, (text, verdict)
    assert str(verdict.priority) == "high"


@pytest.mark.parametrize("text", RANSOM_FAMILY_KO + RANSOM_FAMILY_EN)
def test_ransom_told_by_family_makes_the_family_the_contact(net: SafetyNet, text: str) -> None:
    verdict = decide(text, None, None, net)
    assert verdict.escalate, text
    assert verdict.writer is Writer.FAMILY, (text, verdict)


@pytest.mark.parametrize("text", CURIOUS_KO + CURIOUS_EN)
def test_a_crisis_question_is_no_case_even_if_the_engine_says_distress(
    net: SafetyNet, text: str
) -> None:
    assert net.check(text) is None, text
    assert net.read(text).question, text
    verdict = decide(text, "report_distress", 0.97, net)
    assert not verdict.escalate, (text, verdict)
    assert "net:question" in verdict.detail


def test_a_question_from_someone_in_danger_still_escalates(net: SafetyNet) -> None:
    text = "사람들이 어떻게 탈출했는지 궁금해요 저는 지금 갇혀 있어요"
    assert decide(text, "report_distress", 0.9, net).escalate
    assert decide("how do people get out? im locked in here", None, None, net).escalate


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_messages_with_the_same_words_stay_quiet(net: SafetyNet, text: str) -> None:
    assert net.check(text) is None, (text, net.check(text))


def test_the_engine_alone_on_a_relative_makes_a_family_case(net: SafetyNet) -> None:
    verdict = decide("hmm", "report_missing_person", 0.9, net)
    assert verdict.escalate
    assert verdict.writer is Writer.FAMILY


def test_the_engine_names_a_relative_when_the_words_name_no_writer(net: SafetyNet) -> None:
    text = "막내가 집에 연락해서 돈 받아오래요"
    assert decide(text, None, None, net).writer is Writer.PERSON
    assert decide(text, "report_missing_person", 0.8, net).writer is Writer.FAMILY
    own = "저 집에 연락해서 돈 받아오래요"
    assert decide(own, "report_missing_person", 0.8, net).writer is Writer.PERSON


def test_a_plea_written_in_secret_opens_discreetly(net: SafetyNet) -> None:
    assert decide("몰래 보내요 살려주세요", None, None, net).writer is Writer.WATCHED
    assert decide("help me, writing secretly", None, None, net).writer is Writer.WATCHED
    assert decide("help me please", None, None, net).writer is Writer.PERSON


# ------------------------------------------------------------------------- the evidence


def test_known_place_names_count_as_a_place(net: SafetyNet) -> None:
    # Looked for where a place completes a rule: after a covert-writing mark.
    assert PLACE in net.read("writing secretly, poipet").kinds
    assert PLACE in net.read("몰래 써요 시아누크빌에서요").kinds
    assert PLACE not in net.read("몰래 써요 서울이에요").kinds  # home is no sign of a compound
    assert PLACE not in net.read("poipet").kinds  # nothing needs it: not looked for
    assert WATCHED in net.read("몰래 써요").kinds
    assert FAMILY in net.read("my daughter").kinds


def test_the_net_loads_without_place_names(tmp_path: Path) -> None:
    shutil.copytree(CONTENT, tmp_path, dirs_exist_ok=True)
    (tmp_path / "countries.yml").write_text("countries: [oops\n", encoding="utf-8")
    assert known_places(tmp_path / "countries.yml") == ()
    net = SafetyNet.load(tmp_path / "safety_net.yml")
    assert net.places == ()
    assert net.check("도와주세요") is not None


def _minimal(rule: dict[str, Any], **top: Any) -> dict[str, Any]:
    return {"rules": [rule], **top}


def test_a_rule_of_evidence_alone_fires_only_with_every_kind() -> None:
    data = _minimal(
        {"id": "both", "category": "self", "lang": "any", "requires": ["watched", "place"]},
        markers=[
            {"id": "w", "kind": "watched", "lang": "en", "patterns": [r"\bsecret\b"]},
            {"id": "p", "kind": "place", "lang": "en", "patterns": [r"\bfloor\b"]},
        ],
    )
    net = SafetyNet.from_dict(data)
    assert net.check("secret, floor 3") is not None
    assert net.check("secret") is None
    assert net.check("floor 3") is None


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ({"id": "x", "category": "self", "lang": "en"}, "'patterns', or 'requires'"),
        (
            {"id": "x", "category": "self", "lang": "en", "requires": ["nosuch"]},
            "'requires' kinds",
        ),
    ],
)
def test_bad_rules_are_named(rule: dict[str, Any], message: str) -> None:
    with pytest.raises(SafetyNetError, match=message):
        SafetyNet.from_dict(_minimal(rule))


def test_a_question_flag_must_be_true_or_false() -> None:
    data = _minimal(
        {"id": "x", "category": "self", "lang": "en", "patterns": ["help"]},
        suppressors=[{"id": "q", "lang": "en", "patterns": ["how"], "question": "yes"}],
    )
    with pytest.raises(SafetyNetError, match="'question'"):
        SafetyNet.from_dict(data)


# ------------------------------------------------------------------ what a family reads


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_families_get_the_police_then_the_call_center(lang: str) -> None:
    facts = FactsStore(CONTENT / "facts.yml", CONTENT / "countries.yml").current()
    text = facts.render_for_family(lang)
    assert "112" in text
    assert facts.call_center.number in text
    assert text.index("112") < text.index(facts.call_center.number)
    # The shared facts file does not confirm "do not pay before talking to them": not said.
    for words in ("pay", "돈", "송금"):
        assert words not in text.split("\n", 1)[0]
    assert "117" not in text  # Cambodia's police take reports from the victim only


# ------------------------------------------------------------------------ the held-out set


def _families() -> dict[str, Any]:
    data: Any = yaml.safe_load(FAMILIES.read_text(encoding="utf-8"))
    return data


def _heldout_texts() -> list[str]:
    data = _families()
    out: list[str] = []
    for by_lang in data["families"].values():
        for messages in by_lang.values():
            if isinstance(messages, dict):
                out += [m for group in messages.values() for m in group]
            else:
                out += list(messages)
    for messages in data["hard_negatives"].values():
        out += list(messages)
    return out


def test_the_heldout_families_are_big_enough() -> None:
    data = _families()
    for family, by_lang in data["families"].items():
        assert set(by_lang) == {"ko", "en"}, family
        for lang, messages in by_lang.items():
            count = (
                sum(map(len, messages.values())) if isinstance(messages, dict) else len(messages)
            )
            assert count >= 20, (family, lang)
    ransom = data["families"]["ransom"]
    assert all(len(ransom[lang]["family"]) >= 10 for lang in ("ko", "en"))
    assert sum(map(len, data["hard_negatives"].values())) >= 20
    assert set(data["hard_negatives"]) == {"ko", "en"}


def test_no_heldout_family_message_was_copied() -> None:
    """The figures mean something only if no held-out line was pasted into rules or training."""
    lexicon = NET_FILE.read_text(encoding="utf-8").lower()
    training = {
        normalise(e.text).replace(" ", "")
        for path in (ROOT / "nlu").rglob("*.yml")
        for e in load_examples(path, path.parent.name)
    }
    ours = {
        normalise(text).replace(" ", "")
        for text in WATCHED_KO + WATCHED_EN + RANSOM_SELF_KO + RANSOM_SELF_EN + RANSOM_FAMILY_KO
        + RANSOM_FAMILY_EN + CURIOUS_KO + CURIOUS_EN + ORDINARY
    }  # fmt: skip
    for text in _heldout_texts():
        spaced = normalise(text)
        compact = spaced.replace(" ", "")
        assert compact not in training, text
        assert compact not in ours, text
        assert spaced not in lexicon, text
        assert compact not in lexicon, text
