"""The engine's input channel for the Haven front end.

One POST does what the front end needs per message: set the ``language`` slot, run the
message through the dialogue, and return the responses *with* the parsed intent, so triage
needs no second NLU call. Message text is never logged here.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from rasa.shared.core.events import SlotSet
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

LANGUAGES = ("ko", "en")
RANKING_SIZE = 5


class HavenInput(InputChannel):
    """REST channel at ``/webhooks/haven/webhook`` returning intent and responses."""

    @classmethod
    def name(cls) -> str:
        """Name the channel; it is also the URL prefix."""
        return "haven"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """Expose a health route and the message webhook."""
        module = inspect.getmodule(self)
        webhook = Blueprint("haven_webhook", module.__name__ if module else None)

        @webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            body = request.json or {}
            sender = str(body.get("sender") or "")
            text = str(body.get("message") or "")
            language = body.get("language")
            if not sender:
                return response.json({"error": "sender is required"}, status=400)
            agent = request.app.ctx.agent
            if body.get("parse_only"):
                return response.json(summary(await agent.parse_message(text), [], None))
            if language in LANGUAGES:
                await set_language(agent, sender, language)
            collector = CollectingOutputChannel()
            await on_new_message(
                UserMessage(
                    text,
                    collector,
                    sender,
                    input_channel=self.name(),
                    metadata={"language": language},
                )
            )
            tracker = await agent.tracker_store.retrieve(sender)
            parse: dict[str, Any] = tracker.latest_message.parse_data if tracker else {}
            loop = tracker.active_loop_name if tracker else None
            return response.json(summary(parse, collector.messages, loop))

        return webhook


def summary(
    parse: dict[str, Any], responses: list[dict[str, Any]], active_loop: str | None
) -> dict[str, Any]:
    """What the front end needs from one turn: the intent, entities and the replies."""
    return {
        "intent": parse.get("intent") or {},
        "intent_ranking": (parse.get("intent_ranking") or [])[:RANKING_SIZE],
        "entities": [
            {k: e.get(k) for k in ("entity", "value", "start", "end")}
            for e in parse.get("entities") or []
        ],
        "active_loop": active_loop,
        "responses": responses,
    }


async def set_language(agent: Any, sender: str, language: str) -> None:
    """Store the front end's language decision so responses pick that variation."""
    async with agent.lock_store.lock(sender):
        tracker = await agent.tracker_store.get_or_create_tracker(sender)
        if tracker.get_slot("language") != language:
            tracker.update(SlotSet("language", language))
            await agent.tracker_store.save(tracker)
