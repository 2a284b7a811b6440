"""The conversation with a person: routing, answers, commands, the job questions, flows,
check-ins and code phrases. May import ``bot.delivery``, ``bot.engine``, ``bot.store``,
``bot.common``, ``bot.core``, and of the desk only ``bot.desk.intake``."""

__all__ = []
