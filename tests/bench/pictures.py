"""`make bench`, the pictures phase (issue 24): reading pictures must not get in the way.

Two figures. First, the time Tesseract takes per 720x1280 phone screenshot (p50, p95), as
Haven reads them (preprocessing included), one after another. Second, with the real bot on
the stand-in and the real engine: the latency of typed messages from other people, alone and
while five pictures are being read at once; the goal is that it grows by no more than the
engine's own p50 (timed inside the bot around each engine call). A message's latency runs
from its push to the stand-in until the bot has finished it (every reply sent).
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.engine.client import EngineResult
from bot.engine.ocr import TextReader
from bot.engine.services import EngineServices
from tests.conftest import STAFF_CHAT, STAFF_MEMBER, make_settings, start_harness, stop_harness
from tests.pictures import BACKGROUNDS, ENGLISH_AD, KOREAN_AD, chat_bubble
from tests.telegram_stub import BotApiStub

__all__ = ["PicturesResult", "measure_pictures", "render_pictures"]

SCREENSHOTS = 20
PICTURES_AT_ONCE = 5
ROUNDS = 4
TYPED_ALONE = 30
TYPED = (
    ("en", "what are the warning signs of a fake job offer?"),
    ("ko", "캄보디아 대사관 연락처 알려주세요"),
    ("en", "hello, who are you?"),
    ("ko", "해외 취업 사기 어떻게 알아봐요?"),
)
PICTURE_USERS = 70_000_000
TYPED_USERS = 71_000_000
TIMEOUT = 60.0


@dataclass
class PicturesResult:
    """The pictures phase's figures, in milliseconds."""

    screenshots: int
    ocr_p50_ms: float
    ocr_p95_ms: float
    pictures_read: int
    typed_alone: int
    typed_alone_p50_ms: float
    typed_alone_p95_ms: float
    typed_while_reading: int
    typed_while_p50_ms: float
    typed_while_p95_ms: float
    engine_p50_ms: float
    growth_p50_ms: float
    met: bool


