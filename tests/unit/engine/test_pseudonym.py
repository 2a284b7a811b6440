"""The engine sees keyed pseudonyms of Telegram user ids, under a key kept private."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from bot.common.settings import Settings
from bot.core.errors import ConfigError
from bot.core.pseudonyms import pseudonym
from bot.engine.client import Engine
from bot.engine.pseudonym import KEY_FILE, key_from_file, pseudonym_key

KEY_A = b"a" * 32
KEY_B = b"b" * 32


def mode(path: Path) -> int:
    """Permission bits of a path."""
    return stat.S_IMODE(path.stat().st_mode)


def test_pseudonyms_are_stable_per_key_and_differ_across_keys() -> None:
    assert pseudonym(KEY_A, "123456789") == pseudonym(KEY_A, "123456789")
    assert pseudonym(KEY_A, "123456789") != pseudonym(KEY_B, "123456789")
    assert pseudonym(KEY_A, "123456789") != pseudonym(KEY_A, "123456780")
    name = pseudonym(KEY_A, "123456789")
    assert len(name) == 32
    assert set(name) <= set("0123456789abcdef")
    assert "123456789" not in name


async def test_engine_sender_is_the_pseudonym() -> None:
    engine = Engine("http://127.0.0.1:9", 1.0, "x" * 32, KEY_A)
    try:
        assert engine.sender_for(42) == pseudonym(KEY_A, "42")
    finally:
        await engine.close()


def test_key_file_is_created_private_and_reused(tmp_path: Path) -> None:
    folder = tmp_path / "var"
    path = folder / KEY_FILE
    first = key_from_file(path)
    assert len(first) >= 32
    assert mode(path) == 0o600
    assert mode(folder) == 0o700
    assert key_from_file(path) == first


def test_key_file_follows_the_database(tmp_path: Path) -> None:
    settings = Settings(database_path=tmp_path / "db" / "haven.sqlite3")
    key = pseudonym_key(settings)
    assert (tmp_path / "db" / KEY_FILE).read_bytes().strip() == key


def test_key_setting_wins_over_the_file(tmp_path: Path) -> None:
    settings = Settings(database_path=tmp_path / "haven.sqlite3", pseudonym_key="k" * 32)
    assert pseudonym_key(settings) == b"k" * 32
    assert not (tmp_path / KEY_FILE).exists()


def test_key_file_readable_by_others_is_refused(tmp_path: Path) -> None:
    path = tmp_path / KEY_FILE
    key_from_file(path)
    path.chmod(0o644)
    with pytest.raises(ConfigError, match=r"readable by others.*chmod 600"):
        key_from_file(path)


def test_empty_key_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / KEY_FILE
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)
    with pytest.raises(ConfigError, match="fewer than 32"):
        key_from_file(path)
