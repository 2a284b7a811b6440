"""What every action needs: the facts store, the reply language, the place in a message."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Any

from rasa_sdk import Tracker

from bot.core.facts import Facts, FactsStore
from bot.core.packs import answering

ANSWERING = answering()
"""The languages Haven answers in (its language packs)."""
ROOT = Path(__file__).resolve().parent.parent


@lru_cache(maxsize=1)
def facts_store() -> FactsStore:
    """Open the facts store on first use; it re-reads the files when they change."""
    content = Path(os.environ.get("HAVEN_CONTENT_DIR", ROOT / "content"))
    return FactsStore(content / "facts.yml", content / "countries.yml")


def facts() -> Facts:
    """Return the current facts, reloaded if staff edited the file."""
    return facts_store().current()


def language(tracker: Tracker) -> str:
    """Return the language the front end chose for this turn."""
    value = tracker.get_slot("language")
    return value if value in ANSWERING else "en"


def place(tracker: Tracker) -> tuple[str | None, str | None]:
    """Find the country (and city) the latest message names, from entities or text."""
    country_entity = next(tracker.get_latest_entity_values("country"), None)
    text = str(tracker.latest_message.get("text") or "")
    country, city = facts().find_place(text)
    if isinstance(country_entity, str) and len(country_entity) == 2:
        country = country_entity.upper()
    return country, city


def country_buttons(lang: str, intent: str) -> list[dict[str, Any]]:
    """Offer the countries the facts cover, so one tap picks one."""
    codes = ["KH", "TH", "VN", "LA", "MM", "PH", "KR"]
    current = facts()
    return [
        {
            "title": current.country_name(code, lang),
            "payload": f'/{intent}{{"country": "{code}"}}',
        }
        for code in codes
    ]
