"""`make eval`: how well Haven understands the held-out set, per language.

Reports intent accuracy and macro F1 per language, recall of the two distress intents, the
escalation decision as the bot makes it (engine + safety net, and safety net alone) with its
false-alarm rate, and language detection on short messages (from a new user, and from a user
whose last message was in the other language). Then the conversation figures of issue 15:
direct answers per practice (tests/heldout/practices.yml), digressions inside flows
(tests/heldout/digressions.yml), distress recall inside flows (where the engine must be
surer) and in captions, and SOS recall, false alarms and the language named, per language
(tests/heldout/world.yml). Then the families of issue 25 (tests/heldout/families.yml): recall of the
watched writer (and the share opened as discreet) and of ransom (and the share of family reports
with the family as the contact), and the false-alarm rate on general questions about the crisis.
Then the rating agreement on held-out offers written as people write them
(tests/heldout/offers.yml, issue 22).
Writes ``reports/eval.json``, ``reports/confusion.png`` and
``reports/misclassified.txt``. The held-out files in ``tests/heldout/`` are never used for
training.
"""

from __future__ import annotations

import asyncio
import json
import re
import secrets
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.chat.dialogue import FORM_DISTRESS_THRESHOLD
from bot.chat.digressions import Digression, candidates, classify
from bot.chat.jobquestions import answers_first, offer_threshold
from bot.common.langid import LanguageId
from bot.common.language import LANGUAGES, Language, detect
from bot.common.settings import ROOT
from bot.core import triage
from bot.core.facts import FactsStore
from bot.core.languages import LanguagesFile
from bot.core.offers import rate_text, read_question
from bot.engine.client import Engine

__all__ = [
    "Example", "LanguageReport", "Prediction", "evaluate", "heldout", "load_examples",
    "main_async", "offer_report",
]  # fmt: skip

HELDOUT = ROOT / "tests" / "heldout"
REPORTS = ROOT / "reports"
DISTRESS = frozenset(triage.DISTRESS_INTENTS)
ANNOTATION = re.compile(r"\[([^\]]+)\](\{[^}]*\}|\([^)]*\))")
SHORT_WORDS = 3
OTHER: dict[str, Language] = {"ko": "en", "en": "ko"}
CONCURRENCY = 8


@dataclass(frozen=True)
class Example:
    """One labelled held-out message."""

    text: str
    intent: str
    language: str


@dataclass
class Prediction:
    """What the engine and the bot made of one example."""

    example: Example
    intent: str | None
    confidence: float
    escalated: bool = False
    net_escalated: bool = False


@dataclass
class LanguageReport:
    """Understanding figures for one language."""

    examples: int
    accuracy: float
    macro_f1: float
    distress_recall: float
    escalation_recall: float
    net_only_recall: float
    false_alarm_rate: float
    short_language_accuracy: float
    short_language_switch_accuracy: float
    per_intent_f1: dict[str, float] = field(default_factory=dict)


def strip_annotations(text: str) -> str:
    """Turn ``[캄보디아]{"entity": ...}`` into ``캄보디아``."""
    return ANNOTATION.sub(lambda m: m.group(1), text)


