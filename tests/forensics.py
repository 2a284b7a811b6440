"""Reading a Haven database the way someone with a copy of the disk (and maybe the key) would.

Not through the store: the raw bytes of the file and its write-ahead log, every sealed token in
them (live rows or not) opened with the key, and every row that names a user.
"""

from __future__ import annotations

import re
import sqlite3
from contextlib import closing
from pathlib import Path

from bot.store.crypto import Sealer, read_key_file
from bot.store.db import CANARY_COLUMN
from bot.store.migrations import SEALED

TOKEN = re.compile(rb"v1:[0-9a-f]{8}:[A-Za-z0-9+/]+=*")
COLUMNS = (*(f"{table}.{column}" for table, column, _key in SEALED), CANARY_COLUMN)


def disk_bytes(database: Path) -> bytes:
    """The database file and its write-ahead log, byte for byte (free pages included)."""
    return b"".join(p.read_bytes() for p in (database, Path(f"{database}-wal")) if p.exists())


def opened_tokens(database: Path, key_file: Path) -> list[str]:
    """The text of every sealed value anywhere in the files, whichever column it came from."""
    sealer = Sealer(read_key_file(key_file))
    texts = []
    for token in TOKEN.findall(disk_bytes(database)):
        for column in COLUMNS:
            try:
                texts.append(sealer.open(token.decode("ascii"), column))
                break
            except Exception:  # another column's value, or a token cut by a page boundary
                continue
    return texts


def anywhere(database: Path, key_file: Path, marker: str) -> list[str]:
    """Where ``marker`` can still be found: in plain bytes, or inside a sealed value."""
    found = []
    raw = disk_bytes(database)
    for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
        if marker.encode(encoding) in raw:
            found.append(f"plain text ({encoding})")
    found += [
        f"sealed: {text[:80]!r}" for text in opened_tokens(database, key_file) if marker in text
    ]
    return found


def rows_about(database: Path, user_id: int) -> dict[str, int]:
    """Rows, per table, that name the user or their private chat (its id is the user's)."""
    found: dict[str, int] = {}
    with closing(sqlite3.connect(database)) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for table in tables:
            columns = {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}
            conditions = [f"{c} = ?" for c in ("user_id", "chat_id") if c in columns]
            if not conditions:
                continue
            query = f"SELECT COUNT(*) FROM {table} WHERE " + " OR ".join(conditions)
            count = conn.execute(query, (user_id,) * len(conditions)).fetchone()[0]
            if count:
                found[table] = int(count)
    return found
