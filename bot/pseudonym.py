"""The engine never sees a Telegram user id, only a keyed pseudonym of it.

Whoever reads the engine's memory or logs cannot turn a sender back into a Telegram account
without the key: HAVEN_PSEUDONYM_KEY, or a key file beside the database made on first run.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import secrets
import stat
from pathlib import Path

from bot.core.errors import ConfigError
from bot.settings import MIN_SECRET_CHARS, Settings

PSEUDONYM_CHARS = 32
KEY_FILE = "pseudonym.key"


def pseudonym(key: bytes, user: str) -> str:
    """The engine's name for ``user``: HMAC-SHA256 under ``key``, hex, 32 characters."""
    return hmac.new(key, user.encode("utf-8"), hashlib.sha256).hexdigest()[:PSEUDONYM_CHARS]


def key_path(settings: Settings) -> Path:
    """Where the key file lives: beside the database."""
    return settings.database_path.parent / KEY_FILE


def pseudonym_key(settings: Settings) -> bytes:
    """The key from HAVEN_PSEUDONYM_KEY, else from the key file (created on first run)."""
    if settings.pseudonym_key:
        return settings.pseudonym_key.encode("utf-8")
    return key_from_file(key_path(settings))


def key_from_file(path: Path) -> bytes:
    """Read the key file at ``path``; create it (0600, its folder 0700) if there is none."""
    if not path.parent.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    with contextlib.suppress(FileExistsError):
        _create(path)
    return _read(path)


def _create(path: Path) -> None:
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY | os.O_NOFOLLOW, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as out:
        out.write(secrets.token_hex(32) + "\n")
        out.flush()
        os.fsync(out.fileno())


def _read(path: Path) -> bytes:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError as exc:
        raise ConfigError(f"cannot read the pseudonym key file {path}: {exc.strerror}") from exc
    with os.fdopen(fd, "rb") as source:
        info = os.fstat(source.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise ConfigError(f"the pseudonym key file {path} is not a regular file")
        if info.st_mode & 0o077:
            raise ConfigError(
                f"the pseudonym key file {path} is readable by others "
                f"(mode {stat.S_IMODE(info.st_mode):o}): run `chmod 600 {path}`"
            )
        if info.st_uid != os.getuid():
            raise ConfigError(f"the pseudonym key file {path} belongs to another user")
        key = source.read().strip()
    if len(key) < MIN_SECRET_CHARS:
        raise ConfigError(
            f"the pseudonym key file {path} holds fewer than {MIN_SECRET_CHARS} characters: "
            f"restore it from a backup, or delete it to start new pseudonyms"
        )
    return key