def load_examples(path: Path, language: str) -> list[Example]:
    """Read a Rasa NLU YAML file of labelled examples."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    examples = []
    for block in data.get("nlu", []):
        intent = block.get("intent")
        if not intent:
            continue
        for line in str(block.get("examples", "")).splitlines():
            line = line.strip()
            if line.startswith("- "):
                examples.append(Example(strip_annotations(line[2:].strip()), intent, language))
    return examples


def heldout() -> list[Example]:
    """Every held-out example in both languages."""
    return load_examples(HELDOUT / "ko.yml", "ko") + load_examples(HELDOUT / "en.yml", "en")


async def predict(
    engine: Engine, examples: list[Example], net: triage.SafetyNet, threshold: float
) -> list[Prediction]:
    """Parse every example (without touching any conversation) and triage it."""
    gate = asyncio.Semaphore(CONCURRENCY)

    async def one(index: int, example: Example) -> Prediction:
        async with gate:
            result = await engine.parse(f"eval-{index}", example.text)
        verdict = triage.decide(example.text, result.intent, result.confidence, net, threshold)
        net_only = triage.decide(example.text, None, None, net, threshold)
        return Prediction(
            example, result.intent, result.confidence, verdict.escalate, net_only.escalate
        )

    return list(await asyncio.gather(*(one(i, e) for i, e in enumerate(examples))))


def f1_scores(pairs: list[tuple[str, str | None]]) -> dict[str, float]:
    """Per-intent F1 over (true, predicted) pairs."""
    labels = sorted({true for true, _ in pairs})
    scores = {}
    for label in labels:
        tp = sum(1 for t, p in pairs if t == label and p == label)
        fp = sum(1 for t, p in pairs if t != label and p == label)
        fn = sum(1 for t, p in pairs if t == label and p != label)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        scores[label] = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return scores


def ratio(numerator: int, denominator: int) -> float:
    """A share, 1.0 when there is nothing to count."""
    return numerator / denominator if denominator else 1.0


def report(predictions: list[Prediction], language: str) -> LanguageReport:
    """Summarise the predictions for one language."""
    mine = [p for p in predictions if p.example.language == language]
    pairs = [(p.example.intent, p.intent) for p in mine]
    f1 = f1_scores(pairs)
    distress = [p for p in mine if p.example.intent in DISTRESS]
    ordinary = [p for p in mine if p.example.intent not in DISTRESS]
    short = [p for p in mine if len(p.example.text.split()) <= SHORT_WORDS]
    return LanguageReport(
        examples=len(mine),
        accuracy=ratio(sum(1 for t, p in pairs if t == p), len(pairs)),
        macro_f1=sum(f1.values()) / len(f1) if f1 else 0.0,
        distress_recall=ratio(sum(1 for p in distress if p.intent in DISTRESS), len(distress)),
        escalation_recall=ratio(sum(1 for p in distress if p.escalated), len(distress)),
        net_only_recall=ratio(sum(1 for p in distress if p.net_escalated), len(distress)),
        false_alarm_rate=1.0 - ratio(sum(1 for p in ordinary if not p.escalated), len(ordinary))
        if ordinary
        else 0.0,
        short_language_accuracy=ratio(
            sum(1 for p in short if detect(p.example.text) == language), len(short)
        ),
        short_language_switch_accuracy=ratio(
            sum(1 for p in short if detect(p.example.text, OTHER[language]) == language),
            len(short),
        ),
        per_intent_f1={k: round(v, 3) for k, v in f1.items()},
    )


def combined_distress_recall(predictions: list[Prediction]) -> float:
    """Recall of report_distress + report_missing_person together, both languages."""
    distress = [p for p in predictions if p.example.intent in DISTRESS]
    return ratio(sum(1 for p in distress if p.intent in DISTRESS), len(distress))


def misclassified(predictions: list[Prediction]) -> list[dict[str, Any]]:
    """Examples the engine got wrong, for reading."""
    return [
        {
            "language": p.example.language,
            "text": p.example.text,
            "expected": p.example.intent,
            "predicted": p.intent,
            "confidence": round(p.confidence, 3),
        }
        for p in predictions
        if p.intent != p.example.intent
    ]


def confusion_png(predictions: list[Prediction], path: Path) -> None:
    """Draw the intent confusion matrix (both languages) as a PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    labels = sorted(
        {p.example.intent for p in predictions} | {p.intent or "-" for p in predictions}
    )
    index = {label: i for i, label in enumerate(labels)}
    counts = Counter((p.example.intent, p.intent or "-") for p in predictions)
    grid = [[counts.get((t, q), 0) for q in labels] for t in labels]
    figure, axes = plt.subplots(figsize=(11, 9))
    axes.imshow(grid, cmap="Blues")
    axes.set_xticks(range(len(labels)), labels, rotation=60, ha="right", fontsize=8)
    axes.set_yticks(range(len(labels)), labels, fontsize=8)
    axes.set_xlabel("predicted")
    axes.set_ylabel("expected")
    for (true, pred), n in counts.items():
        axes.text(index[pred], index[true], str(n), ha="center", va="center", fontsize=7)
    axes.set_title("Haven intent confusion matrix (held-out, ko + en)")
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


