"""The start of the guided check: say how many questions are left and what was already taken.

A check started from a question that answered part of it ("인스타 DM으로 베트남 고객상담 월
600 …") arrives with those answers set by the front end and named in ``jc_prefilled``: they
are kept and said, so the form skips them. Answers left over from an earlier check that was
stopped half-way are cleared, so they are never taken for the new offer's.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import facts, language
from bot.core.offers import CHECK_SLOTS, PREFILL_SLOT, describe_prefill
from bot.core.texts import t


class ActionCheckIntro(Action):
    """Introduce the check; keep the pre-filled answers, clear stale ones."""

    def name(self) -> str:
        """Name the action as the domain does."""
        return "action_check_intro"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[dict[str, Any]]:
        """Say the introduction; return the slot resets."""
        lang = language(tracker)
        named = str(tracker.get_slot(PREFILL_SLOT) or "").split(",")
        kept: dict[str, str] = {}
        events: list[dict[str, Any]] = []
        for slot in CHECK_SLOTS:
            value = tracker.get_slot(slot)
            if slot in named and value not in (None, ""):
                kept[slot] = str(value)
            elif value is not None:
                events.append(SlotSet(slot, None))
        if tracker.get_slot(PREFILL_SLOT) is not None:
            events.append(SlotSet(PREFILL_SLOT, None))
        if kept:
            items = describe_prefill(kept, lang, facts().country_name)
            left = len(CHECK_SLOTS) - len(kept)
            dispatcher.utter_message(
                text=t("actions.check_intro_prefilled", lang, items=items, n=left)
            )
        else:
            dispatcher.utter_message(text=t("actions.check_intro", lang))
        return events
