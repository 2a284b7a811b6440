"""The outcome of the guided job-offer check: risk, the flags found, what to do next."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import facts, language
from bot.core.jobcheck import JobOffer, assess, render_assessment
from bot.core.offers import CHECK_SLOTS


def _value(tracker: Tracker, slot: str) -> str | None:
    """Return a slot's answer, or None when it was skipped or never given."""
    value = tracker.get_slot(slot)
    return None if value in (None, "", "skipped") else str(value)


def _yes_no(tracker: Tracker, slot: str) -> bool | None:
    """Return a yes/no answer as a bool, or None when skipped."""
    value = _value(tracker, slot)
    return None if value is None else value == "yes"


def offer_from(tracker: Tracker) -> JobOffer:
    """Build the scorer's view of the offer from the form's slots."""
    country, city = None, None
    destination = _value(tracker, "jc_destination")
    if destination:
        country, _, city_part = destination.partition("|")
        city = city_part or None
    pay = _value(tracker, "jc_pay")
    return JobOffer(
        country=country,
        city=city,
        job_type=_value(tracker, "jc_job_type"),
        monthly_pay_krw=int(pay) if pay and pay.isdigit() else None,
        channel=_value(tracker, "jc_channel"),
        flight_paid_by=_value(tracker, "jc_flight"),
        visa=_value(tracker, "jc_visa"),
        asked_passport_deposit_bank=_yes_no(tracker, "jc_documents"),
        written_contract=_yes_no(tracker, "jc_contract"),
        verifiable=_yes_no(tracker, "jc_verifiable"),
    )


class ActionJobCheckResult(Action):
    """Rate the offer, explain each flag, and give the next steps and contacts."""

    def name(self) -> str:
        """Name the action as the domain does."""
        return "action_job_check_result"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[dict[str, Any]]:
        """Send the assessment, then clear the answers for the next check."""
        lang = language(tracker)
        current = facts()
        offer = offer_from(tracker)
        parts = [render_assessment(assess(offer, current), lang)]
        if offer.country:
            parts.append(current.render_advisory(offer.country, offer.city, lang))
        parts.append(current.render_how_to_verify(lang))
        parts.append(current.render_contacts(offer.country, lang))
        dispatcher.utter_message(text="\n\n".join(p for p in parts if p))
        return [SlotSet(slot, None) for slot in CHECK_SLOTS]