def table(reports: dict[str, LanguageReport], combined: float) -> str:
    """The console table."""
    rows = [
        ("examples", "examples", "{:.0f}"),
        ("intent accuracy", "accuracy", "{:.3f}"),
        ("intent macro F1", "macro_f1", "{:.3f}"),
        ("distress intents recall", "distress_recall", "{:.3f}"),
        ("escalation recall (engine+net)", "escalation_recall", "{:.3f}"),
        ("escalation recall (net only)", "net_only_recall", "{:.3f}"),
        ("false alarms (ordinary msgs)", "false_alarm_rate", "{:.3f}"),
        ("language, 1-3 words, new user", "short_language_accuracy", "{:.3f}"),
        ("  ... after the other language", "short_language_switch_accuracy", "{:.3f}"),
    ]
    lines = [f"{'metric':<32}{'ko':>10}{'en':>10}", "-" * 52]
    for title, attribute, fmt in rows:
        values = [fmt.format(getattr(reports[lang], attribute)) for lang in LANGUAGES]
        lines.append(f"{title:<32}{values[0]:>10}{values[1]:>10}")
    lines.append(f"{'distress recall, both languages':<32}{combined:>20.3f}")
    return "\n".join(lines)


# --------------------------------------------------------------------- issue 15 figures


async def _parses(engine: Engine, texts: list[str]) -> list[tuple[str | None, float]]:
    """The engine's intent and confidence for each text (no conversation moves)."""
    gate = asyncio.Semaphore(CONCURRENCY)

    async def one(index: int, text: str) -> tuple[str | None, float]:
        async with gate:
            result = await engine.parse(f"eval-x{index}", text)
        return result.intent, result.confidence

    return list(await asyncio.gather(*(one(i, t) for i, t in enumerate(texts))))


async def practice_report(
    engine: Engine, net: triage.SafetyNet, facts: FactsStore, threshold: float
) -> dict[str, dict[str, float]]:
    """Per practice and language: the share answered with that practice's flag first."""
    data: Any = yaml.safe_load((HELDOUT / "practices.yml").read_text(encoding="utf-8"))
    report: dict[str, dict[str, float]] = {}
    current = facts.current()
    for practice, by_lang in data["practices"].items():
        report[practice] = {}
        for lang, questions in by_lang.items():
            readings = await _parses(engine, questions)
            good = 0
            for text, (intent, confidence) in zip(questions, readings, strict=True):
                question = read_question(text, current.find_place(text), current)
                surer = offer_threshold(question, text, threshold)
                alarm = triage.decide(text, intent, confidence, net, surer).escalate
                named = practice in [p.id for p in question.practices]
                good += named and not alarm and answers_first(question, intent, True)
            report[practice][lang] = ratio(good, len(questions))
    return report


def offer_report(facts: FactsStore) -> dict[str, Any]:
    """Rating agreement on tests/heldout/offers.yml: offers as people write them, each with
    the rating a caseworker would give; per language the share rated the same, and the
    misses (a high offer rated lower is the costly kind)."""
    data: Any = yaml.safe_load((HELDOUT / "offers.yml").read_text(encoding="utf-8"))
    current = facts.current()
    report: dict[str, Any] = {}
    for lang, items in data["offers"].items():
        misses = []
        for item in items:
            rating, flags = rate_text(item["text"], current)
            if rating != item["expected"]:
                misses.append(
                    {
                        "text": item["text"],
                        "expected": item["expected"],
                        "rated": rating,
                        "flags": [f.id for f in flags],
                    }
                )
        high = [i for i in items if i["expected"] == "high"]
        missed_high = [m for m in misses if m["expected"] == "high"]
        report[lang] = {
            "agreement": ratio(len(items) - len(misses), len(items)),
            "high_recall": ratio(len(high) - len(missed_high), len(high)),
            "offers": len(items),
            "misses": misses,
        }
    return report


