"""Issue 24 in the fast tier: reading pictures with the real Tesseract, no Telegram.

The limits hold before decoding, a broken file is an outcome and not a crash, the words read
go down the typed path (distress first, then the ad scanner), and every answer to a picture
starts from what was read or says why nothing was.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from bot.chat.pictures import Fetch, Pictures, quote, staff_text
from bot.common.incoming import Incoming
from bot.core.errors import PictureBroken, PictureTooBig, PictureUnavailable
from bot.core.texts import t
from bot.engine.ocr import ImageLimits, Reading, ReadOutcome, TextReader, clean, prepare
from tests import pictures
from tests.parts import USER, Parts, body, build_parts, message
from tests.telegram_stub import blank_png

READER = TextReader.find()
needs_tesseract = pytest.mark.skipif(READER is None, reason="Tesseract (kor+eng) is not installed")


def png_header(width: int, height: int) -> bytes:
    """A PNG that claims ``width`` x ``height`` pixels but holds almost nothing: a bomb."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    body = chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00")) + chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + body


def serve(data: bytes) -> Fetch:
    """A download that hands over ``data`` as Telegram would, refusing it over the limit."""

    async def fetch(limit: int) -> bytes:
        if len(data) > limit:
            raise PictureTooBig(f"{len(data)} bytes")
        return data

    return fetch


def test_the_limits_hold_before_decoding() -> None:
    with pytest.raises(PictureTooBig):
        prepare(b"\xff" * 2000, ImageLimits(max_bytes=1000))
    with pytest.raises(PictureTooBig):
        prepare(png_header(9_000, 9_000))  # 81 million pixels, in 70 bytes
    with pytest.raises(PictureTooBig):
        prepare(png_header(30_000, 30_000))  # beyond Pillow's own bomb check


@pytest.mark.parametrize(
    "data",
    [pictures.corrupt_jpeg(), b"GIF89a\x00\x00", b"%PDF-1.7 not a picture", b""],
    ids=["cut-jpeg", "stub-gif", "pdf", "empty"],
)
def test_what_is_no_picture_is_broken(data: bytes) -> None:
    with pytest.raises(PictureBroken):
        prepare(data)


def test_the_prepared_picture_is_gray_upscaled_and_in_memory() -> None:
    prepared = prepare(blank_png(100, 50))
    assert prepared.startswith(b"P5\n200 100\n")


def test_specks_and_borders_are_not_claimed_as_words() -> None:
    raw = "ee\n살려주세요\n| ~ , '\nSe\n도와\nPlease help me |\n"
    assert clean(raw) == "살려주세요\n도와\nPlease help me |"


def test_a_quote_is_short_and_on_one_line() -> None:
    assert quote("살려주세요\n갇혀 있어요") == "살려주세요 / 갇혀 있어요"
    long = quote("word " * 60)
    assert len(long) <= 122
    assert long.endswith(" …")


def test_staff_see_the_caption_and_the_words_read() -> None:
    seen = Reading(ReadOutcome.READ, "살려주세요")
    assert (
        staff_text("photo", "이거 봐 주세요", seen) == "[photo] 이거 봐 주세요\n📷 OCR: 살려주세요"
    )
    assert staff_text("photo", "", None) == "[photo]"


@needs_tesseract
async def test_a_korean_chat_screenshot_is_read_almost_word_for_word() -> None:
    assert READER is not None
    reading = await READER.read(pictures.chat_bubble(pictures.KOREAN_AD, quality=70))
    assert reading.outcome is ReadOutcome.READ
    for line in pictures.KOREAN_AD[1:]:
        assert line in reading.text
    assert "캄보디아 고수익 알바" in reading.text


@needs_tesseract
async def test_a_dark_theme_screenshot_is_read_too() -> None:
    assert READER is not None
    reading = await READER.read(pictures.chat_bubble(pictures.ENGLISH_AD, theme="dark"))
    assert "Salary 3000 USD per month" in reading.text


