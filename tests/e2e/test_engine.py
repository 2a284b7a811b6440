"""The engine itself: data validation, test stories, services, and understanding quality."""

from __future__ import annotations

import subprocess
from pathlib import Path

import httpx
import pytest

from bot.common.settings import ROOT
from bot.core import triage
from bot.engine.client import Engine
from bot.engine.services import EngineServices
from bot.tools.evaluate import evaluate, heldout, load_examples

RASA = str(ROOT / ".venv-engine" / "bin" / "rasa")
ENGINE_ENV = {
    "PATH": "/usr/bin:/bin",
    "PYTHONPATH": str(ROOT),
    "RASA_TELEMETRY_ENABLED": "false",
    "TF_CPP_MIN_LOG_LEVEL": "2",
    "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
}
MIN_ACCURACY = 0.90
MIN_DISTRESS_RECALL = 0.97
MAX_FALSE_ALARMS = 0.05
TEST_KEY = b"pseudonym key of the engine tests, no real users"


def rasa(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """Run the engine's own command line."""
    return subprocess.run(
        [RASA, *args], cwd=cwd, env=ENGINE_ENV, capture_output=True, text=True, timeout=900
    )


@pytest.mark.e2e
def test_training_data_validates_without_conflicts_or_unused_intents() -> None:
    result = rasa("data", "validate", "--data", "nlu", "stories", "--domain", "domain.yml")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "No story structure conflicts found." in output, output
    for line in output.splitlines():
        assert not ("intent" in line.lower() and "not used" in line.lower()), line


@pytest.mark.e2e
def test_form_test_stories_pass(tmp_path: Path) -> None:
    result = rasa(
        "test", "core", "--stories", "tests/test_stories.yml",
        "--model", "models/haven.tar.gz", "--out", str(tmp_path), "--no-plot",
    )  # fmt: skip
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    failed = (tmp_path / "failed_test_stories.yml").read_text(encoding="utf-8")
    assert "None of the test stories failed" in failed, failed


def test_heldout_never_in_training() -> None:
    def key(text: str) -> str:
        return "".join(c for c in text.lower() if c.isalnum())

    training = set()
    for path in (ROOT / "nlu").rglob("*.yml"):
        language = path.parent.name
        training |= {key(e.text) for e in load_examples(path, language)}
    overlap = [e.text for e in heldout() if key(e.text) in training]
    assert overlap == []


def test_heldout_has_twenty_per_intent_per_language() -> None:
    counts: dict[tuple[str, str], int] = {}
    for example in heldout():
        counts[example.language, example.intent] = (
            counts.get((example.language, example.intent), 0) + 1
        )
    intents = {intent for _, intent in counts}
    assert len(intents) >= 14
    for language in ("ko", "en"):
        for intent in intents:
            assert counts.get((language, intent), 0) >= 20, (language, intent)


async def test_services_answer_status(engine: EngineServices) -> None:
    client = Engine(engine.rasa_url, 10, engine.secret, TEST_KEY)
    try:
        assert await client.ready()
    finally:
        await client.close()
    async with httpx.AsyncClient() as http:
        health = (await http.get(f"{engine.actions_url}/health")).json()
    assert health["status"] == "ok"


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("캄보디아 대사관 전화번호 알려주세요", "ask_emergency_contacts"),
        ("what are the warning signs of a fake job offer?", "ask_red_flags"),
    ],
)
async def test_engine_parses_both_languages(engine: EngineServices, text: str, intent: str) -> None:
    client = Engine(engine.rasa_url, 10, engine.secret, TEST_KEY)
    try:
        result = await client.parse("test-parse", text)
    finally:
        await client.close()
    assert result.intent == intent


async def test_heldout_quality(engine: EngineServices) -> None:
    client = Engine(engine.rasa_url, 30, engine.secret, TEST_KEY)
    try:
        net = triage.SafetyNet.load(ROOT / "content" / "safety_net.yml")
        result = await evaluate(client, net, threshold=0.6)
    finally:
        await client.close()
    reports = result["_reports"]
    summary = {
        lang: (round(r.accuracy, 3), round(r.false_alarm_rate, 3)) for lang, r in reports.items()
    }
    print(f"held-out (accuracy, false alarms): {summary}")
    for language in ("ko", "en"):
        assert reports[language].accuracy >= MIN_ACCURACY, (language, result["misclassified"])
        assert reports[language].false_alarm_rate < MAX_FALSE_ALARMS, language
    assert result["distress_recall_combined"] >= MIN_DISTRESS_RECALL
