"""/privacy, docs/privacy.md and the settings say the same thing, and logs carry no text.

The figures in /privacy are filled from the settings, so they cannot drift; what is checked
here is that the data map and the README state the same defaults, that the map names every
table, and that no logging call is handed what someone wrote.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from bot.common.settings import (
    CASE_RETENTION_DAYS,
    ENGINE_MEMORY_MINUTES,
    RECENT_MESSAGES_HOURS,
    RETENTION_CHECK_MINUTES,
    Settings,
)
from bot.core.texts import t
from bot.delivery.retention import RetentionPolicy
from bot.store.erasure import TABLES
from tests.parts import Parts, build_parts, message

ROOT = Path(__file__).resolve().parents[3]
DATA_MAP = (ROOT / "docs" / "privacy.md").read_text(encoding="utf-8")
README = (ROOT / "README.md").read_text(encoding="utf-8")
DEFAULTS = {
    "CASE_RETENTION_DAYS": CASE_RETENTION_DAYS,
    "RECENT_MESSAGES_HOURS": RECENT_MESSAGES_HOURS,
    "ENGINE_MEMORY_MINUTES": ENGINE_MEMORY_MINUTES,
    "RETENTION_CHECK_MINUTES": RETENTION_CHECK_MINUTES,
}
# How each figure reads in /privacy.
UNITS = {
    "en": ("{} days", "{} hours", "{} minutes"),
    "ko": ("{}일", "{}시간", "{}분"),
}
# Names a logging call must not be handed: they hold what people wrote.
TEXT_NAMES = frozenset(
    {"text", "message", "msg", "payload", "body", "answers", "answer", "note", "words", "reply"}
)


async def privacy(parts: Parts, lang: str) -> str:
    """What /privacy answers in ``lang``."""
    replies = await parts.conversation.on_command(message(telegram_language=lang), "privacy")
    return replies[0].text


@pytest.mark.parametrize("lang", ["en", "ko"])
async def test_privacy_states_the_configured_figures(lang: str, tmp_path: Path) -> None:
    parts = await build_parts(tmp_path)
    try:
        text = await privacy(parts, lang)
        days, hours, minutes = UNITS[lang]
        assert days.format(f"{CASE_RETENTION_DAYS:g}") in text
        assert hours.format(f"{RECENT_MESSAGES_HOURS:g}") in text
        assert minutes.format(f"{ENGINE_MEMORY_MINUTES:g}") in text
    finally:
        await parts.store.close()
    parts = await build_parts(
        tmp_path / "custom",
        case_retention_days=7,
        recent_messages_hours=2.5,
        engine_memory_minutes=15,
    )
    try:
        custom = await privacy(parts, lang)
        for figure, unit in zip(("7", "2.5", "15"), UNITS[lang], strict=True):
            assert unit.format(figure) in custom
        assert "/forget" in custom
        assert "/clear" in custom
        assert "48" in custom
    finally:
        await parts.store.close()


def test_the_policy_comes_from_the_settings() -> None:
    settings = Settings.from_env(
        {"CASE_RETENTION_DAYS": "7", "RECENT_MESSAGES_HOURS": "0.5", "ENGINE_MEMORY_MINUTES": "15"},
        dotenv=Path("/nonexistent"),
    )
    assert RetentionPolicy.from_settings(settings).figures() == {
        "case_days": "7",
        "recent_hours": "0.5",
        "engine_minutes": "15",
        "timeline_days": "90",
    }
    defaults = RetentionPolicy.from_settings(Settings.from_env({}, dotenv=Path("/nonexistent")))
    assert defaults == RetentionPolicy()


@pytest.mark.parametrize(("name", "default"), sorted(DEFAULTS.items()))
def test_the_data_map_and_readme_state_the_same_defaults(name: str, default: float) -> None:
    assert re.search(rf"^\| `{name}` \| {default:g} \|", DATA_MAP, re.MULTILINE), name
    assert re.search(rf"^\| `{name}` \|.*\| `{default:g}` \|$", README, re.MULTILINE), name


def test_the_privacy_text_keeps_to_the_data_map() -> None:
    en = t("privacy", "en", case_days="C", recent_hours="R", engine_minutes="E", timeline_days="T")
    assert "C days after it closes" in en
    assert "R hours" in en
    assert "after E minutes" in en
    assert "for T days after it closes, then only as totals" in en
    assert "everyone on the team" in en, "the whole staff group reads a case, not one caseworker"
    assert "encrypted" in en
    # The data map says each of these, in the same terms.
    for claim in ("every member of the group", "48 hours", "salted hashes", "`/forget`"):
        assert claim in DATA_MAP


@pytest.mark.parametrize("table", sorted(set(TABLES) - {"sqlite_sequence"}))
def test_the_data_map_names_every_table(table: str) -> None:
    assert re.search(rf"^\| `{table}` \|", DATA_MAP, re.MULTILINE), table


def logging_calls() -> list[tuple[str, ast.Call]]:
    """Every ``log.<level>(...)`` and ``logger.<level>(...)`` call in Haven's code."""
    calls = []
    for folder in ("bot", "components", "actions"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and isinstance(node.func.value, ast.Name)
                    and node.func.value.id in ("log", "logger", "logging")
                    and node.func.attr in ("debug", "info", "warning", "error", "exception")
                ):
                    calls.append((f"{path.relative_to(ROOT)}:{node.lineno}", node))
    return calls


def test_no_logging_call_is_handed_what_someone_wrote() -> None:
    calls = logging_calls()
    assert len(calls) > 10
    wrong = []
    for where, call in calls:
        for arg in [*call.args, *(k.value for k in call.keywords)]:
            for node in ast.walk(arg):
                name = node.id if isinstance(node, ast.Name) else None
                if isinstance(node, ast.Attribute):
                    name = node.attr
                if name in TEXT_NAMES:
                    wrong.append(f"{where}: {name}")
    assert wrong == []
