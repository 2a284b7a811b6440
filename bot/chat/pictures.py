"""Pictures people send: fetched into memory, read, and said back in a few words.

The conversation hears a picture's words like a typed message; this module gets them. The
front end hands over a ``Fetch`` (Telegram's download lives in bot/telegram/), which is given
the byte limit so a file too big is refused before it is downloaded. Whatever fails, the
answer is an outcome with an honest line for the person, never an exception.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable

from bot.core.errors import PictureTooBig, PictureUnavailable
from bot.core.texts import t
from bot.engine.ocr import Reading, ReadOutcome, TextReader

__all__ = ["READ_MARK", "Fetch", "Pictures", "opening", "quote", "staff_text"]

log = logging.getLogger(__name__)

Fetch = Callable[[int], Awaitable[bytes]]
"""Download one picture into memory; raises PictureTooBig over the given number of bytes,
PictureUnavailable when the file cannot be had."""
DOWNLOADS = 4
DOWNLOAD_SECONDS = 20.0
QUOTE_CHARS = 120
PER_SENDER = 10
PER_SENDER_SECONDS = 60.0
"""At most PER_SENDER pictures of one person are read in this many seconds: one person's
hundred pictures must not hold the readers (and their own later messages) for minutes."""
OUTCOME_KEYS = {
    ReadOutcome.NOTHING: "picture_unreadable",
    ReadOutcome.SLOW: "picture_unreadable",
    ReadOutcome.FAILED: "picture_unreadable",
    ReadOutcome.TOO_BIG: "picture_too_big",
    ReadOutcome.BROKEN: "picture_broken",
    ReadOutcome.OFF: "picture_off",
    ReadOutcome.BUSY: "picture_busy",
}
"""The line a picture's answer starts with when nothing was read, by what happened."""
READ_MARK = "📷 OCR:"
"""How staff see the words read from a picture, in both staff languages."""


class Pictures:
    """Fetches and reads pictures with a ``TextReader``, or answers honestly without one."""

    def __init__(
        self,
        reader: TextReader | None,
        downloads: int = DOWNLOADS,
        per_sender: int = PER_SENDER,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Read with ``reader`` (None: this Haven has no OCR); ``downloads`` at once at most,
        and ``per_sender`` pictures of one person a minute."""
        self.reader = reader
        self._downloads = asyncio.Semaphore(downloads)
        self._per_sender = per_sender
        self._clock = clock
        self._recent: dict[int, deque[float]] = {}

    async def read(self, fetch: Fetch, sender: int | None = None) -> Reading:
        """Download the picture into memory, read it, and let it go."""
        if self.reader is None:
            return Reading(ReadOutcome.OFF)
        if sender is not None and not self._turn(sender):
            log.info("a picture was not read: its sender sent too many this minute")
            return Reading(ReadOutcome.BUSY)
        try:
            async with self._downloads:
                data = await asyncio.wait_for(fetch(self.reader.limits.max_bytes), DOWNLOAD_SECONDS)
        except PictureTooBig as exc:
            log.info("a picture too big to download was not read (%s)", exc)
            return Reading(ReadOutcome.TOO_BIG)
        except (PictureUnavailable, TimeoutError) as exc:
            log.warning("a picture could not be downloaded: %s", str(exc) or "timed out")
            return Reading(ReadOutcome.FAILED)
        reading = await self.reader.read(data)
        del data  # the picture goes now; only its words stay, like a typed message
        characters = len(reading.text)  # how much was read, never what
        log.info(
            "picture: %s, %d characters in %.2f s",
            reading.outcome.value,
            characters,
            reading.seconds,
        )
        return reading

    def _turn(self, sender: int) -> bool:
        """Whether one more picture of ``sender`` is read now (and count it if so)."""
        moment = self._clock()
        for key in [
            k for k, times in self._recent.items() if moment - times[-1] > PER_SENDER_SECONDS
        ]:
            del self._recent[key]
        times = self._recent.setdefault(sender, deque())
        while times and moment - times[0] > PER_SENDER_SECONDS:
            times.popleft()
        if len(times) >= self._per_sender:
            return False
        times.append(moment)
        return True


def quote(text: str, width: int = QUOTE_CHARS) -> str:
    """A short quote of what was read, on one line, cut at a word where it is long."""
    flat = " / ".join(line for line in text.splitlines() if line.strip())
    if len(flat) <= width:
        return flat
    cut = flat[:width].rsplit(" ", 1)[0].rstrip(" /")
    return f"{cut or flat[:width]} …"


def opening(reading: Reading, lang: str) -> str:
    """The first line of the answer to a picture: what was read, or why nothing was."""
    if reading.outcome is ReadOutcome.READ:
        return t("picture_read", lang, quote=quote(reading.text))
    return t(OUTCOME_KEYS[reading.outcome], lang)


def staff_text(kind: str, caption: str, reading: Reading | None) -> str:
    """The message as staff see it in an alert or a relay: the caption and the words read."""
    lines = [f"[{kind}] {caption}".rstrip()]
    if reading is not None and reading.text:
        lines.append(f"{READ_MARK} {reading.text}")
    return "\n".join(lines)
