"""The engine's input channel for the Haven front end.

One POST does what the front end needs per message: set the ``language`` slot (and, when a
guided check starts from a question that already answered some of it, those answers), run the
message through the dialogue, and return the responses *with* the parsed intent, the active
form and the slot it asks for, so triage needs no second NLU call. ``repeat`` returns the
last question again (after the front end answered a digression inside the check). Message
text is never logged here.

A message is one turn under the conversation's lock with one read and one write of its
tracker (``run_turn``): the slots, the message and the answer all go into the tracker in hand,
and the summary is read from it, where Rasa's own channel path read it three times and wrote
it twice per message.

Every request must carry ``Authorization: Bearer <secret>``, the secret Haven hands the engine
in HAVEN_ENGINE_SECRET at each start: nothing else on the machine may talk to a conversation.
``POST /webhooks/haven/forget`` erases one conversation (/forget); the tracker store
(components/tracker_store.py) forgets idle ones by itself.
"""

from __future__ import annotations

import hmac
import inspect
import os
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from rasa.shared.core.events import BotUttered, SlotSet
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.exceptions import RasaException
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.core.packs import answering
from components import action_calls
from components.tracker_store import erase

action_calls.install()

LANGUAGES = answering()
"""The languages Haven answers in: its language packs' (content/<code>/pack.yml)."""
RANKING_SIZE = 5
# Slots the front end may set: the guided check's answers and the list of those it set.
SETTABLE_SLOTS = frozenset(
    {
        "jc_destination",
        "jc_job_type",
        "jc_pay",
        "jc_channel",
        "jc_flight",
        "jc_visa",
        "jc_documents",
        "jc_contract",
        "jc_verifiable",
        "jc_prefilled",
    }
)
MAX_SLOT_CHARS = 200
SECRET_VARIABLE = "HAVEN_ENGINE_SECRET"
MIN_SECRET_CHARS = 32


class EngineSecretMissing(RasaException):
    """The engine was started without a usable HAVEN_ENGINE_SECRET."""


class HavenInput(InputChannel):
    """REST channel at ``/webhooks/haven/webhook`` returning intent and responses."""

    def __init__(self, secret: str) -> None:
        """Accept only requests bearing ``secret``."""
        self._secret = secret.encode("utf-8")

    @classmethod
    def name(cls) -> str:
        """Name the channel; it is also the URL prefix."""
        return "haven"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> HavenInput:
        """Build the channel with the secret from the environment; refuse to start without it."""
        return cls(secret_from(os.environ))

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """Expose a readiness route and the message webhook, both behind the secret."""
        module = inspect.getmodule(self)
        webhook = Blueprint("haven_webhook", module.__name__ if module else None)

        @webhook.listener("after_server_stop")
        async def close_sessions(*_: Any) -> None:
            await action_calls.close_sessions()

        @webhook.route("/", methods=["GET"])
        async def ready(request: Request) -> HTTPResponse:
            if not authorized(request.headers.get("Authorization"), self._secret):
                return refused()
            agent = getattr(request.app.ctx, "agent", None)
            return response.json({"ready": bool(agent is not None and agent.is_ready())})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not authorized(request.headers.get("Authorization"), self._secret):
                return refused()
            body = request.json or {}
            sender = str(body.get("sender") or "")
            text = str(body.get("message") or "")
            language = body.get("language")
            if not sender:
                return response.json({"error": "sender is required"}, status=400)
            agent = request.app.ctx.agent
            if body.get("parse_only"):
                return response.json(summary(await agent.parse_message(text), [], None))
            if body.get("repeat"):
                if language in LANGUAGES:
                    await set_language(agent, sender, language)
                tracker = await agent.tracker_store.retrieve(sender)
                return response.json(await ask_again(agent, tracker))
            slots = settable(body.get("slots"))
            if slots is None:
                return response.json({"error": "slots must map known slots to text"}, status=400)
            if language in LANGUAGES:
                slots["language"] = language
            collector = CollectingOutputChannel()
            message = UserMessage(
                text, collector, sender, input_channel=self.name(), metadata={"language": language}
            )
            tracker = await run_turn(agent, message, slots)
            parse: dict[str, Any] = tracker.latest_message.parse_data if tracker else {}
            loop = tracker.active_loop_name if tracker else None
            asked = tracker.get_slot("requested_slot") if tracker and loop else None
            return response.json(summary(parse, collector.messages, loop, asked))

        @webhook.route("/forget", methods=["POST"])
        async def forget(request: Request) -> HTTPResponse:
            if not authorized(request.headers.get("Authorization"), self._secret):
                return refused()
            sender = str((request.json or {}).get("sender") or "")
            if not sender:
                return response.json({"error": "sender is required"}, status=400)
            agent = request.app.ctx.agent
            async with agent.lock_store.lock(sender):
                erased = await erase(agent.tracker_store, sender)
            if erased is None:
                return response.json({"error": "this tracker store cannot erase"}, status=501)
            return response.json({"erased": erased})

        return webhook


