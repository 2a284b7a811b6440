"""The warning signs of a fake job offer."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import facts, language
from bot.core.texts import t


class ActionRedFlags(Action):
    """List the sourced red flags and offer the guided check."""

    def name(self) -> str:
        """Name the action as the domain does."""
        return "action_red_flags"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[dict[str, Any]]:
        """Send the red flags with a button to check an offer."""
        lang = language(tracker)
        title = t("verify_button", lang)
        dispatcher.utter_message(
            text=facts().render_red_flags(lang),
            buttons=[{"title": title, "payload": "/verify_job_offer"}],
        )
        return []
