"""`make bench`, the net phase (issue 21): the safety net's cost on the longest messages.

Every adversarial message of ``tests/adversarial.py`` (4,096 characters: runs of digits or
of one letter, repeated words, jamo, emoji, random text, long Korean, near-misses of the
rule words) is screened ``REPEATS`` times as a new message, through the whole path triage
takes (normalisation, markers, suppressors, every rule, the decision), and the table shows
p50 and max per kind. No engine is needed: the phase runs before it starts.
"""

from __future__ import annotations

import statistics
import time
import unicodedata
from dataclasses import dataclass

from bot.common.settings import ROOT
from bot.core.triage import SafetyNet, decide
from tests.adversarial import LONGEST, adversarial

__all__ = ["NetResult", "measure_net", "render_net"]

REPEATS = 30
GOAL_MS = 3.0


@dataclass
class NetKind:
    """One kind of message: its cost in milliseconds and whether the net fired."""

    name: str
    p50_ms: float
    max_ms: float
    fired: bool


@dataclass
class NetResult:
    """The net phase's figures."""

    characters: int
    repeats: int
    kinds: list[NetKind]

    @property
    def worst_p50_ms(self) -> float:
        """The slowest kind's p50."""
        return max(kind.p50_ms for kind in self.kinds)


def measure_net(repeats: int = REPEATS) -> NetResult:
    """Screen each adversarial message ``repeats`` times, as if new each time."""
    net = SafetyNet.load(ROOT / "content" / "safety_net.yml")
    kinds = []
    for name, text in adversarial().items():
        costs = []
        fired = False
        for _ in range(repeats):
            net.forget()
            started = time.perf_counter()
            verdict = decide(text, None, None, net)
            costs.append((time.perf_counter() - started) * 1000)
            fired = verdict.escalate
        kinds.append(NetKind(name, statistics.median(costs), max(costs), fired))
    return NetResult(LONGEST, repeats, kinds)


def _shown_width(text: str) -> int:
    """Columns ``text`` takes on a terminal (Hangul takes two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def render_net(result: NetResult) -> list[str]:
    """The phase's lines for the console table."""
    width = max(_shown_width(kind.name) for kind in result.kinds)
    lines = [
        "",
        f"Net: the safety net on {result.characters:,}-character messages, "
        f"{result.repeats} times each (normalise, every rule, the decision)",
        f"  {'':{width}}  {'p50':>8}  {'max':>8}  fired",
    ]
    for kind in result.kinds:
        pad = " " * (width - _shown_width(kind.name))
        lines.append(
            f"  {kind.name}{pad}  {kind.p50_ms:5.2f} ms  {kind.max_ms:5.2f} ms  "
            f"{'yes' if kind.fired else 'no'}"
        )
    verdict = "met" if result.worst_p50_ms <= GOAL_MS else "NOT met"
    lines.append(f"  slowest p50 {result.worst_p50_ms:.2f} ms; goal {GOAL_MS:g} ms: {verdict}")
    return lines