def offer_table(offers: dict[str, Any]) -> str:
    """The held-out offers' rating agreement as a console table."""
    lines = ["", f"{'offer rating (held-out)':<36}{'ko':>8}{'en':>8}", "-" * 52]
    for key in ("agreement", "high_recall", "offers"):
        values = [offers.get(lang, {}).get(key, 0) for lang in LANGUAGES]
        lines.append(f"{key.replace('_', ' '):<36}{values[0]:>8.3f}{values[1]:>8.3f}")
    for lang in LANGUAGES:
        for miss in offers.get(lang, {}).get("misses", []):
            text = " ".join(miss["text"].split())[:60]
            lines.append(f"  [{lang}] expected {miss['expected']}, rated {miss['rated']}: {text}")
    return "\n".join(lines)


async def digression_report(engine: Engine) -> dict[str, dict[str, float]]:
    """Per language: digressions answered as their kind, and flow answers kept as answers."""
    data: Any = yaml.safe_load((HELDOUT / "digressions.yml").read_text(encoding="utf-8"))
    report: dict[str, dict[str, float]] = {}
    for lang in LANGUAGES:
        asked = [
            (Digression(kind), text) for kind, v in data["digressions"].items() for text in v[lang]
        ]
        answers = list(data["answers"][lang])
        readings = await _parses(engine, [text for _, text in asked] + answers)
        right = sum(
            classify(candidates(text), *reading) is kind
            for (kind, text), reading in zip(asked, readings[: len(asked)], strict=True)
        )
        kept = sum(
            classify(candidates(text), *reading) is None
            for text, reading in zip(answers, readings[len(asked) :], strict=True)
        )
        report[lang] = {
            "digressions_answered": ratio(right, len(asked)),
            "answers_kept": ratio(kept, len(answers)),
        }
    return report


def flow_distress_report(
    predictions: list[Prediction], net: triage.SafetyNet, threshold: float
) -> dict[str, dict[str, float]]:
    """Distress recall inside flows (the engine must be surer there) and in captions."""
    report: dict[str, dict[str, float]] = {}
    for lang in LANGUAGES:
        distress = [
            p for p in predictions if p.example.language == lang and p.example.intent in DISTRESS
        ]
        inside = max(threshold, FORM_DISTRESS_THRESHOLD)
        in_flow = sum(
            triage.decide(p.example.text, p.intent, p.confidence, net, inside).escalate
            for p in distress
        )
        captions = sum(
            triage.decide(p.example.text, p.intent, p.confidence, net, threshold).escalate
            for p in distress
        )
        report[lang] = {
            "inside_flows": ratio(in_flow, len(distress)),
            "in_captions": ratio(captions, len(distress)),
        }
    return report


async def world_report(
    engine: Engine, net: triage.SafetyNet, langid: LanguageId, threshold: float
) -> dict[str, dict[str, float]]:
    """Per language of tests/heldout/world.yml: SOS recall, false alarms, language named."""
    data: Any = yaml.safe_load((HELDOUT / "world.yml").read_text(encoding="utf-8"))
    report: dict[str, dict[str, float]] = {}
    for code, sets in data["languages"].items():
        distress, ordinary = list(sets["distress"]), list(sets["ordinary"])
        readings = await _parses(engine, distress + ordinary)
        verdicts = [
            triage.decide(text, intent, confidence, net, threshold).escalate
            for text, (intent, confidence) in zip(distress + ordinary, readings, strict=True)
        ]
        named = 0
        for text in distress:
            hit = net.check(text)
            named += langid.code(text, hit.lang if hit else None) == code
        report[code] = {
            "sos_recall": ratio(sum(verdicts[: len(distress)]), len(distress)),
            "sos_recall_net_only": ratio(
                sum(net.check(t) is not None for t in distress), len(distress)
            ),
            "false_alarms": sum(verdicts[len(distress) :]) / len(ordinary) if ordinary else 0.0,
            "language_named": ratio(named, len(distress)),
            "messages": float(len(distress) + len(ordinary)),
        }
    return report


