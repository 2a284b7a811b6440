"""How big the problem is: the facts file's confirmed counts and estimates, sourced and dated."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import facts, language
from bot.core.texts import t


class ActionFigures(Action):
    """Say the confirmed figures word for word, then offer the check and the red flags."""

    def name(self) -> str:
        """Name the action as the domain does."""
        return "action_figures"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[dict[str, Any]]:
        """Send the figures with buttons to check an offer or read the warning signs."""
        lang = language(tracker)
        dispatcher.utter_message(
            text=facts().render_figures(lang),
            buttons=[
                {"title": t("verify_button", lang), "payload": "/verify_job_offer"},
                {"title": t("contacts_button", lang), "payload": "/ask_emergency_contacts"},
            ],
        )
        return []
