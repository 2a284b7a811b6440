"""The persistent keyboard of a person in danger: few taps, nothing to type.

Pressing one of its buttons sends the button's title as text, so a title typed back in either
language is recognised as that button.
"""

from __future__ import annotations

from enum import StrEnum

from bot.core.replies import KeyButton
from bot.core.texts import TEXTS, t

__all__ = ["SosKey", "keyboard_action", "sos_keyboard"]


class SosKey(StrEnum):
    """The keyboard's buttons."""

    NOT_SAFE = "not_safe"
    SHARE_LOCATION = "share_location"
    CANT_TALK = "cant_talk"
    CALL_LATER = "call_later"
    RESCUE = "rescue"


# The keyboard's titles in every language, to the button each one is.
TITLES = {
    title: SosKey(key.removeprefix("keyboard."))
    for key, titles in TEXTS.items()
    if key.startswith("keyboard.")
    for title in titles.values()
}


def keyboard_action(text: str) -> SosKey | None:
    """Which persistent-keyboard button a text is, if any (in either language)."""
    return TITLES.get(text)


def sos_keyboard(lang: str) -> tuple[tuple[KeyButton, ...], ...]:
    """The keyboard's rows in the user's language."""
    return (
        (KeyButton(t("keyboard.not_safe", lang)),),
        (KeyButton(t("keyboard.share_location", lang), location=True),),
        (KeyButton(t("keyboard.cant_talk", lang)), KeyButton(t("keyboard.call_later", lang))),
        (KeyButton(t("keyboard.rescue", lang)),),
    )
