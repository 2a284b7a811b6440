"""The text catalogue: every text in both languages, and every key the code asks for is there.

A typo in a key must fail here, not in front of a person in danger; a key nobody asks for is
a text nobody reviews.
"""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from bot.chat.flows import FLOWS
from bot.common.keyboard import keyboard_action
from bot.common.language import LANGUAGES
from bot.common.roster import MemberStatus
from bot.common.stafftexts import STAFF_TEXTS
from bot.core import triage
from bot.core.facts import LEVELS
from bot.core.folding import has_hangul
from bot.core.texts import TEXTS as CORE_TEXTS
from bot.core.texts import t
from bot.store import CaseTag, Party
from bot.telegram.app import MENU_COMMANDS

TEXTS = {**CORE_TEXTS, **STAFF_TEXTS}
"""Both catalogues: what the person reads (the packs' texts.yml) and what staff read (staff.yml)."""

ROOT = Path(__file__).resolve().parents[3]
SOURCES = sorted(
    p
    for folder in ("bot", "actions")
    for p in (ROOT / folder).rglob("*.py")
    if p != ROOT / "bot" / "core" / "texts.py"
)
AREAS = (
    "keyboard", "command", "flow", "check", "discreet", "decoy", "staff", "to_user", "facts", "actions"
)  # fmt: skip
KEY = re.compile(rf"^(?:(?:{'|'.join(AREAS)})\.)?[a-z][a-z0-9_]*$")

# Texts that name both languages on purpose: the language picker and the help line about it.
EN_WITH_HANGUL = {"help", "command.language"}

# Keys built at run time: the f-string's fixed start, and every value its placeholder takes.
DYNAMIC: dict[str, tuple[str, ...]] = {
    "staff.priority_": (triage.HIGH, triage.NORMAL),  # Case.priority
    "staff.lang_": LANGUAGES,  # Case.language
    "decoy.": ("codeword", "weather", "ok"),  # CaseIntake.discreet(decoy_kind=...)
    "facts.level_": tuple(str(level) for level in LEVELS),  # Area.level
    "flow.need_media_": ("photo", "location", "video"),  # a media step's kind
    # bot/chat/flows.py: each step's question and each choice's button
    "flow.ask_": tuple(step.key for flow in FLOWS.values() for step in flow.steps),
    "flow.choice_": tuple(
        {choice.key: 0 for flow in FLOWS.values() for step in flow.steps for choice in step.choices}
    ),
    # bot/desk/stalefacts.py: StaleEntry.kind
    "staff.stale_kind_": ("advisory", "contact", "red_flag", "how_to_verify", "figure"),
    "command.": MENU_COMMANDS,  # the command menu
    "staff.status_": tuple(status.value for status in MemberStatus),  # GroupMember.status
    "staff.tag_": tuple(tag.value for tag in CaseTag),  # a resolved case's tag
    "discreet.party_": tuple(party.value for party in Party),  # /consent N party
    # bot/core/offers.py: a pre-filled answer's field name and, for choices, its value
    "check.field_": ("destination", "job_type", "pay", "channel", "flight", "visa", "documents"),
    "check.": (
        "channel_telegram",
        "channel_sns_dm",
        "channel_agency",
        "channel_job_site",
        "flight_self",
        "flight_employer",
        "visa_tourist",
        "visa_visa_free",
        "visa_work",
    ),
}
# t() calls whose key is held in a variable: the file and function, and the keys it can hold.
INDIRECT: dict[tuple[str, str], tuple[str, ...]] = {
    ("bot/desk/consent.py", "ask"): ("staff.consent_told", "staff.consent_asked"),
    ("bot/chat/flowrunner.py", "start"): ("flow.rescue_intro", "flow.checkin_intro"),  # Flow.intro
    ("bot/chat/commands.py", "_secret"): (
        "discreet.codeword_usage",
        "discreet.safeword_usage",
        "discreet.codeword_set",
        "discreet.safeword_set",
        "discreet.saved",
    ),
    ("bot/core/facts/catalogue.py", "_local_emergency"): (
        "facts.in_country",
        "facts.if_in_country",
    ),
    ("bot/desk/alerts.py", "written_in_line"): ("staff.interpreter", "staff.written_in"),
    ("bot/desk/alerts.py", "render_alert"): ("staff.topic_hint", "staff.reply_hint"),
    ("bot/chat/pictures.py", "opening"): (
        "picture_unreadable",
        "picture_too_big",
        "picture_broken",
        "picture_off",
        "picture_busy",
    ),
    ("bot/desk/stats.py", "summary"): ("staff.stats_title_day", "staff.stats_title_daily"),
    ("bot/telegram/staff.py", "usage"): (
        "staff.usage_reply",
        "staff.usage_note",
        "staff.usage_priority",
        "staff.usage_case",
        "staff.usage_transfer",
        "staff.usage_canned",
        "staff.usage_resolve",
        "staff.usage_stats",
        "staff.usage_consent",
    ),
    ("bot/desk/consent.py", "line"): (
        "staff.consent_yes",
        "staff.consent_no",
        "staff.consent_asked_state",
        "staff.consent_without",
    ),
}


