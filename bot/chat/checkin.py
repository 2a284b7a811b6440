"""Check-ins for people who leave anyway: "are you OK?" at an interval, a case when unanswered.

The schedule lives in the store and every tick reads it again, so check-ins survive restarts
without rescheduling anything in memory.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Protocol

from bot.chat import phrasehash
from bot.chat.flows import describe_interval
from bot.core import triage
from bot.core.replies import ReplyButton
from bot.core.texts import t
from bot.core.words import WordList, words
from bot.desk.intake import CaseIntake
from bot.store import CheckIn, OutboxKind, Outgoing, iso, now

__all__ = ["OK_WORDS", "CheckInRecords", "CheckIns"]

log = logging.getLogger(__name__)

OK_WORDS = words().any_of(WordList.OK)


def missed_report(checkin: CheckIn) -> str:
    """What staff need about a missed check-in: everything the traveller registered."""
    interval = describe_interval(timedelta(minutes=checkin.interval_minutes), "en")
    return (
        f"[missed check-in] destination: {checkin.destination}; departure: {checkin.departure}; "
        f"interval: {interval}; asked at {checkin.awaiting_since} and no answer within "
        f"{checkin.grace_minutes:g} min"
    )


class CheckInRecords(Protocol):
    """What the check-ins read and write: the schedules, and the questions they queue."""

    async def checkin(self, user_id: int) -> CheckIn | None: ...
    async def checkins(self) -> list[CheckIn]: ...
    async def save_checkin(self, checkin: CheckIn) -> None: ...
    async def enqueue(self, outgoing: Outgoing, case_id: int | None = None) -> list[int]: ...


class CheckIns:
    """Asks registered travellers how they are, and alerts staff when they go quiet."""

    def __init__(self, store: CheckInRecords, intake: CaseIntake) -> None:
        """Work on ``store``; a missed check-in opens a case through ``intake``."""
        self._store = store
        self._intake = intake

    async def tick(self) -> None:
        """Send due questions and open cases for unanswered ones."""
        moment = now()
        for checkin in await self._store.checkins():
            if checkin.awaiting_since is not None:
                waited = moment - datetime.fromisoformat(checkin.awaiting_since)
                if waited >= timedelta(minutes=checkin.grace_minutes):
                    await self._missed(checkin)
            elif datetime.fromisoformat(checkin.next_prompt_at) <= moment:
                await self._ask(checkin)

    async def answered(self, user_id: int, text: str) -> str | None:
        """Handle a reply while a check-in waits: "ok", "duress", or None if none waits."""
        checkin = await self._store.checkin(user_id)
        if checkin is None or checkin.awaiting_since is None:
            return None
        await self._store.save_checkin(replace(checkin, awaiting_since=None))
        if checkin.duress_hash and await phrasehash.matches(user_id, text, checkin.duress_hash):
            return "duress"
        return "ok"

    async def _ask(self, checkin: CheckIn) -> None:
        interval = timedelta(minutes=checkin.interval_minutes)
        await self._store.enqueue(
            Outgoing(
                checkin.chat_id,
                OutboxKind.CHECKIN,
                t("flow.checkin_prompt", checkin.language),
                buttons=(ReplyButton(t("flow.ok_button", checkin.language), "ci:ok"),),
            )
        )
        await self._store.save_checkin(
            replace(checkin, awaiting_since=iso(now()), next_prompt_at=iso(now() + interval))
        )
        self._intake.outbox.wake()

    async def _missed(self, checkin: CheckIn) -> None:
        report = missed_report(checkin)
        await self._store.save_checkin(replace(checkin, awaiting_since=None))
        case, _created = await self._intake.open(
            checkin.user_id,
            checkin.chat_id,
            checkin.language,
            "missed check-in",
            triage.HIGH,
            report,
        )
        log.info("check-in missed; case %s", case.id)
