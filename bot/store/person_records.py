"""A person's records: language, recent messages, secret phrases, flows and check-ins, and
erasing them (/forget)."""

from __future__ import annotations

from typing import Any

from bot.store.base import StoreBase
from bot.store.records import (
    CheckIn,
    PhraseKind,
    UserPrefs,
    UserState,
)
from bot.store.users import RECENT_KEPT

__all__ = ["PersonRecords"]


class PersonRecords(StoreBase):
    """What Haven keeps about a person, for the conversation, flows and check-ins."""

    # Users ---------------------------------------------------------------------------

    async def user(self, user_id: int) -> UserPrefs | None:
        """Return what we remember about a user, if anything."""
        return (await self.user_state(user_id)).prefs

    async def user_state(self, user_id: int) -> UserState:
        """Read the user's settings, flow, check-in and active case in one query."""
        return await self._users.state(user_id)

    async def take_in(
        self,
        user_id: int,
        chat_id: int,
        message_id: int | None,
        language: str | None = None,
        recent: str | None = None,
    ) -> None:
        """Record an incoming message in one transaction (one disk sync).

        Its id, so the chat can be cleared later; the user's ``language`` if it changed; and
        the text among the ``recent`` ones that give a later alert its context.
        """
        async with self._db.transaction() as tx:
            if message_id is not None:
                await self._chatlog.log(tx, chat_id, message_id, "user", None)
            if language is not None:
                await self._users.remember(tx, user_id, chat_id, language, None)
            if recent is not None:
                await self._users.add_recent(tx, user_id, recent)

    async def remember_user(
        self, user_id: int, chat_id: int, language: str, fixed: bool | None = None
    ) -> None:
        """Record the user's chat and language; ``fixed`` pins or unpins the language."""
        async with self._db.transaction() as tx:
            await self._users.remember(tx, user_id, chat_id, language, fixed)

    async def add_recent(self, user_id: int, text: str) -> None:
        """Keep the user's last few messages, for the context of a later alert."""
        async with self._db.transaction() as tx:
            await self._users.add_recent(tx, user_id, text)

    async def recent(self, user_id: int, limit: int = RECENT_KEPT) -> list[str]:
        """Return the user's last messages, oldest first."""
        return await self._users.recent(user_id, limit)

    async def forget(self, user_id: int, chat_id: int | None = None) -> int | None:
        """Erase everything about a user but an open case; return that case's number.

        The erased rows are overwritten (secure_delete) and the write-ahead log emptied, so
        nothing of them stays in the files.
        """
        async with self._db.transaction() as tx:
            kept = await self._erasure.forget(
                tx, user_id, chat_id if chat_id is not None else user_id
            )
        await self._db.compact()
        return kept

    async def set_secret(self, user_id: int, column: str, value: str | None) -> None:
        """Store a user's code phrase hash or safety word (None clears it)."""
        await self._users.set_secret(user_id, column, value)

    async def secrets(self, user_id: int) -> tuple[str | None, str | None]:
        """The user's (code phrase hash, safety word)."""
        return await self._users.secrets(user_id)

    async def phrase_hashes(self) -> list[tuple[PhraseKind, int, str]]:
        """Every stored secret-phrase hash: code phrases and duress words, by user."""
        codewords = [(PhraseKind.CODEWORD, u, h) for u, h in await self._users.codeword_hashes()]
        duress = [(PhraseKind.DURESS, u, h) for u, h in await self._flows.duress_hashes()]
        return codewords + duress

    async def replace_phrase_hash(self, kind: PhraseKind, user_id: int, old: str, new: str) -> bool:
        """Swap one stored phrase hash for another; False if it changed meanwhile."""
        if kind == PhraseKind.CODEWORD:
            return await self._users.replace_codeword_hash(user_id, old, new)
        return await self._flows.replace_duress_hash(user_id, old, new)

    # Flows and check-ins -------------------------------------------------------------

    async def flow(self, user_id: int) -> tuple[str, int, dict[str, Any]] | None:
        """The multi-step flow a user is in: (name, step, answers so far)."""
        return (await self.user_state(user_id)).flow

    async def save_flow(self, user_id: int, name: str, step: int, answers: dict[str, Any]) -> None:
        """Start or advance a user's flow."""
        await self._flows.save(user_id, name, step, answers)

    async def end_flow(self, user_id: int) -> None:
        """Leave the current flow."""
        await self._flows.end(user_id)

    async def save_checkin(self, checkin: CheckIn) -> None:
        """Register (or replace) a user's check-in schedule."""
        await self._flows.save_checkin(checkin)

    async def checkin(self, user_id: int) -> CheckIn | None:
        """A user's check-in, if registered."""
        return await self._flows.checkin(user_id)

    async def checkins(self) -> list[CheckIn]:
        """Every registered check-in."""
        return await self._flows.checkins()

    async def stop_checkin(self, user_id: int) -> bool:
        """End a user's check-ins; tell whether there were any."""
        return await self._flows.stop_checkin(user_id)
