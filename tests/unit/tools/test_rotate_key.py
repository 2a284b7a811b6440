"""`make rotate-key`: everything sealed again under a new key, safely, with Haven stopped."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from bot.common.settings import Settings
from bot.core.errors import ConfigError, DataKeyError, StoreError
from bot.store import CaseStore, KeySource
from bot.store.crypto import (
    KEY_FILE,
    decode_key,
    encode_key,
    key_id,
    new_key,
    read_key_file,
    write_key_file,
)
from bot.tools.rotate_key import main, rotate
from tests.forensics import TOKEN, disk_bytes

SECRET = "blue kite over the river"


def settings_in(folder: Path, **values: object) -> Settings:
    """Settings whose database lives in ``folder``."""
    return Settings(database_path=folder / "haven.sqlite3", **values)  # type: ignore[arg-type]


async def seed(settings: Settings, keys: KeySource | None = None) -> str:
    """A store with a safety word and a message; return its key id."""
    store = await CaseStore.open(settings.database_path, keys)
    await store.remember_user(1, 1, "en")
    await store.set_secret(1, "safety_word", SECRET)
    await store.add_recent(1, SECRET)
    kid = store.key_id
    await store.close()
    return kid


async def readable(settings: Settings, keys: KeySource | None = None) -> bool:
    """Whether the store opens and reads its text back."""
    store = await CaseStore.open(settings.database_path, keys)
    try:
        return await store.secrets(1) == (None, SECRET) and await store.recent(1) == [SECRET]
    finally:
        await store.close()


async def test_the_key_file_is_replaced_after_everything_is_sealed_again(tmp_path: Path) -> None:
    settings = settings_in(tmp_path)
    old = await seed(settings)
    said = await rotate(settings)
    new = key_id(read_key_file(tmp_path / KEY_FILE))
    assert new != old
    assert f"{old} -> {new}" in said
    assert not (tmp_path / f"{KEY_FILE}.new").exists()
    assert await readable(settings)
    kids = {token.decode()[3:11] for token in TOKEN.findall(disk_bytes(settings.database_path))}
    assert kids == {new}, "no value under the old key is left anywhere in the files"


async def test_a_running_haven_keeps_the_rotation_out(tmp_path: Path) -> None:
    settings = settings_in(tmp_path)
    await seed(settings)
    running = await CaseStore.open(settings.database_path)
    try:
        with pytest.raises(StoreError, match="stop Haven"):
            await rotate(settings)
    finally:
        await running.close()
    assert await readable(settings)


async def test_a_rotation_cut_short_is_finished_by_the_next_start(tmp_path: Path) -> None:
    settings = settings_in(tmp_path)
    old = await seed(settings)
    # Everything sealed under the new key, and then the power went before the rename.
    key = new_key()
    write_key_file(tmp_path / f"{KEY_FILE}.new", key)
    store = await CaseStore.open(settings.database_path, exclusive=True)
    await store.rotate_key(key)
    await store.close()
    assert key_id(read_key_file(tmp_path / KEY_FILE)) == old
    assert await readable(settings)
    assert key_id(read_key_file(tmp_path / KEY_FILE)) == key_id(key)
    assert not (tmp_path / f"{KEY_FILE}.new").exists()


async def test_a_leftover_new_key_that_sealed_nothing_is_discarded(tmp_path: Path) -> None:
    settings = settings_in(tmp_path)
    old = await seed(settings)
    write_key_file(tmp_path / f"{KEY_FILE}.new", new_key())
    assert await readable(settings), "the old key still opens the database"
    await rotate(settings)
    assert key_id(read_key_file(tmp_path / KEY_FILE)) != old
    assert await readable(settings)


async def test_with_the_key_in_the_environment_the_new_one_is_given(tmp_path: Path) -> None:
    old_key, new = new_key(), new_key()
    settings = settings_in(tmp_path, data_key=encode_key(old_key))
    keys = KeySource(settings.data_key_path, env=settings.data_key)
    await seed(settings, keys)
    with pytest.raises(ConfigError, match="HAVEN_DATA_KEY_NEW"):
        await rotate(settings)
    said = await rotate(replace(settings, data_key_new=encode_key(new)))
    assert "Set HAVEN_DATA_KEY" in said
    with pytest.raises(DataKeyError, match=f"sealed with key {key_id(new)}"):
        await readable(settings, keys)
    assert await readable(settings, KeySource(settings.data_key_path, env=encode_key(new)))
    assert not settings.data_key_path.exists()


def test_generate_prints_a_usable_key(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--generate"]) == 0
    assert len(decode_key(capsys.readouterr().out, "printed")) == 32
