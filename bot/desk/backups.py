"""The scheduled backup inside Haven (BACKUP_EVERY_HOURS): `make backup` on a timer, its
failure told to staff like any other failure, once, and its recovery too."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime

from bot.common.settings import Settings
from bot.core.errors import HavenError
from bot.core.texts import t
from bot.desk.alarms import Alarms
from bot.store import KeySource, now
from bot.store.backup import BackupInfo, backups_in, take, verify_moment

__all__ = ["FIRST_SECONDS", "BackupSchedule"]

log = logging.getLogger(__name__)

FIRST_SECONDS = 60.0
"""With no backup yet, the first is taken this soon after start."""


class BackupSchedule:
    """Takes a backup when asked (the job queue asks every BACKUP_EVERY_HOURS)."""

    def __init__(self, settings: Settings, keys: KeySource, alarms: Alarms) -> None:
        """Back up ``settings``' database into its BACKUP_DIR; tell staff through ``alarms``."""
        self._settings = settings
        self._keys = keys
        self._alarms = alarms
        self._failing = False

    @property
    def interval_seconds(self) -> float:
        """How often to run."""
        return (self._settings.backup_every_hours or 0) * 3600

    def first_delay(self, moment: datetime | None = None) -> float:
        """Seconds until the next backup is due: when the newest one in BACKUP_DIR is an
        interval old, so restarts do not put it off; soon after start when there is none."""
        found = backups_in(self._settings.backup_dir)
        if not found:
            return FIRST_SECONDS
        age = ((moment or now()) - verify_moment(found[-1])).total_seconds()
        return max(FIRST_SECONDS, self.interval_seconds - age)

    async def run(self) -> BackupInfo | None:
        """Take, verify and prune one backup (in a thread: the bot keeps serving meanwhile)."""
        s = self._settings
        try:
            info, removed = await asyncio.to_thread(
                take, s.database_path, s.backup_dir, self._keys, s.backup_keep
            )
        except (HavenError, OSError) as exc:
            log.error("the scheduled backup failed: %s", exc)
            if not self._failing:
                self._failing = True
                await self._alarms.shout(t("staff.backup_failed", s.staff_language, reason=exc))
            return None
        log.info("backed up to %s; %d old backups removed", info.path, len(removed))
        if self._failing:
            self._failing = False
            await self._alarms.notice(t("staff.backup_recovered", s.staff_language))
        return info
