"""Settings are read once, from the environment and an optional .env file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.common.settings import ROOT, Settings
from bot.core.errors import ConfigError


def test_defaults_run_the_console() -> None:
    settings = Settings.from_env({}, dotenv=Path("/nonexistent"))
    assert settings.console
    assert settings.rasa_url == "http://127.0.0.1:5005"
    assert settings.engine_timeout == 3.0
    assert settings.database_path.name == "haven.sqlite3"


TELEGRAM = {"TELEGRAM_BOT_TOKEN": "1:x", "STAFF_CHAT_ID": "-100", "STAFF_USER_IDS": "11, 12"}


def test_token_requires_a_staff_group() -> None:
    with pytest.raises(ConfigError, match="STAFF_CHAT_ID"):
        Settings.from_env({"TELEGRAM_BOT_TOKEN": "1:x"}, dotenv=Path("/nonexistent"))


def test_token_requires_named_staff() -> None:
    env = {"TELEGRAM_BOT_TOKEN": "1:x", "STAFF_CHAT_ID": "-100"}
    with pytest.raises(ConfigError, match="STAFF_USER_IDS is required with TELEGRAM_BOT_TOKEN"):
        Settings.from_env(env, dotenv=Path("/nonexistent"))
    settings = Settings.from_env(TELEGRAM, dotenv=Path("/nonexistent"))
    assert settings.staff_user_ids == frozenset({11, 12})


@pytest.mark.parametrize("ids", ["abc", "11,-100123", "0", "1²", "١٢"])
def test_staff_user_ids_are_positive_ascii_numbers(ids: str) -> None:
    with pytest.raises(ConfigError, match="STAFF_USER_IDS must be comma-separated"):
        Settings.from_env({**TELEGRAM, "STAFF_USER_IDS": ids}, dotenv=Path("/nonexistent"))


@pytest.mark.parametrize(
    "secret",
    [None, "", "s" * 31, "s" * 257, "s" * 31 + "!", "s" * 31 + " ", "ß" * 32],
)
def test_webhook_requires_a_strong_secret(secret: str | None) -> None:
    env = {**TELEGRAM, "TELEGRAM_WEBHOOK_URL": "https://x/y"}
    if secret is not None:
        env["TELEGRAM_WEBHOOK_SECRET"] = secret
    with pytest.raises(ConfigError, match=r"TELEGRAM_WEBHOOK_SECRET is required .*32 to 256"):
        Settings.from_env(env, dotenv=Path("/nonexistent"))


def test_webhook_with_a_strong_secret_listens_on_loopback() -> None:
    secret = "Ab0_-" * 7
    env = {**TELEGRAM, "TELEGRAM_WEBHOOK_URL": "https://x/y", "TELEGRAM_WEBHOOK_SECRET": secret}
    settings = Settings.from_env(env, dotenv=Path("/nonexistent"))
    assert settings.webhook_secret == secret
    assert settings.webhook_listen == "127.0.0.1"
    assert secret not in repr(settings)


def test_settings_made_in_code_are_checked_when_the_bot_is_built() -> None:
    from bot.telegram.app import build_application

    unnamed = Settings(telegram_token="1:x", staff_chat_id=-100)
    with pytest.raises(ConfigError, match="STAFF_USER_IDS is required"):
        build_application(unnamed)
    weak = Settings(
        telegram_token="1:x",
        staff_chat_id=-100,
        staff_user_ids=frozenset({11}),
        webhook_url="https://x/y",
        webhook_secret="short",
    )
    with pytest.raises(ConfigError, match="TELEGRAM_WEBHOOK_SECRET"):
        build_application(weak)


@pytest.mark.parametrize(
    ("env", "said"),
    [
        ({"STAFF_CHAT_ID": "-100"}, "STAFF_USER_IDS is required with TELEGRAM_BOT_TOKEN"),
        (
            {**TELEGRAM, "TELEGRAM_WEBHOOK_URL": "https://x/y", "TELEGRAM_WEBHOOK_SECRET": "x"},
            "TELEGRAM_WEBHOOK_SECRET is required with TELEGRAM_WEBHOOK_URL",
        ),
    ],
)
def test_haven_refuses_to_start_and_says_what_to_set(
    env: dict[str, str], said: str, tmp_path: Path
) -> None:
    environment = {
        "PATH": os.environ.get("PATH", ""),
        "TELEGRAM_BOT_TOKEN": "1:x",
        # Were the check missing, the bot would try an engine that is not there, not start one.
        "HAVEN_START_ENGINE": "false",
        "ENGINE_SECRET": "e" * 32,
        **env,
    }
    done = subprocess.run(
        [sys.executable, "-m", "bot"],
        cwd=tmp_path,
        env={**environment, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert said in done.stderr
    assert "configuration error" in done.stderr


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("STAFF_CHAT_ID", "group"),
        ("ENGINE_TIMEOUT", "-1"),
        ("STAFF_LANGUAGE", "fr"),
        ("STAFF_HOURS", "Mon-Fri 9-18 Asia/Seoul"),
        ("STAFF_HOURS", "Mon-Fri 09:00-18:00 Mars/Olympus"),
        ("STAFF_HOURS", "Lun-Ven 09:00-18:00 Europe/Paris"),
        ("STAFF_HOURS", "09:00-25:00 UTC"),
        ("STATS_DAILY_AT", "9 am"),
        ("METRICS_PORT", "70000"),
        ("ESCALATION_SUPERVISOR_MINUTES", "0"),
        ("STAFF_SUPERVISOR_IDS", "x"),
    ],
)
def test_bad_values_are_named(key: str, value: str) -> None:
    env = {**TELEGRAM, key: value}
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


def test_supervisors_are_named_staff() -> None:
    env = {**TELEGRAM, "STAFF_SUPERVISOR_IDS": "12"}
    settings = Settings.from_env(env, dotenv=Path("/nonexistent"))
    assert settings.staff_supervisor_ids == frozenset({12})
    with pytest.raises(
        ConfigError, match=r"STAFF_SUPERVISOR_IDS must also be named in STAFF_USER_IDS.*13"
    ):
        Settings.from_env({**env, "STAFF_SUPERVISOR_IDS": "12,13"}, dotenv=Path("/nonexistent"))


def test_the_desk_settings_and_their_defaults() -> None:
    defaults = Settings.from_env(TELEGRAM, dotenv=Path("/nonexistent"))
    assert defaults.staff_hours.always
    assert (defaults.realert_minutes, defaults.supervisor_minutes) == (5.0, 10.0)
    assert (defaults.stats_daily_at, defaults.metrics_port) == ("09:00", None)
    env = {
        **TELEGRAM,
        "STAFF_HOURS": "Mon-Fri 09:00-18:00, Sat 10:00-14:00 Asia/Seoul",
        "ESCALATION_SUPERVISOR_MINUTES": "15",
        "STATS_DAILY_AT": "08:30",
        "METRICS_PORT": "9464",
    }
    settings = Settings.from_env(env, dotenv=Path("/nonexistent"))
    assert not settings.staff_hours.always
    assert settings.staff_hours.zone_name == "Asia/Seoul"
    assert (settings.supervisor_minutes, settings.stats_daily_at, settings.metrics_port) == (
        15.0,
        "08:30",
        9464,
    )


def test_files_are_downloaded_beside_the_bot_api_unless_told_otherwise() -> None:
    assert Settings().base_file_url == "https://api.telegram.org/file/bot"
    local = Settings.from_env({"TELEGRAM_BASE_URL": "http://127.0.0.1:8081/bot"})
    assert local.base_file_url == "http://127.0.0.1:8081/file/bot"
    told = Settings.from_env(
        {
            "TELEGRAM_BASE_URL": "http://127.0.0.1:8081/bot",
            "TELEGRAM_BASE_FILE_URL": "http://files.local/file/bot",
        }
    )
    assert told.base_file_url == "http://files.local/file/bot"
