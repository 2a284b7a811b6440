"""Files that hold a secret: made owner-only and never overwritten, read only while still so.

The data key (bot/store/crypto.py) and the pseudonym key (bot/engine/pseudonym.py) are such files;
one set of checks keeps them alike: no link followed, a regular file, mode 0600, our own.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

from bot.core.errors import ConfigError

__all__ = ["read_secret", "write_secret"]


def write_secret(path: Path, text: str) -> None:
    """Create ``path`` (0600, its folder 0700 if new) holding ``text``; FileExistsError if it
    is there already: a key is never overwritten."""
    if not path.parent.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY | os.O_NOFOLLOW, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as out:
        out.write(text + "\n")
        out.flush()
        os.fsync(out.fileno())
    with contextlib.suppress(OSError):
        folder = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)


def read_secret(path: Path, what: str, error: type[ConfigError]) -> bytes:
    """The content of the secret file ``path``, named ``what`` in errors of type ``error``.

    Refused: a link, anything but a regular file, a file others may read, another user's.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError as exc:
        raise error(f"cannot read the {what} {path}: {exc.strerror}") from exc
    with os.fdopen(fd, "rb") as source:
        info = os.fstat(source.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise error(f"the {what} {path} is not a regular file")
        if info.st_mode & 0o077:
            raise error(
                f"the {what} {path} is readable by others "
                f"(mode {stat.S_IMODE(info.st_mode):o}): run `chmod 600 {path}`"
            )
        if info.st_uid != os.getuid():
            raise error(f"the {what} {path} belongs to another user")
        return source.read()
