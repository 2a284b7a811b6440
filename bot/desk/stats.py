"""The desk's numbers: how many people asked for help, and how fast a person answered them.

Helplines measure time to first response; so does Haven: from the case opening to a caseworker
claiming it, and to the first words a caseworker wrote reaching the person (p50 and p95). Read
from each case's timeline (``case_metrics``), which holds no user id and no text. ``/stats``
and the daily summary show them in the staff group; the weekly chart is a PNG drawn with
matplotlib's Agg backend; bot/desk/metrics.py serves the same numbers to Prometheus.
"""

from __future__ import annotations

import asyncio
import io
import logging
import math
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.core.texts import t
from bot.store import CaseMetrics, CaseTag, Priority, now
from bot.store.case_records import CaseRecords

__all__ = [
    "DayBar",
    "DeskNumbers",
    "DeskStats",
    "Spread",
    "draw_week",
    "minutes_between",
    "numbers_of",
    "percentile",
    "render_numbers",
    "week_bars",
]

log = logging.getLogger(__name__)

TYPICAL_WINDOW = timedelta(days=14)
TYPICAL_MIN_CASES = 5
"""Fewer answered cases than this in two weeks, and no typical wait is claimed to anyone."""
TYPICAL_STEP = 5
TYPICAL_CACHE_SECONDS = 60.0
EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
HANGUL_FONTS = ("Noto Sans CJK KR", "Noto Sans KR", "NanumGothic", "Malgun Gothic", "AppleGothic")


def percentile(values: Sequence[float], p: float) -> float | None:
    """Nearest-rank percentile: a value that was actually measured (None for no values)."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(1, math.ceil(p / 100 * len(ordered))) - 1]


def minutes_between(start: str, end: str | None) -> float | None:
    """Minutes from one store timestamp to another (None when the second has not happened)."""
    if end is None:
        return None
    return (datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds() / 60


@dataclass(frozen=True)
class Spread:
    """How long something took, in minutes, over the cases where it happened."""

    count: int
    p50: float | None
    p95: float | None

    @classmethod
    def of(cls, minutes: Sequence[float]) -> Spread:
        """The spread of some durations."""
        return cls(len(minutes), percentile(minutes, 50), percentile(minutes, 95))


@dataclass(frozen=True)
class DeskNumbers:
    """One period's numbers, and the queue right now."""

    since: datetime
    until: datetime
    opened: int
    opened_high: int
    to_claim: Spread
    to_first_reply: Spread
    to_seen: Spread
    open_now: int
    unclaimed_now: int
    resolved: dict[str, int] = field(default_factory=dict)
    false_alarms: int = 0
    missed_checkins: int = 0


def numbers_of(
    rows: Sequence[CaseMetrics], since: datetime, until: datetime, queue: tuple[int, int]
) -> DeskNumbers:
    """Count and time the cases opened (and those resolved) between ``since`` and ``until``."""

    def within(stamp: str | None) -> bool:
        return stamp is not None and since <= datetime.fromisoformat(stamp) < until

    opened = [m for m in rows if within(m.opened_at)]
    resolved = [m for m in rows if within(m.resolved_at)]

    def durations(column: str) -> list[float]:
        found = (minutes_between(m.opened_at, getattr(m, column)) for m in opened)
        return [value for value in found if value is not None]

    tags = Counter(str(m.tag) if m.tag is not None else "" for m in resolved)
    return DeskNumbers(
        since=since,
        until=until,
        opened=len(opened),
        opened_high=sum(m.priority == Priority.HIGH for m in opened),
        to_claim=Spread.of(durations("claimed_at")),
        to_first_reply=Spread.of(durations("first_reply_at")),
        to_seen=Spread.of(durations("seen_at")),
        open_now=queue[0],
        unclaimed_now=queue[1],
        resolved=dict(tags),
        false_alarms=tags.get(CaseTag.FALSE_ALARM, 0),
        missed_checkins=sum(m.missed_checkin for m in opened),
    )


