"""Keyed pseudonyms: the engine's name for a user, and the erasure log's, never a Telegram id.

Pure (standard library only): the engine client names senders with it, and the store names the
people it has forgotten with it, so both import it from here.
"""

from __future__ import annotations

import hashlib
import hmac

__all__ = ["KEY_ID_CHARS", "PSEUDONYM_CHARS", "key_id", "pseudonym"]

PSEUDONYM_CHARS = 32
KEY_ID_CHARS = 8


def pseudonym(key: bytes, user: str) -> str:
    """The engine's name for ``user``: HMAC-SHA256 under ``key``, hex, 32 characters."""
    return hmac.new(key, user.encode("utf-8"), hashlib.sha256).hexdigest()[:PSEUDONYM_CHARS]


def key_id(key: bytes) -> str:
    """A short public name of a pseudonym key: tells keys apart without revealing them."""
    return hashlib.sha256(b"haven pseudonym key id\0" + key).hexdigest()[:KEY_ID_CHARS]
