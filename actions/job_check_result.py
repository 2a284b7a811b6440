"""The outcome of the guided job-offer check: risk, the flags found, what to do next."""

from __future__ import annotations

import json
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import facts, language
from bot.core.jobcheck import assess, render_summary
from bot.core.offers import CHECK_SLOTS, details_payload, offer_from
from bot.core.texts import t


class ActionJobCheckResult(Action):
    """Rate the offer in a short message; the explanations wait behind a "details" button."""

    def name(self) -> str:
        """Name the action as the domain does."""
        return "action_job_check_result"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[dict[str, Any]]:
        """Send the short verdict with its buttons, then clear the answers for the next check."""
        lang = language(tracker)
        current = facts()
        slots = {slot: str(tracker.get_slot(slot) or "") for slot in CHECK_SLOTS}
        offer = offer_from(slots)
        parts = [render_summary(assess(offer, current), lang)]
        parts.append(current.advisory_line(offer.country, offer.city, lang))
        parts.append(current.call_center_line(lang))
        contacts = "/ask_emergency_contacts"
        if offer.country:
            contacts += json.dumps({"country": offer.country})
        buttons = [
            {"title": t("check.details_button", lang), "payload": details_payload(slots)},
            {"title": t("contacts_button", lang), "payload": contacts},
        ]
        dispatcher.utter_message(text="\n\n".join(p for p in parts if p), buttons=buttons)
        return [SlotSet(slot, None) for slot in CHECK_SLOTS]
