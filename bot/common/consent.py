"""The consent question's two buttons: built by the desk (bot/desk/consent.py), read by the
chat when the person presses one."""

from __future__ import annotations

from bot.core.replies import ReplyButton
from bot.core.texts import t

__all__ = ["CONSENT_DATA", "consent_buttons"]

CONSENT_DATA = "cs:"
"""Callback data of the person's consent buttons: ``cs:<party>:y`` or ``cs:<party>:n``."""


def consent_buttons(party: str, lang: str) -> tuple[ReplyButton, ...]:
    """Yes / No, for the person asked whether staff may share with ``party``."""
    return (
        ReplyButton(t("discreet.consent_yes", lang), f"{CONSENT_DATA}{party}:y"),
        ReplyButton(t("discreet.consent_no", lang), f"{CONSENT_DATA}{party}:n"),
    )
