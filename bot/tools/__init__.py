"""Command-line tools run by make targets: the console chat, evaluation, key rotation. May
import anything in ``bot``."""

__all__ = []