@needs_tesseract
async def test_a_blank_picture_has_nothing_legible_and_a_broken_one_is_broken() -> None:
    assert READER is not None
    assert (await READER.read(blank_png(400, 300))).outcome is ReadOutcome.NOTHING
    assert (await READER.read(pictures.corrupt_jpeg())).outcome is ReadOutcome.BROKEN


@needs_tesseract
async def test_a_reading_over_the_time_limit_is_slow_not_stuck() -> None:
    assert READER is not None
    hasty = TextReader(READER.binary, timeout=0.05, concurrency=1, queue_timeout=5.0)
    reading = await hasty.read(pictures.poster(pictures.KOREAN_AD))
    assert reading.outcome is ReadOutcome.SLOW
    # The one slot came back: the next pictures are read.
    hasty.timeout = READER.timeout
    for _ in range(3):
        assert (await hasty.read(pictures.corrupt_jpeg())).outcome is ReadOutcome.BROKEN


async def test_downloads_refused_or_failing_are_outcomes() -> None:
    reader = TextReader("/nonexistent/tesseract")
    assert (await Pictures(reader).read(serve(b"x" * (11 * 1024 * 1024)))).outcome is (
        ReadOutcome.TOO_BIG
    )

    async def gone(limit: int) -> bytes:
        raise PictureUnavailable("getFile refused: invalid file_id")

    assert (await Pictures(reader).read(gone)).outcome is ReadOutcome.FAILED
    assert (await Pictures(None).read(serve(b""))).outcome is ReadOutcome.OFF


async def test_a_missing_tesseract_fails_honestly() -> None:
    reading = await TextReader("/nonexistent/tesseract").read(blank_png(100, 100))
    assert reading.outcome is ReadOutcome.FAILED


# The conversation: the words read go down the typed path. -------------------------------


@pytest_asyncio.fixture(loop_scope="session")
async def parts(tmp_path: Path) -> AsyncIterator[Parts]:
    """Freshly wired parts, reading pictures with the real Tesseract."""
    built = await build_parts(tmp_path, reader=READER)
    yield built
    await built.store.close()


def photo(caption: str = "", message_id: int = 31) -> Incoming:
    return message(caption, kind="photo", message_id=message_id, telegram_language="ko")


@needs_tesseract
async def test_a_photographed_note_asking_for_help_opens_a_case_quoting_it(parts: Parts) -> None:
    note = pictures.note(pictures.KOREAN_NOTE, angle=3.0, blur=1.0, seed=0)
    replies = await parts.conversation.on_media(photo(), serve(note))
    assert body(replies[0].text).startswith("📷 사진에서 읽은 글: “살려주세요")
    assert "#1" in replies[0].text
    kinds: dict[str, str] = {}
    for _ in range(3):
        kinds.update({str(item.kind): item.text for item in await parts.deliver()})
    assert "📷 OCR: 살려주세요" in kinds["alert"]
    assert "relay_copy" in kinds, "the picture itself goes to staff"


@pytest.mark.parametrize(
    ("lines", "read", "flag"),
    [
        (pictures.KOREAN_AD, "캄보디아 고수익 알바", "여권"),
        # The recruiter's English does not decide: the sender reads Korean.
        (pictures.ENGLISH_AD, "URGENT HIRING in Cambodia", "사기 조직이 많은 지역"),
    ],
    ids=["korean-ad", "english-ad"],
)
@needs_tesseract
async def test_an_ad_screenshot_is_answered_with_its_red_flags_in_the_senders_language(
    parts: Parts, lines: tuple[str, ...], read: str, flag: str
) -> None:
    replies = await parts.conversation.on_media(photo(), serve(pictures.chat_bubble(lines)))
    said = "\n".join(r.text for r in replies)
    assert replies[0].text.startswith("📷 사진에서 읽은 글: “")
    assert read in replies[0].text.split("\n")[0]
    assert "⚠️" in said
    assert flag in said.split("\n", 2)[-1], said
    assert await parts.store.active_case(USER) is None
    prefs = await parts.store.user(USER)
    assert prefs is not None
    assert prefs.language == "ko"


