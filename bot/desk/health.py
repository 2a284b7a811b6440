"""How Haven stands, for staff: /health in the staff group, and the watch on stuck alerts;
for monitors: the verdict /healthz serves (bot/desk/metrics.py).

A caseworker must be able to see at a glance whether alerts get through: the queue's depth and
oldest message, dead letters, the engine, the last delivery error, the store and content files.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.core.datafile import Reloading
from bot.core.errors import StoreError
from bot.core.texts import t
from bot.delivery.outbox import Outbox
from bot.desk.access import DeskAccess
from bot.desk.alarms import ALERT_KINDS, Alarms
from bot.desk.stalefacts import StaleFacts
from bot.engine.client import Engine
from bot.store import now
from bot.store.delivery_records import DeliveryRecords

__all__ = ["Health", "Verdict"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Verdict:
    """What /healthz answers: healthy or not, and why not."""

    healthy: bool
    reason: str


def ago(moment: datetime, lang: str) -> str:
    """How long ago, in minutes (seconds under a minute)."""
    seconds = max(0, int((now() - moment).total_seconds()))
    if seconds < 60:
        return t("staff.seconds_ago", lang, seconds=seconds)
    return t("staff.minutes_ago", lang, minutes=seconds // 60)


class Health:
    """Renders /health and raises the stuck-alert alarm."""

    def __init__(
        self,
        store: DeliveryRecords,
        outbox: Outbox,
        access: DeskAccess,
        alarms: Alarms,
        engine: Engine | None,
        files: Sequence[Reloading[Any]],
        lang: str,
        alert_alarm_minutes: float,
        stale: StaleFacts | None = None,
    ) -> None:
        """Look at these parts; alarm about alerts queued over ``alert_alarm_minutes``;
        ``stale`` counts the facts whose checked date is old."""
        self._store = store
        self._outbox = outbox
        self._access = access
        self._alarms = alarms
        self._engine = engine
        self._files = files
        self._lang = lang
        self._minutes = alert_alarm_minutes
        self.stale = stale

    async def report(self, actor_id: int) -> str:
        """The /health answer (staff only, like every staff command)."""
        await self._access.authorize(actor_id, "health", None)
        lang = self._lang
        lines = [t("staff.health_title", lang)]
        try:
            stats = await self._store.outbox_stats()
        except StoreError as exc:
            lines.append(t("staff.health_store_down", lang, reason=str(exc)))
        else:
            if stats.pending and stats.oldest_pending_at:
                oldest = ago(datetime.fromisoformat(stats.oldest_pending_at), lang)
                lines.append(t("staff.health_outbox", lang, count=stats.pending, age=oldest))
            else:
                lines.append(t("staff.health_outbox_empty", lang))
            lines.append(t("staff.health_dead", lang, count=stats.dead, day=stats.dead_last_day))
        if self._outbox.unrecorded:
            lines.append(t("staff.health_unrecorded", lang, count=self._outbox.unrecorded))
        if self._engine is not None:
            up = await self._engine.ready()
            lines.append(t("staff.health_engine_up" if up else "staff.health_engine_down", lang))
        if self._outbox.last_error is not None:
            at, error = self._outbox.last_error
            lines.append(t("staff.health_last_error", lang, error=error, ago=ago(at, lang)))
        else:
            lines.append(t("staff.health_no_error", lang))
        problems = [f for f in self._files if f.problem]
        for holder in problems:
            name = holder.label
            lines.append(t("staff.health_content", lang, file=name, reason=holder.problem))
        if not problems:
            lines.append(t("staff.health_content_ok", lang))
        if self.stale is not None:
            count = len(self.stale.entries())
            lines.append(t("staff.health_stale_facts", lang, count=count, days=self.stale.days))
        return "\n".join(lines)

    async def verdict(self) -> Verdict:
        """For an uptime monitor: healthy only when the store takes a write, the engine
        answers, and no alert has waited longer than ALERT_ALARM_MINUTES."""
        problems = []
        try:
            await self._store.check_writable()
            stuck = await self._store.stuck(ALERT_KINDS, timedelta(minutes=self._minutes))
        except StoreError as exc:
            problems.append(f"the store cannot be written: {exc}")
        else:
            if stuck:
                problems.append(
                    f"{len(stuck)} alerts undelivered for over {self._minutes:g} minutes "
                    f"(ALERT_ALARM_MINUTES)"
                )
        if self._engine is not None and not await self._engine.ready():
            problems.append("the engine does not answer")
        return Verdict(not problems, "; ".join(problems) or "ok")

    async def watch(self) -> None:
        """Alarm about alerts queued longer than the limit (each stuck alert once)."""
        try:
            stuck = await self._store.stuck(ALERT_KINDS, timedelta(minutes=self._minutes))
        except StoreError as exc:
            log.error("could not look for stuck alerts: %s", exc)
            await self._alarms.store_failing(exc)
            return
        if stuck:
            await self._alarms.stuck_alerts(stuck, self._minutes)
