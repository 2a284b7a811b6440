"""A user's message as Haven sees it, whoever delivered it (Telegram or the console)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.folding import well_formed

__all__ = ["Incoming"]


@dataclass(frozen=True)
class Incoming:
    """A user's message, reduced to what Haven needs from Telegram (or the console)."""

    user_id: int
    chat_id: int
    text: str = ""
    kind: str = "text"
    telegram_language: str | None = None
    message_id: int | None = None
    location: tuple[float, float] | None = None
    reply_language: str | None = None
    """Answer in this language whatever the text's own: the words of a picture are not the
    sender's, so the sender's language stands (set by the conversation, not the front end)."""
    live: bool = False
    """A live location: deleting its message would stop the sharing."""

    def __post_init__(self) -> None:
        """Text that cannot be encoded (a lone surrogate) is mended here, once, for all."""
        mended = well_formed(self.text)
        if mended != self.text:
            object.__setattr__(self, "text", mended)