class KeyScan(ast.NodeVisitor):
    """Collect the keys of the t() calls of one file: literal, f-string start, or variable."""

    def __init__(self, path: str) -> None:
        """Scan the file at ``path`` (relative to the repository)."""
        self.path = path
        self.literal: set[str] = set()
        self.prefixes: set[str] = set()
        self.indirect: set[tuple[str, str]] = set()
        self._function = "<module>"

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        """Remember which function the calls below are in."""
        outer, self._function = self._function, node.name
        self.generic_visit(node)
        self._function = outer

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Call(self, node: ast.Call) -> None:
        """Record the key of a t() call."""
        if isinstance(node.func, ast.Name) and node.func.id == "t" and node.args:
            self._key(node.args[0])
        self.generic_visit(node)

    def _key(self, arg: ast.expr) -> None:
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
            self.literal.add(arg.value)
        elif isinstance(arg, ast.IfExp):
            self._key(arg.body)
            self._key(arg.orelse)
        elif isinstance(arg, ast.JoinedStr):
            first = arg.values[0] if arg.values else None
            start = first.value if isinstance(first, ast.Constant) else ""
            self.prefixes.add(str(start))
        else:
            self.indirect.add((self.path, self._function))


def scan() -> tuple[set[str], set[str], set[tuple[str, str]]]:
    """The literal keys, f-string starts and variable-key call sites of bot/ and actions/."""
    literal: set[str] = set()
    prefixes: set[str] = set()
    indirect: set[tuple[str, str]] = set()
    for path in SOURCES:
        visitor = KeyScan(path.relative_to(ROOT).as_posix())
        visitor.visit(ast.parse(path.read_text(encoding="utf-8")))
        literal |= visitor.literal
        prefixes |= visitor.prefixes
        indirect |= visitor.indirect
    return literal, prefixes, indirect


def placeholders(text: str) -> set[str]:
    """The ``{name:spec}`` fields of a text, as written."""
    return {
        f"{name}:{spec}!{conversion}"
        for _literal, name, spec, conversion in string.Formatter().parse(text)
        if name is not None
    }


@pytest.mark.parametrize("key", sorted(TEXTS))
def test_every_text_is_in_every_language(key: str) -> None:
    variants = TEXTS[key]
    assert set(variants) == set(LANGUAGES)
    assert all(isinstance(v, str) and v.strip() for v in variants.values())


@pytest.mark.parametrize("key", sorted(TEXTS))
def test_languages_share_placeholders(key: str) -> None:
    ko, en = TEXTS[key]["ko"], TEXTS[key]["en"]
    assert placeholders(ko) == placeholders(en)
    # t() formats only when given values, so an escaped brace would show doubled without them.
    assert "{{" not in ko + en
    assert "}}" not in ko + en


@pytest.mark.parametrize("key", sorted(TEXTS))
def test_korean_is_korean_and_english_is_not(key: str) -> None:
    assert has_hangul(TEXTS[key]["ko"])
    assert not has_hangul(TEXTS[key]["en"]) or key in EN_WITH_HANGUL


def test_exceptions_are_still_needed() -> None:
    assert all(has_hangul(TEXTS[k]["en"]) for k in EN_WITH_HANGUL)


def test_keys_follow_the_naming_scheme() -> None:
    assert [key for key in TEXTS if not KEY.match(key)] == []


def test_every_key_in_the_code_exists() -> None:
    literal, prefixes, indirect = scan()
    assert sorted(literal - set(TEXTS)) == []
    assert prefixes == set(DYNAMIC), "declare new f-string keys in DYNAMIC"
    built = {prefix + value for prefix, values in DYNAMIC.items() for value in values}
    assert sorted(built - set(TEXTS)) == []
    assert indirect == set(INDIRECT), "declare t() calls with a variable key in INDIRECT"
    sources = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "bot").rglob("*.py"))
    for keys in INDIRECT.values():
        assert [k for k in keys if k not in TEXTS or f'"{k}"' not in sources] == []


def test_every_key_is_used() -> None:
    literal, _prefixes, _indirect = scan()
    built = {prefix + value for prefix, values in DYNAMIC.items() for value in values}
    held = {key for keys in INDIRECT.values() for key in keys}
    assert sorted(set(TEXTS) - literal - built - held) == []


def test_lookup_fills_in_falls_back_and_fails_loudly() -> None:
    assert t("case_joined", "ko", case=7) == "상담원에게 전달했어요 (#7)."
    assert t("case_joined", "en") == "Passed to our team (#{case})."
    assert t("start", "fr") == t("start", "en")
    with pytest.raises(KeyError):
        t("staff.no_such_text", "en")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_keyboard_titles_map_back_to_their_action(lang: str) -> None:
    for key in (k for k in TEXTS if k.startswith("keyboard.")):
        assert keyboard_action(t(key, lang)) == key.removeprefix("keyboard.")
    assert keyboard_action("🆘") is None


def test_staff_texts_live_outside_core() -> None:
    """The engine's Python reads texts.yml only: the staff group's texts are not there."""
    assert [key for key in CORE_TEXTS if key.startswith("staff.")] == []
    assert [key for key in STAFF_TEXTS if not key.startswith("staff.")] == []
    assert set(CORE_TEXTS).isdisjoint(STAFF_TEXTS)
