"""The engine forgets: idle conversations expire, old turns are dropped, /forget erases one.

The tracker store (components/tracker_store.py) runs on the engine's Python, so these run it
there, in a child process, against the real domain; the route /forget uses is tested against
the running engine in test_privacy_e2e.py.
"""

from __future__ import annotations

import json
import subprocess

import pytest

from bot.common.settings import ROOT
from bot.engine.services import TRACKER_STORE, child_environment, endpoints_yaml

pytestmark = pytest.mark.e2e

SCRIPT = """
import asyncio, json
from rasa.core.tracker_store import FailSafeTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, BotUttered, SlotSet, UserUttered
from components.tracker_store import ExpiringTrackerStore, erase

async def main():
    store = ExpiringTrackerStore(Domain.load("domain.yml"), idle_minutes=0.02, max_events=30)
    wrapped = FailSafeTrackerStore(store)  # as Rasa's Agent wraps every tracker store
    found = {}
    tracker = await wrapped.get_or_create_tracker("long")
    tracker.update(SlotSet("language", "ko"))
    tracker.update(ActiveLoop("job_check_form"))
    for turn in range(40):
        tracker.update(UserUttered(f"secret turn {turn}.", {"name": "greet", "confidence": 1.0}))
        tracker.update(ActionExecuted("utter_greet"))
        tracker.update(BotUttered("hi"))
        tracker.update(ActionExecuted("action_listen"))
    await wrapped.save(tracker)
    back = await wrapped.retrieve("long")
    found["events"] = len(back.events)
    found["language"] = back.get_slot("language")
    found["loop"] = back.active_loop_name
    found["latest"] = back.latest_message.text
    found["kept_first_turn"] = any(
        getattr(e, "text", None) == "secret turn 0." for e in store.store["long"]
    )
    found["erased"] = [await erase(wrapped, "long"), await erase(wrapped, "long")]
    await wrapped.save(await wrapped.get_or_create_tracker("idle"))
    found["before"] = sorted(await wrapped.keys())
    await asyncio.sleep(2.5)
    found["after"] = sorted(store.store)
    found["retrieved"] = await wrapped.retrieve("idle") is not None
    print("RESULT " + json.dumps(found))

asyncio.run(main())
"""


def test_idle_conversations_expire_and_long_ones_are_capped() -> None:
    result = subprocess.run(
        [str(ROOT / ".venv-engine" / "bin" / "python"), "-c", SCRIPT],
        cwd=ROOT,
        env=child_environment({}, {"PYTHONPATH": str(ROOT), "RASA_TELEMETRY_ENABLED": "false"}),
        capture_output=True,
        text=True,
        timeout=180,
    )
    lines = [line for line in result.stdout.splitlines() if line.startswith("RESULT ")]
    assert lines, result.stdout + result.stderr
    found = json.loads(lines[-1].removeprefix("RESULT "))
    assert found["events"] <= 30 + 5, "capped near max_events"
    assert (found["language"], found["loop"]) == ("ko", "job_check_form"), "state survives"
    assert found["latest"] == "secret turn 39."
    assert found["kept_first_turn"] is False
    assert found["erased"] == [True, False]
    assert found["before"] == ["idle"]
    assert found["after"] == [], "swept without anyone asking"
    assert found["retrieved"] is False


def test_every_engine_haven_starts_gets_the_forgetting_store() -> None:
    text = endpoints_yaml(5077, 12.5)
    assert f"type: {TRACKER_STORE}" in text
    assert "idle_minutes: 12.5" in text
    assert "127.0.0.1:5077/webhook" in text
    root = (ROOT / "endpoints.yml").read_text(encoding="utf-8")
    assert f"type: {TRACKER_STORE}" in root
