"""Korean foreign ministry travel advisory levels for a place."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import country_buttons, facts, language, place
from bot.core.texts import t


class ActionTravelAdvisory(Action):
    """Give the advisory level of the place named, or ask which place."""

    def name(self) -> str:
        """Name the action as the domain does."""
        return "action_travel_advisory"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[dict[str, Any]]:
        """Send the advisory for the named place, or country buttons."""
        lang = language(tracker)
        country, city = place(tracker)
        if country is None:
            question = t("actions.which_place", lang)
            dispatcher.utter_message(
                text=question, buttons=country_buttons(lang, "ask_travel_advisory")
            )
        else:
            dispatcher.utter_message(text=facts().render_advisory(country, city, lang))
        return []