def nearest_rank(values: Sequence[float], p: float) -> float:
    """A measured value at the p-th percentile (nearest rank), in milliseconds."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * p // 100))
    return round(ordered[int(rank) - 1] * 1000, 1)


def screenshots(count: int) -> list[bytes]:
    """720x1280 chat screenshots in every theme, both languages, JPEG quality 70."""
    themes = list(BACKGROUNDS)
    return [
        chat_bubble(
            KOREAN_AD if i % 2 == 0 else ENGLISH_AD, themes[i % len(themes)], top=200 + 40 * i
        )
        for i in range(count)
    ]


async def ocr_times(reader: TextReader, pictures: Sequence[bytes]) -> list[float]:
    """Seconds per picture, read one after another as Haven reads them."""
    times = []
    for data in pictures:
        reading = await reader.read(data)
        times.append(reading.seconds)
    return times


class TimedEngine:
    """Times each engine call inside the running bot (the engine's own share of a reply)."""

    def __init__(self, harness: Any) -> None:
        """Wrap the harness's engine client."""
        self.calls: list[float] = []
        engine = harness.haven.engine
        send = engine.send

        async def timed(sender: str, text: str, language: str, **options: Any) -> EngineResult:
            started = time.monotonic()
            try:
                result: EngineResult = await send(sender, text, language, **options)
                return result
            finally:
                self.calls.append(time.monotonic() - started)

        engine.send = timed


async def typed(harness: Any, stub: BotApiStub, user: int, index: int) -> float | None:
    """One typed message, closed loop: seconds until the bot has finished it."""
    lang, text = TYPED[index % len(TYPED)]
    pushed = time.monotonic()
    update = stub.push_text(user, text, language_code=lang)
    done = await harness.finished(update["update_id"], TIMEOUT)
    return None if done is None else done - pushed


async def measure_pictures(services: EngineServices, workdir: Path) -> PicturesResult:
    """OCR time per screenshot, then typed-message latency alone and while pictures are read."""
    reader = TextReader.find()
    if reader is None:
        raise RuntimeError("Tesseract (kor+eng) is not installed: run make system")
    shots = screenshots(SCREENSHOTS)
    ocr = await ocr_times(reader, shots)
    stub = BotApiStub()
    stub.start()
    try:
        stub.set_member(STAFF_CHAT, STAFF_MEMBER, "member")
        workdir.mkdir(parents=True, exist_ok=True)
        harness = await start_harness(stub, make_settings(stub, workdir, services))
        try:
            engine = TimedEngine(harness)
            for i in range(5):  # warm up
                await typed(harness, stub, TYPED_USERS + i, i)
            engine.calls.clear()
            alone = [
                s
                for i in range(TYPED_ALONE)
                if (s := await typed(harness, stub, TYPED_USERS + 100 + i // 5, i)) is not None
            ]
            engine_p50 = statistics.median(engine.calls) if engine.calls else 0.0
            during, read = await while_reading(harness, stub, shots)
        finally:
            await stop_harness(harness)
    finally:
        stub.stop()
    growth = nearest_rank(during, 50) - nearest_rank(alone, 50) if during and alone else 0.0
    return PicturesResult(
        screenshots=len(ocr),
        ocr_p50_ms=nearest_rank(ocr, 50),
        ocr_p95_ms=nearest_rank(ocr, 95),
        pictures_read=read,
        typed_alone=len(alone),
        typed_alone_p50_ms=nearest_rank(alone, 50) if alone else 0.0,
        typed_alone_p95_ms=nearest_rank(alone, 95) if alone else 0.0,
        typed_while_reading=len(during),
        typed_while_p50_ms=nearest_rank(during, 50) if during else 0.0,
        typed_while_p95_ms=nearest_rank(during, 95) if during else 0.0,
        engine_p50_ms=round(engine_p50 * 1000, 1),
        growth_p50_ms=round(growth, 1),
        met=bool(during) and growth <= engine_p50 * 1000,
    )


async def while_reading(
    harness: Any, stub: BotApiStub, shots: Sequence[bytes]
) -> tuple[list[float], int]:
    """Rounds of five pictures pushed at once, typed messages sent until all are answered."""
    during: list[float] = []
    read = 0
    user = TYPED_USERS + 1000
    for round_number in range(ROUNDS):
        updates = [
            stub.push_photo(
                PICTURE_USERS + round_number * 10 + i,
                image=shots[(round_number * PICTURES_AT_ONCE + i) % len(shots)],
                width=720,
                height=1280,
            )
            for i in range(PICTURES_AT_ONCE)
        ]
        answered = asyncio.gather(*(harness.finished(u["update_id"], TIMEOUT) for u in updates))
        pending = asyncio.ensure_future(answered)
        index = 0
        while not pending.done():
            seconds = await typed(harness, stub, user + index // 5, index)
            if seconds is not None and not pending.done():
                during.append(seconds)
            index += 1
        read += sum(1 for done in await pending if done is not None)
        user += 100
    return during, read


def render_pictures(result: PicturesResult) -> list[str]:
    """The phase's lines for the console table."""
    verdict = "met" if result.met else "NOT met"
    return [
        "",
        f"Pictures: OCR per 720x1280 screenshot ({result.screenshots}, one at a time): "
        f"p50 {result.ocr_p50_ms:.0f} ms, p95 {result.ocr_p95_ms:.0f} ms",
        f"  typed messages alone ({result.typed_alone}): p50 {result.typed_alone_p50_ms:.0f} ms, "
        f"p95 {result.typed_alone_p95_ms:.0f} ms",
        f"  typed while {PICTURES_AT_ONCE} pictures are read ({result.typed_while_reading}, "
        f"{result.pictures_read} pictures answered): p50 {result.typed_while_p50_ms:.0f} ms, "
        f"p95 {result.typed_while_p95_ms:.0f} ms",
        f"  growth of p50 {result.growth_p50_ms:.0f} ms; the engine's own p50 "
        f"{result.engine_p50_ms:.0f} ms: {verdict}",
    ]
