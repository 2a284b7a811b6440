"""Telegram's errors in Haven's terms, so the outbox and the janitor never import telegram."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError
from telegram.warnings import PTBDeprecationWarning

from bot.core.errors import DeliveryError, DeliveryRefused, RetryLater


def retry_seconds(error: RetryAfter) -> float:
    """Telegram's requested wait, whichever type this PTB version reports it as."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


@contextmanager
def delivery_errors() -> Iterator[None]:
    """Re-raise a Telegram error from the block as RetryLater, DeliveryRefused or DeliveryError."""
    try:
        yield
    except RetryAfter as exc:
        raise RetryLater(str(exc), retry_seconds(exc)) from exc
    except (BadRequest, Forbidden) as exc:
        raise DeliveryRefused(str(exc)) from exc
    except TelegramError as exc:
        raise DeliveryError(f"{type(exc).__name__}: {exc}") from exc
