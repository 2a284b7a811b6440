"""Sealing stored text at rest: AES-256-GCM under a data key that is kept outside the database.

Only the store writes the columns that hold what people said (``SEALED`` in migrations.py), so
the store seals on write and opens on read, and this is the one module that imports
``cryptography``. A sealed value reads ``v1:<key id>:<base64 of nonce and ciphertext>``: the
key id tells a rotation (``python -m bot.tools.rotate_key``) and a start with the wrong key which key
sealed what. Each value is bound to its column (the associated data), so a value copied into
another column does not open.

The key is ``HAVEN_DATA_KEY`` (base64 of 32 bytes), or a key file made on first run (mode 0600;
``data.key`` beside the database unless ``HAVEN_DATA_KEY_FILE`` names another place). A database
that holds sealed text but whose key is missing or wrong stops the start: without the key the
text is lost, and making a new key over it would only hide that.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from bot.core.errors import DataKeyError, StoreError
from bot.core.folding import well_formed
from bot.core.secretfile import read_secret, write_secret

__all__ = [
    "KEY_FILE",
    "KeySource",
    "Sealer",
    "decode_key",
    "encode_key",
    "key_id",
    "new_key",
    "read_key_file",
    "sealed_with",
    "wipe_key_file",
    "write_key_file",
]

VERSION = "v1"
KEY_BYTES = 32
NONCE_BYTES = 12
KEY_ID_CHARS = 8
KEY_FILE = "data.key"
PENDING_SUFFIX = ".new"
GENERATE_HINT = "`python -m bot.tools.rotate_key --generate` prints a new key"


def key_id(key: bytes) -> str:
    """A short public name of a key: tells keys apart without revealing them."""
    return hashlib.sha256(b"haven data key id\0" + key).hexdigest()[:KEY_ID_CHARS]


def new_key() -> bytes:
    """A fresh random data key."""
    return secrets.token_bytes(KEY_BYTES)


def encode_key(key: bytes) -> str:
    """A key as the text HAVEN_DATA_KEY and the key file hold (URL-safe base64)."""
    return base64.urlsafe_b64encode(key).decode("ascii")


def decode_key(text: str, where: str) -> bytes:
    """Read a key written in base64 (standard or URL-safe); DataKeyError if it is not one."""
    raw = text.strip().replace("-", "+").replace("_", "/")
    try:
        key = base64.b64decode(raw + "=" * (-len(raw) % 4), validate=True)
    except (binascii.Error, ValueError):
        key = b""
    if len(key) != KEY_BYTES:
        raise DataKeyError(f"{where} must be {KEY_BYTES} bytes in base64; {GENERATE_HINT}")
    return key


def sealed_with(value: str) -> str | None:
    """The key id a sealed value names, or None for a value that is not sealed."""
    version, _, rest = value.partition(":")
    kid, _, body = rest.partition(":")
    if version != VERSION or len(kid) != KEY_ID_CHARS or not body:
        return None
    return kid


class Sealer:
    """Seals with one key and opens with it or any older key it was given (during rotation)."""

    def __init__(self, key: bytes, *older: bytes) -> None:
        """Seal with ``key``; open values sealed with ``key`` or any of ``older``."""
        self._key_id = key_id(key)
        self._ciphers = {key_id(k): AESGCM(k) for k in (key, *older)}

    @property
    def key_id(self) -> str:
        """The id of the key new values are sealed with."""
        return self._key_id

    def rotated(self, key: bytes) -> Sealer:
        """A sealer that seals with ``key`` and still opens everything this one opens."""
        sealer = Sealer(key)
        sealer._ciphers = {**self._ciphers, **sealer._ciphers}
        return sealer

    def seal(self, text: str, column: str) -> str:
        """Encrypt ``text`` for ``column`` (table.column) with a fresh 96-bit nonce."""
        nonce = os.urandom(NONCE_BYTES)
        plain = well_formed(text).encode("utf-8")  # a lone surrogate must not lose the text
        body = self._ciphers[self._key_id].encrypt(nonce, plain, column.encode())
        return f"{VERSION}:{self._key_id}:{base64.b64encode(nonce + body).decode('ascii')}"

    def open(self, value: str, column: str) -> str:
        """The text of a sealed value; a value that is not sealed is returned as it is.

        Unsealed values are rows written before sealing began: the first start with a key
        seals them all, so they are seen only by that start.
        """
        kid = sealed_with(value)
        if kid is None:
            return value
        cipher = self._ciphers.get(kid)
        if cipher is None:
            raise DataKeyError(f"a value in {column} is sealed with key {kid}, which Haven lacks")
        raw = base64.b64decode(value.split(":", 2)[2])
        try:
            return cipher.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], column.encode()).decode()
        except InvalidTag:
            raise StoreError(f"a sealed value in {column} is damaged") from None


@dataclass(frozen=True)
class KeySource:
    """Where the data key comes from: HAVEN_DATA_KEY, else a key file made on first run."""

    file: Path
    env: str | None = field(default=None, repr=False)

    @classmethod
    def beside(cls, database: Path) -> KeySource:
        """The default: the key file ``data.key`` in the database's folder."""
        return cls(database.parent / KEY_FILE)

    @property
    def pending(self) -> Path:
        """Where a rotation keeps the new key until every value is sealed with it."""
        return self.file.with_name(self.file.name + PENDING_SUFFIX)

    def load(self, needed: str | None, database: Path) -> bytes:
        """The key; ``needed`` is the id of the key the database was sealed with, if any.

        Without a key, a database with nothing sealed gets a new key file; one with sealed
        text stops the start, saying what to restore.
        """
        if self.env is not None:
            key = decode_key(self.env, "HAVEN_DATA_KEY")
            if needed is not None and key_id(key) != needed:
                raise DataKeyError(
                    f"HAVEN_DATA_KEY is key {key_id(key)}, but {database} was sealed with key "
                    f"{needed}: set HAVEN_DATA_KEY to that key"
                )
            return key
        found = [p for p in (self.file, self.pending) if os.path.lexists(p)]
        if not found:
            if needed is not None:
                raise DataKeyError(
                    f"{database} holds text sealed with data key {needed}, but there is no key "
                    f"file at {self.file} and HAVEN_DATA_KEY is not set. Restore the key from "
                    f"where you keep its copy; Haven will not make a new key over sealed data"
                )
            return self._create()
        keys: dict[Path, bytes] = {}
        problems: list[str] = []
        for path in found:
            try:
                keys[path] = read_key_file(path)
            except DataKeyError as exc:
                problems.append(str(exc))
        for path, key in keys.items():
            if needed is None or key_id(key) == needed:
                if path == self.pending:
                    # A rotation sealed everything with this key and stopped before renaming it.
                    os.replace(self.pending, self.file)
                return key
        if problems:
            raise DataKeyError("; ".join(problems))
        held = ", ".join(f"{path} holds key {key_id(key)}" for path, key in keys.items())
        raise DataKeyError(
            f"{database} was sealed with data key {needed}, but {held}: restore the right key file"
        )

    def _create(self) -> bytes:
        key = new_key()
        try:
            write_key_file(self.file, key)
        except FileExistsError:  # another process made it first: use theirs
            return read_key_file(self.file)
        return key


def write_key_file(path: Path, key: bytes) -> None:
    """Write a new key file, owner-only; refuse to overwrite one (O_EXCL)."""
    write_secret(path, encode_key(key))


def read_key_file(path: Path) -> bytes:
    """Read a key file; refuse one that others could read or that belongs to someone else."""
    raw = read_secret(path, "data key file", DataKeyError)
    return decode_key(raw.decode("ascii", errors="replace"), f"the data key file {path}")


def wipe_key_file(path: Path) -> None:
    """Overwrite a key file that is no longer needed, then remove it."""
    with contextlib.suppress(FileNotFoundError):
        size = path.stat().st_size
        with path.open("r+b") as out:
            out.write(b"\0" * size)
            out.flush()
            os.fsync(out.fileno())
        path.unlink()
