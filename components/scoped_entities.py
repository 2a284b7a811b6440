"""Countries are read only from messages whose answer names one (contacts, travel advice).

Rasa's CRF tags every token of every message; only the emergency-contacts and travel-advice
actions read the ``country`` entity (actions/common.py ``place``), so the CRF here runs only on
messages classified as one of ``intents`` and leaves the others without entities. It trains as
the plain CRFEntityExtractor does, on every example.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.extractors.crf_entity_extractor import CRFEntityExtractor
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY
from rasa.shared.nlu.training_data.message import Message

__all__ = ["ScopedCRFEntityExtractor"]

DEFAULT_INTENTS = ("ask_emergency_contacts", "ask_travel_advisory")


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=True)
class ScopedCRFEntityExtractor(CRFEntityExtractor):
    """CRFEntityExtractor that tags only messages of the intents whose answers use entities."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """The CRF's defaults, and the intents it runs for."""
        return {**CRFEntityExtractor.get_default_config(), "intents": list(DEFAULT_INTENTS)}

    def process(self, messages: list[Message]) -> list[Message]:
        """Tag the messages of the configured intents; leave the others as they are."""
        wanted = set(self.component_config.get("intents") or DEFAULT_INTENTS)
        chosen = [m for m in messages if (m.get(INTENT) or {}).get(INTENT_NAME_KEY) in wanted]
        if chosen:
            super().process(chosen)
        return messages
