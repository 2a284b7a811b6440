"""Secret phrases at rest: code phrases and duress words, stored only through scrypt.

Whoever copies the database must not be able to try candidate phrases quickly: each stored
hash has its own random salt, and each guess costs scrypt's time and 16 MiB of memory
(n=2**14, r=8, p=1: about 50 ms here). Checking a phrase costs the same, so it runs in a
worker thread, never on the event loop, and only when the user has a phrase and the message
could be one.

Stored forms, ``<scheme>$<salt hex>$<key hex>``:

- ``scrypt``: scrypt of the normalised phrase.
- ``scrypt-sha256``: scrypt of the SHA-256 hex older versions of Haven stored
  (``sha256("haven:<user id>:<phrase>")``). Those bare hashes could be brute-forced offline;
  ``upgrade_stored`` wraps every one of them at start-up, without needing the phrase, so no
  bare hash stays in the file and nobody has to set their phrase again.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import os
import re
import unicodedata
from enum import StrEnum

from bot.store.person_records import PersonRecords

__all__ = [
    "N",
    "P",
    "R",
    "Scheme",
    "check",
    "make",
    "matches",
    "normalise",
    "protect",
    "upgrade_stored",
    "valid_secret",
    "wrap_legacy",
]

log = logging.getLogger(__name__)

N = 2**14
R = 8
P = 1
KEY_BYTES = 32
SALT_BYTES = 16
LEGACY = re.compile(r"[0-9a-f]{64}", re.ASCII)
MIN_SECRET_LENGTH = 3
MAX_SECRET_LENGTH = 64
SPACES = re.compile(r"\s+")


def normalise(phrase: str) -> str:
    """Compare phrases the way people retype them: case, width and spacing do not matter."""
    folded = unicodedata.normalize("NFKC", phrase).casefold().strip()
    return SPACES.sub(" ", folded).strip(" .!?~")


def valid_secret(phrase: str) -> bool:
    """Long enough not to be typed by accident, short enough to remember."""
    return MIN_SECRET_LENGTH <= len(normalise(phrase)) <= MAX_SECRET_LENGTH


class Scheme(StrEnum):
    """How a stored phrase hash was made."""

    SCRYPT = "scrypt"
    SCRYPT_OVER_SHA256 = "scrypt-sha256"


def _scrypt(secret: bytes, salt: bytes) -> bytes:
    return hashlib.scrypt(secret, salt=salt, n=N, r=R, p=P, dklen=KEY_BYTES)


def _legacy(user_id: int, phrase: str) -> str:
    """The unsalted SHA-256 Haven stored before scrypt (kept only to verify wrapped hashes)."""
    return hashlib.sha256(f"haven:{user_id}:{normalise(phrase)}".encode()).hexdigest()


def _stored(scheme: Scheme, salt: bytes, key: bytes) -> str:
    return f"{scheme}${salt.hex()}${key.hex()}"


def make(phrase: str) -> str:
    """The stored form of a new phrase (blocking: use ``protect`` on the event loop)."""
    salt = os.urandom(SALT_BYTES)
    return _stored(Scheme.SCRYPT, salt, _scrypt(normalise(phrase).encode(), salt))


def check(user_id: int, phrase: str, stored: str) -> bool:
    """Whether ``phrase`` is the one behind ``stored`` (blocking: use ``matches``)."""
    scheme, _, rest = stored.partition("$")
    salt_hex, _, key_hex = rest.partition("$")
    kind: Scheme | None
    try:
        kind, salt, key = Scheme(scheme), bytes.fromhex(salt_hex), bytes.fromhex(key_hex)
    except ValueError:
        kind, salt, key = None, b"", b""
    if kind is None or len(salt) != SALT_BYTES or len(key) != KEY_BYTES:
        log.error("a stored phrase hash is unreadable (scheme %r); it cannot match", scheme[:16])
        return False
    if kind == Scheme.SCRYPT:
        secret = normalise(phrase).encode()
    else:
        secret = _legacy(user_id, phrase).encode()
    return hmac.compare_digest(_scrypt(secret, salt), key)


def wrap_legacy(legacy_hex: str) -> str:
    """Put a bare SHA-256 hash from before scrypt under scrypt, without knowing the phrase."""
    salt = os.urandom(SALT_BYTES)
    return _stored(Scheme.SCRYPT_OVER_SHA256, salt, _scrypt(legacy_hex.encode(), salt))


async def protect(phrase: str) -> str:
    """The stored form of a new phrase, made in a worker thread."""
    return await asyncio.to_thread(make, phrase)


async def matches(user_id: int, phrase: str, stored: str) -> bool:
    """Whether ``phrase`` is the one behind ``stored``, checked in a worker thread."""
    return await asyncio.to_thread(check, user_id, phrase, stored)


async def upgrade_stored(store: PersonRecords) -> int:
    """Wrap every bare SHA-256 phrase hash left by older versions; return how many."""
    upgraded = 0
    for kind, user_id, stored in await store.phrase_hashes():
        if not LEGACY.fullmatch(stored):
            continue
        wrapped = await asyncio.to_thread(wrap_legacy, stored)
        if await store.replace_phrase_hash(kind, user_id, stored, wrapped):
            upgraded += 1
    if upgraded:
        log.info("put %d older secret-phrase hashes under scrypt", upgraded)
    return upgraded