@needs_tesseract
async def test_a_caption_is_read_together_with_the_picture(parts: Parts) -> None:
    blank = blank_png(300, 200)
    replies = await parts.conversation.on_media(
        photo("please help me, they locked me in"),
        serve(blank),
    )
    assert body(replies[0].text).startswith(t("picture_unreadable", "en"))
    assert "#1" in replies[0].text


@pytest.mark.parametrize(
    ("data", "key"),
    [
        (blank_png(300, 200), "picture_unreadable"),
        (pictures.corrupt_jpeg(), "picture_broken"),
        (b"\xff" * (11 * 1024 * 1024), "picture_too_big"),
    ],
    ids=["blank", "corrupt", "too-big"],
)
@needs_tesseract
async def test_a_picture_without_words_gets_a_clear_answer(
    parts: Parts, data: bytes, key: str
) -> None:
    replies = await parts.conversation.on_media(photo(), serve(data))
    assert [r.text for r in replies] == [t(key, "ko")]
    assert replies[0].buttons, "the SOS button stays at hand"


async def test_without_ocr_a_picture_is_answered_honestly(tmp_path: Path) -> None:
    built = await build_parts(tmp_path)
    try:
        ad = pictures.chat_bubble(pictures.KOREAN_AD)
        replies = await built.conversation.on_media(photo(), serve(ad))
        assert [r.text for r in replies] == [t("picture_off", "ko")]
    finally:
        await built.store.close()


@needs_tesseract
async def test_in_an_open_case_the_picture_and_its_words_reach_staff(parts: Parts) -> None:
    await parts.conversation.on_text(message("help me please, I am trapped"))
    await parts.deliver()
    ad = pictures.chat_bubble(pictures.ENGLISH_AD)
    replies = await parts.conversation.on_media(message(kind="photo", message_id=41), serve(ad))
    assert replies[0].text.startswith("📷 What I read in your picture: “")
    assert "URGENT HIRING" in replies[0].text.split("\n")[0]
    sent: list[str] = []
    for _ in range(3):
        sent += [f"{item.kind}: {item.text}" for item in await parts.deliver()]
    assert any(s.startswith("relay_copy") for s in sent)
    assert any("📷 OCR:" in s and "URGENT HIRING in Cambodia" in s for s in sent), sent


def test_without_tesseract_haven_starts_with_a_warning(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with caplog.at_level("WARNING", logger="bot.engine.ocr"):
        assert TextReader.find() is None
    assert "sudo apt-get install -y tesseract-ocr tesseract-ocr-kor" in caplog.text


async def test_one_persons_flood_of_pictures_is_not_all_read() -> None:
    now = [0.0]
    pictures_ = Pictures(TextReader("/nonexistent/tesseract"), per_sender=2, clock=lambda: now[0])
    blank = serve(blank_png(10, 10))
    first = [(await pictures_.read(blank, 7)).outcome for _ in range(3)]
    assert first == [ReadOutcome.FAILED, ReadOutcome.FAILED, ReadOutcome.BUSY]
    assert (await pictures_.read(blank, 8)).outcome is ReadOutcome.FAILED, "others still read"
    now[0] = 61.0
    assert (await pictures_.read(blank, 7)).outcome is ReadOutcome.FAILED, "a minute later"


@needs_tesseract
async def test_the_words_read_are_sealed_and_forgotten_like_typed_text(
    parts: Parts, tmp_path: Path
) -> None:
    ad = pictures.chat_bubble(pictures.KOREAN_AD)
    await parts.conversation.on_media(photo(), serve(ad))
    recent = await parts.store.recent(USER)
    assert any("여권은 현지에서 회사가 보관" in text for text in recent), "kept as typed text is"
    database = tmp_path / "haven.sqlite3"
    on_disk = b"".join(p.read_bytes() for p in (database, Path(f"{database}-wal")) if p.exists())
    assert "여권은 현지에서".encode() not in on_disk, "sealed"
    await parts.store.forget(USER, USER)
    assert await parts.store.recent(USER) == []
