"""Content steps that may fail without costing the escalation.

Triage and the alert must never depend on content: a bad value in a staff-edited file that
slipped past its loader costs the answer that needed it (logged), never the escalation after
it. A failing store is not content: it still raises, to the handlers' store alarm.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from bot.core.errors import StoreError

__all__ = ["content_step", "reads_content"]

log = logging.getLogger(__name__)
R = TypeVar("R")


def reads_content(step: Callable[..., R], *args: Any) -> R | None:
    """``step(*args)``, which reads a staff-edited file; None if it fails in any way."""
    try:
        return step(*args)
    except StoreError:
        raise
    except Exception as exc:  # any content failure; the dialogue goes on
        log.error("a content step failed (%s: %s); going on without it", type(exc).__name__, exc)
        return None


async def content_step(step: Awaitable[R]) -> R | None:
    """Await ``step``, an answer built from content; None (the dialogue goes on) if it fails."""
    try:
        return await step
    except StoreError:
        raise
    except Exception as exc:  # any content failure; triage still decides
        log.error("a content answer failed (%s: %s); going on without it", type(exc).__name__, exc)
        return None
