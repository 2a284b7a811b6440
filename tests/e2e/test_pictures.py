"""Issue 24 end to end: real pictures through the Bot API stand-in, the real engine and Tesseract.

The pictures are generated (tests/pictures.py: Pillow and Debian's Nanum fonts); the bot
downloads them from the stand-in as it would from Telegram (getFile, then /file/bot<token>/...).
"""

from __future__ import annotations

import httpx
import pytest
from telegram import Bot

from bot.core.errors import PictureTooBig
from bot.core.texts import t
from bot.engine.ocr import TextReader
from bot.telegram.pictures import fetcher
from tests import pictures
from tests.conftest import STAFF_CHAT, Harness, texts
from tests.parts import body
from tests.telegram_stub import MAX_DOWNLOAD, BotApiStub

pytestmark = pytest.mark.skipif(
    TextReader.find() is None, reason="Tesseract (kor+eng) is not installed: run make"
)


async def picture_answer(bot: Harness, update: dict[str, object], user: int) -> str:
    """Wait until the bot has handled a picture; its answer to the user, as one text."""
    before = len(bot.stub.sent(chat_id=user))
    await bot.processed(update)
    return texts(bot.stub.sent(chat_id=user)[before:])


async def test_a_korean_chat_screenshot_is_answered_with_its_red_flags(bot: Harness) -> None:
    jpeg = pictures.chat_bubble(pictures.KOREAN_AD, theme="kakao", quality=70)
    update = bot.stub.push_photo(2401, image=jpeg, width=720, height=1280)
    said = await picture_answer(bot, update, 2401)
    first, _, rest = said.partition("\n")
    assert first.startswith("📷 사진에서 읽은 글: “"), said
    assert "캄보디아 고수익 알바" in first
    assert "여권" in rest, "the passport kept is a red flag"
    assert bot.stub.downloads(), "the picture was downloaded, as from Telegram"
    assert await bot.haven.store.active_case(2401) is None


async def test_an_english_ad_sent_as_a_file_is_answered_with_its_red_flags(bot: Harness) -> None:
    png = pictures.poster(pictures.ENGLISH_AD, theme="white", kind="PNG")
    update = bot.stub.push_document(2402, png, file_name="offer.png", mime_type="image/png")
    said = await picture_answer(bot, update, 2402)
    first, _, rest = said.partition("\n")
    assert first.startswith("📷 What I read in your picture: “URGENT HIRING in Cambodia"), said
    assert "⚠️" in rest, said
    assert "HIGH" in rest, said


async def test_a_photographed_note_asking_for_help_alerts_staff_quoting_it(bot: Harness) -> None:
    jpeg = pictures.note(pictures.KOREAN_NOTE, angle=3.0, blur=1.0, seed=0)
    update = bot.stub.push_photo(2403, image=jpeg, width=900, height=700)
    said = await picture_answer(bot, update, 2403)
    assert body(said).startswith("📷 사진에서 읽은 글: “살려주세요"), said
    assert "상담원에게 알렸어요" in said
    [alert] = await bot.staff_alerts(1)
    assert "📷 OCR: 살려주세요" in alert["text"]
    assert "있어요" in alert["text"]
    await bot.stub.wait_for(lambda s: any(m.get("photo") for m in s.sent(chat_id=STAFF_CHAT)))


async def test_a_30_mb_file_gets_a_clear_answer_and_is_not_downloaded(bot: Harness) -> None:
    huge = b"\xff\xd8\xff\xe0" + b"\x00" * (30 * 1024 * 1024)
    update = bot.stub.push_document(2404, huge, file_name="scan.jpg", mime_type="image/jpeg")
    said = await picture_answer(bot, update, 2404)
    assert said == t("picture_too_big", "en")
    assert bot.stub.downloads() == []


async def test_a_corrupt_jpeg_gets_a_clear_answer(bot: Harness) -> None:
    update = bot.stub.push_photo(2405, image=pictures.corrupt_jpeg(), width=720, height=1280)
    said = await picture_answer(bot, update, 2405)
    assert said == t("picture_broken", "en")


async def test_a_caption_asking_for_help_under_an_unreadable_picture_still_alerts(
    bot: Harness,
) -> None:
    update = bot.stub.push_photo(2406, caption="help me they locked us in")
    said = await picture_answer(bot, update, 2406)
    assert body(said).startswith(t("picture_unreadable", "en"))
    assert "I have alerted a person" in said
    [alert] = await bot.staff_alerts(1)
    assert "locked us in" in alert["text"]


# The stand-in serves files as Telegram does. -------------------------------------------


async def test_the_stand_in_refuses_files_over_20_mb_and_serves_the_rest(
    stub: BotApiStub,
) -> None:
    big = stub.push_document(2407, b"\x00" * (MAX_DOWNLOAD + 1), file_name="big.jpg")
    small = stub.push_document(2407, b"picture bytes", file_name="small.jpg")
    api = f"{stub.base_url}{stub.token}"
    async with httpx.AsyncClient() as client:
        refused = await client.post(
            f"{api}/getFile", data={"file_id": big["message"]["document"]["file_id"]}
        )
        assert refused.status_code == 400
        assert refused.json()["description"] == "Bad Request: file is too big"
        unknown = await client.post(f"{api}/getFile", data={"file_id": "nope"})
        assert unknown.json()["description"] == "Bad Request: invalid file_id"
        found = await client.post(
            f"{api}/getFile", data={"file_id": small["message"]["document"]["file_id"]}
        )
        path = found.json()["result"]["file_path"]
        assert found.json()["result"]["file_size"] == len(b"picture bytes")
        served = await client.get(f"http://127.0.0.1:{stub.port}/file/bot{stub.token}/{path}")
        assert served.content == b"picture bytes"
        wrong = await client.get(f"http://127.0.0.1:{stub.port}/file/bot{stub.token}/x/y.jpg")
        assert wrong.status_code == 404


async def test_telegrams_file_is_too_big_refusal_is_a_picture_too_big(stub: BotApiStub) -> None:
    big = stub.push_document(2408, b"\x00" * (MAX_DOWNLOAD + 1), file_name="big.jpg")
    file_id = big["message"]["document"]["file_id"]
    bot = Bot(
        stub.token,
        base_url=stub.base_url,
        base_file_url=f"http://127.0.0.1:{stub.port}/file/bot",
    )
    async with bot:
        with pytest.raises(PictureTooBig):
            await fetcher(bot, file_id, None)(50 * 1024 * 1024)
        small = stub.push_document(2408, b"abc", file_name="a.png", mime_type="image/png")
        fetch = fetcher(bot, small["message"]["document"]["file_id"], None)
        assert await fetch(1000) == b"abc"
