"""Client for the Rasa engine's Haven channel: one POST per message, bounded by a timeout.

Every request carries the engine's secret, and the engine is told a keyed pseudonym of the
sender, never the Telegram user id (see bot/engine/pseudonym.py).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import httpx

from bot.core.errors import EngineError, EngineUnavailable
from bot.core.pseudonyms import pseudonym
from bot.engine.gate import EngineGate, Need

__all__ = ["READY", "WEBHOOK", "Button", "Engine", "EngineReply", "EngineResult", "auth_header"]

log = logging.getLogger(__name__)

READY = "/webhooks/haven/"
WEBHOOK = "/webhooks/haven/webhook"
FORGET = "/webhooks/haven/forget"


def auth_header(secret: str) -> dict[str, str]:
    """The header the Haven channel checks on every request."""
    return {"Authorization": f"Bearer {secret}"}


@dataclass(frozen=True)
class Button:
    """A choice the engine offers; its payload goes back to the engine when pressed."""

    title: str
    payload: str


@dataclass(frozen=True)
class EngineReply:
    """One message of the engine's answer."""

    text: str = ""
    buttons: tuple[Button, ...] = ()


@dataclass(frozen=True)
class EngineResult:
    """What the engine understood and what it answers."""

    intent: str | None
    confidence: float
    replies: tuple[EngineReply, ...] = ()
    active_loop: str | None = None
    requested_slot: str | None = None
    """The guided check's question waiting for an answer (while ``active_loop`` is set)."""


class Engine:
    """Talks to the engine over HTTP; raises EngineUnavailable when it cannot answer."""

    def __init__(
        self,
        base_url: str,
        timeout: float,
        secret: str,
        key: bytes,
        gate: EngineGate | None = None,
    ) -> None:
        """Prepare a pooled client; nothing is contacted until the first message.

        ``secret`` is the engine's shared secret, ``key`` the pseudonym key; ``gate`` decides
        who goes to the engine next when it is saturated (None: everyone at once).
        """
        self._base_url = base_url.rstrip("/")
        self._timeout = timeout
        self._key = key
        self.gate = gate
        self._client = httpx.AsyncClient(
            base_url=self._base_url,
            timeout=httpx.Timeout(timeout),
            limits=httpx.Limits(max_connections=64, max_keepalive_connections=32),
            headers=auth_header(secret),
        )

    def sender_for(self, user_id: int) -> str:
        """The engine's sender id for a Telegram user: a keyed pseudonym, never the id."""
        return pseudonym(self._key, str(user_id))

    async def close(self) -> None:
        """Close pooled connections."""
        await self._client.aclose()

    async def send(
        self,
        sender: str,
        text: str,
        language: str,
        slots: dict[str, str | None] | None = None,
        need: Need = Need.ORDINARY,
    ) -> EngineResult:
        """Run one user message through the dialogue in the given reply language.

        ``sender`` is the front end's id of the conversation (the user id as text); the engine
        gets only its pseudonym. ``slots`` are set first (the guided check's answers read from
        the user's own message). ``need`` places the message in the queue when the engine is
        saturated.
        """
        body: dict[str, Any] = {
            "sender": pseudonym(self._key, sender),
            "message": text,
            "language": language,
        }
        if slots:
            body["slots"] = slots
        return await self._post(body, need)

    async def repeat(self, sender: str, language: str, need: Need = Need.ORDINARY) -> EngineResult:
        """The guided check's current question again, in ``language``, without moving on."""
        return await self._post(
            {"sender": pseudonym(self._key, sender), "repeat": True, "language": language}, need
        )

    async def parse(self, sender: str, text: str, need: Need = Need.ORDINARY) -> EngineResult:
        """Understand a message without moving the conversation (no replies)."""
        return await self._post(
            {"sender": pseudonym(self._key, sender), "message": text, "parse_only": True}, need
        )

    async def forget(self, user_id: int) -> bool:
        """Erase the engine's conversation with a user (/forget); tell whether there was one."""
        response = await self._request(FORGET, {"sender": self.sender_for(user_id)})
        return bool(response.json().get("erased"))

    async def _post(self, body: dict[str, Any], need: Need) -> EngineResult:
        return parse_result((await self._request(WEBHOOK, body, need)).json())

    async def _request(
        self, route: str, body: dict[str, Any], need: Need = Need.ORDINARY
    ) -> httpx.Response:
        if self.gate is None:
            return await self._exchange(route, body)
        async with self.gate.turn(need):
            return await self._exchange(route, body)

    async def _exchange(self, route: str, body: dict[str, Any]) -> httpx.Response:
        try:
            response = await self._client.post(route, json=body)
        except httpx.TimeoutException as exc:
            raise EngineUnavailable(f"engine slower than {self._timeout}s") from exc
        except httpx.TransportError as exc:
            raise EngineUnavailable(f"engine unreachable: {type(exc).__name__}") from exc
        if response.status_code >= 500:
            raise EngineUnavailable(f"engine answered HTTP {response.status_code}")
        if response.status_code == 401:
            raise EngineError("the engine refused Haven's secret: check ENGINE_SECRET")
        if response.status_code != 200:
            raise EngineError(f"engine refused the request: HTTP {response.status_code}")
        return response

    async def ready(self) -> bool:
        """Tell whether the engine answers, accepts the secret and has a model loaded."""
        try:
            response = await self._client.get(READY)
        except httpx.HTTPError:
            return False
        return response.status_code == 200 and response.json().get("ready") is True


def parse_result(data: dict[str, Any]) -> EngineResult:
    """Turn the channel's JSON into an EngineResult, ignoring fields we do not know."""
    intent = data.get("intent") or {}
    replies = []
    for message in data.get("responses") or []:
        buttons = tuple(
            Button(str(b.get("title", "")), str(b.get("payload", "")))
            for b in message.get("buttons") or []
            if b.get("title") and b.get("payload")
        )
        replies.append(EngineReply(text=str(message.get("text") or ""), buttons=buttons))
    return EngineResult(
        intent=intent.get("name"),
        confidence=float(intent.get("confidence") or 0.0),
        replies=tuple(replies),
        active_loop=data.get("active_loop"),
        requested_slot=data.get("requested_slot"),
    )
