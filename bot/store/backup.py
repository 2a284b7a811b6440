"""Backups of the store that restore: taken online, verified, pruned, and put back safely.

A backup is SQLite's online backup of the running file in one step (a consistent snapshot of
what was committed, never a copy of a live file), made a single file, stamped with its moment,
checked (integrity, schema version, and that the data key opens the key check and a sealed
value) and only then given its name, mode 0600, in a 0700 folder that must not hold the data
key. The newest ``keep`` are kept; the erasure log (``erasures``: keyed pseudonyms of the
people who used /forget) is kept back to the oldest of them.

A restore needs the file to itself (it refuses while Haven runs), checks the backup the same
way, refuses one from a newer Haven or one its data key does not open (naming the key), copies
it beside the database, migrates it, erases again everyone the later erasure logs name (the
replaced database's and newer backups'), keeps the replaced database aside, and only then puts
the copy in its place.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.core.errors import BackupError, DataKeyError, SchemaTooNew, StoreError
from bot.store.crypto import KeySource, Sealer, decode_key, key_id, read_key_file, sealed_with
from bot.store.db import CANARY, CANARY_COLUMN, Database, hold_alone
from bot.store.erasure import ErasedAs, Erasure, LoggedErasure, Namer
from bot.store.migrations import MIGRATIONS, SEALED
from bot.store.records import iso, now

__all__ = [
    "ERASURES_SINCE",
    "BackupInfo",
    "Restored",
    "backups_in",
    "later_erasures",
    "prune",
    "restore",
    "take",
    "verify",
    "verify_moment",
]

PREFIX = "haven-"
SUFFIX = ".sqlite3"
STAMP = "%Y%m%dT%H%M%S%fZ"
TAKEN_AT = "backup_taken_at"
ERASURES_SINCE = "erasures_since"
PARTIAL = ".partial"
BUSY_MS = 5000
OVERLAP = timedelta(minutes=5)
"""An erasure is stamped before its transaction commits: one stamped this long before a
backup's moment may still have missed it, so restores look this far back (and the log is kept
this much longer), and apply what the backup's own log lacks."""


@dataclass(frozen=True)
class BackupInfo:
    """A verified backup: where it is, its moment, schema version, data key and size."""

    path: Path
    taken_at: datetime
    schema: int
    key_id: str
    size: int


@dataclass(frozen=True)
class Restored:
    """What a restore did."""

    backup: BackupInfo
    aside: Path | None
    """Where the replaced database was kept (None: there was none)."""
    erasures: int
    """Later erasures found in the logs and applied to the restored copy."""
    erased_users: int
    """Users present in the backup whom those erasures removed again."""
    warnings: tuple[str, ...] = ()
    """Erasure logs that could not be read."""


@contextlib.contextmanager
def _connect(path: Path, *, readonly: bool = False) -> Iterator[sqlite3.Connection]:
    """A plain sqlite3 connection (backups run in their own thread or process)."""
    target = f"file:{path}?mode=ro" if readonly else f"file:{path}"
    try:
        conn = sqlite3.connect(target, uri=True, isolation_level=None)
    except sqlite3.Error as exc:
        raise BackupError(f"cannot open {path}: {exc}") from exc
    try:
        conn.execute(f"PRAGMA busy_timeout={BUSY_MS}")
        yield conn
    finally:
        conn.close()


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime(STAMP)


def _keys_held(keys: KeySource) -> list[tuple[str, bytes]]:
    """The data keys at hand, named as the operator set them; never makes one."""
    if keys.env is not None:
        return [("HAVEN_DATA_KEY", decode_key(keys.env, "HAVEN_DATA_KEY"))]
    held = []
    for path in (keys.file, keys.pending):
        if os.path.lexists(path):
            held.append((f"the key file {path}", read_key_file(path)))
    return held


