"""Haven, the bot: its packages and rooms are described in docs/architecture.md."""

__all__ = []
