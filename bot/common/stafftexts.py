"""What Haven says to staff, in each language it answers in: the staff group's catalogue.

The words are each pack's ``content/<code>/staff.yml``.

The engine never says these, so they live outside bot.core (which the engine's Python reads);
importing ``bot.common`` adds them to ``t()``'s catalogues. Keys start with ``staff.``.
"""

from __future__ import annotations

from bot.core.texts import add_catalogue, load_catalogue

__all__ = ["STAFF_TEXTS"]

STAFF_TEXTS = load_catalogue("staff.yml")
"""The staff group's words, from each pack's staff.yml."""
add_catalogue(STAFF_TEXTS)