def verify(path: Path, keys: KeySource) -> BackupInfo:
    """Check a backup: a sound SQLite file, a schema this Haven knows, and a key that opens it.

    Raises BackupError (damaged, not a Haven database), SchemaTooNew (a newer Haven wrote it)
    or DataKeyError (no key at hand opens it; the message names the key it needs).
    """
    if not path.is_file():
        raise BackupError(f"there is no backup file at {path}")
    with _connect(path, readonly=True) as conn:
        try:
            problems = [str(row[0]) for row in conn.execute("PRAGMA integrity_check")]
            schema = int(conn.execute("PRAGMA user_version").fetchone()[0])
        except sqlite3.Error as exc:
            raise BackupError(f"{path} is not a readable SQLite database: {exc}") from exc
        if problems != ["ok"]:
            raise BackupError(f"{path} is damaged: {'; '.join(problems[:3])}")
        if schema > len(MIGRATIONS):
            raise SchemaTooNew(
                f"{path} has schema version {schema}, but this Haven knows versions up to "
                f"{len(MIGRATIONS)}: a newer Haven wrote it. Restore it with that Haven, or "
                f"choose a backup taken before the upgrade"
            )
        meta = _meta(conn)
        canary = meta.get("canary")
        needed = sealed_with(canary) if canary is not None else None
        if canary is None or needed is None:
            raise BackupError(f"{path} is not a Haven database (it has no data key check)")
        sealer = _sealer_for(path, keys, canary, needed)
        for table, column, key in SEALED:
            try:
                row = conn.execute(
                    f"SELECT {column} FROM {table} WHERE {column} IS NOT NULL AND {column} != '' "
                    f"ORDER BY {key} LIMIT 1"
                ).fetchone()
            except sqlite3.OperationalError:
                continue  # an older schema without this column
            if row is not None:
                try:
                    sealer.open(str(row[0]), f"{table}.{column}")
                except StoreError as exc:
                    raise BackupError(f"{path}: {exc}") from exc
                break
        taken = meta.get(TAKEN_AT)
    moment = (
        datetime.fromisoformat(taken)
        if taken
        else datetime.fromtimestamp(path.stat().st_mtime, UTC)
    )
    return BackupInfo(path, moment, schema, needed, path.stat().st_size)


def _meta(conn: sqlite3.Connection) -> dict[str, str]:
    try:
        return {str(k): str(v) for k, v in conn.execute("SELECT key, value FROM meta")}
    except sqlite3.Error:
        return {}


def _sealer_for(path: Path, keys: KeySource, canary: str, needed: str) -> Sealer:
    """The sealer whose key opens ``canary``; DataKeyError naming the key needed otherwise."""
    try:
        held = _keys_held(keys)
    except DataKeyError as exc:
        raise DataKeyError(f"{path} cannot be checked: {exc}") from exc
    for _, key in held:
        sealer = Sealer(key)
        with contextlib.suppress(StoreError, DataKeyError):
            if sealer.open(canary, CANARY_COLUMN) == CANARY:
                return sealer
    have = ", ".join(f"{where} is key {key_id(key)}" for where, key in held) or (
        f"there is no key file at {keys.file} and HAVEN_DATA_KEY is not set"
    )
    raise DataKeyError(
        f"{path} was sealed with data key {needed}, but {have}: restore that key (from where "
        f"you keep its copy), or choose a backup sealed with the key you have"
    )


