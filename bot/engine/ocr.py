"""Reading the words in a picture: limits, preprocessing, and Tesseract (Korean and English).

Pure image logic, no Telegram: bytes in, words out. The picture never touches the disk
(Pillow decodes it from memory, Tesseract reads the prepared image from its stdin); its size
in bytes and pixels is checked before anything is decoded; at most ``concurrency`` pictures
are read at once, off the event loop, each within a time limit. A JPEG screenshot of a chat
bubble loses the first word of most lines with Tesseract's defaults; grayscale, a 2x upscale,
autocontrast and page segmentation mode 6 (one block of text) read it almost fully.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import logging
import math
import os
import re
import shutil
import subprocess
import time
from dataclasses import dataclass
from enum import Enum

import numpy as np
from PIL import Image, ImageFilter, ImageOps, UnidentifiedImageError

from bot.core.errors import PictureBroken, PictureError, PictureTooBig

__all__ = [
    "FORMATS",
    "ImageLimits",
    "ReadOutcome",
    "Reading",
    "TextReader",
    "clean",
    "prepare",
]

log = logging.getLogger(__name__)

FORMATS = ("JPEG", "PNG", "WEBP", "GIF", "BMP", "TIFF")
"""What Pillow may decode: the formats people send pictures in, nothing more exotic."""
LANGUAGES = "kor+eng"
PAGE_MODE = "6"
"""Tesseract's page segmentation mode: one uniform block of text (a bubble, a note, a poster)."""
READ_SECONDS = 10.0
QUEUE_SECONDS = 30.0
CONCURRENCY = 2
# Tesseract gets nothing of Haven's environment (the bot token lives there), and one thread:
# two pictures at once then use the two cores without fighting over them.
CHILD_ENV_KEEP = ("PATH", "TESSDATA_PREFIX", "LANG", "LC_ALL")
NICENESS = 10
"""Tesseract yields the cores to typed messages (the engine, the bot): a picture may wait."""
WORD = re.compile(r"\w", re.UNICODE)
HANGUL = re.compile(r"[\uac00-\ud7a3]")
DARK = 100
"""Median brightness below which a picture is light words on a dark background."""
BACKGROUND_STEPS = 160
"""The background is estimated on a grid of about this many cells along the longer side."""


class ReadOutcome(Enum):
    """What came of reading a picture; each has its own honest answer."""

    READ = "read"
    NOTHING = "nothing"  # decoded and read, but no legible words
    TOO_BIG = "too_big"
    BROKEN = "broken"
    SLOW = "slow"  # over the time limit, or waited too long for a turn
    FAILED = "failed"  # the download or Tesseract itself failed
    OFF = "off"  # this Haven has no OCR
    BUSY = "busy"  # the sender sent more pictures than are read for one person a minute


@dataclass(frozen=True)
class ImageLimits:
    """How big a picture may be, checked before decoding, and how big Tesseract's copy is."""

    max_bytes: int = 10 * 1024 * 1024
    max_pixels: int = 40_000_000
    work_pixels: int = 6_000_000
    upscale: float = 2.0


@dataclass(frozen=True)
class Reading:
    """The words read from one picture (empty unless READ) and how long it took."""

    outcome: ReadOutcome
    text: str = ""
    seconds: float = 0.0


def prepare(data: bytes, limits: ImageLimits | None = None) -> bytes:
    """The picture as Tesseract reads it best: gray, upscaled, full contrast, as a PGM.

    Raises PictureTooBig over the byte or pixel limit (the pixels are read from the header,
    before decoding) and PictureBroken for anything that does not decode as a picture.
    """
    limits = limits or ImageLimits()
    if len(data) > limits.max_bytes:
        raise PictureTooBig(f"{len(data)} bytes")
    try:
        with Image.open(io.BytesIO(data), formats=FORMATS) as image:
            width, height = image.size
            if width < 1 or height < 1 or width * height > limits.max_pixels:
                raise PictureTooBig(f"{width}x{height} pixels")
            image.load()
            gray = _gray(ImageOps.exif_transpose(image))
    except PictureError:
        raise
    except Image.DecompressionBombError as exc:
        raise PictureTooBig("decompression bomb") from exc
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError) as exc:
        raise PictureBroken(type(exc).__name__) from exc
    scale = min(limits.upscale, math.sqrt(limits.work_pixels / (gray.width * gray.height)))
    size = (max(1, round(gray.width * scale)), max(1, round(gray.height * scale)))
    if size != gray.size:
        gray = gray.resize(size, Image.Resampling.LANCZOS)
    if _median(gray) < DARK:
        gray = ImageOps.invert(gray)  # a dark theme: Tesseract reads dark words on light
    gray = ImageOps.autocontrast(_flatten(gray), cutoff=1)
    out = io.BytesIO()
    gray.save(out, "PPM")
    return out.getvalue()


def _flatten(gray: Image.Image) -> Image.Image:
    """Divide out the background: a grey bubble on a lighter screen both become white.

    Tesseract picks one threshold for the whole picture; between a bubble and the screen
    around it that threshold can turn the bubble black and lose its words. The background is
    the local maximum over a window wider than a letter's strokes.
    """
    window = max(1, round(max(gray.size) / BACKGROUND_STEPS))
    small = gray.reduce(window) if window > 1 else gray
    background = small.filter(ImageFilter.MaxFilter(3)).resize(gray.size, Image.Resampling.BILINEAR)
    pixels = np.asarray(gray, dtype=np.float32)
    light = np.maximum(np.asarray(background, dtype=np.float32), 1.0)
    return Image.fromarray(np.clip(pixels * 255.0 / light, 0, 255).astype(np.uint8), "L")


