"""Clipping a text to Telegram's measure: UTF-16 code units, the note after the cut."""

from __future__ import annotations

from bot.core.replies import clip, utf16_len


def test_a_text_that_fits_is_left_alone() -> None:
    assert clip("short", 10) == "short"
    assert clip("short", 10, "\n\n(cut)") == "short"


def test_a_cut_ends_in_the_note_within_the_limit() -> None:
    clipped = clip("word " * 100, 40)
    assert clipped.endswith("…")
    assert utf16_len(clipped) <= 40
    noted = clip("word " * 100, 40, "\n\n(cut)")
    assert noted.endswith("wor\n\n(cut)")
    assert utf16_len(noted) <= 40


def test_the_limit_counts_utf16_units_as_telegram_does() -> None:
    """An emoji outside the basic plane counts two: a clip by characters would overflow."""
    text = "🙂" * 30
    clipped = clip(text, 21)
    assert utf16_len(clipped) <= 21
    assert clipped == "🙂" * 10 + "…"


def test_a_text_telegram_refused_is_noted_even_when_it_seems_to_fit() -> None:
    """Telegram's own count can differ (entities, a stand-in): the replacement says it was cut."""
    assert clip("refused", 40, "\n\n(cut)", always=True) == "refused\n\n(cut)"
    assert utf16_len(clip("x" * 40, 40, "\n\n(cut)", always=True)) <= 40
