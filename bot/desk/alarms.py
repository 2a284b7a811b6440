"""Telling staff what went wrong: undelivered messages, a failing store or staff group, broken
content edits, alerts stuck in the queue. A failure is shouted to staff, never only logged.

Notices about a case go through the outbox, durable and in the group's order. Alarms about the
delivery path itself (the store, the staff group, stuck alerts) cannot wait in that queue:
they are sent at once, best effort, and to the staff members' private chats (STAFF_USER_IDS,
if they have started the bot) when the group itself refuses. Each problem is told once.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Protocol

from bot.core.errors import DataFileError, DeliveryError, SourceGone
from bot.core.replies import ReplyButton, clip
from bot.core.texts import t
from bot.delivery.outbox import CLIP_LIMIT, Outbox, Send, reason
from bot.desk.access import DeskAccess
from bot.desk.alerts import alert_body, case_buttons, when
from bot.store import Case, OutboxItem, OutboxKind, Outgoing, UserPrefs, iso, now

__all__ = ["ALERT_KINDS", "AlarmRecords", "Alarms", "render_unrecorded"]

log = logging.getLogger(__name__)

ALERT_KINDS = frozenset({OutboxKind.ALERT, OutboxKind.REALERT})

Moved = Callable[[int, int], None]


def direct(chat_id: int, text: str) -> OutboxItem:
    """A message sent straight through the delivery function, past the queue."""
    return OutboxItem(
        id=0,
        chat_id=chat_id,
        case_id=None,
        kind=OutboxKind.STAFF_NOTICE,
        text=text,
        copy_from_chat=None,
        copy_message_id=None,
        attempts=0,
    )


def render_unrecorded(
    *,
    priority: str,
    language: str,
    kind: str,
    reason: str,
    message: str,
    earlier: list[str],
    lang: str,
) -> str:
    """An alert the store could not record: everything staff need, marked as unrecorded."""
    body = alert_body(priority, language, iso(now()), kind, reason, message, earlier, lang)
    hint = f"\n{t('staff.unrecorded_hint', lang)}"
    return "\n".join((t("staff.unrecorded_title", lang), *body, hint))


class AlarmRecords(Protocol):
    """What the alarms read and write: the case and person a notice is about, a user who
    blocks the bot, and the notices they queue."""

    async def case(self, case_id: int) -> Case: ...
    async def user(self, user_id: int) -> UserPrefs | None: ...
    async def mark_blocked(self, case_id: int) -> bool: ...
    async def enqueue(self, outgoing: Outgoing, case_id: int | None = None) -> list[int]: ...


class Alarms:
    """The outbox's ``Reports``, and every other alarm Haven raises for staff."""

    def __init__(
        self,
        store: AlarmRecords,
        send: Send,
        outbox: Outbox,
        access: DeskAccess,
        lang: str,
        staff_user_ids: Iterable[int] = (),
    ) -> None:
        """Queue notices in ``store`` for ``access``'s group; shout through ``send``."""
        self._store = store
        self._send = send
        self._outbox = outbox
        self._access = access
        self._lang = lang
        self._staff_users = tuple(sorted(staff_user_ids))
        self._told: set[str] = set()
        self._moved: list[Moved] = []
        self._tasks: set[asyncio.Task[None]] = set()

    def on_move(self, listener: Moved) -> None:
        """Call ``listener(old, new)`` when the staff group moves to a new chat id."""
        self._moved.append(listener)

    # Two ways to reach staff -------------------------------------------------------

    async def notice(
        self,
        text: str,
        case_id: int | None = None,
        kind: OutboxKind = OutboxKind.STAFF_NOTICE,
        buttons: tuple[ReplyButton, ...] = (),
        dedupe_key: str | None = None,
    ) -> None:
        """Queue a message for the staff group; shout it if the store cannot take it."""
        outgoing = Outgoing(self._access.chat_id, kind, text, buttons, dedupe_key)
        try:
            await self._store.enqueue(outgoing, case_id)
        except Exception as exc:
            log.error("could not queue a staff notice (%s); sending it directly", exc)
            await self.shout(text)
            return
        self._outbox.wake()

    async def shout(self, text: str, group: bool = True) -> bool:
        """Send at once to the staff group, else to staff members privately; True if any got it."""
        if group:
            try:
                await self._send(direct(self._access.chat_id, text))
                return True
            except Exception as exc:
                log.error("could not alarm the staff group: %s", exc)
        reached = False
        for user in self._staff_users:
            try:
                await self._send(direct(user, text))
                reached = True
            except Exception as exc:
                log.error("could not alarm a staff member privately: %s", exc)
        if not reached:
            log.critical("no staff member could be alarmed: %s", text.splitlines()[0])
        return reached

    def once(self, key: str) -> bool:
        """True the first time ``key`` is seen (until ``forget``): each problem told once."""
        if key in self._told:
            return False
        self._told.add(key)
        return True

    def forget(self, prefix: str) -> None:
        """A problem is over: tell it again if it comes back."""
        self._told = {k for k in self._told if not k.startswith(prefix)}

    # The outbox's reports ------------------------------------------------------------

    async def undelivered(self, item: OutboxItem, error: DeliveryError) -> None:
        """A message was given up: whoever wrote it, or the group it was for, must know."""
        why = reason(error, self._lang)
        at = when(item.created_at) if item.created_at else "?"
        if item.chat_id > 0:
            if item.case_id is not None:
                text = t("staff.undelivered", self._lang, id=item.case_id, at=at, reason=why)
            else:
                text = t("staff.undelivered_no_case", self._lang, kind=item.kind, at=at, reason=why)
            await self.notice(text, item.case_id)
        elif item.kind == OutboxKind.STAFF_NOTICE or item.case_id is None:
            # A notice about a notice could fail the same way, forever: the log must do.
            log.error("a staff notice was given up: %s", error)
        elif item.kind in ALERT_KINDS:
            await self.notice(
                t("staff.alert_fallback", self._lang, id=item.case_id, reason=why),
                item.case_id,
                kind=OutboxKind.ALERT,
                buttons=case_buttons(item.case_id, self._lang),
                dedupe_key=f"alert-fallback:{item.id}",
            )
        else:
            await self.notice(
                t(
                    "staff.undelivered_here",
                    self._lang,
                    id=item.case_id,
                    kind=item.kind,
                    at=at,
                    reason=why,
                ),
                item.case_id,
            )

    async def blocked(self, item: OutboxItem) -> None:
        """Note on the case that its user blocked the bot, and tell staff the first time."""
        if item.case_id is not None and await self._store.mark_blocked(item.case_id):
            await self.notice(t("staff.user_blocked", self._lang, id=item.case_id), item.case_id)

    async def chat_moved(self, old_chat: int, new_chat: int) -> None:
        """Follow the staff group to its new id and say so there."""
        if old_chat != self._access.chat_id:
            log.warning("chat %s moved to %s; it is not the staff group", old_chat, new_chat)
            return
        self._access.move_to(new_chat)
        for listener in self._moved:
            listener(old_chat, new_chat)
        log.warning("the staff group moved to %s: set STAFF_CHAT_ID=%s", new_chat, new_chat)
        await self.notice(t("staff.group_moved", self._lang, new=new_chat))

    async def group_refused(self, item: OutboxItem, error: DeliveryError) -> None:
        """The bot cannot post in a group: tell staff members privately, once per problem."""
        if self.once(f"group:{item.chat_id}:{error}"):
            log.critical("the group %s refuses the bot: %s", item.chat_id, error)
            await self.shout(
                t("staff.group_refused", self._lang, reason=str(error)),
                group=item.chat_id != self._access.chat_id,
            )

    async def delivered_late(self, case_id: int | None) -> None:
        """A reply staff were told is queued has arrived (a case's topic has its ✓ instead)."""
        if case_id is not None and not await self._access.confirms_in_topic(case_id):
            await self.notice(t("staff.reply_late", self._lang, id=case_id), case_id)

    async def replacement(self, item: OutboxItem, error: DeliveryError) -> str:
        """A notice in place of a copy whose source is gone, or the text clipped with a note."""
        if isinstance(error, SourceGone) or item.copy_message_id is not None:
            return t("staff.copy_gone", self._lang, id=item.case_id or "?")
        return clip(item.text, CLIP_LIMIT, "\n\n" + await self._clip_note(item), always=True)

    async def _clip_note(self, item: OutboxItem) -> str:
        if item.chat_id <= 0:
            return t("staff.clipped", self._lang)
        lang = None
        if item.case_id is not None:
            lang = (await self._store.case(item.case_id)).language
        else:
            prefs = await self._store.user(item.chat_id)
            lang = prefs.language if prefs else None
        return t("to_user.clipped", lang or self._lang)

    async def store_failing(self, error: Exception) -> None:
        """The store keeps failing: the group must know, now."""
        if self.once("store"):
            await self.shout(t("staff.store_failing", self._lang, reason=str(error)))

    async def store_recovered(self) -> None:
        """The store works again."""
        if "store" in self._told:
            self.forget("store")
            await self.notice(t("staff.store_recovered", self._lang))

    # Other alarms ------------------------------------------------------------------

    def content_problem(self, path: Path, error: DataFileError) -> None:
        """A staff edit of a content file was refused (``Reloading.on_problem``)."""
        text = t("staff.content_problem", self._lang, file=path.name, reason=str(error))
        try:
            task = asyncio.get_running_loop().create_task(self.notice(text))
        except RuntimeError:
            log.warning("content problem outside the event loop: %s", error)
            return
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def stuck_alerts(self, items: list[OutboxItem], minutes: float) -> None:
        """Alerts queued too long: alarm once for those not alarmed about yet."""
        new = [item for item in items if self.once(f"stuck:{item.id}")]
        if not new:
            return
        oldest = items[0]
        last = self._outbox.last_error
        why = last[1] if last is not None else t("staff.why_waiting", self._lang)
        text = t(
            "staff.alerts_stuck",
            self._lang,
            count=len(items),
            minutes=f"{minutes:g}",
            id=oldest.case_id or "?",
            reason=why,
        )
        log.error("%d alerts undelivered for over %g min", len(items), minutes)
        await self.shout(text)