def _median(gray: Image.Image) -> int:
    """The median brightness of a gray picture (0 black to 255 white)."""
    histogram = gray.histogram()
    half, seen = gray.width * gray.height / 2, 0
    for level, count in enumerate(histogram):
        seen += count
        if seen >= half:
            return level
    return 255


def _gray(image: Image.Image) -> Image.Image:
    """One gray channel; a transparent background counts as white, as a viewer shows it."""
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = Image.alpha_composite(white, rgba)
    return image.convert("L")


def clean(raw: str) -> str:
    """Tesseract's lines without the noise: a line must be mostly letters or digits.

    Specks, borders and shadows come out as lines like ``| ~ , '`` or ``ee``; they are
    dropped, so the text never claims more than was read. Two Hangul syllables are a word
    ("도와"); two Latin letters alone are usually a speck.
    """
    kept = []
    for line in raw.splitlines():
        line = " ".join(line.split())
        letters = len(WORD.findall(line))
        marks = len(line.replace(" ", ""))
        least = 2 if HANGUL.search(line) else 3
        if letters >= least and letters >= 0.5 * marks:
            kept.append(line)
    return "\n".join(kept)


class TextReader:
    """Tesseract over pictures in memory, a few at a time, each within a time limit."""

    def __init__(
        self,
        binary: str,
        languages: str = LANGUAGES,
        limits: ImageLimits | None = None,
        concurrency: int = CONCURRENCY,
        timeout: float = READ_SECONDS,
        queue_timeout: float = QUEUE_SECONDS,
    ) -> None:
        """Read with the Tesseract at ``binary``; see ``find`` for the usual way to get one."""
        self.binary = binary
        self.languages = languages
        self.limits = limits or ImageLimits()
        self.timeout = timeout
        self.queue_timeout = queue_timeout
        self._slots = asyncio.Semaphore(concurrency)
        self._env = {k: v for k, v in os.environ.items() if k in CHILD_ENV_KEEP}
        self._env["OMP_THREAD_LIMIT"] = "1"

    @classmethod
    def find(cls, languages: str = LANGUAGES, **options: object) -> TextReader | None:
        """A reader if Tesseract and its language data are installed; None (logged) if not."""
        binary = shutil.which("tesseract")
        if binary is None:
            log.warning(
                "Tesseract is not installed: pictures will not be read (answered honestly). "
                "Install it with: sudo apt-get install -y tesseract-ocr tesseract-ocr-kor"
            )
            return None
        try:
            listed = subprocess.run(
                [binary, "--list-langs"], capture_output=True, text=True, timeout=10, check=False
            ).stdout.split()
        except (OSError, subprocess.SubprocessError) as exc:
            log.warning("Tesseract does not run (%s): pictures will not be read", exc)
            return None
        missing = [lang for lang in languages.split("+") if lang not in listed]
        if missing:
            log.warning(
                "Tesseract lacks the language data %s: pictures will not be read. Install it "
                "with: sudo apt-get install -y tesseract-ocr-kor tesseract-ocr-eng",
                ", ".join(missing),
            )
            return None
        return cls(binary, languages, **options)  # type: ignore[arg-type]

    async def read(self, data: bytes) -> Reading:
        """Read the words in a picture; every failure is an outcome, never an exception."""
        started = time.monotonic()
        try:
            await asyncio.wait_for(self._slots.acquire(), self.queue_timeout)
        except TimeoutError:
            return Reading(ReadOutcome.SLOW, seconds=time.monotonic() - started)
        try:
            return await asyncio.wait_for(self._read(data, started), self.timeout)
        except TimeoutError:
            log.warning("a picture was not read within %.0f s", self.timeout)
            return Reading(ReadOutcome.SLOW, seconds=time.monotonic() - started)
        finally:
            self._slots.release()

    async def _read(self, data: bytes, started: float) -> Reading:
        try:
            image = await asyncio.to_thread(prepare, data, self.limits)
        except PictureTooBig as exc:
            log.info("a picture over the limits was not read (%s)", exc)
            return Reading(ReadOutcome.TOO_BIG, seconds=time.monotonic() - started)
        except PictureBroken as exc:
            log.info("a file that is no readable picture was not read (%s)", exc)
            return Reading(ReadOutcome.BROKEN, seconds=time.monotonic() - started)
        try:
            raw = await self._tesseract(image)
        except (OSError, PictureError) as exc:
            log.warning("Tesseract failed on a picture: %s", exc)
            return Reading(ReadOutcome.FAILED, seconds=time.monotonic() - started)
        text = clean(raw)
        outcome = ReadOutcome.READ if text else ReadOutcome.NOTHING
        return Reading(outcome, text, time.monotonic() - started)

    async def _tesseract(self, image: bytes) -> str:
        """Run Tesseract on the prepared image through stdin and stdout; killed if cancelled."""
        process = await asyncio.create_subprocess_exec(
            self.binary,
            "stdin",
            "stdout",
            "-l",
            self.languages,
            "--psm",
            PAGE_MODE,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=self._env,
        )
        with contextlib.suppress(OSError):  # it ran at once; lowering it only helps the rest
            os.setpriority(os.PRIO_PROCESS, process.pid, NICENESS)
        try:
            out, err = await process.communicate(image)
        except BaseException:
            if process.returncode is None:
                process.kill()
                await process.wait()
            raise
        if process.returncode != 0:
            reason = err.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no output"]
            raise PictureBroken(f"tesseract exited {process.returncode}: {reason[0][:200]}")
        return out.decode("utf-8", "replace")
