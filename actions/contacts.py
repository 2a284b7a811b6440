"""Emergency contacts for the country the user names."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import country_buttons, facts, language, place


class ActionEmergencyContacts(Action):
    """Answer "who do I call" with confirmed, dated numbers only."""

    def name(self) -> str:
        """Name the action as the domain does."""
        return "action_emergency_contacts"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[dict[str, Any]]:
        """Send the contacts, and country buttons when no country was named."""
        lang = language(tracker)
        country, _city = place(tracker)
        text = facts().render_contacts(country, lang)
        if country is None:
            dispatcher.utter_message(
                text=text, buttons=country_buttons(lang, "ask_emergency_contacts")
            )
        else:
            dispatcher.utter_message(text=text)
        return []
