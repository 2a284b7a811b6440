"""Where a user is in a multi-step flow, and travellers' check-in schedules.

Both survive a restart, so a half-answered rescue form or a check-in is not lost with the process.
The answers, destination and departure are sealed (bot/store/crypto.py); an unfinished flow
expires (bot/store/erasure.py).
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from bot.store.db import Database, Row
from bot.store.records import CheckIn, iso, now

__all__ = ["Flows"]

CHECKIN_COLUMNS = (
    "user_id, chat_id, language, destination, departure, interval_minutes, grace_minutes, "
    "duress_hash, next_prompt_at, awaiting_since"
)


class Flows:
    """The flows and checkins tables."""

    def __init__(self, db: Database) -> None:
        """Work on ``db``."""
        self._db = db

    async def save(self, user_id: int, name: str, step: int, answers: dict[str, Any]) -> None:
        """Start or advance a user's flow."""
        async with self._db.transaction() as tx:
            await tx.execute(
                "INSERT INTO flows (user_id, name, step, answers, updated_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET "
                "name = excluded.name, step = excluded.step, answers = excluded.answers, "
                "updated_at = excluded.updated_at",
                (
                    user_id,
                    name,
                    step,
                    self._db.seal(json.dumps(answers, ensure_ascii=False), "flows.answers"),
                    iso(now()),
                ),
            )

    async def end(self, user_id: int) -> None:
        """Leave the current flow."""
        async with self._db.transaction() as tx:
            await tx.execute("DELETE FROM flows WHERE user_id = ?", (user_id,))

    async def save_checkin(self, checkin: CheckIn) -> None:
        """Register (or replace) a user's check-in schedule."""
        async with self._db.transaction() as tx:
            await tx.execute(
                f"INSERT OR REPLACE INTO checkins ({CHECKIN_COLUMNS}, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    *dataclasses.astuple(
                        dataclasses.replace(
                            checkin,
                            destination=self._db.seal(checkin.destination, "checkins.destination"),
                            departure=self._db.seal(checkin.departure, "checkins.departure"),
                        )
                    ),
                    iso(now()),
                ),
            )

    async def checkin(self, user_id: int) -> CheckIn | None:
        """A user's check-in, if registered."""
        row = await self._db.fetchone(
            f"SELECT {CHECKIN_COLUMNS} FROM checkins WHERE user_id = ?", (user_id,)
        )
        return self._checkin(row) if row else None

    async def checkins(self) -> list[CheckIn]:
        """Every registered check-in."""
        rows = await self._db.fetchall(f"SELECT {CHECKIN_COLUMNS} FROM checkins")
        return [self._checkin(row) for row in rows]

    def _checkin(self, row: Row) -> CheckIn:
        """A check-in from its row, its places opened."""
        checkin = CheckIn(*row)
        return dataclasses.replace(
            checkin,
            destination=self._db.unseal(checkin.destination, "checkins.destination") or "",
            departure=self._db.unseal(checkin.departure, "checkins.departure") or "",
        )

    async def stop_checkin(self, user_id: int) -> bool:
        """End a user's check-ins; tell whether there were any."""
        async with self._db.transaction() as tx:
            cursor = await tx.execute("DELETE FROM checkins WHERE user_id = ?", (user_id,))
            return bool(cursor.rowcount)

    async def duress_hashes(self) -> list[tuple[int, str]]:
        """Every stored duress word hash, by user."""
        rows = await self._db.fetchall(
            "SELECT user_id, duress_hash FROM checkins WHERE duress_hash IS NOT NULL"
        )
        return [(int(row[0]), str(row[1])) for row in rows]

    async def replace_duress_hash(self, user_id: int, old: str, new: str) -> bool:
        """Swap a duress word hash, unless the user registered another check-in meanwhile."""
        async with self._db.transaction() as tx:
            cursor = await tx.execute(
                "UPDATE checkins SET duress_hash = ? WHERE user_id = ? AND duress_hash = ?",
                (new, user_id, old),
            )
            return bool(cursor.rowcount)
