"""Non-staff members of the staff group: refused quietly, told at most once an hour.

The staff group's send budget (about 20 messages a minute) is for cases. A stranger's
commands are refused and audited as before; a public answer to each would spend that budget
and hold alerts back, so each stranger gets one short notice an hour and nothing else.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable

__all__ = ["NOTICE_EVERY", "StrangerNotices"]

NOTICE_EVERY = 3600.0
"""Seconds between two notices to the same stranger."""
KEPT = 10_000
"""Strangers remembered at most (the oldest are forgotten first)."""


class StrangerNotices:
    """Says whether a refused non-staff member may be told so now."""

    def __init__(
        self, every: float = NOTICE_EVERY, clock: Callable[[], float] = time.monotonic
    ) -> None:
        """Tell each stranger at most once per ``every`` seconds of ``clock``."""
        self._every = every
        self._clock = clock
        self._told: OrderedDict[int, float] = OrderedDict()

    def may_tell(self, user_id: int) -> bool:
        """True the first time in ``every`` seconds (and remember it), else False."""
        moment = self._clock()
        last = self._told.get(user_id)
        if last is not None and moment - last < self._every:
            return False
        self._told[user_id] = moment
        self._told.move_to_end(user_id)
        while len(self._told) > KEPT:
            self._told.popitem(last=False)
        return True
