"""Where the engine's time per message goes: py-spy on the running engine and action server.

Starts the engine as `make run` does, sends it the load phase's messages from many senders at
once (straight to the Haven channel, as bot/engine/client.py does), and samples both processes with
py-spy (``.venv-engine/bin/py-spy``, requirements/engine.in) meanwhile. Each sample's stack is
given to the first stage it passes through (tokenizer, featurizers, classifier, CRF, policies,
tracker store, action server round trip, serialization, HTTP), and the table shows each
stage's share of the busy samples and its cost per message. Run from the repository root:

    .venv/bin/python -m tests.bench.profile [--seconds 30] [--senders 40] [--root CHECKOUT]

The machine may be shared: the figures are shares of this process's samples, not of the CPU.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import httpx

from bot.common.settings import ROOT
from bot.engine.client import WEBHOOK, auth_header
from bot.engine.services import EnginePorts, EngineServices
from tests.bench.__main__ import LOAD_TEXTS

PY_SPY = ROOT / ".venv-engine" / "bin" / "py-spy"
RATE = 200  # samples a second

# (stage, markers in a frame "function (file:line)"), in priority order: a sample counts for
# the first stage any frame of its stack matches, so JSON written for the tracker store is the
# tracker store's and the action server's answer checked by jsonschema is the check's.
STAGES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("action server answer check (jsonschema)", ("jsonschema", "_validate_action_result")),
    ("tracker store (read, write, JSON)", ("tracker_store", "deserialise_tracker")),
    ("tokenizer (Kiwi)", ("korean_tokenizer", "kiwipiepy")),
    ("LexicalSyntacticFeaturizer", ("lexical_syntactic_featurizer",)),
    ("CountVectorsFeaturizer", ("count_vectors_featurizer",)),
    ("LogisticRegressionClassifier", ("logistic_regression_classifier",)),
    ("CRF entity extractor", ("crf_entity_extractor", "scoped_entities", "pycrfsuite")),
    ("NLU graph (other)", ("rasa/nlu/", "_parse_message_with_graph")),
    ("policies", ("rasa/core/policies", "rasa/core/featurizers", "_predict_next_with_tracker")),
    ("action server round trip", ("rasa/core/actions/action.py", "aiohttp", "rasa/utils/end")),
    ("tracker updates (events, slots)", ("rasa/shared/core/trackers", "rasa/shared/core/events")),
    ("dialogue loop (processor, NLG)", ("rasa/core/processor", "rasa/core/nlg")),
    ("channel (components/haven_channel.py)", ("haven_channel",)),
    ("JSON (request, response)", ("(json/", "ujson")),
    ("HTTP (Sanic)", ("sanic", "httptools", "uvloop", "asyncio")),
)


def stage_of(stack: str) -> str:
    """The stage a collapsed stack (outermost;...;innermost) is counted in."""
    for name, markers in STAGES:
        if any(m in stack for m in markers):
            return name
    return "other"


def read_collapsed(path: Path) -> Counter[str]:
    """Samples per stage from py-spy's ``--format raw`` output (``stack count`` lines)."""
    stages: Counter[str] = Counter()
    if not path.is_file():
        return stages
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if stack and count.isdigit() and not idle(stack):
            stages[stage_of(stack)] += int(count)
    return stages


def idle(stack: str) -> bool:
    """A sample of the event loop waiting for work (its innermost frame is Sanic's ``serve``)."""
    return stack.rsplit(";", 1)[-1].startswith("serve (sanic/server/runners.py")


async def drive(services: EngineServices, seconds: float, senders: int) -> int:
    """Closed-loop senders posting the load phase's texts; return how many were answered."""
    answered = 0
    deadline = time.monotonic() + seconds
    texts = [(lang, text) for lang, ts in LOAD_TEXTS.items() for text in ts]

    async def sender(client: httpx.AsyncClient, n: int) -> None:
        nonlocal answered
        for k in itertools.count():
            if time.monotonic() >= deadline:
                return
            lang, text = texts[(n + k) % len(texts)]
            body = {"sender": f"profile-{n}", "message": f"{text} {k + 1}", "language": lang}
            with contextlib.suppress(httpx.HTTPError):
                response = await client.post(WEBHOOK, json=body)
                answered += response.status_code == 200

    limits = httpx.Limits(max_connections=senders)
    async with httpx.AsyncClient(
        base_url=services.rasa_url,
        timeout=60.0,
        headers=auth_header(services.secret),
        limits=limits,
    ) as client:
        await asyncio.gather(*(sender(client, n) for n in range(senders)))
    return answered


async def profile(seconds: float, senders: int, out: Path, root: Path = ROOT) -> str:
    """Start the engine of the checkout at ``root``, sample it under load, render the table."""
    services = EngineServices(EnginePorts.free(), root=root, log_dir=out)
    await services.start()
    try:
        await drive(services, 3.0, 4)  # warm up
        pids = services.pids()
        spies = {
            name: subprocess.Popen(  # noqa: ASYNC220 (py-spy runs beside the load on purpose)
                [
                    str(PY_SPY),
                    "record",
                    "--pid",
                    str(pids[name]),
                    "--rate",
                    str(RATE),
                    "--duration",
                    str(int(seconds)),
                    "--format",
                    "raw",
                    "--nonblocking",
                    "--output",
                    str(out / f"{name}.txt"),
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            for name in ("engine", "actions")
        }
        started = time.monotonic()
        answered = await drive(services, seconds, senders)
        elapsed = time.monotonic() - started
        for spy in spies.values():
            await asyncio.to_thread(spy.wait, 60)
    finally:
        await services.stop()
    return render(read_collapsed(out / "engine.txt"), read_collapsed(out / "actions.txt"),
                  answered, elapsed)  # fmt: skip


def render(engine: Counter[str], actions: Counter[str], answered: int, elapsed: float) -> str:
    """The stages, their shares of the engine's busy samples, and milliseconds per message."""
    total = sum(engine.values()) or 1
    per_message = 1000 / RATE / max(answered, 1)
    lines = [
        f"{answered} messages answered in {elapsed:.1f} s ({answered / elapsed:.1f}/s); "
        f"engine busy samples {total}, {total * per_message:.1f} ms of engine time per message",
        f"{'stage':40} {'share':>7} {'ms/msg':>7}",
    ]
    for name, count in engine.most_common():
        lines.append(f"{name:40} {count / total:7.1%} {count * per_message:7.2f}")
    busy = sum(actions.values())
    lines.append(f"{'action server (its own process)':40} {'':>7} {busy * per_message:7.2f}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Profile and print the table; the raw stacks stay in --out."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--senders", type=int, default=40)
    parser.add_argument("--out", type=Path, default=None, help="keep the raw stacks here")
    parser.add_argument(
        "--root",
        type=Path,
        default=ROOT,
        help="profile the engine (model, components) of another checkout, e.g. the one before",
    )
    options = parser.parse_args(argv)
    if not PY_SPY.is_file():
        print(f"no py-spy at {PY_SPY}: .venv-engine/bin/pip install py-spy", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="haven-profile-") as tmp:
        out = options.out or Path(tmp)
        out.mkdir(parents=True, exist_ok=True)
        print(asyncio.run(profile(options.seconds, options.senders, out, options.root.resolve())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
