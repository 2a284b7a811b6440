"""The desk's numbers for Prometheus, and /healthz for an uptime monitor, on
127.0.0.1:METRICS_PORT only.

A collector serves the last snapshot read from the store (refreshed every few seconds by a
job, since the store is asynchronous and Prometheus' collection is not): totals since the
first case (opened by priority, resolved by tag, missed check-ins; timelines retention let go
count on as folded counts), the queue now, and the
last seven days' time to claim and to the first staff message (p50, p95). No user id, no
text: the same timelines /stats reads. ``/healthz`` asks Haven itself, on its event loop,
for the verdict of bot/desk/health.py: 200 and ``ok``, or 503 and the reason.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
import threading
from collections import Counter
from collections.abc import Callable, Coroutine, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from prometheus_client import make_wsgi_app
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.exposition import ThreadingWSGIServer
from prometheus_client.registry import Collector, CollectorRegistry

from bot.core.errors import ConfigError
from bot.desk.health import Verdict
from bot.desk.stats import DeskStats, Spread, minutes_between
from bot.store import CaseMetrics, CaseTag, Priority, counts_of, now

__all__ = ["DeskCollector", "MetricsEndpoint", "Snapshot", "snapshot_of"]

log = logging.getLogger(__name__)

LISTEN = "127.0.0.1"
WINDOW = timedelta(days=7)
HEALTHZ = "/healthz"
VERDICT_SECONDS = 10.0
"""How long /healthz waits for Haven's verdict: a loop that cannot answer in that time is
itself unhealthy."""

Judge = Callable[[], Coroutine[Any, Any, Verdict]]
StartResponse = Callable[[str, list[tuple[str, str]]], Any]


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


class _Quiet(WSGIRequestHandler):
    """No access log on standard error: monitors ask every minute."""

    def log_message(self, format: str, *args: Any) -> None:
        """Say nothing."""


class MetricsEndpoint:
    """The HTTP endpoint Prometheus scrapes and monitors ask, bound to 127.0.0.1."""

    def __init__(self, stats: DeskStats, port: int, judge: Judge | None = None) -> None:
        """Serve ``stats`` on ``port`` once started; ``judge`` gives /healthz its verdict."""
        self._stats = stats
        self._port = port
        self._judge = judge
        self._collector = DeskCollector()
        self._server: WSGIServer | None = None
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    @property
    def port(self) -> int:
        """Where it listens."""
        return self._port

    def start(self) -> None:
        """Listen on 127.0.0.1:port in a background thread (called on Haven's event loop)."""
        registry = CollectorRegistry(auto_describe=True)
        registry.register(self._collector)
        metrics = make_wsgi_app(registry)
        with contextlib.suppress(RuntimeError):
            self._loop = asyncio.get_running_loop()

        def app(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
            if environ.get("PATH_INFO") == HEALTHZ:
                return self._healthz(start_response)
            return metrics(environ, start_response)

        try:
            self._server = make_server(
                LISTEN, self._port, app, ThreadingWSGIServer, handler_class=_Quiet
            )
        except OSError as exc:
            raise ConfigError(
                f"METRICS_PORT {self._port}: cannot listen on {LISTEN}:{self._port} ({exc}); "
                "choose a free port, or unset METRICS_PORT"
            ) from exc
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        log.info("metrics on http://%s:%s/metrics, health on %s", LISTEN, self._port, HEALTHZ)

    def _healthz(self, start_response: StartResponse) -> list[bytes]:
        """200 ``ok``, or 503 with the reason; asks Haven on its own loop (in this thread)."""
        verdict = self.verdict()
        status = "200 OK" if verdict.healthy else "503 Service Unavailable"
        body = f"{verdict.reason}\n".encode()
        start_response(status, [("Content-Type", "text/plain; charset=utf-8")])
        return [body]

    def verdict(self) -> Verdict:
        """Haven's verdict, from a thread other than its loop's."""
        if self._judge is None or self._loop is None or self._loop.is_closed():
            return Verdict(False, "Haven is not running")
        future = asyncio.run_coroutine_threadsafe(self._judge(), self._loop)
        try:
            return future.result(timeout=VERDICT_SECONDS)
        except concurrent.futures.TimeoutError:
            future.cancel()
            return Verdict(False, f"Haven did not answer within {VERDICT_SECONDS:g} seconds")
        except Exception as exc:
            return Verdict(False, f"the check failed: {exc}")

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