def _flat(messages: Any) -> list[tuple[str, str]]:
    """(who, text) pairs of a family's messages, listed flat or by who tells them."""
    if isinstance(messages, dict):
        return [(who, str(text)) for who, texts in messages.items() for text in texts]
    return [("", str(text)) for text in messages]


async def families_report(
    engine: Engine, net: triage.SafetyNet, threshold: float
) -> dict[str, dict[str, float]]:
    """Per family and language: recall (engine + net, net only) and how the case opens; the
    false-alarm rate of the hard negatives (general questions about the crisis).

    ``family_contact`` is the share of the family-told messages opened with the family as the
    contact (-1 where none are family-told).
    """
    data: Any = yaml.safe_load((HELDOUT / "families.yml").read_text(encoding="utf-8"))
    report: dict[str, dict[str, float]] = {}
    for family, by_lang in data["families"].items():
        for lang, messages in by_lang.items():
            pairs = _flat(messages)
            texts = [text for _, text in pairs]
            readings = await _parses(engine, texts)
            verdicts = [
                triage.decide(text, intent, confidence, net, threshold)
                for text, (intent, confidence) in zip(texts, readings, strict=True)
            ]
            told = [v for (who, _), v in zip(pairs, verdicts, strict=True) if who == "family"]
            row = {
                "recall": ratio(sum(v.escalate for v in verdicts), len(texts)),
                "recall_net_only": ratio(sum(net.check(t) is not None for t in texts), len(texts)),
                "discreet": ratio(
                    sum(v.escalate and v.writer is triage.Writer.WATCHED for v in verdicts),
                    len(texts),
                ),
                "family_contact": ratio(
                    sum(v.escalate and v.writer is triage.Writer.FAMILY for v in told), len(told)
                )
                if told
                else -1.0,
                "messages": float(len(texts)),
            }
            report[f"{family}/{lang}"] = row
    for lang, messages in data["hard_negatives"].items():
        texts = [str(text) for text in messages]
        readings = await _parses(engine, texts)
        alarms = sum(
            triage.decide(text, intent, confidence, net, threshold).escalate
            for text, (intent, confidence) in zip(texts, readings, strict=True)
        )
        report[f"hard_negatives/{lang}"] = {
            "false_alarms": alarms / len(texts) if texts else 0.0,
            "false_alarms_net_only": sum(net.check(t) is not None for t in texts) / len(texts)
            if texts
            else 0.0,
            "messages": float(len(texts)),
        }
    return report


def families_table(rows: dict[str, dict[str, float]]) -> str:
    """The issue-25 figures as a console table."""
    lines = [
        "",
        f"{'families (issue 25)':<26}{'recall':>8}{'net only':>10}{'discreet':>10}"
        f"{'family':>8}{'msgs':>6}",
        "-" * 68,
    ]
    for name, row in rows.items():
        if name.startswith("hard_negatives/"):
            continue
        told = f"{row['family_contact']:.3f}" if row["family_contact"] >= 0 else "-"
        lines.append(
            f"{name:<26}{row['recall']:>8.3f}{row['recall_net_only']:>10.3f}"
            f"{row['discreet']:>10.3f}{told:>8}{row['messages']:>6.0f}"
        )
    lines += ["", f"{'crisis questions':<26}{'false alarms':>14}{'net only':>10}{'msgs':>6}"]
    lines.append("-" * 56)
    for name, row in rows.items():
        if name.startswith("hard_negatives/"):
            lines.append(
                f"{name:<26}{row['false_alarms']:>14.3f}{row['false_alarms_net_only']:>10.3f}"
                f"{row['messages']:>6.0f}"
            )
    return "\n".join(lines)


