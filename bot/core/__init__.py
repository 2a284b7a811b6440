"""Pure code shared with the engine (Python 3.10): standard library, yaml and bot.core only."""

__all__ = []
