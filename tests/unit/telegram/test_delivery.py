"""Telegram's errors become Haven's by kind: refusals are permanent, rate limits carry a wait."""

from __future__ import annotations

import pytest
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.core import errors
from bot.telegram.delivery import telegram_errors, translate


@pytest.mark.parametrize(
    ("error", "kind"),
    [
        (BadRequest("Bad Request: message is too long"), errors.TooLong),
        (BadRequest("Bad Request: message to copy not found"), errors.SourceGone),
        (BadRequest("Bad Request: message to delete not found"), errors.SourceGone),
        (BadRequest("Bad Request: message can't be deleted for everyone"), errors.SourceGone),
        (BadRequest("Bad Request: chat not found"), errors.Blocked),
        (BadRequest("Bad Request: can't parse entities"), errors.Refused),
        (Forbidden("Forbidden: bot was blocked by the user"), errors.Blocked),
    ],
)
def test_refusals_are_permanent_and_classified(error: Exception, kind: type) -> None:
    translated = translate(error)  # type: ignore[arg-type]
    assert type(translated) is kind
    assert translated.permanent
    assert translated.retry_after is None


def test_rate_limit_carries_the_wait() -> None:
    translated = translate(RetryAfter(17))
    assert isinstance(translated, errors.RateLimited)
    assert translated.retry_after == 17
    assert not translated.permanent


def test_migration_carries_the_new_chat() -> None:
    translated = translate(ChatMigrated(-100123))
    assert isinstance(translated, errors.ChatMigrated)
    assert translated.new_chat_id == -100123
    assert translated.permanent


@pytest.mark.parametrize("error", [NetworkError("Bad Gateway"), TimedOut()])
def test_network_trouble_is_transient(error: Exception) -> None:
    translated = translate(error)  # type: ignore[arg-type]
    assert type(translated) is errors.DeliveryError
    assert not translated.permanent
    assert translated.retry_after is None


def test_the_context_manager_raises_only_haven_errors() -> None:
    with pytest.raises(errors.Blocked) as caught, telegram_errors():
        raise Forbidden("Forbidden: bot was blocked by the user")
    assert isinstance(caught.value, errors.HavenError)
