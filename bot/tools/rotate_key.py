"""`make rotate-key`: seal every stored value again under a new data key.

Run it with Haven stopped; it refuses otherwise, since a running Haven would go on sealing with
the old key. With the key file (the default) the new key is written first, as ``data.key.new``
beside the old one; every value is sealed again in one transaction; only then does the new file
take the old one's place (the old one is overwritten). A crash at any point leaves a database
that opens with one of the two files, and the next start finishes the swap. With
HAVEN_DATA_KEY, the new key comes from HAVEN_DATA_KEY_NEW (``--generate`` prints one); set
HAVEN_DATA_KEY to it before Haven starts again.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Sequence

from bot.common.settings import Settings
from bot.core.errors import ConfigError, HavenError
from bot.runtime import data_keys
from bot.store import CaseStore
from bot.store.crypto import decode_key, encode_key, new_key, wipe_key_file, write_key_file

__all__ = ["main", "rotate"]

NEW_KEY_VARIABLE = "HAVEN_DATA_KEY_NEW"


async def rotate(settings: Settings) -> str:
    """Seal everything under a new key; return what to tell the operator."""
    keys = data_keys(settings)
    store = await CaseStore.open(settings.database_path, keys, exclusive=True)
    try:
        old = store.key_id
        if keys.env is not None:
            given = settings.data_key_new
            if not given:
                raise ConfigError(
                    f"HAVEN_DATA_KEY is set, so give the new key in {NEW_KEY_VARIABLE} "
                    f"(`python -m bot.tools.rotate_key --generate` prints one)"
                )
            count = await store.rotate_key(decode_key(given, NEW_KEY_VARIABLE))
            return (
                f"sealed {count} values again: key {old} -> {store.key_id}. "
                f"Set HAVEN_DATA_KEY to the value of {NEW_KEY_VARIABLE} before starting Haven."
            )
        # A file left by a rotation that stopped before sealing anything: the database still
        # opened with the old key, so it was never used.
        wipe_key_file(keys.pending)
        key = new_key()
        write_key_file(keys.pending, key)
        count = await store.rotate_key(key)
        wipe_key_file(keys.file)
        os.replace(keys.pending, keys.file)
        return (
            f"sealed {count} values again: key {old} -> {store.key_id}, now in {keys.file}. "
            f"Replace the copy you keep of the old key."
        )
    finally:
        await store.close()


def main(argv: Sequence[str] | None = None) -> int:
    """Rotate the data key, or with --generate print a new key; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument(
        "--generate", action="store_true", help="print a new key for HAVEN_DATA_KEY_NEW and stop"
    )
    options = parser.parse_args(argv)
    if options.generate:
        print(encode_key(new_key()))
        return 0
    try:
        settings = Settings.from_env()
        print(f"haven: {asyncio.run(rotate(settings))}")
    except HavenError as exc:
        print(f"haven: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
