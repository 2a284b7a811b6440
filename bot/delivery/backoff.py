"""How long to wait before trying again: exponential, capped; one rule for the outbox's sends
and for recording what Telegram accepted."""

from __future__ import annotations

__all__ = ["BASE_DELAY", "MAX_DELAY", "STORE_RETRY_CAP", "backoff"]

BASE_DELAY = 1.0
MAX_DELAY = 60.0
STORE_RETRY_CAP = 30.0
"""Seconds at most between two tries of a failing store."""


def backoff(attempts: int, base: float = BASE_DELAY, cap: float = MAX_DELAY) -> float:
    """Exponential delay after ``attempts`` failures, capped."""
    return float(min(cap, base * (2 ** max(0, attempts))))
