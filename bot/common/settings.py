"""Every setting Haven reads, in one typed object built once at start-up.

Values come from the environment; a ``.env`` file in the working directory fills in what
the environment does not set. Nothing else in the code reads the environment.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from bot.common.hours import StaffHours
from bot.common.language import LANGUAGES
from bot.core.errors import ConfigError

__all__ = [
    "BOUNDS",
    "CASE_RETENTION_DAYS",
    "ENGINE_MEMORY_MINUTES",
    "MAX_ENGINE_WORKERS",
    "MIN_SECRET_CHARS",
    "RECENT_MESSAGES_HOURS",
    "RETENTION_CHECK_MINUTES",
    "ROOT",
    "Settings",
]

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_BASE_URL = "https://api.telegram.org/bot"
MIN_SECRET_CHARS = 32
# Telegram takes 1-256 of these in X-Telegram-Bot-Api-Secret-Token; Haven wants at least 32.
WEBHOOK_SECRET = re.compile(r"[A-Za-z0-9_-]{32,256}", re.ASCII)
MAKE_SECRET = "`python3 -c 'import secrets; print(secrets.token_urlsafe(32))'`"
# How long Haven keeps things (docs/privacy.md, /privacy): the defaults, in one place.
CASE_RETENTION_DAYS = 30.0
RECENT_MESSAGES_HOURS = 24.0
ENGINE_MEMORY_MINUTES = 60.0
ENGINE_QUEUE_SECONDS = 10.0
MAX_ENGINE_WORKERS = 16
RETENTION_CHECK_MINUTES = 5.0
BACKUP_KEEP = 7
CLOCK = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)", re.ASCII)
# Telegram's own accounts that appear as senders in groups: never a caseworker. 1087968824 is
# GroupAnonymousBot (an anonymous admin), 136817688 Channel_Bot (a channel posting),
# 777000 the Telegram service account, 1271266957 the replies bot.
NOT_PEOPLE = frozenset({1087968824, 136817688, 777000, 1271266957})
# The sensible range of each number setting: (lowest, highest, whether lowest is allowed).
BOUNDS: dict[str, tuple[float, float, bool]] = {
    "ENGINE_TIMEOUT": (0.0, 300.0, False),
    "DISTRESS_THRESHOLD": (0.0, 1.0, False),
    "ESCALATION_REALERT_MINUTES": (0.0, 1440.0, False),
    "ESCALATION_SUPERVISOR_MINUTES": (0.0, 10080.0, False),
    "CHECKIN_GRACE_MINUTES": (0.0, 10080.0, False),
    "CASE_RETENTION_DAYS": (0.0, 3650.0, False),
    "RECENT_MESSAGES_HOURS": (0.0, 8760.0, False),
    "ENGINE_MEMORY_MINUTES": (0.0, 10080.0, False),
    "RETENTION_CHECK_MINUTES": (0.0, 1440.0, False),
    "ALERT_ALARM_MINUTES": (0.0, 1440.0, False),
    "TOPIC_UNDO_SECONDS": (0.0, 60.0, True),
    "ENGINE_QUEUE_SECONDS": (0.0, 300.0, True),
    "BACKUP_EVERY_HOURS": (0.0, 8760.0, True),
}
TOPIC_UNDO_SECONDS = 5.0


@dataclass(frozen=True)
class Settings:
    """Configuration of one Haven process; see the table in README.md."""

    telegram_token: str | None = None
    telegram_base_url: str = DEFAULT_BASE_URL
    telegram_base_file_url: str | None = None
    webhook_url: str | None = None
    webhook_secret: str | None = field(default=None, repr=False)
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = 8443
    staff_chat_id: int | None = None
    staff_user_ids: frozenset[int] = frozenset()
    staff_supervisor_ids: frozenset[int] = frozenset()
    staff_language: str = "ko"
    staff_hours: StaffHours = field(default_factory=StaffHours)
    rasa_url: str = "http://127.0.0.1:5005"
    actions_port: int = 5055
    start_engine: bool = True
    engine_timeout: float = 3.0
    engine_workers: int = 1
    """Engine processes sharing the load (above 1: with Redis as their shared memory)."""
    engine_queue_seconds: float = ENGINE_QUEUE_SECONDS
    """How long an ordinary question may wait for its turn at a saturated engine."""
    redis_port: int = 6380
    engine_secret: str | None = field(default=None, repr=False)
    pseudonym_key: str | None = field(default=None, repr=False)
    distress_threshold: float = 0.6
    database_path: Path = ROOT / "var" / "haven.sqlite3"
    content_dir: Path = ROOT / "content"
    realert_minutes: float = 5.0
    supervisor_minutes: float = 10.0
    checkin_grace_minutes: float = 60.0
    tick_seconds: float = 1.0
    log_level: str = "INFO"
    case_retention_days: float = CASE_RETENTION_DAYS
    recent_messages_hours: float = RECENT_MESSAGES_HOURS
    engine_memory_minutes: float = ENGINE_MEMORY_MINUTES
    retention_check_minutes: float = RETENTION_CHECK_MINUTES
    data_key: str | None = field(default=None, repr=False)
    data_key_file: Path | None = None
    data_key_new: str | None = field(default=None, repr=False)
    stats_daily_at: str = "09:00"
    metrics_port: int | None = None
    facts_stale_days: int = 90
    backup_folder: Path | None = None
    backup_keep: int = BACKUP_KEEP
    backup_every_hours: float | None = None

    @property
    def backup_dir(self) -> Path:
        """Where backups go: BACKUP_DIR, else ``backups`` beside the database."""
        return self.backup_folder or self.database_path.parent / "backups"

    @property
    def data_key_path(self) -> Path:
        """Where the data key file is: HAVEN_DATA_KEY_FILE, else ``data.key`` beside the database."""
        return self.data_key_file or self.database_path.parent / "data.key"

    alert_alarm_minutes: float = 3.0
    # How long a caseworker's words in a case topic wait, with an Undo button, before leaving.
    topic_undo_seconds: float = 0.0

    @property
    def base_file_url(self) -> str:
        """Where files are downloaded: TELEGRAM_BASE_FILE_URL, else beside the Bot API's URL.

        Telegram serves files at ``/file/bot<token>/<path>`` next to ``/bot<token>/<method>``;
        a local Bot API server and the test stand-in do the same.
        """
        if self.telegram_base_file_url:
            return self.telegram_base_file_url
        base = self.telegram_base_url.rstrip("/")
        head, _, tail = base.rpartition("/")
        return f"{head}/file/{tail}" if head else f"{base}/file"

    @property
    def console(self) -> bool:
        """Run the local console chat instead of Telegram."""
        return not self.telegram_token

    def check_telegram(self) -> None:
        """Refuse Telegram settings that would let the wrong people in; say what to set.

        Run for settings read from the environment and again when the application is built,
        so settings made in code get the same checks.
        """
        if not self.telegram_token:
            return
        if self.staff_chat_id is None:
            raise ConfigError(
                "STAFF_CHAT_ID is required with TELEGRAM_BOT_TOKEN: "
                "distress alerts need a staff group"
            )
        _group(self.staff_chat_id)
        if not self.staff_user_ids:
            raise ConfigError(
                "STAFF_USER_IDS is required with TELEGRAM_BOT_TOKEN: list the numeric Telegram "
                "user ids of the caseworkers who may act on cases, comma-separated (each must "
                "also be a member of the staff group; other members are refused)"
            )
        bot_id = self.telegram_token.partition(":")[0]
        robots = self.staff_user_ids & (NOT_PEOPLE | ({int(bot_id)} if bot_id.isdigit() else set()))
        if robots:
            raise ConfigError(
                "STAFF_USER_IDS must name people: "
                f"{', '.join(map(str, sorted(robots)))} is a bot or Telegram's anonymous-admin "
                "account; set the caseworkers' own user ids (an anonymous admin cannot act)"
            )
        strangers = self.staff_supervisor_ids - self.staff_user_ids
        if strangers:
            raise ConfigError(
                "STAFF_SUPERVISOR_IDS must also be named in STAFF_USER_IDS (supervisors act on "
                f"cases like any caseworker); not there: {', '.join(map(str, sorted(strangers)))}"
            )
        if self.webhook_url and not WEBHOOK_SECRET.fullmatch(self.webhook_secret or ""):
            raise ConfigError(
                "TELEGRAM_WEBHOOK_SECRET is required with TELEGRAM_WEBHOOK_URL: 32 to 256 "
                f"characters of A-Z, a-z, 0-9, _ and -; make one with {MAKE_SECRET}"
            )

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, dotenv: Path | None = None) -> Settings:
        """Read settings from ``env`` (default: the process) and an optional .env file."""
        values = dict(read_dotenv(dotenv if dotenv is not None else Path(".env")))
        values.update(os.environ if env is None else env)
        return cls._parse(values)

    @classmethod
    def _parse(cls, v: Mapping[str, str]) -> Settings:
        token = v.get("TELEGRAM_BOT_TOKEN") or None
        staff_chat = _int(v, "STAFF_CHAT_ID")
        webhook_url = v.get("TELEGRAM_WEBHOOK_URL") or None
        secret = (v.get("TELEGRAM_WEBHOOK_SECRET") or "").strip() or None
        staff_language = v.get("STAFF_LANGUAGE", "ko")
        if staff_language not in LANGUAGES:
            raise ConfigError(f"STAFF_LANGUAGE must be one of {', '.join(LANGUAGES)}")
        start_engine = _bool(v, "HAVEN_START_ENGINE", True)
        engine_secret = _secret(v, "ENGINE_SECRET")
        if not start_engine and engine_secret is None:
            raise ConfigError(
                "ENGINE_SECRET is required with HAVEN_START_ENGINE=false: set it to the "
                "HAVEN_ENGINE_SECRET the engine at RASA_URL was started with"
            )
        settings = cls(
            telegram_token=token,
            telegram_base_url=v.get("TELEGRAM_BASE_URL") or DEFAULT_BASE_URL,
            telegram_base_file_url=v.get("TELEGRAM_BASE_FILE_URL") or None,
            webhook_url=webhook_url,
            webhook_secret=secret,
            webhook_listen=v.get("TELEGRAM_WEBHOOK_LISTEN", "127.0.0.1"),
            webhook_port=_port(v, "TELEGRAM_WEBHOOK_PORT") or 8443,
            staff_chat_id=_group(staff_chat),
            staff_user_ids=frozenset(_user_ids(v, "STAFF_USER_IDS")),
            staff_supervisor_ids=frozenset(_user_ids(v, "STAFF_SUPERVISOR_IDS")),
            staff_language=staff_language,
            staff_hours=StaffHours.parse(v.get("STAFF_HOURS")),
            rasa_url=(v.get("RASA_URL") or "http://127.0.0.1:5005").rstrip("/"),
            actions_port=_port(v, "ACTIONS_PORT") or 5055,
            start_engine=start_engine,
            engine_timeout=_float(v, "ENGINE_TIMEOUT", 3.0),
            engine_workers=_workers(v, "ENGINE_WORKERS"),
            engine_queue_seconds=_float(v, "ENGINE_QUEUE_SECONDS", ENGINE_QUEUE_SECONDS),
            redis_port=_port(v, "REDIS_PORT") or 6380,
            engine_secret=engine_secret,
            pseudonym_key=_secret(v, "HAVEN_PSEUDONYM_KEY"),
            distress_threshold=_float(v, "DISTRESS_THRESHOLD", 0.6),
            database_path=Path(v.get("DATABASE_PATH") or ROOT / "var/haven.sqlite3"),
            content_dir=Path(v.get("HAVEN_CONTENT_DIR") or ROOT / "content"),
            realert_minutes=_float(v, "ESCALATION_REALERT_MINUTES", 5.0),
            supervisor_minutes=_float(v, "ESCALATION_SUPERVISOR_MINUTES", 10.0),
            checkin_grace_minutes=_float(v, "CHECKIN_GRACE_MINUTES", 60.0),
            log_level=v.get("LOG_LEVEL", "INFO").upper(),
            case_retention_days=_float(v, "CASE_RETENTION_DAYS", CASE_RETENTION_DAYS),
            recent_messages_hours=_float(v, "RECENT_MESSAGES_HOURS", RECENT_MESSAGES_HOURS),
            engine_memory_minutes=_float(v, "ENGINE_MEMORY_MINUTES", ENGINE_MEMORY_MINUTES),
            retention_check_minutes=_float(v, "RETENTION_CHECK_MINUTES", RETENTION_CHECK_MINUTES),
            data_key=v.get("HAVEN_DATA_KEY", "").strip() or None,
            data_key_file=Path(v["HAVEN_DATA_KEY_FILE"]) if v.get("HAVEN_DATA_KEY_FILE") else None,
            data_key_new=v.get("HAVEN_DATA_KEY_NEW", "").strip() or None,
            alert_alarm_minutes=_float(v, "ALERT_ALARM_MINUTES", 3.0),
            stats_daily_at=_clock(v, "STATS_DAILY_AT", "09:00"),
            topic_undo_seconds=_float(v, "TOPIC_UNDO_SECONDS", TOPIC_UNDO_SECONDS),
            metrics_port=_port(v, "METRICS_PORT"),
            facts_stale_days=_positive_int(v, "FACTS_STALE_DAYS", 90),
            backup_folder=Path(v["BACKUP_DIR"]) if v.get("BACKUP_DIR") else None,
            backup_keep=_count(v, "BACKUP_KEEP", BACKUP_KEEP),
            backup_every_hours=_float(v, "BACKUP_EVERY_HOURS", 0.0) or None,
        )
        settings.check_telegram()
        return settings


def read_dotenv(path: Path) -> dict[str, str]:
    """Parse KEY=VALUE lines of a .env file; a missing file is empty."""
    if not path.is_file():
        return {}
    values: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.removeprefix("export ").partition("=")
        values[key.strip()] = value.strip().strip("'\"")
    return values


def _int(v: Mapping[str, str], key: str) -> int | None:
    raw = v.get(key, "").strip()
    if not raw:
        return None
    try:
        return int(raw)
    except ValueError as exc:
        raise ConfigError(f"{key} must be a whole number, got {raw!r}") from exc


def _float(v: Mapping[str, str], key: str, default: float) -> float:
    """A finite number within ``BOUNDS[key]``: nan, inf and absurd values stop the start."""
    raw = v.get(key, "").strip()
    if not raw:
        return default
    low, high, low_ok = BOUNDS[key]
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value > high or value < low or (value == low and not low_ok):
        above = f"from {low:g}" if low_ok else f"above {low:g}"
        raise ConfigError(f"{key} must be a number {above} up to {high:g}, got {raw!r}")
    return value


def _workers(v: Mapping[str, str], key: str) -> int:
    """How many engine processes: 1 (the default) to MAX_ENGINE_WORKERS."""
    workers = _int(v, key)
    if workers is None:
        return 1
    if not 1 <= workers <= MAX_ENGINE_WORKERS:
        raise ConfigError(
            f"{key} must be a whole number from 1 to {MAX_ENGINE_WORKERS} (engine processes; "
            f"above 1 they share Redis), got {workers}"
        )
    return workers


def _count(v: Mapping[str, str], key: str, default: int) -> int:
    """A whole number of at least 1."""
    value = _int(v, key)
    if value is None:
        return default
    if value < 1:
        raise ConfigError(f"{key} must be at least 1, got {value}")
    return value


def _group(chat: int | None) -> int | None:
    """A staff chat id: a group's, so negative."""
    if chat is not None and chat >= 0:
        raise ConfigError(
            "STAFF_CHAT_ID must be a group's id, which is negative (a supergroup's starts "
            f"with -100), got {chat}: a positive id is a person's chat"
        )
    return chat