def backups_in(folder: Path) -> list[Path]:
    """The backups in ``folder``, oldest first (their names sort by their moment)."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob(f"{PREFIX}*{SUFFIX}") if p.is_file())


def _check_folder(folder: Path, keys: KeySource) -> None:
    """Keys are never kept with the backups: a folder holding the data key is refused."""
    if keys.env is None and keys.file.resolve().parent.is_relative_to(folder.resolve()):
        raise BackupError(
            f"the data key file {keys.file} is inside BACKUP_DIR {folder}: a backup kept with "
            f"its key protects nothing. Choose another BACKUP_DIR (or HAVEN_DATA_KEY_FILE)"
        )


def take(database: Path, folder: Path, keys: KeySource, keep: int) -> tuple[BackupInfo, list[Path]]:
    """Back up the (running) store into ``folder``, verify it, keep the newest ``keep``.

    Returns the new backup and the backups removed. Safe while Haven runs: the copy is one
    read transaction of the online backup API, so it holds exactly what was committed then.
    """
    if not database.is_file():
        raise BackupError(f"there is no database at {database}: check DATABASE_PATH")
    _check_folder(folder, keys)
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(folder, 0o700)
    except OSError as exc:
        raise BackupError(f"cannot use BACKUP_DIR {folder}: {exc.strerror or exc}") from exc
    moment = now()
    final = folder / f"{PREFIX}{_stamp(moment)}{SUFFIX}"
    partial = final.with_name(final.name + PARTIAL)
    try:
        os.close(os.open(partial, os.O_CREAT | os.O_EXCL | os.O_WRONLY | os.O_NOFOLLOW, 0o600))
        _copy(database, partial, moment)
        info = verify(partial, keys)
        _fsync(partial)
        os.replace(partial, final)
        _fsync(folder)
    except OSError as exc:
        raise BackupError(f"the backup could not be written to {folder}: {exc}") from exc
    finally:
        with contextlib.suppress(FileNotFoundError):
            partial.unlink()
    removed = prune(folder, keep)
    _trim_erasure_log(database, folder)
    return BackupInfo(final, info.taken_at, info.schema, info.key_id, info.size), removed


def _copy(source: Path, target: Path, moment: datetime | None) -> None:
    """The online backup of ``source`` into ``target`` in one step, as one plain file."""
    with _connect(source) as src, _connect(target) as dst:
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")
            if moment is not None:
                dst.execute(
                    "INSERT INTO meta (key, value) VALUES (?, ?) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    (TAKEN_AT, iso(moment)),
                )
        except sqlite3.Error as exc:
            raise BackupError(f"backing up {source} failed: {exc}") from exc
    os.chmod(target, 0o600)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def prune(folder: Path, keep: int) -> list[Path]:
    """Remove all but the newest ``keep`` backups; return those removed."""
    found = backups_in(folder)
    old = found[: max(len(found) - keep, 0)]
    for path in old:
        path.unlink()
    return old


def _trim_erasure_log(database: Path, folder: Path) -> None:
    """Keep the erasure log back to the oldest backup kept: older entries restore nothing."""
    found = backups_in(folder)
    if not found:
        return
    oldest = verify_moment(found[0])
    with _connect(database) as conn:
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("DELETE FROM erasures WHERE at < ?", (iso(oldest - OVERLAP),))
            conn.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET "
                "value = max(value, excluded.value)",
                (ERASURES_SINCE, iso(oldest)),
            )
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
            raise BackupError(f"the erasure log could not be trimmed: {exc}") from exc


def verify_moment(path: Path) -> datetime:
    """A backup's moment, read from the file (without checking its key)."""
    with _connect(path, readonly=True) as conn:
        taken = _meta(conn).get(TAKEN_AT)
    return (
        datetime.fromisoformat(taken)
        if taken
        else datetime.fromtimestamp(path.stat().st_mtime, UTC)
    )


def _erasures_after(path: Path, moment: datetime) -> tuple[list[LoggedErasure], str | None]:
    """The erasures ``path`` logged after ``moment``, and how far back its log reaches."""
    with _connect(path, readonly=True) as conn:
        since = _meta(conn).get(ERASURES_SINCE)
        try:
            rows = conn.execute(
                "SELECT at, key_id, pseudonym FROM erasures WHERE at > ? ORDER BY id",
                (iso(moment - OVERLAP),),
            ).fetchall()
        except sqlite3.OperationalError as exc:
            if "no such table" not in str(exc):  # a schema from before the log: nothing logged
                raise BackupError(f"the erasure log of {path} cannot be read: {exc}") from exc
            rows = []
        except sqlite3.Error as exc:
            raise BackupError(f"the erasure log of {path} cannot be read: {exc}") from exc
    return [LoggedErasure(str(at), ErasedAs(str(k), str(p))) for at, k, p in rows], since


