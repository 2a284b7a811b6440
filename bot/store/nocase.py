"""Who is known to have no open case, so a reply need not ask the disk again.

Every message a person receives is rendered by whether they have an open case
(bot/delivery/discretion.py): one more read on the way of each reply, and of each queued
message. Cases are opened only by ``Cases.open`` in this process (a restore and a key rotation
refuse while Haven runs), so "no open case" stays true until a case opens; any opening
forgets everything known, and a read that raced with one teaches nothing.
"""

from __future__ import annotations

__all__ = ["KEPT", "NoOpenCase"]

KEPT = 100_000
"""Users remembered at most; past it, everything is forgotten (and re-read once each)."""


class NoOpenCase:
    """User ids read to have no open case since the last case opened."""

    def __init__(self, kept: int = KEPT) -> None:
        """Remember at most ``kept`` users."""
        self._kept = kept
        self._users: set[int] = set()
        self._openings = 0

    def stamp(self) -> int:
        """Take before a read: ``learn`` keeps its answer only if no case opened meanwhile."""
        return self._openings

    def known(self, user_id: int) -> bool:
        """True when ``user_id`` surely has no open case now."""
        return user_id in self._users

    def learn(self, user_id: int, stamp: int) -> None:
        """A read begun at ``stamp`` found no open case for ``user_id``."""
        if stamp != self._openings:
            return
        if len(self._users) >= self._kept:
            self._users.clear()
        self._users.add(user_id)

    def opening(self) -> None:
        """A case is being opened (its transaction may still fail): forget everything."""
        self._openings += 1
        self._users.clear()
