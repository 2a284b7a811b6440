"""A person's messages into the staff group, marked with the case number."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from bot.core.replies import clip
from bot.core.texts import t
from bot.delivery.outbox import Outbox
from bot.desk.access import DeskAccess
from bot.store import Case, OutboxKind, Outgoing

__all__ = ["RelayRecords", "Relays"]


class RelayRecords(Protocol):
    """What a relay writes: the case's transcript, with the copy to staff queued in one go."""

    async def add_transcript(
        self, case_id: int, author: str, kind: str, text: str, outgoing: Iterable[Outgoing] = ()
    ) -> list[int]: ...
    async def enqueue(self, outgoing: Outgoing, case_id: int | None = None) -> list[int]: ...


class Relays:
    """Passes what a person writes or sends in a case on to staff."""

    def __init__(self, access: DeskAccess, store: RelayRecords, outbox: Outbox) -> None:
        """Write to ``store`` for ``access``'s group; wake ``outbox``."""
        self._access = access
        self._store = store
        self._outbox = outbox

    async def text(self, case: Case, text: str) -> None:
        """Pass a user's message into the staff group, marked with the case number."""
        notice = t("staff.relayed", self._access.lang, id=case.id, text=clip(text, 3500))
        await self._store.add_transcript(
            case.id,
            "user",
            "text",
            text,
            outgoing=[Outgoing(self._access.chat_id, OutboxKind.RELAY, notice)],
        )
        self._outbox.wake()

    async def notice(self, case: Case, text: str) -> None:
        """Tell the staff group about a message already in the case's transcript."""
        notice = t("staff.relayed", self._access.lang, id=case.id, text=clip(text, 3500))
        await self._store.enqueue(Outgoing(self._access.chat_id, OutboxKind.RELAY, notice), case.id)
        self._outbox.wake()

    async def media(
        self,
        case: Case,
        kind: str,
        from_chat: int,
        message_id: int,
        note: str = "",
        delete_source: bool = False,
    ) -> None:
        """Copy a user's photo, voice or location into the staff group after a header.

        With ``delete_source`` the user's message is deleted once the copy is accepted.
        """
        header = t("staff.relayed_media", self._access.lang, id=case.id, kind=kind)
        if note:
            header = f"{header}\n{note}"
        await self._store.add_transcript(
            case.id,
            "user",
            kind,
            note or f"[{kind}]",
            outgoing=[
                Outgoing(self._access.chat_id, OutboxKind.RELAY, header),
                Outgoing(
                    self._access.chat_id,
                    OutboxKind.RELAY_COPY,
                    "",
                    copy_from_chat=from_chat,
                    copy_message_id=message_id,
                    delete_source=delete_source,
                ),
            ],
        )
        self._outbox.wake()
