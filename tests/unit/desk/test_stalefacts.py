"""Stale facts: the weekly staff message lists entries older than FACTS_STALE_DAYS, advisories
first, and nothing younger; /health counts them; the setting is checked at start."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.common.settings import Settings
from bot.core.errors import ConfigError
from bot.core.facts import FactsStore
from bot.desk.stalefacts import StaleFacts, render_stale

ROOT = Path(__file__).resolve().parents[3]
TODAY = dt.date(2027, 1, 10)


class Notices:
    """Stands in for bot.desk.alarms.Alarms: keeps what would be queued for the staff group."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str | None]] = []

    async def notice(self, text: str, dedupe_key: str | None = None, **_: Any) -> None:
        self.sent.append((text, dedupe_key))


def facts_with_dates(tmp_path: Path, old: str, young: str) -> FactsStore:
    """The shipped facts, with the Phnom Penh advisory checked on ``old`` and everything else
    (contacts, flags, the other advisories) on ``young``."""
    data = yaml.safe_load((ROOT / "content" / "facts.yml").read_text(encoding="utf-8"))
    for section in ("contacts", "advisories", "red_flags", "how_to_verify", "figures"):
        for entry in data[section]:
            entry["checked"] = young
    cambodia = next(a for a in data["advisories"] if a["id"] == "kh-2025-12")
    cambodia["checked"] = old
    data["contacts"][0]["checked"] = old
    (tmp_path / "facts.yml").write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    return FactsStore(tmp_path / "facts.yml", ROOT / "content" / "countries.yml")


async def test_weekly_message_lists_older_entries_only_advisories_first(tmp_path: Path) -> None:
    store = facts_with_dates(tmp_path, old="2026-09-01", young="2026-12-06")
    notices = Notices()
    stale = StaleFacts(store, notices, days=90, lang="en")  # type: ignore[arg-type]
    assert await stale.weekly(TODAY)
    [(text, key)] = notices.sent
    lines = text.splitlines()
    assert "2 fact entries" in lines[0]
    assert "kh-2025-12" in lines[1]
    assert lines[1].startswith("• advisory")
    assert "kr-consular-call-center" in lines[2]
    assert "2026-12-06" not in text
    assert key == "stale-facts:2027-W01"
    assert len(stale.entries(TODAY)) == 2


async def test_nothing_stale_sends_nothing(tmp_path: Path) -> None:
    store = facts_with_dates(tmp_path, old="2026-12-01", young="2026-12-06")
    notices = Notices()
    stale = StaleFacts(store, notices, days=90, lang="ko")  # type: ignore[arg-type]
    assert not await stale.weekly(TODAY)
    assert notices.sent == []


def test_render_in_korean_names_the_kind() -> None:
    from bot.core.facts import StaleEntry

    text = render_stale([StaleEntry("advisory", "mm-2023-11", "2026-01-01")], 90, "ko")
    assert "여행경보: mm-2023-11 (2026-01-01)" in text
    assert "90일" in text


def test_setting_default_and_bad_values() -> None:
    assert Settings.from_env({}).facts_stale_days == 90
    assert Settings.from_env({"FACTS_STALE_DAYS": "30"}).facts_stale_days == 30
    for bad in ("0", "-3", "soon"):
        with pytest.raises(ConfigError, match="FACTS_STALE_DAYS"):
            Settings.from_env({"FACTS_STALE_DAYS": bad})
