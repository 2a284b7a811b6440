"""Which language to answer a person in: the one they fixed, else what they wrote in, else
what Haven knows of them (a picture's words are someone else's and do not decide)."""

from __future__ import annotations

import logging
from typing import Protocol

from bot.common.incoming import Incoming
from bot.common.language import Language, detect, from_telegram
from bot.core.errors import StoreError
from bot.store import UserPrefs

__all__ = ["LanguageRecords", "ReplyLanguage"]

log = logging.getLogger(__name__)


class LanguageRecords(Protocol):
    """What the language choice reads and writes: the person's remembered language."""

    async def user(self, user_id: int) -> UserPrefs | None: ...
    async def remember_user(
        self, user_id: int, chat_id: int, language: str, fixed: bool | None = None
    ) -> None: ...


class ReplyLanguage:
    """Decides each answer's language and remembers the person's when it is news."""

    def __init__(self, store: LanguageRecords) -> None:
        """Read and remember languages in ``store``."""
        self._store = store

    def of(self, msg: Incoming, text: str, prefs: UserPrefs | None) -> Language:
        """Decide this message's language: the user's choice, or detected."""
        if prefs is not None and prefs.language_fixed:
            return "ko" if prefs.language == "ko" else "en"
        if msg.reply_language is not None:
            return "ko" if msg.reply_language == "ko" else "en"
        previous: Language | None = None
        if prefs is not None:
            previous = "ko" if prefs.language == "ko" else "en"
        return detect(text, previous, msg.telegram_language)

    def changed(self, msg: Incoming, lang: Language, prefs: UserPrefs | None) -> Language | None:
        """The language to remember as the user's latest, if it is news to the store."""
        if prefs is not None and prefs.language_fixed:
            return None
        if prefs is None or prefs.language != lang or prefs.chat_id != msg.chat_id:
            return lang
        return None

    async def known(self, msg: Incoming) -> Language:
        """The user's current language, for messages that carry no text to detect."""
        try:
            prefs = await self._store.user(msg.user_id)
            if prefs is not None:
                return "ko" if prefs.language == "ko" else "en"
        except StoreError as exc:
            log.error("could not read the user's language: %s", exc)
        lang = from_telegram(msg.telegram_language) or "en"
        try:
            await self._store.remember_user(msg.user_id, msg.chat_id, lang)
        except StoreError as exc:
            log.error("could not remember the user's language: %s", exc)
        return lang

    def for_picture(
        self,
        msg: Incoming,
        caption: str,
        read: str,
        prior: UserPrefs | None,
        known: Language,
    ) -> Language:
        """A picture's answer is in the sender's language: their caption's, else the one known.

        The words read are someone else's (a recruiter's ad, a poster): they decide only for
        a sender Haven knows nothing about, not even Telegram's language.
        """
        if caption or (prior is not None and prior.language_fixed):
            return self.of(msg, caption, prior)
        if prior is not None or from_telegram(msg.telegram_language) is not None or not read:
            return known
        return detect(read, None, None)

    async def prefs(self, msg: Incoming) -> UserPrefs | None:
        """The user's preferences as stored, or None (also when the store fails)."""
        try:
            return await self._store.user(msg.user_id)
        except StoreError:
            return None