def _clock(v: Mapping[str, str], key: str, default: str) -> str:
    """A time of day, HH:MM (24 hours)."""
    raw = v.get(key, "").strip() or default
    if not CLOCK.fullmatch(raw):
        raise ConfigError(f"{key} must be a time of day like 09:00, got {raw!r}")
    return raw


def _positive_int(v: Mapping[str, str], key: str, default: int) -> int:
    """A whole number of at least 1 (absent: the default)."""
    value = _int(v, key)
    if value is None:
        return default
    if value < 1:
        raise ConfigError(f"{key} must be a whole number of at least 1, e.g. {default}")
    return value


def _port(v: Mapping[str, str], key: str) -> int | None:
    """A TCP port, 1-65535; unset is None."""
    port = _int(v, key)
    if port is not None and not 0 < port < 65536:
        raise ConfigError(f"{key} must be a port number between 1 and 65535, got {port}")
    return port


def _secret(v: Mapping[str, str], key: str) -> str | None:
    raw = v.get(key, "").strip()
    if not raw:
        return None
    if len(raw) < MIN_SECRET_CHARS:
        raise ConfigError(
            f"{key} must be at least {MIN_SECRET_CHARS} characters; make one with {MAKE_SECRET}"
        )
    return raw


def _bool(v: Mapping[str, str], key: str, default: bool) -> bool:
    raw = v.get(key, "").strip().lower()
    if not raw:
        return default
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"{key} must be true or false, got {raw!r}")


def _user_ids(v: Mapping[str, str], key: str) -> list[int]:
    """Telegram user ids: positive whole numbers (a negative id would be a chat, not a person)."""
    raw = v.get(key, "")
    items = [x.strip() for x in raw.replace(";", ",").split(",") if x.strip()]
    wrong = [x for x in items if not (x.isascii() and x.isdigit() and int(x) > 0)]
    if wrong:
        raise ConfigError(
            f"{key} must be comma-separated Telegram user ids (positive whole numbers), "
            f"got {', '.join(repr(x) for x in wrong)}"
        )
    return [int(x) for x in items]
