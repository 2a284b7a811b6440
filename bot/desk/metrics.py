"""The desk's numbers for Prometheus, on 127.0.0.1:METRICS_PORT only.

A collector serves the last snapshot read from the store (refreshed every few seconds by a
job, since the store is asynchronous and Prometheus' collection is not): totals since the
first case (opened by priority, resolved by tag, missed check-ins; timelines retention let go
count on as folded counts), the queue now, and the
last seven days' time to claim and to the first staff message (p50, p95). No user id, no
text: the same timelines /stats reads.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from wsgiref.simple_server import WSGIServer

from prometheus_client import start_http_server
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector, CollectorRegistry

from bot.core.errors import ConfigError
from bot.desk.stats import DeskStats, Spread, minutes_between
from bot.store import CaseMetrics, CaseTag, Priority, counts_of, now

log = logging.getLogger(__name__)

LISTEN = "127.0.0.1"
WINDOW = timedelta(days=7)


@dataclass(frozen=True)
class Snapshot:
    """What the endpoint serves until the next refresh."""

    opened: dict[str, int] = field(default_factory=dict)
    resolved: dict[str, int] = field(default_factory=dict)
    missed_checkins: int = 0
    open_now: int = 0
    unclaimed_now: int = 0
    to_claim: Spread = field(default_factory=lambda: Spread(0, None, None))
    to_first_reply: Spread = field(default_factory=lambda: Spread(0, None, None))


def snapshot_of(
    rows: list[CaseMetrics],
    queue: tuple[int, int],
    moment: datetime,
    folded: Counter[str] | None = None,
) -> Snapshot:
    """Totals over every timeline (those kept, and the counts of those let go), and the last
    week's times."""
    recent = [m for m in rows if datetime.fromisoformat(m.opened_at) >= moment - WINDOW]

    def seconds(column: str) -> list[float]:
        found = (minutes_between(m.opened_at, getattr(m, column)) for m in recent)
        return [value * 60 for value in found if value is not None]

    counts = counts_of(rows) + (folded or Counter())

    def by(prefix: str) -> dict[str, int]:
        return {k.removeprefix(prefix): n for k, n in counts.items() if k.startswith(prefix)}

    return Snapshot(
        opened=by("opened:"),
        resolved=by("resolved:"),
        missed_checkins=counts["missed"],
        open_now=queue[0],
        unclaimed_now=queue[1],
        to_claim=Spread.of(seconds("claimed_at")),
        to_first_reply=Spread.of(seconds("first_reply_at")),
    )


class DeskCollector(Collector):
    """Turns the latest snapshot into Prometheus metric families."""

    def __init__(self) -> None:
        """Nothing measured yet."""
        self.snapshot = Snapshot()

    def collect(self) -> Iterator[Metric]:
        """The metric families, as Prometheus scrapes them."""
        snap = self.snapshot
        opened = CounterMetricFamily(
            "haven_cases_opened", "Cases opened since the first one", labels=["priority"]
        )
        for priority in Priority:
            opened.add_metric([str(priority)], snap.opened.get(str(priority), 0))
        yield opened
        resolved = CounterMetricFamily(
            "haven_cases_resolved", "Cases resolved, by what they turned out to be", labels=["tag"]
        )
        for tag in [*(str(tag) for tag in CaseTag), "none"]:
            resolved.add_metric([tag], snap.resolved.get(tag, 0))
        yield resolved
        yield CounterMetricFamily(
            "haven_missed_checkins", "Cases opened by an unanswered check-in", snap.missed_checkins
        )
        yield GaugeMetricFamily("haven_cases_open", "Open or claimed cases now", snap.open_now)
        yield GaugeMetricFamily(
            "haven_cases_unclaimed", "Cases nobody has claimed now", snap.unclaimed_now
        )
        for name, spread, what in (
            ("haven_time_to_claim_seconds", snap.to_claim, "case opened to claimed"),
            ("haven_time_to_first_reply_seconds", snap.to_first_reply, "to first staff message"),
        ):
            family = GaugeMetricFamily(
                name, f"Last 7 days, {what}: quantiles over cases", labels=["quantile"]
            )
            for quantile, value in (("0.5", spread.p50), ("0.95", spread.p95)):
                if value is not None:
                    family.add_metric([quantile], value)
            yield family


class MetricsEndpoint:
    """The HTTP endpoint Prometheus scrapes, bound to 127.0.0.1 (put a proxy in front)."""

    def __init__(self, stats: DeskStats, port: int) -> None:
        """Serve ``stats`` on ``port`` once started."""
        self._stats = stats
        self._port = port
        self._collector = DeskCollector()
        self._server: WSGIServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        """Where it listens."""
        return self._port

    def start(self) -> None:
        """Listen on 127.0.0.1:port in a background thread."""
        registry = CollectorRegistry(auto_describe=True)
        registry.register(self._collector)
        try:
            self._server, self._thread = start_http_server(self._port, LISTEN, registry)
        except OSError as exc:
            raise ConfigError(
                f"METRICS_PORT {self._port}: cannot listen on {LISTEN}:{self._port} ({exc}); "
                "choose a free port, or unset METRICS_PORT"
            ) from exc
        log.info("metrics on http://%s:%s/metrics", LISTEN, self._port)

    async def refresh(self) -> None:
        """Read the numbers again from the store."""
        rows = await self._stats.everything()
        queue = await self._stats.queue()
        folded = await self._stats.folded()
        self._collector.snapshot = snapshot_of(rows, queue, now(), folded)

    def stop(self) -> None:
        """Stop listening."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
