"""What every part of the app shares: settings, hours, incoming messages, the keyboard, language
detection, the staff roster and the staff group. May import only ``bot.core``."""
