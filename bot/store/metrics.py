"""Each case's timeline, for the numbers and the escalation ladder.

Times only (opened, seen by staff, claimed, first staff message delivered, resolved), with the
priority, the language, the resolve tag and the ladder's state: no user id and no text, so the
row outlives its case and /stats can count last month's cases after they are erased. Even so
it is not kept for ever: the retention pass folds a resolved case's timeline into plain counts
(``fold``) once it is older than the numbers look back, so the metrics endpoint's totals still
only grow.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from datetime import datetime, timedelta

from bot.core.triage import Priority
from bot.store.db import Database, Row, Tx
from bot.store.records import (
    Case,
    CaseKind,
    CaseMetrics,
    CaseStatus,
    CaseTag,
    OutboxKind,
    Unseen,
    iso,
    now,
)

__all__ = ["Metrics", "counts_of"]

MISSED_CHECKIN = "missed check-in"
"""The triage reason of a case opened by an unanswered check-in (bot/chat/checkin.py)."""

TOTALS_KEY = "metrics_totals"
"""The ``meta`` row with the counts of timelines already let go, as JSON."""
RESOLVED_BEFORE = "resolved_at IS NOT NULL AND resolved_at <= ?"

COLUMNS = (
    "case_id, opened_at, priority, language, missed_checkin, seen_at, claimed_at, "
    "first_reply_at, resolved_at, tag, realerts, supervisors_at"
)


def metrics_from_row(row: Row) -> CaseMetrics:
    """A CaseMetrics from a row of COLUMNS."""
    return CaseMetrics(
        case_id=int(row[0]),
        opened_at=row[1],
        priority=Priority(row[2]),
        language=row[3],
        missed_checkin=bool(row[4]),
        seen_at=row[5],
        claimed_at=row[6],
        first_reply_at=row[7],
        resolved_at=row[8],
        tag=CaseTag(row[9]) if row[9] else None,
        realerts=int(row[10]),
        supervisors_at=row[11],
    )


def counts_of(rows: Iterable[CaseMetrics]) -> Counter[str]:
    """What the totals count: ``opened:<priority>``, ``resolved:<tag or none>``, ``missed``."""
    counts: Counter[str] = Counter()
    for row in rows:
        counts[f"opened:{row.priority}"] += 1
        if row.resolved_at is not None:
            counts[f"resolved:{row.tag or 'none'}"] += 1
        if row.missed_checkin:
            counts["missed"] += 1
    return counts


class Metrics:
    """The case_metrics table, and the counts of the timelines let go (in ``meta``)."""

    def __init__(self, db: Database) -> None:
        """Work on ``db``."""
        self._db = db

    async def opened(self, tx: Tx, case: Case) -> None:
        """A case opened: its clock starts."""
        await tx.execute(
            "INSERT OR IGNORE INTO case_metrics (case_id, opened_at, priority, language, "
            "missed_checkin, waiting_since) VALUES (?, ?, ?, ?, ?, ?)",
            (
                case.id,
                case.created_at,
                case.priority,
                case.language,
                int(case.reason == MISSED_CHECKIN),
                case.created_at,
            ),
        )

    async def seen(self, tx: Tx, case_ids: Iterable[int]) -> None:
        """Staff can see these cases now (their alert, or a digest, is in the group)."""
        stamp = iso(now())
        await tx.executemany(
            "UPDATE case_metrics SET seen_at = COALESCE(seen_at, ?) WHERE case_id = ?",
            [(stamp, case_id) for case_id in case_ids],
        )

    async def claimed(self, tx: Tx, case_id: int) -> None:
        """Someone took the case (the first claim is the one timed)."""
        await tx.execute(
            "UPDATE case_metrics SET claimed_at = COALESCE(claimed_at, ?) WHERE case_id = ?",
            (iso(now()), case_id),
        )

    async def waiting(self, tx: Tx, case_id: int) -> None:
        """Nobody holds the case any more: the ladder starts again."""
        await tx.execute(
            "UPDATE case_metrics SET waiting_since = ?, supervisors_at = NULL WHERE case_id = ?",
            (iso(now()), case_id),
        )

    async def first_reply(self, tx: Tx, case_id: int) -> None:
        """A message a caseworker wrote reached the user (the first one is the one timed)."""
        await tx.execute(
            "UPDATE case_metrics SET first_reply_at = COALESCE(first_reply_at, ?) "
            "WHERE case_id = ?",
            (iso(now()), case_id),
        )

    async def resolved(self, tx: Tx, case_id: int, tag: CaseTag | None) -> None:
        """The case closed, with what it turned out to be."""
        await tx.execute(
            "UPDATE case_metrics SET resolved_at = ?, tag = ? WHERE case_id = ?",
            (iso(now()), tag, case_id),
        )

    async def tagged(self, tx: Tx, case_id: int, tag: CaseTag) -> None:
        """Staff said, after resolving it, what the case turned out to be."""
        await tx.execute("UPDATE case_metrics SET tag = ? WHERE case_id = ?", (tag, case_id))

    async def set_priority(self, tx: Tx, case_id: int, priority: Priority) -> None:
        """Staff changed the case's priority."""
        await tx.execute(
            "UPDATE case_metrics SET priority = ? WHERE case_id = ?", (priority, case_id)
        )

    async def realerted(self, tx: Tx, case_id: int) -> None:
        """The group was reminded of the case."""
        await tx.execute(
            "UPDATE case_metrics SET realerts = realerts + 1 WHERE case_id = ?", (case_id,)
        )

    async def supervisors_called(self, tx: Tx, case_id: int) -> None:
        """The supervisors were mentioned about the case."""
        await tx.execute(
            "UPDATE case_metrics SET supervisors_at = ? WHERE case_id = ?", (iso(now()), case_id)
        )

    async def get(self, case_id: int) -> CaseMetrics | None:
        """One case's timeline."""
        row = await self._db.fetchone(
            f"SELECT {COLUMNS} FROM case_metrics WHERE case_id = ?", (case_id,)
        )
        return metrics_from_row(row) if row is not None else None

    async def since(self, moment: datetime) -> list[CaseMetrics]:
        """Cases opened or resolved since ``moment``, oldest first."""
        stamp = iso(moment)
        rows = await self._db.fetchall(
            f"SELECT {COLUMNS} FROM case_metrics WHERE opened_at >= ? OR resolved_at >= ? "
            "ORDER BY case_id",
            (stamp, stamp),
        )
        return [metrics_from_row(row) for row in rows]

    async def due_for_supervisors(self, after: timedelta) -> list[int]:
        """Unclaimed cases waiting longer than ``after`` whose supervisors were not called."""
        rows = await self._db.fetchall(
            "SELECT m.case_id FROM case_metrics m JOIN cases c ON c.id = m.case_id "
            "WHERE c.status = ? AND m.supervisors_at IS NULL AND m.waiting_since <= ? "
            "ORDER BY m.case_id",
            (CaseStatus.OPEN, iso(now() - after)),
        )
        return [int(row[0]) for row in rows]

    async def unseen(self, chat_id: int) -> list[Unseen]:
        """New cases whose alert to ``chat_id`` waits unsent and that no digest announced."""
        rows = await self._db.fetchall(
            "SELECT c.id, c.priority, c.language, c.kind, (SELECT t.text FROM transcript t "
            "WHERE t.case_id = c.id ORDER BY t.id LIMIT 1), o.created_at FROM outbox o "
            "JOIN cases c ON c.id = o.case_id JOIN case_metrics m ON m.case_id = c.id "
            "WHERE o.kind = ? AND o.sent_at IS NULL AND o.chat_id = ? AND m.seen_at IS NULL "
            "ORDER BY c.id",
            (OutboxKind.ALERT, chat_id),
        )
        return [
            Unseen(
                case_id=int(row[0]),
                priority=Priority(row[1]),
                language=row[2],
                kind=CaseKind(row[3]),
                first_line=(self._db.unseal(row[4], "transcript.text") or "") if row[4] else "",
                queued_at=row[5],
            )
            for row in rows
        ]

    async def queued_alerts(self, chat_id: int) -> int:
        """How many alerts to ``chat_id`` wait unsent (announced or not)."""
        row = await self._db.fetchone(
            "SELECT COUNT(*) FROM outbox WHERE kind = ? AND sent_at IS NULL AND chat_id = ?",
            (OutboxKind.ALERT, chat_id),
        )
        return int(row[0]) if row is not None else 0

    async def waiting_counts(self) -> tuple[int, int]:
        """(open or claimed cases, unclaimed ones) right now."""
        row = await self._db.fetchone(
            "SELECT COUNT(*), COALESCE(SUM(status = ?), 0) FROM cases WHERE status != ?",
            (CaseStatus.OPEN, CaseStatus.RESOLVED),
        )
        return (int(row[0]), int(row[1])) if row is not None else (0, 0)

    async def fold(self, tx: Tx, before: datetime) -> int:
        """Let go of the timelines of cases resolved before ``before``, keeping only counts.

        Returns how many were folded. Open cases are never folded: the ladder needs them.
        """
        rows = await tx.fetchall(
            f"SELECT {COLUMNS} FROM case_metrics WHERE {RESOLVED_BEFORE}", (iso(before),)
        )
        if not rows:
            return 0
        counts = counts_of(metrics_from_row(row) for row in rows)
        counts.update(totals_from(await tx.fetchone(TOTALS_QUERY)))
        await tx.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (TOTALS_KEY, json.dumps(dict(sorted(counts.items())))),
        )
        await tx.execute(f"DELETE FROM case_metrics WHERE {RESOLVED_BEFORE}", (iso(before),))
        return len(rows)

    async def folded(self) -> Counter[str]:
        """The counts of every timeline let go so far."""
        return totals_from(await self._db.fetchone(TOTALS_QUERY))


TOTALS_QUERY = f"SELECT value FROM meta WHERE key = '{TOTALS_KEY}'"


def totals_from(row: Row | None) -> Counter[str]:
    """The folded counts stored in ``meta`` (none yet: empty)."""
    if row is None:
        return Counter()
    return Counter({str(k): int(v) for k, v in json.loads(row[0]).items()})