def conversation_table(extra: dict[str, Any]) -> str:
    """The issue-15 figures as console tables."""
    lines = ["", f"{'direct answer first, per practice':<36}{'ko':>8}{'en':>8}", "-" * 52]
    for practice, by_lang in extra["practices"].items():
        lines.append(f"{practice:<36}{by_lang.get('ko', 0):>8.3f}{by_lang.get('en', 0):>8.3f}")
    lines += ["", f"{'digressions inside flows':<36}{'ko':>8}{'en':>8}", "-" * 52]
    for key in ("digressions_answered", "answers_kept"):
        values = [extra["digressions"][lang][key] for lang in LANGUAGES]
        lines.append(f"{key.replace('_', ' '):<36}{values[0]:>8.3f}{values[1]:>8.3f}")
    lines += ["", f"{'distress recall':<36}{'ko':>8}{'en':>8}", "-" * 52]
    for key in ("inside_flows", "in_captions"):
        values = [extra["flow_distress"][lang][key] for lang in LANGUAGES]
        lines.append(f"{key.replace('_', ' '):<36}{values[0]:>8.3f}{values[1]:>8.3f}")
    lines += [
        "",
        f"{'SOS by language':<10}{'recall':>9}{'net only':>10}{'false alarms':>14}{'named':>8}{'msgs':>6}",
        "-" * 57,
    ]
    for code, row in extra["world"].items():
        lines.append(
            f"{code:<10}{row['sos_recall']:>9.3f}{row['sos_recall_net_only']:>10.3f}"
            f"{row['false_alarms']:>14.3f}{row['language_named']:>8.3f}{row['messages']:>6.0f}"
        )
    return "\n".join(lines)


async def evaluate(engine: Engine, net: triage.SafetyNet, threshold: float) -> dict[str, Any]:
    """Run the whole evaluation and return the report as a dict."""
    predictions = await predict(engine, heldout(), net, threshold)
    reports = {lang: report(predictions, lang) for lang in LANGUAGES}
    return {
        "languages": {lang: vars(r) for lang, r in reports.items()},
        "distress_recall_combined": combined_distress_recall(predictions),
        "misclassified": misclassified(predictions),
        "_predictions": predictions,
        "_reports": reports,
    }


async def main_async() -> int:
    """Start the engine if needed, evaluate, print and write the reports."""
    from bot.common.settings import Settings
    from bot.engine.services import EnginePorts, EngineServices

    settings = Settings.from_env()
    services = EngineServices(EnginePorts.free())
    print("starting the engine...", file=sys.stderr)
    await services.start()
    # Held-out examples are no users: a throwaway pseudonym key will do.
    engine = Engine(services.rasa_url, 30.0, services.secret, secrets.token_bytes(32))
    try:
        net = triage.SafetyNet.load(settings.content_dir / "safety_net.yml")
        result = await evaluate(engine, net, settings.distress_threshold)
        content = settings.content_dir
        facts = FactsStore(content / "facts.yml", content / "countries.yml")
        langid = LanguageId(LanguagesFile(content))
        threshold = settings.distress_threshold
        extra = {
            "practices": await practice_report(engine, net, facts, threshold),
            "digressions": await digression_report(engine),
            "flow_distress": flow_distress_report(result["_predictions"], net, threshold),
            "world": await world_report(engine, net, langid, threshold),
            "families": await families_report(engine, net, threshold),
            "offers": offer_report(facts),
        }
        result["conversations"] = extra
    finally:
        await engine.close()
        await services.stop()
    predictions = result.pop("_predictions")
    reports = result.pop("_reports")
    REPORTS.mkdir(exist_ok=True)
    (REPORTS / "eval.json").write_text(
        json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    (REPORTS / "misclassified.txt").write_text(
        "\n".join(
            f"[{m['language']}] expected {m['expected']}, got {m['predicted']} "
            f"({m['confidence']}): {m['text']}"
            for m in result["misclassified"]
        )
        + "\n",
        encoding="utf-8",
    )
    confusion_png(predictions, REPORTS / "confusion.png")
    print(table(reports, result["distress_recall_combined"]))
    print(conversation_table(result["conversations"]))
    print(families_table(result["conversations"]["families"]))
    print(offer_table(result["conversations"]["offers"]))
    print(f"\nwrote {REPORTS}/eval.json, confusion.png, misclassified.txt")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main_async()))
