"""The Telegram front end: the one package that imports python-telegram-bot."""

__all__ = []
