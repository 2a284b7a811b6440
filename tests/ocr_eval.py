"""`make eval`, its second part: how well Haven reads pictures (issue 24).

On a generated set (tests/pictures.py: chat screenshots in four themes and two JPEG
qualities, posters, notes photographed crooked and blurred; Korean and English), with the
real Tesseract as Haven runs it: character accuracy (the share of the drawn characters read,
in order, spaces aside), the character error rate (edits to get from what was read to what
was drawn, insertions included), and flag agreement: whether the words read raise the same
red flags (ads) or the same distress verdict (notes) as the words drawn. Writes
``reports/ocr_eval.json`` and prints a table. No engine is needed.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from difflib import SequenceMatcher

from bot.common.settings import ROOT, Settings
from bot.core.jobcheck import scan_ad
from bot.core.triage import SafetyNet
from bot.engine.ocr import TextReader
from tests.pictures import Sample, eval_set

REPORT = ROOT / "reports" / "ocr_eval.json"
MIN_SAMPLES = 20


@dataclass(frozen=True)
class Scored:
    """One picture: what was read and how it compares with what was drawn."""

    name: str
    lang: str
    outcome: str
    seconds: float
    char_accuracy: float
    char_error_rate: float
    flags_drawn: list[str]
    flags_read: list[str]
    agree: bool


def squeeze(text: str) -> str:
    """The characters without spaces and line breaks: Korean spacing is not what is measured."""
    return "".join(text.split())


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance (insertions, deletions and substitutions cost one)."""
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i]
        for j, y in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y)))
        previous = current
    return previous[-1]


def char_accuracy(drawn: str, read: str) -> float:
    """The share of the drawn characters found, in order, in what was read."""
    truth, got = squeeze(drawn), squeeze(read)
    matched = sum(block.size for block in SequenceMatcher(None, truth, got).get_matching_blocks())
    return matched / len(truth) if truth else 1.0


def flags(sample: Sample, text: str, net: SafetyNet) -> list[str]:
    """The red flags of an ad, or for a note the distress verdict of the safety net."""
    if sample.name.startswith("note"):
        return ["distress"] if net.check(text) is not None else []
    return sorted(flag.id for flag in scan_ad(text))


async def score(reader: TextReader, net: SafetyNet, samples: Sequence[Sample]) -> list[Scored]:
    """Read every picture as Haven would and score it."""
    scored = []
    for sample in samples:
        reading = await reader.read(sample.data)
        drawn = flags(sample, sample.text, net)
        read = flags(sample, reading.text, net)
        truth = squeeze(sample.text)
        scored.append(
            Scored(
                name=sample.name,
                lang=sample.lang,
                outcome=reading.outcome.value,
                seconds=round(reading.seconds, 3),
                char_accuracy=round(char_accuracy(sample.text, reading.text), 4),
                char_error_rate=round(
                    edit_distance(truth, squeeze(reading.text)) / max(1, len(truth)), 4
                ),
                flags_drawn=drawn,
                flags_read=read,
                agree=drawn == read,
            )
        )
    return scored


def summary(scored: Sequence[Scored]) -> dict[str, dict[str, float]]:
    """Per language and kind of picture, and overall: the means and the agreement rate."""
    groups: dict[str, list[Scored]] = {"all": list(scored)}
    for row in scored:
        kind = row.name.split("-")[0]
        groups.setdefault(f"{row.lang} {kind}", []).append(row)
        groups.setdefault(row.lang, []).append(row)
    return {
        name: {
            "pictures": len(rows),
            "char_accuracy": round(statistics.fmean(r.char_accuracy for r in rows), 3),
            "char_error_rate": round(statistics.fmean(r.char_error_rate for r in rows), 3),
            "flag_agreement": round(sum(r.agree for r in rows) / len(rows), 3),
            "seconds_p50": round(statistics.median(r.seconds for r in rows), 2),
        }
        for name, rows in sorted(groups.items())
    }


def table(groups: dict[str, dict[str, float]], scored: Sequence[Scored]) -> str:
    """The summary, then each picture whose flags disagree."""
    lines = [
        "\nReading pictures (Tesseract kor+eng, generated set)",
        f"{'group':<16}{'pictures':>9}{'char acc':>10}{'CER':>8}{'flags agree':>13}{'p50 s':>8}",
    ]
    for name, group in groups.items():
        lines.append(
            f"{name:<16}{group['pictures']:>9.0f}{group['char_accuracy']:>10.3f}"
            f"{group['char_error_rate']:>8.3f}{group['flag_agreement']:>13.3f}"
            f"{group['seconds_p50']:>8.2f}"
        )
    for row in scored:
        if not row.agree:
            lines.append(f"  disagree: {row.name}: drawn {row.flags_drawn}, read {row.flags_read}")
    return "\n".join(lines)


async def main_async() -> int:
    """Evaluate, print and write the report; 1 when Tesseract is missing."""
    reader = TextReader.find()
    if reader is None:
        print("Tesseract (kor+eng) is not installed: run make system", file=sys.stderr)
        return 1
    settings = Settings.from_env()
    net = SafetyNet.load(settings.content_dir / "safety_net.yml")
    samples = eval_set()
    assert len(samples) >= MIN_SAMPLES
    scored = await score(reader, net, samples)
    groups = summary(scored)
    REPORT.parent.mkdir(exist_ok=True)
    REPORT.write_text(
        json.dumps(
            {"summary": groups, "pictures": [asdict(row) for row in scored]},
            ensure_ascii=False,
            indent=2,
        ),
        encoding="utf-8",
    )
    print(table(groups, scored))
    print(f"\nwrote {REPORT}")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main_async()))
