"""Who is staff: a person named in STAFF_USER_IDS who is a member of the staff group right now.

Being in the group is not enough (anyone can be added to a group, and every member reads it),
and being named is not enough (a caseworker who left the group, or was removed or restricted,
has lost access). Telegram is asked; only a "yes" is remembered, and only briefly, and only
while Telegram tells the bot about membership changes (it does so only to administrators).
A change, a "no" or a failed check forgets the person at once, so the next action asks again.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum

from bot.core.errors import MembershipUnknown

__all__ = ["GroupMember", "Lookup", "MemberStatus", "StaffRoster"]

log = logging.getLogger(__name__)

POSITIVE_SECONDS = 30.0
"""How long a "yes, a member" is trusted while membership changes reach the bot."""


class MemberStatus(StrEnum):
    """A user's standing in a group, as Telegram's ChatMember.status names it."""

    OWNER = "creator"
    ADMINISTRATOR = "administrator"
    MEMBER = "member"
    RESTRICTED = "restricted"
    LEFT = "left"
    KICKED = "kicked"

    @property
    def active(self) -> bool:
        """A full member: restricted members, like those who left, may not act on cases."""
        return self in (MemberStatus.OWNER, MemberStatus.ADMINISTRATOR, MemberStatus.MEMBER)


@dataclass(frozen=True)
class GroupMember:
    """What Telegram says about one user in the staff group."""

    user_id: int
    name: str
    status: MemberStatus


Lookup = Callable[[int], Awaitable[GroupMember]]
"""Ask Telegram about a user in the staff group; raises MembershipUnknown when it cannot say."""


class StaffRoster:
    """Decides whether a user is staff; callable as ``await roster(user_id)``."""

    def __init__(
        self, named: Iterable[int], lookup: Lookup, positive_seconds: float = POSITIVE_SECONDS
    ) -> None:
        """Staff are the ``named`` users whom ``lookup`` finds in the group."""
        self._named = frozenset(named)
        self._lookup = lookup
        self._positive_seconds = positive_seconds
        self._confirmed: dict[int, float] = {}
        self._generation: dict[int, int] = {}
        self._trust_updates = False

    @property
    def named(self) -> frozenset[int]:
        """The user ids in STAFF_USER_IDS."""
        return self._named

    async def __call__(self, user_id: int) -> bool:
        """Whether ``user_id`` is staff now; MembershipUnknown when Telegram cannot say."""
        if user_id not in self._named:
            return False
        confirmed = self._confirmed.get(user_id)
        if (
            self._trust_updates
            and confirmed is not None
            and time.monotonic() - confirmed < self._positive_seconds
        ):
            return True
        generation = self._generation.get(user_id, 0)
        try:
            member = await self._lookup(user_id)
        except MembershipUnknown:
            self.changed(user_id)
            raise
        if not member.status.active:
            self.changed(user_id)
            return False
        # A change that arrived while Telegram was being asked wins over the older answer.
        if self._trust_updates and self._generation.get(user_id, 0) == generation:
            self._confirmed[user_id] = time.monotonic()
        return True

    def changed(self, user_id: int) -> None:
        """The user's membership changed (joined, left, removed, restricted): ask next time."""
        self._confirmed.pop(user_id, None)
        self._generation[user_id] = self._generation.get(user_id, 0) + 1

    def trust_updates(self, trusted: bool) -> None:
        """Whether Telegram tells the bot about membership changes (the bot is an admin).

        Without them a remembered "yes" could outlive a removal, so nothing is remembered.
        """
        if not trusted:
            log.warning(
                "the bot is not an administrator of the staff group, so Telegram does not "
                "report membership changes: every staff action asks Telegram"
            )
        self._trust_updates = trusted
        if not trusted:
            self._confirmed.clear()

    async def members(self) -> list[tuple[int, GroupMember | None]]:
        """Each named user with what Telegram says now (None where it could not say)."""
        ids = sorted(self._named)
        answers = await asyncio.gather(*(self._ask(user_id) for user_id in ids))
        return list(zip(ids, answers, strict=True))

    async def name(self, user_id: int) -> str | None:
        """What Telegram calls a user of the staff group now (to mention them); None if unknown."""
        member = await self._ask(user_id)
        return member.name if member is not None else None

    async def _ask(self, user_id: int) -> GroupMember | None:
        try:
            member = await self._lookup(user_id)
        except MembershipUnknown as exc:
            log.warning("could not check staff membership of %s: %s", user_id, exc)
            self.changed(user_id)
            return None
        if not member.status.active:
            self.changed(user_id)
        return member