def minutes_text(value: float | None, lang: str) -> str:
    """``4 min`` / ``1.5 h`` / ``-`` for a duration in minutes."""
    if value is None:
        return "-"
    if value < 90:
        return t("staff.stats_minutes", lang, minutes=f"{value:.0f}" if value >= 1 else "<1")
    return t("staff.stats_hours", lang, hours=f"{value / 60:.1f}")


def spread_text(spread: Spread, lang: str) -> str:
    """``p50 4 min · p95 20 min (n=12)``."""
    return t(
        "staff.stats_spread",
        lang,
        p50=minutes_text(spread.p50, lang),
        p95=minutes_text(spread.p95, lang),
        count=spread.count,
    )


def render_numbers(numbers: DeskNumbers, title: str, lang: str) -> str:
    """The summary staff read: the period's cases, the times, the queue, the outcomes."""
    tags = [
        t("staff.stats_tag", lang, tag=t(f"staff.tag_{tag}", lang), count=count)
        for tag, count in sorted(numbers.resolved.items())
        if tag
    ]
    untagged = numbers.resolved.get("", 0)
    if untagged:
        tags.append(t("staff.stats_tag", lang, tag=t("staff.tag_none", lang), count=untagged))
    lines = [
        title,
        t("staff.stats_opened", lang, count=numbers.opened, high=numbers.opened_high),
        t("staff.stats_to_seen", lang, spread=spread_text(numbers.to_seen, lang)),
        t("staff.stats_to_claim", lang, spread=spread_text(numbers.to_claim, lang)),
        t("staff.stats_to_reply", lang, spread=spread_text(numbers.to_first_reply, lang)),
        t(
            "staff.stats_queue",
            lang,
            open=numbers.open_now,
            unclaimed=numbers.unclaimed_now,
        ),
        t("staff.stats_resolved", lang, tags=", ".join(tags) or "-"),
        t("staff.stats_false_alarms", lang, count=numbers.false_alarms),
        t("staff.stats_missed_checkins", lang, count=numbers.missed_checkins),
    ]
    return "\n".join(lines)


@dataclass(frozen=True)
class DayBar:
    """One day of the weekly chart."""

    day: str
    high: int
    normal: int
    reply_p50: float | None


def week_bars(rows: Sequence[CaseMetrics], today: datetime, zone: ZoneInfo) -> list[DayBar]:
    """The last seven local days, oldest first: cases opened and the median first reply."""
    bars = []
    local_today = today.astimezone(zone).date()
    for back in range(6, -1, -1):
        day = local_today - timedelta(days=back)
        mine = [
            m for m in rows if datetime.fromisoformat(m.opened_at).astimezone(zone).date() == day
        ]
        replies = [
            value
            for value in (minutes_between(m.opened_at, m.first_reply_at) for m in mine)
            if value is not None
        ]
        bars.append(
            DayBar(
                day=day.strftime("%m-%d"),
                high=sum(m.priority == Priority.HIGH for m in mine),
                normal=sum(m.priority != Priority.HIGH for m in mine),
                reply_p50=percentile(replies, 50),
            )
        )
    return bars


def hangul_font() -> str | None:
    """A font that draws Korean, if the machine has one (the chart's labels need it)."""
    from matplotlib import font_manager

    for family in HANGUL_FONTS:
        try:
            font_manager.findfont(
                font_manager.FontProperties(family=family), fallback_to_default=False
            )
        except ValueError:
            continue
        return family
    return None


