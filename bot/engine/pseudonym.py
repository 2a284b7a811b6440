"""The engine never sees a Telegram user id, only a keyed pseudonym of it.

Whoever reads the engine's memory or logs cannot turn a sender back into a Telegram account
without the key: HAVEN_PSEUDONYM_KEY, or a key file beside the database made on first run.
"""

from __future__ import annotations

import contextlib
import secrets
from pathlib import Path

from bot.common.settings import MIN_SECRET_CHARS, Settings
from bot.core.errors import ConfigError
from bot.core.secretfile import read_secret, write_secret

__all__ = ["KEY_FILE", "key_from_file", "pseudonym_key"]

KEY_FILE = "pseudonym.key"


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
    with contextlib.suppress(FileExistsError):
        write_secret(path, secrets.token_hex(32))
    key = read_secret(path, "pseudonym key file", ConfigError).strip()
    if len(key) < MIN_SECRET_CHARS:
        raise ConfigError(
            f"the pseudonym key file {path} holds fewer than {MIN_SECRET_CHARS} characters: "
            f"restore it from a backup, or delete it to start new pseudonyms"
        )
    return key
