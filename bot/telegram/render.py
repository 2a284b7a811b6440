"""Turn Haven replies into Telegram markup: inline keyboards, persistent keyboards, removal."""

from __future__ import annotations

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)

from bot.core.replies import Reply

__all__ = ["inline_keyboard", "reply_markup"]

BUTTONS_PER_ROW = 2
SHORT_TITLE = 14


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
