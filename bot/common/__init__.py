"""What every part of the app shares: settings, hours, incoming messages, the keyboard, language
detection, the staff roster and the staff group. May import only ``bot.core``."""

# Importing the package adds the staff group's texts to t() (bot/common/stafftexts.py).
from bot.common import stafftexts

__all__ = ["stafftexts"]