def later_erasures(
    backup: BackupInfo, database: Path, folder: Path | None, warnings: list[str] | None = None
) -> list[LoggedErasure]:
    """Every erasure logged after the backup's moment: in the database it replaces and in the
    newer backups of ``folder``. BackupError if a log no longer reaches back to the backup; a
    log that cannot be read (a damaged database being replaced) is added to ``warnings``."""
    sources = [database] if database.is_file() else []
    if folder is not None:
        sources += [
            p
            for p in backups_in(folder)
            if p.resolve() != backup.path.resolve() and verify_moment(p) > backup.taken_at
        ]
    found: dict[tuple[str, ErasedAs], LoggedErasure] = {}
    for source in sources:
        try:
            entries, since = _erasures_after(source, backup.taken_at)
        except BackupError as exc:
            if warnings is None:
                raise
            warnings.append(f"{exc}: whoever used /forget only there may come back")
            continue
        if since is not None and datetime.fromisoformat(since) > backup.taken_at:
            raise BackupError(
                f"the erasure log of {source} reaches back only to {since}, and the backup was "
                f"taken at {iso(backup.taken_at)}: restoring it could bring back people who asked "
                f"to be forgotten since. Choose a backup taken after {since}"
            )
        for entry in entries:
            found[(entry.at, entry.who)] = entry
    had, _ = _erasures_after(backup.path, backup.taken_at)
    for entry in had:
        found.pop((entry.at, entry.who), None)
    return sorted(found.values(), key=lambda e: e.at)


async def restore(
    file: Path,
    database: Path,
    keys: KeySource,
    names: Namer,
    folder: Path | None = None,
) -> Restored:
    """Put the backup ``file`` in place of ``database``; Haven must be stopped.

    ``names`` is the pseudonym namer of this Haven (bot/engine/pseudonym.py), needed to erase again
    those whom the later erasure logs (``database``'s own and those of backups newer than
    ``file`` in ``folder``) name.
    """
    lock = hold_alone(database, "restoring a backup")
    try:
        backup = verify(file, keys)
        warnings: list[str] = []
        logged = later_erasures(backup, database, folder, warnings)
        _check_pseudonym_key(logged, names)
        staging = database.with_name(database.name + ".restoring")
        _discard(staging)
        try:
            os.close(os.open(staging, os.O_CREAT | os.O_WRONLY | os.O_NOFOLLOW, 0o600))
            _copy(file, staging, None)
            erased = await _prepare(staging, keys, logged, names)
        except BaseException:
            _discard(staging)
            raise
        aside = None
        if database.exists():
            aside = database.with_name(f"{database.name}.replaced-{_stamp(now())}")
            for suffix in ("", "-wal", "-shm"):
                side = Path(f"{database}{suffix}")
                if side.exists():
                    os.replace(side, Path(f"{aside}{suffix}"))
        for suffix in ("-wal", "-shm"):  # closed cleanly there are none; never leave one behind
            side = Path(f"{staging}{suffix}")
            if side.exists():
                os.replace(side, Path(f"{database}{suffix}"))
        os.replace(staging, database)
        _fsync(database.parent)
        return Restored(backup, aside, len(logged), erased, tuple(warnings))
    finally:
        os.close(lock)


def _check_pseudonym_key(logged: list[LoggedErasure], names: Namer) -> None:
    """Later erasures are matched by pseudonym: they need the key they were written with."""
    mine = names(0).key_id
    others = sorted({entry.who.key_id for entry in logged} - {mine})
    if others:
        raise DataKeyError(
            f"the erasure log names people under pseudonym key {', '.join(others)}, but "
            f"HAVEN_PSEUDONYM_KEY (or pseudonym.key) is key {mine}: restore that pseudonym key, "
            f"or forgotten people could come back"
        )


async def _prepare(
    staging: Path, keys: KeySource, logged: list[LoggedErasure], names: Namer
) -> int:
    """Migrate the copy, check its key, and erase again whom the later logs name."""
    db = await Database.open(staging, keys, exclusive=True)
    try:
        async with db.transaction() as tx:
            erased = await Erasure(db).reapply(tx, logged, names)
            await tx.execute("DELETE FROM meta WHERE key = ?", (TAKEN_AT,))
        await db.compact()
    finally:
        await db.close()
        with contextlib.suppress(FileNotFoundError):
            Path(f"{staging}.lock").unlink()
    return erased


def _discard(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", ".lock"):
        with contextlib.suppress(FileNotFoundError):
            Path(f"{path}{suffix}").unlink()
