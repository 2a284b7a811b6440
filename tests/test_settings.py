"""Settings are read once, from the environment and an optional .env file."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.errors import ConfigError
from bot.settings import Settings


def test_defaults_run_the_console() -> None:
    settings = Settings.from_env({}, dotenv=Path("/nonexistent"))
    assert settings.console
    assert settings.rasa_url == "http://127.0.0.1:5005"
    assert settings.engine_timeout == 3.0
    assert settings.database_path.name == "haven.sqlite3"


def test_token_requires_a_staff_group() -> None:
    with pytest.raises(ConfigError, match="STAFF_CHAT_ID"):
        Settings.from_env({"TELEGRAM_BOT_TOKEN": "1:x"}, dotenv=Path("/nonexistent"))


def test_webhook_requires_a_secret() -> None:
    env = {
        "TELEGRAM_BOT_TOKEN": "1:x",
        "STAFF_CHAT_ID": "-100",
        "TELEGRAM_WEBHOOK_URL": "https://x/y",
    }
    with pytest.raises(ConfigError, match="SECRET"):
        Settings.from_env(env, dotenv=Path("/nonexistent"))


@pytest.mark.parametrize(
    ("key", "value"),
    [("STAFF_CHAT_ID", "group"), ("ENGINE_TIMEOUT", "-1"), ("STAFF_LANGUAGE", "fr")],
)
def test_bad_values_are_named(key: str, value: str) -> None:
    env = {"TELEGRAM_BOT_TOKEN": "1:x", "STAFF_CHAT_ID": "-100", key: value}
    with pytest.raises(ConfigError, match=key):
        Settings.from_env(env, dotenv=Path("/nonexistent"))


def test_environment_overrides_dotenv(tmp_path: Path) -> None:
    dotenv = tmp_path / ".env"
    dotenv.write_text("# comment\nSTAFF_CHAT_ID=-5\nexport ENGINE_TIMEOUT='7'\nRASA_URL=http://a\n")
    settings = Settings.from_env({"RASA_URL": "http://b/"}, dotenv=dotenv)
    assert (settings.staff_chat_id, settings.engine_timeout, settings.rasa_url) == (
        -5,
        7.0,
        "http://b",
    )


SECRET = "s" * 32


def test_an_engine_run_elsewhere_needs_its_secret() -> None:
    with pytest.raises(ConfigError, match="ENGINE_SECRET is required with HAVEN_START_ENGINE"):
        Settings.from_env({"HAVEN_START_ENGINE": "false"}, dotenv=Path("/nonexistent"))
    settings = Settings.from_env(
        {"HAVEN_START_ENGINE": "false", "ENGINE_SECRET": SECRET}, dotenv=Path("/nonexistent")
    )
    assert settings.engine_secret == SECRET


@pytest.mark.parametrize("key", ["ENGINE_SECRET", "HAVEN_PSEUDONYM_KEY"])
def test_short_secrets_are_refused(key: str) -> None:
    with pytest.raises(ConfigError, match=f"{key} must be at least 32 characters"):
        Settings.from_env({key: "short"}, dotenv=Path("/nonexistent"))


def test_secrets_stay_out_of_the_repr() -> None:
    env = {"HAVEN_START_ENGINE": "false", "ENGINE_SECRET": SECRET, "HAVEN_PSEUDONYM_KEY": SECRET}
    assert SECRET not in repr(Settings.from_env(env, dotenv=Path("/nonexistent")))
