"""Official ways to check an employer or recruitment agency."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import facts, language


class ActionAgencyCheck(Action):
    """Explain how to verify an employer independently."""

    def name(self) -> str:
        """Name the action as the domain does."""
        return "action_agency_check"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[dict[str, Any]]:
        """Send the sourced verification steps."""
        dispatcher.utter_message(text=facts().render_how_to_verify(language(tracker)))
        return []
