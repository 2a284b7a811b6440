"""Turn Haven replies into Telegram messages: split long text, build keyboards."""

from __future__ import annotations

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)
from telegram.constants import MessageLimit

from bot.replies import Reply

MAX_TEXT = MessageLimit.MAX_TEXT_LENGTH
BUTTONS_PER_ROW = 2
SHORT_TITLE = 14


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Split text into chunks of at most ``limit`` characters, never inside a word.

    Paragraphs, then lines, then spaces are preferred as cut points; a single "word" longer
    than the limit (a URL, say) is the only thing ever cut hard.
    """
    chunks: list[str] = []
    rest = text.strip()
    while len(rest) > limit:
        window = rest[: limit + 1]
        cut = -1
        for separator in ("\n\n", "\n", " "):
            cut = window.rfind(separator)
            if cut > 0:
                break
        if cut <= 0:
            cut = limit
        chunks.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        chunks.append(rest)
    return chunks


def inline_keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    """Lay out a reply's buttons two per row (one per row for long titles)."""
    if not reply.buttons:
        return None
    rows: list[list[InlineKeyboardButton]] = []
    for button in reply.buttons:
        item = InlineKeyboardButton(button.title, callback_data=button.data)
        short = len(button.title) <= SHORT_TITLE
        if (
            short
            and rows
            and len(rows[-1]) < BUTTONS_PER_ROW
            and all(len(b.text) <= SHORT_TITLE for b in rows[-1])
        ):
            rows[-1].append(item)
        else:
            rows.append([item])
    return InlineKeyboardMarkup(rows)


def reply_markup(
    reply: Reply,
) -> InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove | None:
    """Choose the markup for a reply: inline buttons, a persistent keyboard, or removal."""
    if reply.buttons:
        return inline_keyboard(reply)
    if reply.keyboard:
        rows = [
            [KeyboardButton(k.title, request_location=k.location) for k in row]
            for row in reply.keyboard
        ]
        return ReplyKeyboardMarkup(rows, resize_keyboard=True, is_persistent=True)
    if reply.remove_keyboard:
        return ReplyKeyboardRemove()
    return None
