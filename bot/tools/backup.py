"""`make backup` and `make restore FILE=...`: copies of the store that can be put back.

`python -m bot.tools.backup` backs up the store (also while Haven runs) into BACKUP_DIR and keeps the
newest BACKUP_KEEP; `--restore FILE` puts a backup back, with Haven stopped; `--list` shows the
backups. What a backup holds and what a restore repeats or loses: docs/operations.md. The
scheduled backup inside Haven (BACKUP_EVERY_HOURS) calls ``backup`` too.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.common.settings import Settings
from bot.core.errors import HavenError
from bot.engine.pseudonym import pseudonym_key
from bot.runtime import data_keys
from bot.store import iso
from bot.store.backup import backups_in, restore, take, verify
from bot.store.erasure import namer

__all__ = ["backup", "listing", "main", "restore_from"]


def backup(settings: Settings) -> str:
    """Take a verified backup now; return what to tell the operator."""
    info, removed = take(
        settings.database_path, settings.backup_dir, data_keys(settings), settings.backup_keep
    )
    kept = len(backups_in(settings.backup_dir))
    return (
        f"backed up to {info.path} ({info.size // 1024} KiB, schema {info.schema}, data key "
        f"{info.key_id}); {kept} backups kept, {len(removed)} removed. Keep the data key apart "
        f"from the backups"
    )


async def restore_from(settings: Settings, file: Path) -> str:
    """Put the backup ``file`` back (Haven stopped); return what to tell the operator."""
    done = await restore(
        file,
        settings.database_path,
        data_keys(settings),
        namer(pseudonym_key(settings)),
        settings.backup_dir,
    )
    aside = (
        f"the replaced database is kept at {done.aside}"
        if done.aside is not None
        else "there was no database to replace"
    )
    return (
        f"restored {file} (taken {iso(done.backup.taken_at)}, schema {done.backup.schema}, data "
        f"key {done.backup.key_id}) into {settings.database_path}; {aside}. Erasures logged "
        f"since the backup: {done.erasures}, people erased again: {done.erased_users}. "
        f"Everything written after the backup's moment is not in it; messages that were waiting "
        f"then are sent when Haven starts"
        + "".join(f"\nWARNING: {warning}" for warning in done.warnings)
    )


def listing(settings: Settings) -> str:
    """The backups in BACKUP_DIR, oldest first, each verified."""
    lines = []
    keys = data_keys(settings)
    for path in backups_in(settings.backup_dir):
        try:
            info = verify(path, keys)
            lines.append(f"{path}  taken {iso(info.taken_at)}  schema {info.schema}  ok")
        except HavenError as exc:
            lines.append(f"{path}  NOT USABLE: {exc}")
    return "\n".join(lines) or f"no backups in {settings.backup_dir}"


def main(argv: Sequence[str] | None = None) -> int:
    """Back up, restore or list; return the exit status (1 with a message on refusal)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    what = parser.add_mutually_exclusive_group()
    what.add_argument("--restore", metavar="FILE", type=Path, help="put this backup back")
    what.add_argument("--list", action="store_true", help="list and check the backups")
    options = parser.parse_args(argv)
    try:
        settings = Settings.from_env()
        if options.restore is not None:
            said = asyncio.run(restore_from(settings, options.restore))
        elif options.list:
            said = listing(settings)
        else:
            said = backup(settings)
    except HavenError as exc:
        print(f"haven: {exc}", file=sys.stderr)
        return 1
    print(said if options.list else f"haven: {said}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
