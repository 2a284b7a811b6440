"""Splitting long replies and building keyboards."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, ReplyKeyboardMarkup

from bot.core.replies import KeyButton, PayloadBook, Reply, ReplyButton, split_text
from bot.telegram.render import reply_markup


def test_split_never_cuts_a_word() -> None:
    words = [f"word{i}" for i in range(2000)]
    text = " ".join(words)
    chunks = split_text(text, limit=4096)
    assert all(len(c) <= 4096 for c in chunks)
    assert " ".join(chunks).split() == words


def test_split_prefers_paragraphs() -> None:
    text = ("a" * 3000) + "\n\n" + ("b " * 1000)
    chunks = split_text(text)
    assert chunks[0] == "a" * 3000
    assert chunks[1].startswith("b b")


def test_short_text_is_one_chunk() -> None:
    assert split_text("안녕하세요") == ["안녕하세요"]
    assert split_text("   ") == []


def test_inline_buttons_and_persistent_keyboard() -> None:
    inline = reply_markup(Reply("x", buttons=(ReplyButton("A", "e:/a"), ReplyButton("B", "e:/b"))))
    assert isinstance(inline, InlineKeyboardMarkup)
    assert [[b.callback_data for b in row] for row in inline.inline_keyboard] == [["e:/a", "e:/b"]]
    keyboard = reply_markup(Reply("x", keyboard=((KeyButton("loc", location=True),),)))
    assert isinstance(keyboard, ReplyKeyboardMarkup)
    assert keyboard.keyboard[0][0].request_location


def test_long_payloads_fit_callback_data() -> None:
    book = PayloadBook()
    payload = '/ask_emergency_contacts{"country": "KH", "note": "' + "x" * 80 + '"}'
    data = book.data_for(payload)
    assert len(data.encode()) <= 64
    assert book.payload_for(data) == payload
    assert book.payload_for("e:/greet") == "/greet"
    assert book.payload_for("h:forged") is None
    assert book.payload_for("garbage") is None
