"""Facts that may no longer be true: entries whose checked date is older than FACTS_STALE_DAYS.

Levels change several times a year and numbers move; a person is never told a fact without its
date, but staff must also see which dates are getting old. Once a week the staff group gets one
message listing them (advisories first), and /health shows how many there are.
"""

from __future__ import annotations

import datetime as dt
import logging

from bot.core.errors import FactsError
from bot.core.facts import FactsStore, StaleEntry
from bot.core.texts import t
from bot.desk.alarms import Alarms

__all__ = ["StaleFacts", "render_stale"]

log = logging.getLogger(__name__)

MAX_LISTED = 40
"""Entries named in one message; the rest are counted (a message stays far below 4096)."""


def render_stale(entries: list[StaleEntry], days: int, lang: str) -> str:
    """The weekly staff message: how many, then one line per entry, advisories first."""
    lines = [t("staff.stale_facts_title", lang, count=len(entries), days=days)]
    for entry in entries[:MAX_LISTED]:
        kind = t(f"staff.stale_kind_{entry.kind}", lang)
        lines.append(f"• {kind}: {entry.label} ({entry.checked})")
    if len(entries) > MAX_LISTED:
        lines.append(t("staff.stale_more", lang, count=len(entries) - MAX_LISTED))
    lines.append(t("staff.stale_facts_hint", lang))
    return "\n".join(lines)


class StaleFacts:
    """Counts stale entries for /health and posts the weekly list to the staff group."""

    def __init__(self, facts: FactsStore, alarms: Alarms, days: int, lang: str) -> None:
        """Watch ``facts``; an entry is stale when checked more than ``days`` days ago."""
        self._facts = facts
        self._alarms = alarms
        self.days = days
        self._lang = lang

    def entries(self, today: dt.date | None = None) -> list[StaleEntry]:
        """The stale entries today (none when the facts cannot be read: /health says so)."""
        try:
            current = self._facts.current()
        except FactsError as exc:
            log.warning("stale facts: the facts file cannot be read: %s", exc)
            return []
        return current.stale(today or dt.date.today(), self.days)

    async def weekly(self, today: dt.date | None = None) -> bool:
        """Queue this week's list, at most once a week; True when one was queued."""
        day = today or dt.date.today()
        entries = self.entries(day)
        if not entries:
            return False
        year, week, _ = day.isocalendar()
        await self._alarms.notice(
            render_stale(entries, self.days, self._lang),
            dedupe_key=f"stale-facts:{year}-W{week:02d}",
        )
        return True
