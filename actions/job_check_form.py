"""Validation of the guided job-offer check: free-text answers become clean values."""

from __future__ import annotations

from typing import Any

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import facts
from bot.core.jobcheck import parse_choice, parse_pay

SKIPPED = "skipped"
MAX_FREE_TEXT = 120


def _rejected(dispatcher: CollectingDispatcher, slot: str) -> dict[str, Any]:
    """Ask again: an answer we cannot read is not stored as if it meant something."""
    dispatcher.utter_message(response="utter_invalid_answer")
    return {slot: None}


def _choice(field: str, slot: str, value: Any, dispatcher: CollectingDispatcher) -> dict[str, Any]:
    """Store a button or free-text choice as its canonical value."""
    if value == SKIPPED:
        return {slot: SKIPPED}
    parsed = parse_choice(field, str(value))
    if parsed is None:
        return _rejected(dispatcher, slot)
    if isinstance(parsed, bool):
        return {slot: "yes" if parsed else "no"}
    return {slot: parsed}


class ValidateJobCheckForm(FormValidationAction):
    """Turn each answer of the job check into a value the scorer understands."""

    def name(self) -> str:
        """Name the action as the domain does."""
        return "validate_job_check_form"

    async def validate_jc_destination(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        """Accept a country (and city) we can recognise, or one already read ("KH|Poipet")."""
        if slot_value == SKIPPED:
            return {"jc_destination": SKIPPED}
        code, bar, known_city = str(slot_value).partition("|")
        if bar and code in facts().country_codes():
            return {"jc_destination": f"{code}|{known_city}"}
        country, city = facts().find_place(str(slot_value))
        if country is None:
            return _rejected(dispatcher, "jc_destination")
        return {"jc_destination": f"{country}|{city or ''}"}

    async def validate_jc_job_type(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        """Keep the job description as the user wrote it, bounded."""
        text = str(slot_value).strip()[:MAX_FREE_TEXT]
        return {"jc_job_type": text or SKIPPED}

    async def validate_jc_pay(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        """Read an amount in won or dollars as monthly won."""
        if slot_value == SKIPPED:
            return {"jc_pay": SKIPPED}
        krw = parse_pay(str(slot_value))
        if krw is None:
            return _rejected(dispatcher, "jc_pay")
        return {"jc_pay": str(krw)}

    async def validate_jc_channel(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        """Read how the offer arrived."""
        return _choice("channel", "jc_channel", slot_value, dispatcher)

    async def validate_jc_flight(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        """Read who pays for the flight."""
        return _choice("flight_paid_by", "jc_flight", slot_value, dispatcher)

    async def validate_jc_visa(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        """Read the visa they were told to use."""
        return _choice("visa", "jc_visa", slot_value, dispatcher)

    async def validate_jc_documents(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        """Read whether a passport, deposit or bank account was asked for."""
        return _choice("asked_passport_deposit_bank", "jc_documents", slot_value, dispatcher)

    async def validate_jc_contract(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        """Read whether there is a written contract."""
        return _choice("written_contract", "jc_contract", slot_value, dispatcher)

    async def validate_jc_verifiable(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        """Read whether the employer could be verified independently."""
        return _choice("verifiable", "jc_verifiable", slot_value, dispatcher)