def draw_week(bars: Sequence[DayBar], lang: str) -> bytes:
    """The weekly chart as PNG: cases opened per day (high and normal), and the median
    minutes to the first staff message. Korean labels only where a font can draw them."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    font = hangul_font() if lang == "ko" else None
    labels = lang if lang != "ko" or font else "en"
    figure = Figure(figsize=(8, 4.5), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    days = [bar.day for bar in bars]
    high = [bar.high for bar in bars]
    normal = [bar.normal for bar in bars]
    axes.bar(days, high, color="#fb6f5f", label=t("staff.chart_high", labels))
    axes.bar(days, normal, bottom=high, color="#ffd67e", label=t("staff.chart_normal", labels))
    axes.set_ylabel(t("staff.chart_cases", labels))
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    reply = axes.twinx()
    reply.plot(
        days,
        [bar.reply_p50 if bar.reply_p50 is not None else float("nan") for bar in bars],
        color="#3a6ea5",
        marker="o",
        label=t("staff.chart_reply", labels),
    )
    reply.set_ylabel(t("staff.chart_reply", labels))
    reply.set_ylim(bottom=0)
    axes.set_title(t("staff.chart_title", labels))
    handles = axes.get_legend_handles_labels()[0] + reply.get_legend_handles_labels()[0]
    axes.legend(handles=handles, loc="upper left", fontsize="small")
    if font:
        for text in (axes.title, axes.yaxis.label, reply.yaxis.label):
            text.set_fontfamily(font)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


class DeskStats:
    """Computes the numbers from the store; cheap enough to run on every /stats."""

    def __init__(self, store: CaseRecords, lang: str, zone: ZoneInfo) -> None:
        """Numbers for the staff group (``lang``), days counted in ``zone``."""
        self._store = store
        self._lang = lang
        self._zone = zone
        self._typical: tuple[float, int | None] | None = None

    async def numbers(self, period: timedelta, until: datetime | None = None) -> DeskNumbers:
        """The numbers of the period ending ``until`` (now), with the queue as it is now."""
        end = until or now()
        start = end - period
        rows = await self._store.metrics_since(start)
        return numbers_of(rows, start, end, await self._store.waiting_counts())

    async def summary(self, title_key: str = "staff.stats_title_day") -> str:
        """The last 24 hours and the last 7 days, for /stats and the daily summary."""
        day = await self.numbers(timedelta(days=1))
        week = await self.numbers(timedelta(days=7))
        return "\n\n".join(
            (
                render_numbers(day, t(title_key, self._lang), self._lang),
                render_numbers(week, t("staff.stats_title_week", self._lang), self._lang),
            )
        )

    async def week_chart(self) -> bytes:
        """The last seven days as a PNG (drawn in a thread: it takes a moment of CPU)."""
        moment = now()
        rows = await self._store.metrics_since(moment - timedelta(days=8))
        bars = week_bars(rows, moment, self._zone)
        return await asyncio.to_thread(draw_week, bars, self._lang)

    async def queue(self) -> tuple[int, int]:
        """(open or claimed cases, unclaimed ones) right now."""
        return await self._store.waiting_counts()

    async def everything(self) -> list[CaseMetrics]:
        """Every case's timeline (for the metrics endpoint's totals)."""
        return await self._store.metrics_since(EPOCH)

    async def folded(self) -> Counter[str]:
        """The counts of the timelines retention has let go (for the endpoint's totals)."""
        return await self._store.metrics_folded()

    async def typical_reply_minutes(self) -> int | None:
        """The median minutes to a first staff message over two weeks, rounded up to 5.

        None with fewer than five answered cases: then nobody is promised a time.
        """
        cached = self._typical
        if cached is not None and time.monotonic() - cached[0] < TYPICAL_CACHE_SECONDS:
            return cached[1]
        rows = await self._store.metrics_since(now() - TYPICAL_WINDOW)
        waits = [
            value
            for value in (minutes_between(m.opened_at, m.first_reply_at) for m in rows)
            if value is not None
        ]
        typical: int | None = None
        if len(waits) >= TYPICAL_MIN_CASES:
            median = percentile(waits, 50) or 0.0
            typical = max(TYPICAL_STEP, math.ceil(median / TYPICAL_STEP) * TYPICAL_STEP)
        self._typical = (time.monotonic(), typical)
        return typical
