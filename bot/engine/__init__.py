"""The conversation engine seen from the bot: its HTTP client, pseudonyms, and starting the
engine's services. May import ``bot.common`` and ``bot.core``."""

__all__ = []
