"""A local chat in the terminal through the same pipeline as Telegram, for trying Haven.

Buttons are numbered: type the number to press one. What staff would receive in their
Telegram group is printed too, marked [staff].
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys

from bot.common.incoming import Incoming
from bot.common.roster import GroupMember, StaffRoster
from bot.common.settings import Settings
from bot.core.errors import MembershipUnknown
from bot.core.replies import Reply, split_text
from bot.runtime import Haven, open_haven
from bot.store import OutboxItem

__all__ = ["run"]

log = logging.getLogger(__name__)

CONSOLE_USER = 1
BANNER = (
    "Haven console chat: type a message in Korean or English, /start, /help, /contacts, "
    "/verify, /sos, /language. A number presses a button. Ctrl-D quits."
)


def show(replies: list[Reply]) -> list[str]:
    """Print replies; return the callback data of their buttons, in printed order."""
    choices: list[str] = []
    for reply in replies:
        for part in split_text(reply.text):
            print(f"\nhaven> {part}")
        for button in reply.buttons:
            choices.append(button.data)
            print(f"  [{len(choices)}] {button.title}")
        for row in reply.keyboard:
            print("  keyboard: " + " | ".join(k.title for k in row))
    return choices


async def read_line() -> str | None:
    """Read one line without blocking the event loop (the outbox keeps running)."""
    line = await asyncio.to_thread(sys.stdin.readline)
    return line.rstrip("\n") if line else None


async def run(settings: Settings) -> None:
    """Chat until end of input."""

    async def send(item: OutboxItem) -> int | None:
        if item.chat_id == CONSOLE_USER:
            print(f"\nhaven> {item.text}")
        else:
            print(f"\n[staff] {item.text or '(forwarded a message from the user)'}")
        return None

    async def no_group(user_id: int) -> GroupMember:
        raise MembershipUnknown("the console chat has no staff group")

    async def delete(chat_id: int, message_ids: list[int]) -> None:
        print(f"\n(deleted {len(message_ids)} messages from the chat)")

    haven = await open_haven(settings, send, StaffRoster((), no_group), delete)
    retention = asyncio.create_task(retain(haven, settings.retention_check_minutes * 60))
    print(BANNER)
    choices: list[str] = []
    try:
        while (line := await read_line()) is not None:
            msg = Incoming(user_id=CONSOLE_USER, chat_id=CONSOLE_USER, text=line)
            conversation = haven.conversation
            if line.strip().isdigit() and 0 < int(line) <= len(choices):
                replies = await conversation.on_button(msg, choices[int(line) - 1])
            elif line.startswith("/"):
                command, _, args = line[1:].partition(" ")
                replies = await conversation.on_command(msg, command.lower(), args)
            else:
                replies = await conversation.on_text(msg)
            choices = show(replies)
            await asyncio.sleep(0.2)
    finally:
        retention.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await retention
        await haven.close()


async def retain(haven: Haven, every: float) -> None:
    """Retention, as the Telegram bot's job queue runs it."""
    while True:
        try:
            await haven.retention.run()
        except Exception:
            log.exception("retention pass failed; trying again later")
        await asyncio.sleep(every)
