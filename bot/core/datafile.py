"""Reading the staff-edited YAML files in content/ (facts, countries, safety net, job flags).

Imports only the standard library and PyYAML: the action server (Python 3.10) uses it too.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, Generic, TypeVar

import yaml

from bot.core.errors import DataFileError

__all__ = ["Problem", "Reloading", "read_yaml"]

log = logging.getLogger(__name__)
T = TypeVar("T")
SafeLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's loader where PyYAML has it: the same documents, read several times faster."""


def read_yaml(path: Path, error: type[DataFileError]) -> Any:
    """Parse ``path``; raise ``error`` naming the file when it cannot be read or parsed."""
    try:
        return yaml.load(Path(path).read_text(encoding="utf-8"), Loader=SafeLoader)
    except OSError as exc:
        raise error(f"{path}: cannot read it: {exc}") from None
    except yaml.YAMLError as exc:
        raise error(f"{path}: not valid YAML: {exc}") from None


Problem = Callable[[Path, DataFileError], None]


def unexpected(exc: BaseException) -> str:
    """What a loader that failed outside its own checks met, and where in the loader."""
    frame = exc.__traceback__
    while frame is not None and frame.tb_next is not None:
        frame = frame.tb_next
    at = f" (in {frame.tb_frame.f_code.co_name})" if frame is not None else ""
    return f"a value of the wrong type or shape: {type(exc).__name__}: {exc}{at}"


class Reloading(Generic[T]):
    """A data file's parsed value, re-read when the files change; a bad edit keeps the last good.

    Staff edit content/ on a running bot. A broken edit must not turn every answer into an
    error: it is refused, logged once per problem, and reported to ``on_problem`` (the staff
    group), while the last good version keeps serving. With no good version yet, it raises.
    """

    def __init__(
        self,
        load: Callable[..., T],
        *paths: Path,
        error: type[DataFileError] = DataFileError,
        on_problem: Problem | None = None,
    ) -> None:
        """Read ``paths`` with ``load(*paths)``; nothing is read until ``current()``."""
        self.paths = tuple(Path(p) for p in paths)
        self.error = error
        self.on_problem = on_problem
        self._load = load
        self._value: T | None = None
        self._seen: tuple[tuple[int, int], ...] | None = None
        self._problem = ""

    @property
    def label(self) -> str:
        """The files' names for staff, a language pack's with its folder: "facts.yml, ko/places.yml"."""
        base = self.paths[0].parent if self.paths else None
        return ", ".join(
            p.name if p.parent == base else f"{p.parent.name}/{p.name}" for p in self.paths
        )

    @property
    def problem(self) -> str:
        """Why the last reload was refused ('' when the files in use are the files on disk)."""
        return self._problem

    def current(self) -> T:
        """Return the value, re-read if a file changed since the last look."""
        try:
            signature = tuple((s.st_mtime_ns, s.st_size) for s in map(os.stat, self.paths))
        except OSError as exc:
            return self._keep(self.paths[0], self._error(f"cannot read it: {exc}"))
        if signature == self._seen and self._value is not None:
            return self._value
        try:
            value = self._load(*self.paths)
        except DataFileError as exc:
            self._seen = signature
            named = exc if any(str(p) in str(exc) for p in self.paths) else self._error(str(exc))
            return self._keep(self.paths[0], named)
        except Exception as exc:  # any failure of a staff edit is a refused edit
            self._seen = signature
            return self._keep(self.paths[0], self._error(unexpected(exc)))
        if self._value is not None:
            log.info("reloaded %s", ", ".join(p.name for p in self.paths))
        self._value, self._seen, self._problem = value, signature, ""
        return value

    def _error(self, detail: str) -> DataFileError:
        return self.error(f"{self.paths[0] if self.paths else 'content'}: {detail}")

    def _keep(self, path: Path, problem: DataFileError) -> T:
        """Serve the last good value after a failed read, reporting each problem once."""
        if self._value is None:
            raise problem from None
        if str(problem) != self._problem:
            self._problem = str(problem)
            log.warning("keeping the last good version: %s", problem)
            if self.on_problem is not None:
                self.on_problem(path, problem)
        return self._value
