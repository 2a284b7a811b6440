"""The handlers' typed context: Haven's parts without a cast at every call site.

python-telegram-bot builds one context per update from ``ContextTypes(context=HavenContext)``
(set in bot/telegram/app.py), so ``context.haven`` is typed everywhere.
"""

from __future__ import annotations

from typing import Any

from telegram import Message, Update
from telegram.ext import CallbackContext, ExtBot

from bot.runtime import Haven

__all__ = ["HavenContext", "message_of"]


class HavenContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """A handler's context, with the parts Haven opened at start-up."""

    @property
    def haven(self) -> Haven:
        """The application's Haven parts, opened in post_init."""
        haven = self.bot_data["haven"]
        if not isinstance(haven, Haven):
            raise RuntimeError("Haven is not open: post_init has not run")
        return haven

    @property
    def opened(self) -> bool:
        """Whether Haven's parts are open (an update can fail before post_init ran)."""
        return isinstance(self.bot_data.get("haven"), Haven)

    @property
    def desk_language(self) -> str:
        """The staff group's language."""
        return self.haven.settings.staff_language


def message_of(update: Update) -> Message:
    """The update's message; the handlers are registered only for updates that carry one."""
    message = update.effective_message
    if message is None:
        raise ValueError("this update carries no message")
    return message
