"""Every number, id and chat setting is checked at start: nonsense stops the start, named."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.common.settings import BOUNDS, ROOT, Settings
from bot.core.errors import ConfigError

TELEGRAM = {"TELEGRAM_BOT_TOKEN": "4242:x", "STAFF_CHAT_ID": "-100", "STAFF_USER_IDS": "11, 12"}
NOWHERE = Path("/nonexistent")

BAD = [
    *((key, value) for key in BOUNDS for value in ("nan", "inf", "-inf", "1e300", "-1", "x")),
    ("ESCALATION_REALERT_MINUTES", "0"),
    ("CASE_RETENTION_DAYS", "0"),
    ("DISTRESS_THRESHOLD", "0"),
    ("DISTRESS_THRESHOLD", "7"),
    ("DISTRESS_THRESHOLD", "1.01"),
    ("TOPIC_UNDO_SECONDS", "61"),
    ("STAFF_CHAT_ID", "100"),
    ("STAFF_CHAT_ID", "0"),
    ("STAFF_USER_IDS", "11,1087968824"),
    ("STAFF_USER_IDS", "777000"),
    ("STAFF_USER_IDS", "4242"),
    ("TELEGRAM_WEBHOOK_PORT", "0"),
    ("ACTIONS_PORT", "99999"),
]


@pytest.mark.parametrize(("key", "value"), BAD)
def test_each_bad_value_is_refused_by_name(key: str, value: str) -> None:
    with pytest.raises(ConfigError, match=key):
        Settings.from_env({**TELEGRAM, key: value}, dotenv=NOWHERE)


@pytest.mark.parametrize(
    ("key", "value", "field", "expected"),
    [
        ("DISTRESS_THRESHOLD", "1", "distress_threshold", 1.0),
        ("DISTRESS_THRESHOLD", "0.05", "distress_threshold", 0.05),
        ("TOPIC_UNDO_SECONDS", "0", "topic_undo_seconds", 0.0),
        ("CASE_RETENTION_DAYS", "365", "case_retention_days", 365.0),
        ("STAFF_CHAT_ID", "-1001234567890", "staff_chat_id", -1001234567890),
    ],
)
def test_sensible_values_are_taken(key: str, value: str, field: str, expected: float) -> None:
    settings = Settings.from_env({**TELEGRAM, key: value}, dotenv=NOWHERE)
    assert getattr(settings, field) == expected


def test_topic_words_wait_five_seconds_unless_set() -> None:
    assert Settings.from_env(TELEGRAM, dotenv=NOWHERE).topic_undo_seconds == 5.0


def test_staff_made_in_code_are_people_too() -> None:
    robot = Settings(
        telegram_token="1:x", staff_chat_id=-100, staff_user_ids=frozenset({1087968824})
    )
    with pytest.raises(ConfigError, match="STAFF_USER_IDS must name people"):
        robot.check_telegram()
    person = Settings(telegram_token="1:x", staff_chat_id=5, staff_user_ids=frozenset({11}))
    with pytest.raises(ConfigError, match="STAFF_CHAT_ID must be a group's id"):
        person.check_telegram()


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("ESCALATION_REALERT_MINUTES", "nan"),
        ("CASE_RETENTION_DAYS", "1e300"),
        ("DISTRESS_THRESHOLD", "7"),
        ("STAFF_USER_IDS", "11,1087968824"),
        ("STAFF_CHAT_ID", "123"),
    ],
)
def test_the_process_stops_with_status_1_and_no_traceback(
    key: str, value: str, tmp_path: Path
) -> None:
    environment = {
        "PATH": os.environ.get("PATH", ""),
        "HAVEN_START_ENGINE": "false",
        "ENGINE_SECRET": "e" * 32,
        **TELEGRAM,
        key: value,
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
    assert key in done.stderr
    assert "Traceback" not in done.stderr
