"""Fast patterns find a match exactly when the plain ones do, and the net's work is bounded.

The net's linearity is proved without a clock: every pattern of the lexicon is free of the
shapes that cost more than linear time (``hazards``, tested on the lexicon in
test_triage.py), each runs at most once per message, the message is normalised once, and
the number of patterns that run on a 4,096-character message is bounded by a constant (the
same on a quarter of it for the repeated kinds).
"""

from __future__ import annotations

import random
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.core import netviews, triage
from bot.core.fastregex import Alternation, Anchors, FastPattern, Present, alternatives
from bot.core.hazards import hazards
from bot.core.netviews import views
from bot.core.triage import SafetyNet
from tests.adversarial import LONGEST, adversarial

ROOT = Path(__file__).resolve().parents[3]
NET_FILE = ROOT / "content" / "safety_net.yml"
HELDOUT = ROOT / "tests" / "heldout"
MOST_RUNS = 200
"""Most patterns that may run on one message, of some 2,000 (the index skips the rest)."""


@pytest.fixture(scope="module")
def net() -> SafetyNet:
    """The real lexicon, loaded once."""
    return SafetyNet.load(NET_FILE)


def _heldout_texts() -> list[str]:
    """Every example line of the held-out sets."""
    texts: list[str] = []
    for path in sorted(HELDOUT.glob("*.yml")):
        data: Any = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for block in data.get("nlu") or []:
            for line in str(block.get("examples") or "").splitlines():
                if line.strip().startswith("- "):
                    texts.append(line.strip()[2:])
    return texts


def _same(pattern: str, text: str) -> None:
    """The fast pattern and the plain one agree on ``text``."""
    fast = FastPattern.of(re.compile(pattern))
    anchors = Anchors([fast])
    alternation = Alternation(re.compile(pattern), (fast,))
    plain = re.search(pattern, text) is not None
    assert alternation.search(Present(text, anchors)) == plain, (pattern, text)


# ------------------------------------------------------------------------- the analysis


@pytest.mark.parametrize(
    ("pattern", "pieces"),
    [
        ("a|b", ["a", "b"]),
        ("a(b|c)|d", ["a(b|c)", "d"]),
        (r"a\|b|c", [r"a\|b", "c"]),
        ("[|]x|y", ["[|]x", "y"]),
        ("[]|]x|y", ["[]|]x", "y"]),
        (r"[\]|]x|y", [r"[\]|]x", "y"]),
        (r"(a)\1|b", [r"(a)\1|b"]),  # a group referred to by number stays whole
        ("(?#a|b)c|d", ["(?#a|b)c|d"]),
        ("abc", ["abc"]),
    ],
)
def test_alternatives_split_only_at_the_top(pattern: str, pieces: list[str]) -> None:
    assert alternatives(pattern) == pieces


@pytest.mark.parametrize(
    ("pattern", "needed"),
    [
        ("여권(을|를)?.{0,8}(뺏|압수)", {"여권"}),
        (r"\bpassport\b", {"pass"}),
        ("(help|save) me", {"help", "save"}),
        (r"\d+", None),
        ("(?i)help", None),  # flags: the analysis gives up, the pattern runs as it is
        ("a*", None),
    ],
)
def test_needed_strings(pattern: str, needed: set[str] | None) -> None:
    fast = FastPattern.of(re.compile(pattern))
    assert (set(fast.needs) if fast.needs is not None else None) == needed


TRICKY = [
    r"(?<!\d)\d+일",
    r"\bhelp\b",
    r"^\s*help$",
    r"help$",
    r"(?<![a-z])[a-z]-?\d(?!\d)",
    r"[^?]{2}x",
    r"(?:^|\s)(?:아들|딸(?!기))\S*(?:\s[^?]{0,39})?연락",
    r"(a)\1",
    r"(?P<x>ab)(?P=x)",
    r"x?",
    r"(?:a|)b",
    r"ㅋ$|^ㅋ",
    r"\$\d+",
    r"(?s:.)a",
    r"(?:여권){2}",
    r"[가-힣]{2}요",
    r"a$|ab",  # the second letter is checked only where a match cannot end after one
    r"ab?",
    r"a(?=b)x?",
    r"a{2,}",
    r"a+b",
    r"(?:ab|x)y",
    r"(?:^|\s)(?:아|가)?\s?들",
]


@pytest.mark.parametrize("pattern", TRICKY)
def test_fast_patterns_agree_with_plain_ones(pattern: str) -> None:
    pick = random.Random(pattern).choice
    alphabet = "ab1 ?x-요가힣여권아들딸기연락ㅋ일$&\n"
    texts = ["", "help", " help", "ㅋ", "여권여권", "12일", "x1일", "a1", "aa"]
    texts += ["".join(pick(alphabet) for _ in range(n)) for n in range(1, 30) for _ in range(20)]
    for text in texts:
        _same(pattern, text)


