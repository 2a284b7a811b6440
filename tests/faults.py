"""Store faults on demand: SQLite statements that fail as a full disk or a locked file would.

The fault is raised by the connection itself (``sqlite3.OperationalError``), underneath
Haven's store, so what is tested is the real path: the store's translation into
``StoreUnavailable``, the rollback, and what every caller does with it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.store import CaseStore

DISK_FULL = "database or disk is full"
WRITES = ("INSERT", "UPDATE", "DELETE", "BEGIN")


@dataclass
class Rule:
    """Fail statements containing ``sql`` (any of ``WRITES`` when None) ``times`` times."""

    sql: str | None
    times: int
    message: str

    def matches(self, query: str) -> bool:
        """Whether this rule fails ``query``."""
        if self.times <= 0:
            return False
        head = query.lstrip().upper()
        if self.sql is None:
            return head.startswith(WRITES)
        return self.sql.upper() in query.upper()


@dataclass
class StoreFaults:
    """Installed on a store's connection by ``inject``; ``fail`` arms, ``heal`` disarms."""

    rules: list[Rule | Nth] = field(default_factory=list)
    raised: int = 0
    seen: list[str] = field(default_factory=list)
    """Every statement checked, in order (to fail each in turn)."""

    def fail(
        self, sql: str | None = None, times: int = 1_000_000, message: str = DISK_FULL
    ) -> None:
        """Make matching statements fail ``times`` times; ``sql=None`` fails every write."""
        self.rules.append(Rule(sql, times, message))

    def heal(self) -> None:
        """Every statement works again."""
        self.rules.clear()

    def check(self, query: str) -> None:
        """Raise as SQLite would if a rule matches ``query``."""
        self.seen.append(query)
        for rule in self.rules:
            if rule.matches(query):
                rule.times -= 1
                self.raised += 1
                raise sqlite3.OperationalError(rule.message)


def inject(store: CaseStore) -> StoreFaults:
    """Put a fault injector under ``store``'s connection and return it."""
    faults = StoreFaults()
    conn = store._db._conn  # the one connection every aggregate goes through

    def wrap(method: Callable[..., Any]) -> Callable[..., Any]:
        def guarded(query: str, *args: Any, **kwargs: Any) -> Any:
            faults.check(query)
            return method(query, *args, **kwargs)

        return guarded

    conn.execute = wrap(conn.execute)  # type: ignore[method-assign]
    conn.execute_fetchall = wrap(conn.execute_fetchall)  # type: ignore[method-assign]
    conn.executemany = wrap(conn.executemany)  # type: ignore[method-assign]
    return faults


LOCKED = "database is locked"
IO_ERROR = "disk I/O error"
KINDS = (LOCKED, DISK_FULL, IO_ERROR)
"""The ways SQLite fails under Haven: another process holds it, the disk is full, I/O."""


@dataclass
class Nth:
    """Fail the statement after ``skip`` others, and the same statement ``times`` in all."""

    skip: int
    times: int
    message: str
    sql: str | None = None

    def matches(self, query: str) -> bool:
        """Whether this rule fails ``query`` (counting the statements it lets pass)."""
        if self.times <= 0:
            return False
        if self.skip > 0:
            self.skip -= 1
            return False
        if self.sql is None:
            self.sql = query
        return query == self.sql


def fail_nth(faults: StoreFaults, skip: int, times: int = 1, message: str = DISK_FULL) -> Nth:
    """Arm ``faults`` to fail the statement after the next ``skip`` ones (any statement)."""
    rule = Nth(skip, times, message)
    faults.rules.append(rule)
    return rule
