"""Users: their chat and language, their secrets, and their last few messages.

The last messages give a later alert its context and expire (bot/store/erasure.py); the
safety word and the messages are sealed (bot/store/crypto.py). /forget is in erasure.py.
"""

from __future__ import annotations

import json

from bot.core.errors import StoreError
from bot.store.cases import ACTIVE, CASE_FIELDS, TRANSCRIPT_TEXT_LIMIT, case_from_row
from bot.store.db import Database, Tx
from bot.store.nocase import NoOpenCase
from bot.store.records import UserPrefs, UserState, iso, now

__all__ = ["RECENT_KEPT", "Users"]

RECENT_KEPT = 8
SECRETS = ("codeword_hash", "safety_word")

# Everything deciding on a message needs, across users, flows, check-ins and cases.
USER_STATE_QUERY = (
    "SELECT u.user_id AS u_user_id, u.chat_id AS u_chat_id, u.language AS u_language, "
    "u.language_fixed AS u_language_fixed, u.codeword_hash AS u_codeword_hash, "
    "f.name AS f_name, f.step AS f_step, f.answers AS f_answers, "
    "k.awaiting_since AS k_awaiting_since, "
    + ", ".join(f"c.{name} AS c_{name}" for name in CASE_FIELDS)
    + " FROM (SELECT ? AS id) AS me "
    "LEFT JOIN users u ON u.user_id = me.id "
    "LEFT JOIN flows f ON f.user_id = me.id "
    "LEFT JOIN checkins k ON k.user_id = me.id "
    f"LEFT JOIN cases c ON c.user_id = me.id AND c.{ACTIVE}"
)


class Users:
    """The users and recent_messages tables."""

    def __init__(self, db: Database, no_case: NoOpenCase) -> None:
        """Work on ``db``; ``no_case`` learns who was read to have no open case."""
        self._db = db
        self._no_case = no_case

    async def state(self, user_id: int) -> UserState:
        """Read the user's settings, flow, check-in and active case in one query."""
        stamp = self._no_case.stamp()
        row = await self._db.fetchone(USER_STATE_QUERY, (user_id,))
        if row is None or row["c_id"] is None:
            self._no_case.learn(user_id, stamp)
        if row is None:
            return UserState()
        prefs = None
        if row["u_user_id"] is not None:
            prefs = UserPrefs(
                row["u_user_id"], row["u_chat_id"], row["u_language"], bool(row["u_language_fixed"])
            )
        flow = None
        if row["f_name"] is not None:
            answers = self._db.unseal(row["f_answers"], "flows.answers") or "{}"
            flow = (row["f_name"], int(row["f_step"]), json.loads(answers))
        return UserState(
            prefs=prefs,
            codeword_hash=row["u_codeword_hash"],
            flow=flow,
            awaiting_checkin=row["k_awaiting_since"] is not None,
            case=case_from_row(row, "c_") if row["c_id"] is not None else None,
        )

    async def remember(
        self, tx: Tx, user_id: int, chat_id: int, language: str, fixed: bool | None
    ) -> None:
        """Record the user's chat and language; ``fixed`` pins or unpins the language."""
        await tx.execute(
            "INSERT INTO users (user_id, chat_id, language, language_fixed, updated_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET "
            "chat_id = excluded.chat_id, language = excluded.language, "
            "language_fixed = COALESCE(?, language_fixed), updated_at = excluded.updated_at",
            (
                user_id,
                chat_id,
                language,
                int(bool(fixed)),
                iso(now()),
                None if fixed is None else int(fixed),
            ),
        )

    async def add_recent(self, tx: Tx, user_id: int, text: str) -> None:
        """Keep the user's last few messages, for the context of a later alert."""
        await tx.execute(
            "INSERT INTO recent_messages (user_id, at, text) VALUES (?, ?, ?)",
            (
                user_id,
                iso(now()),
                self._db.seal(text[:TRANSCRIPT_TEXT_LIMIT], "recent_messages.text"),
            ),
        )
        await tx.execute(
            "DELETE FROM recent_messages WHERE user_id = ? AND id NOT IN "
            "(SELECT id FROM recent_messages WHERE user_id = ? "
            "ORDER BY id DESC LIMIT ?)",
            (user_id, user_id, RECENT_KEPT),
        )

    async def recent(self, user_id: int, limit: int = RECENT_KEPT) -> list[str]:
        """Return the user's last messages, oldest first."""
        rows = await self._db.fetchall(
            "SELECT text FROM recent_messages WHERE user_id = ? ORDER BY id DESC LIMIT ?",
            (user_id, limit),
        )
        return [self._db.unseal(row[0], "recent_messages.text") or "" for row in reversed(rows)]

    async def set_secret(self, user_id: int, column: str, value: str | None) -> None:
        """Store a user's code phrase hash or safety word (None clears it)."""
        if column not in SECRETS:
            raise StoreError(f"unknown secret {column!r}")
        if column == "safety_word":
            value = self._db.seal(value, "users.safety_word")
        async with self._db.transaction() as tx:
            await tx.execute(f"UPDATE users SET {column} = ? WHERE user_id = ?", (value, user_id))

    async def secrets(self, user_id: int) -> tuple[str | None, str | None]:
        """The user's (code phrase hash, safety word)."""
        row = await self._db.fetchone(
            "SELECT codeword_hash, safety_word FROM users WHERE user_id = ?", (user_id,)
        )
        return (row[0], self._db.unseal(row[1], "users.safety_word")) if row else (None, None)

    async def codeword_hashes(self) -> list[tuple[int, str]]:
        """Every stored code phrase hash, by user."""
        rows = await self._db.fetchall(
            "SELECT user_id, codeword_hash FROM users WHERE codeword_hash IS NOT NULL"
        )
        return [(int(row[0]), str(row[1])) for row in rows]

    async def replace_codeword_hash(self, user_id: int, old: str, new: str) -> bool:
        """Swap a code phrase hash, unless the user set another one meanwhile."""
        async with self._db.transaction() as tx:
            cursor = await tx.execute(
                "UPDATE users SET codeword_hash = ? WHERE user_id = ? AND codeword_hash = ?",
                (new, user_id, old),
            )
            return bool(cursor.rowcount)