def test_the_shipped_lexicon_matches_as_the_plain_alternations_do(net: SafetyNet) -> None:
    """Every entry, on the held-out messages and the longest adversarial ones, finds a match
    exactly when its joined alternation does: the differential check in the fast tier."""
    texts = _heldout_texts() + [text[:1024] for text in adversarial().values()]
    entries: list[Any] = [*net.rules, *net.markers, *net.suppressors]
    for text in texts:
        shown = views(text)
        seen = {view: Present(shown[view], net._anchors[view]) for view in shown}
        for entry in entries:
            for alternation in (entry.regex, getattr(entry, "unless", None)):
                if alternation is None:
                    continue
                plain = alternation.joined.search(shown[entry.view]) is not None
                assert alternation.search(seen[entry.view]) == plain, (entry.id, text)


# ------------------------------------------------------------------------------ hazards


@pytest.mark.parametrize(
    "pattern",
    [
        r"여권\S*\s*(?:\S+\s*){0,2}?(?:뺏겼)",  # took seconds on 500 letters (issue 21)
        r"(?:같이|함께)\s*(?:\S+\s*){0,2}?(?:납치)",
        r"\s*\S*\s*\S*\s*감금",
        r"\d+일",
        r"여권\S*뺏",
        r"(a+)+b",
        r"!{2,}\s*help",
    ],
)
def test_costly_shapes_are_named(pattern: str) -> None:
    assert hazards(pattern)


@pytest.mark.parametrize(
    "pattern",
    [
        r"(?<!\d)\d+일",
        r"\b\d+\s*floor",
        r"^\s*help",
        r"(?:\S+\s+){0,2}x",
        r"여권(?:(?!여권)\S)*(?:\s+(?:(?!여권)\S)+){0,2}\s*(?:뺏겼)",
        r"(?:^|\s)아들\S*(?:\s[^?]{0,39})?연락",
        r"\b(?:cant|can\s+not)\s+(?:leave)",
        r"여권(을|를|까지)*.{0,4}압수",
        r"\bask\w*\b.{0,30}\b\d+\s?k",
    ],
)
def test_linear_shapes_pass(pattern: str) -> None:
    assert hazards(pattern) == []


# ------------------------------------------------------------------------ counted work


class _Counted:
    """A regex that counts its searches."""

    def __init__(self, regex: re.Pattern[str], counts: Counter[int]) -> None:
        self.regex = regex
        self.counts = counts

    def search(self, text: str) -> re.Match[str] | None:
        self.counts[id(self)] += 1
        return self.regex.search(text)


def _counting(net: SafetyNet) -> Counter[int]:
    """Make every pattern of ``net`` count its runs (per pattern, in one counter)."""
    counts: Counter[int] = Counter()
    entries: list[Any] = [*net.rules, *net.markers, *net.suppressors]
    for entry in entries:
        for alternation in (entry.regex, getattr(entry, "unless", None)):
            for part in alternation.parts if alternation is not None else ():
                object.__setattr__(part, "regex", _Counted(part.regex, counts))
    return counts


@pytest.fixture(scope="module")
def counted() -> tuple[SafetyNet, Counter[int]]:
    """A lexicon of its own whose patterns count their runs."""
    net = SafetyNet.load(NET_FILE)
    return net, _counting(net)


def test_each_message_is_normalised_once_and_each_pattern_runs_at_most_once(
    counted: tuple[SafetyNet, Counter[int]], monkeypatch: pytest.MonkeyPatch
) -> None:
    net, counts = counted
    net.forget()
    normalised: list[str] = []
    real = netviews.normalise

    def counted_normalise(text: str) -> str:
        normalised.append(text)
        return real(text)

    monkeypatch.setattr(netviews, "normalise", counted_normalise)
    for name, text in adversarial().items():
        counts.clear()
        normalised.clear()
        triage.decide(text, "report_distress", 0.9, net)
        triage.decide(text, None, None, net)  # the same text again: remembered, not re-read
        assert len(normalised) == 1, name
        assert not counts or max(counts.values()) == 1, name
        assert sum(counts.values()) <= MOST_RUNS, (name, sum(counts.values()))


REPEATED = [
    "digits", "digits and spaces", "one letter", "one syllable", "help help", "살려 살려",
    "jamo run", "jamo mix", "digits, punctuation, emoji", "whitespace", "near matches",
    "money runs", "watched, no place", "watched, English",
]  # fmt: skip


@pytest.mark.parametrize("name", REPEATED)
def test_a_longer_message_runs_no_more_patterns(
    counted: tuple[SafetyNet, Counter[int]], name: str
) -> None:
    """The patterns that run on a repeated unit do not grow with the message."""
    net, counts = counted
    text = adversarial()[name]
    runs = []
    for length in (LONGEST // 4, LONGEST):
        counts.clear()
        net.forget()
        net.check(text[:length])
        runs.append(sum(counts.values()))
    assert runs[1] <= runs[0] + 2, runs  # a cut unit at the end may add a word
