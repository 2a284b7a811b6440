"""The staff group's chat id, one object shared by every part that posts there.

A group that becomes a supergroup gets a new id (bot/delivery/outbox.py follows the queue, bot/desk/alarms.py
the desk): moving this one object moves the desk, the router, the topics, the digests and the
ladder together, so none of them can go on posting to the old id.
"""

from __future__ import annotations

__all__ = ["StaffGroup"]


class StaffGroup:
    """Where the staff group is now."""

    def __init__(self, chat_id: int) -> None:
        """The group as configured (or as last followed)."""
        self.chat_id = chat_id

    def move_to(self, chat_id: int) -> None:
        """The group became a supergroup with a new id: everyone works there from now on."""
        self.chat_id = chat_id
