"""Pictures in users' messages: which file is one, and its download into memory only.

The words are read elsewhere (bot/engine/ocr.py, bot/chat/pictures.py); this is the Telegram side:
Telegram's own size (in the message, then from getFile) is checked against the limit before
anything is downloaded, and the file comes into memory, never onto the disk.
"""

from __future__ import annotations

from telegram import Bot, Message
from telegram.error import BadRequest, TelegramError

from bot.chat.pictures import Fetch
from bot.core.errors import PictureTooBig, PictureUnavailable

__all__ = ["fetcher", "picture_in"]

IMAGE_ENDINGS = (".jpg", ".jpeg", ".png", ".webp", ".gif", ".bmp", ".tif", ".tiff")
TOO_BIG = "file is too big"
"""Telegram's refusal of getFile for a file over the 20 MB a bot may download."""


def picture_in(message: Message) -> tuple[str, int | None] | None:
    """The file id and size of the picture in a message: a photo, or an image sent as a file."""
    if message.photo:
        largest = max(message.photo, key=lambda size: size.width * size.height)
        return largest.file_id, largest.file_size
    document = message.document
    if document is None:
        return None
    # Any image type counts: one Pillow cannot decode (HEIC, SVG) gets the honest "send it as
    # a photo" answer rather than "I can't understand this kind of message".
    kind = (document.mime_type or "").lower()
    name = (document.file_name or "").lower()
    if kind.startswith("image/") or name.endswith(IMAGE_ENDINGS):
        return document.file_id, document.file_size
    return None


def fetcher(bot: Bot, file_id: str, size: int | None) -> Fetch:
    """Download one file into memory, refusing one over the limit before it is fetched."""

    async def fetch(limit: int) -> bytes:
        if size is not None and size > limit:
            raise PictureTooBig(f"{size} bytes")
        try:
            file = await bot.get_file(file_id)
        except BadRequest as exc:
            if TOO_BIG in exc.message.lower():
                raise PictureTooBig("Telegram: file is too big") from exc
            raise PictureUnavailable(f"getFile refused: {exc.message}") from exc
        except TelegramError as exc:
            raise PictureUnavailable(f"getFile failed: {exc}") from exc
        if file.file_size is not None and file.file_size > limit:
            raise PictureTooBig(f"{file.file_size} bytes")
        try:
            data = await file.download_as_bytearray()
        except (TelegramError, OSError, RuntimeError) as exc:
            raise PictureUnavailable(f"download failed: {type(exc).__name__}") from exc
        if len(data) > limit:
            raise PictureTooBig(f"{len(data)} bytes")
        return bytes(data)

    return fetch
