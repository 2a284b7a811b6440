"""Webhook mode: the real Application behind its own webhook server, against the stand-in.

Only requests carrying the secret are taken, and the server listens on loopback unless told
otherwise (start-up refusals of a missing or weak secret are in tests/unit/common/test_settings.py).
"""

from __future__ import annotations

from pathlib import Path

import httpx

from bot.engine.services import free_port
from bot.telegram.app import build_application, start_serving, stop_serving
from tests.conftest import make_settings, texts
from tests.telegram_stub import BotApiStub

SECRET = "Webhook_Secret-0123456789abcdefghij"
URL = "https://haven.example/telegram/hook"
USER = 610


def listening_addresses(port: int) -> set[str]:
    """The local addresses (hex, as in /proc/net/tcp) with a listening socket on ``port``."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            local, state = line.split()[1], line.split()[3]
            address, _, hex_port = local.partition(":")
            if state == "0A" and int(hex_port, 16) == port:
                found.add(address)
    return found


async def test_webhook_takes_only_requests_with_the_secret_on_loopback(
    stub: BotApiStub, tmp_path: Path
) -> None:
    port = free_port()
    settings = make_settings(
        stub,
        tmp_path,
        "http://127.0.0.1:9",  # no engine: /start needs none
        webhook_url=URL,
        webhook_secret=SECRET,
        webhook_port=port,
    )
    assert settings.webhook_listen == "127.0.0.1"
    app = build_application(settings)
    await start_serving(app, settings)
    try:
        assert stub.webhook() == {"url": URL, "secret_token": SECRET}
        assert listening_addresses(port) == {"0100007F"}, "127.0.0.1 only"
        update = stub.push_text(USER, "/start", language_code="en")
        hook = f"http://127.0.0.1:{port}/telegram/hook"
        async with httpx.AsyncClient() as client:
            for headers in ({}, {"X-Telegram-Bot-Api-Secret-Token": SECRET[:-1] + "x"}):
                refused = await client.post(hook, json=update, headers=headers)
                assert refused.status_code == 403, headers
            taken = await client.post(
                hook, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}
            )
            assert taken.status_code == 200
        await stub.wait_for(lambda s: len(s.sent(chat_id=USER)) > 0, timeout=15)
        assert "Haven" in texts(stub.sent(chat_id=USER))
        assert len(stub.sent(chat_id=USER)) == 1, "the refused posts were not handled"
    finally:
        await stop_serving(app)
