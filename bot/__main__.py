"""`make run`: start the engine and action server, then Telegram or the console chat."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import gc
import logging
import signal
import sys
from urllib.parse import urlparse

from bot.common.settings import Settings
from bot.core.errors import ConfigError, HavenError
from bot.engine.pseudonym import pseudonym_key
from bot.engine.services import EnginePorts, EngineServices
from bot.runtime import preflight
from bot.telegram.app import build_application, start_serving, stop_serving
from bot.tools import console

__all__ = ["main"]

log = logging.getLogger("bot")


def main() -> int:
    """Run Haven until Ctrl-C or SIGTERM; return the exit status."""
    try:
        settings = Settings.from_env()
    except ConfigError as exc:
        print(f"haven: configuration error: {exc}", file=sys.stderr)
        return 1
    logging.basicConfig(
        level=settings.log_level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    for noisy in ("httpx", "apscheduler"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    try:
        asyncio.run(run(settings))
    except HavenError as exc:
        print(f"haven: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        pass
    return 0


async def run(settings: Settings) -> None:
    """Start the services Haven manages, serve, and stop everything on the way out."""
    services = None
    pseudonym_key(settings)  # a bad key file stops us before the half-minute engine start
    await preflight(settings)  # so do a database, data key or content file Haven cannot serve
    try:
        if settings.start_engine:
            port = urlparse(settings.rasa_url).port or 5005
            services = EngineServices(
                EnginePorts(rasa=port, actions=settings.actions_port, redis=settings.redis_port),
                memory_minutes=settings.engine_memory_minutes,
                workers=settings.engine_workers,
            )
            print("haven: starting the engine (this takes about half a minute)...", file=sys.stderr)
            await services.start()
            settings = dataclasses.replace(settings, engine_secret=services.secret)
        if settings.console:
            await console.run(settings)
        else:
            await serve_telegram(settings)
    finally:
        if services is not None:
            await services.stop()


async def serve_telegram(settings: Settings) -> None:
    """Serve Telegram by polling, or by webhook when TELEGRAM_WEBHOOK_URL is set."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    application = build_application(settings)
    await start_serving(application, settings)
    # What start-up built (content, compiled patterns, language profiles) lives as long as the
    # process: kept out of the garbage collector, a full collection no longer stops every
    # answer for tens of milliseconds to look at it again.
    gc.freeze()
    log.info("serving Telegram; Ctrl-C to stop")
    try:
        await stop.wait()
    finally:
        await stop_serving(application)


if __name__ == "__main__":
    sys.exit(main())
