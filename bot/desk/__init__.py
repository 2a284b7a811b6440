"""The staff desk: opening cases (intake), staff commands, canned replies, alarms, health, the
ladder, statistics and metrics. May import ``bot.delivery``, ``bot.engine``, ``bot.store``,
``bot.common`` and ``bot.core``."""

__all__ = []
