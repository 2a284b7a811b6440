"""Getting messages out exactly once: the outbox, routing into the staff group, topics,
digests, the janitor (deletions) and retention. May import ``bot.store``, ``bot.common`` and
``bot.core``."""

__all__ = []
