"""The staff desk: one object holding its parts, each a class of its own job.

Every staff action is checked (``access``) and audited; cases are claimed, handed on, given
back and resolved (``cases``); a caseworker's words reach the person (``words``), never a
guess (``drafts``); staff read cases (``views``); what a person sends reaches staff
(``relays``); nothing is shared without the person's consent (``consents``). Alerts are rendered in ``bot/desk/alerts.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from bot.common.roster import StaffRoster
from bot.common.staffgroup import StaffGroup
from bot.delivery.outbox import Outbox
from bot.delivery.topics import CaseTopics
from bot.desk.access import AuditTrail, DeskAccess
from bot.desk.canned import CannedReplies
from bot.desk.consent import ConsentRecords, Consents
from bot.desk.drafts import DraftRecords, Drafts
from bot.desk.lifecycle import CaseLifecycle, LifecycleRecords
from bot.desk.relays import RelayRecords, Relays
from bot.desk.views import DeskViews, ViewRecords
from bot.desk.words import REPLY_WAIT, StaffWords, WordRecords

__all__ = ["DeskRecords", "StaffDesk", "open_desk"]


class DeskRecords(
    ViewRecords,
    WordRecords,
    LifecycleRecords,
    DraftRecords,
    RelayRecords,
    ConsentRecords,
    AuditTrail,
    Protocol,
):
    """What the desk's parts read and write, all of them over one store."""


@dataclass(frozen=True)
class StaffDesk:
    """The desk's parts; the Telegram handlers reach each through its name."""

    access: DeskAccess
    cases: CaseLifecycle
    words: StaffWords
    drafts: Drafts
    views: DeskViews
    relays: Relays
    consents: Consents


def open_desk(
    store: DeskRecords,
    outbox: Outbox,
    group: StaffGroup,
    lang: str,
    roster: StaffRoster,
    topics: CaseTopics | None = None,
    canned: CannedReplies | None = None,
    reply_wait: float = REPLY_WAIT,
    undo_seconds: float = 0.0,
) -> StaffDesk:
    """Build the desk's parts over one store, outbox and group.

    ``topics`` gives cases their forum topics (None: the flat group); ``canned`` holds the
    canned replies (None: there are none). Words typed in a case's topic wait ``undo_seconds``
    with an Undo button before they leave (0: at once).
    """
    access = DeskAccess(store, group, lang, roster, topics)
    words = StaffWords(access, store, outbox, reply_wait)
    consents = Consents(access, store, outbox)
    relays = Relays(access, store, outbox)
    return StaffDesk(
        access=access,
        cases=CaseLifecycle(access, store, outbox),
        words=words,
        drafts=Drafts(access, store, outbox, words, consents, relays, canned, undo_seconds),
        views=DeskViews(access, store, consents),
        relays=relays,
        consents=consents,
    )
