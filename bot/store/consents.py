"""What a person agreed to share and with whom, and their case's one safety note.

Staff ask (``/consent N party``); the person answers with a button; the answer is kept on the
case (and erased with it) so canned replies that say "we are contacting X" can be refused
until the person said yes. Nothing here holds what anyone wrote.
"""

from __future__ import annotations

from bot.store.db import Database
from bot.store.records import Consent, Party, iso, now

__all__ = ["Consents"]


class Consents:
    """The case_consents table and cases.safety_note_at."""

    def __init__(self, db: Database) -> None:
        """Work on ``db``."""
        self._db = db

    async def record(self, case_id: int, party: Party, answer: Consent) -> None:
        """Keep the latest answer (or that it was asked) for one party."""
        async with self._db.transaction() as tx:
            await tx.execute(
                "INSERT INTO case_consents (case_id, party, answer, at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (case_id, party) DO UPDATE SET answer = excluded.answer, "
                "at = excluded.at",
                (case_id, party, answer, iso(now())),
            )

    async def of(self, case_id: int) -> dict[Party, Consent]:
        """Every party asked about on a case, with where the answer stands."""
        rows = await self._db.fetchall(
            "SELECT party, answer FROM case_consents WHERE case_id = ? ORDER BY party",
            (case_id,),
        )
        return {Party(row[0]): Consent(row[1]) for row in rows}

    async def claim_safety_note(self, case_id: int) -> bool:
        """True once per case: the caller sends the safety note (a second caller does not)."""
        async with self._db.transaction() as tx:
            cursor = await tx.execute(
                "UPDATE cases SET safety_note_at = ? WHERE id = ? AND safety_note_at IS NULL",
                (iso(now()), case_id),
            )
            return bool(cursor.rowcount)