def secret_from(env: Mapping[str, str]) -> str:
    """The shared secret from HAVEN_ENGINE_SECRET; raise if it is missing or too short."""
    secret = env.get(SECRET_VARIABLE, "")
    if len(secret) < MIN_SECRET_CHARS:
        raise EngineSecretMissing(
            f"{SECRET_VARIABLE} must hold the secret of at least {MIN_SECRET_CHARS} characters "
            f"that the Haven front end sends; `make run` sets it for each start"
        )
    return secret


def authorized(header: str | None, secret: bytes) -> bool:
    """Whether an Authorization header carries the secret (compared in constant time)."""
    scheme, _, token = (header or "").partition(" ")
    presented = token.strip().encode("utf-8", "surrogateescape")
    return scheme.lower() == "bearer" and hmac.compare_digest(presented, secret)


def refused() -> HTTPResponse:
    """401 with nothing that helps a guesser."""
    return response.empty(status=401, headers={"WWW-Authenticate": "Bearer"})


def settable(raw: Any) -> dict[str, str | None] | None:
    """The slots a request may set (None values clear), or None if it names any other."""
    if raw is None:
        return {}
    if not isinstance(raw, dict) or not set(raw) <= SETTABLE_SLOTS:
        return None
    if not all(
        v is None or (isinstance(v, str) and len(v) <= MAX_SLOT_CHARS) for v in raw.values()
    ):
        return None
    return dict(raw)


async def ask_again(agent: Any, tracker: Any) -> dict[str, Any]:
    """The form's current question again, in the language now set (or the last message)."""
    loop = tracker.active_loop_name if tracker else None
    asked = tracker.get_slot("requested_slot") if tracker and loop else None
    if asked:
        message = await agent.nlg.generate(f"utter_ask_{asked}", tracker, HavenInput.name())
        if message:
            keep = {k: message[k] for k in ("text", "buttons") if message.get(k)}
            return summary({}, [keep], loop, asked)
    return last_question(tracker)


def last_question(tracker: Any) -> dict[str, Any]:
    """The bot's last message (the form's current question), to ask it again."""
    responses: list[dict[str, Any]] = []
    for event in reversed(list(tracker.events) if tracker else []):
        if isinstance(event, BotUttered):
            message: dict[str, Any] = {"text": event.text or ""}
            buttons = (event.data or {}).get("buttons")
            if buttons:
                message["buttons"] = buttons
            responses = [message]
            break
    loop = tracker.active_loop_name if tracker else None
    asked = tracker.get_slot("requested_slot") if tracker and loop else None
    return summary({}, responses, loop, asked)


def summary(
    parse: dict[str, Any],
    responses: list[dict[str, Any]],
    active_loop: str | None,
    requested_slot: str | None = None,
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
        "requested_slot": requested_slot,
        "responses": responses,
    }


async def run_turn(
    agent: Any, message: UserMessage, slots: dict[str, str | None]
) -> DialogueStateTracker | None:
    """One message through the dialogue, as ``Agent.handle_message`` runs it, with the front
    end's slots set first; the tracker is read once and written once (Rasa 3.6's processor)."""
    if not agent.is_ready():
        return None
    processor = agent.processor
    channel = message.output_channel
    async with agent.lock_store.lock(message.sender_id):
        tracker = await processor.fetch_tracker_and_update_session(
            message.sender_id, channel, message.metadata
        )
        for name, value in slots.items():
            if tracker.get_slot(name) != value:
                tracker.update(SlotSet(name, value))
        await processor._handle_message_with_tracker(message, tracker)
        tracker = await processor.run_action_extract_slots(channel, tracker)
        await processor._run_prediction_loop(channel, tracker)
        await processor.run_anonymization_pipeline(tracker)
        await processor.save_tracker(tracker)
    return tracker


async def set_slots(agent: Any, sender: str, slots: dict[str, str | None]) -> None:
    """Store the front end's decisions (the language, pre-filled answers) before the turn."""
    if not slots:
        return
    async with agent.lock_store.lock(sender):
        tracker = await agent.tracker_store.get_or_create_tracker(sender)
        changed = [SlotSet(k, v) for k, v in slots.items() if tracker.get_slot(k) != v]
        if changed:
            for event in changed:
                tracker.update(event)
            await agent.tracker_store.save(tracker)


async def set_language(agent: Any, sender: str, language: str) -> None:
    """Store the front end's language decision so responses pick that variation."""
    await set_slots(agent, sender, {"language": language})
