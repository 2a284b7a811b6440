"""The engine's calls to the action server: one kept connection, and a schema compiled once.

Rasa 3.6 opens a new HTTP session, and so a new connection, for every call to the action server,
and checks every answer with ``jsonschema.validate``, which first checks the schema itself against
the JSON Schema meta-schema and builds a new validator. Under load the check alone was a third of
the engine's CPU per message, the connections another few percent (docs/architecture.md, "Engine
capacity"). Here each endpoint keeps one session per event loop, whose idle connections close
before the action server's keep-alive ends (so a reused connection is not one the server is
closing), and the same schema checks the same answers with the same error through a validator
built once. ``install`` is called when the engine loads the Haven channel
(components/haven_channel.py).
"""

from __future__ import annotations

import asyncio
import functools
from types import TracebackType
from typing import Any

import aiohttp
from jsonschema import validators
from jsonschema.exceptions import best_match
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL
from rasa.utils.endpoints import DEFAULT_REQUEST_TIMEOUT, EndpointConfig

__all__ = ["KeptSession", "close_sessions", "install", "kept_session", "validate_action_result"]

IDLE_SECONDS = 2.0
"""Idle connections close after this; the action server (Sanic) closes them after 5 s."""


@functools.cache
def _validator() -> Any:
    """Rasa's schema for action server answers, checked once, as a ready validator."""
    schema = RemoteAction.action_response_format_spec()
    cls = validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
    """RemoteAction._validate_action_result, without re-checking the schema on every call."""
    error = best_match(_validator().iter_errors(result))
    if error is None:
        return True
    error.message += (
        ". Failed to validate Action server response from API, make sure your response from "
        f"the Action endpoint is valid. For more information about the format visit "
        f"{DOCS_BASE_URL}/custom-actions"
    )
    raise error


class KeptSession:
    """A session used as ``async with endpoint.session()`` is, but left open on the way out."""

    def __init__(self, session: aiohttp.ClientSession) -> None:
        """Wrap the endpoint's kept session."""
        self.session = session

    async def __aenter__(self) -> aiohttp.ClientSession:
        """The kept session."""
        return self.session

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        """Keep the session (and its connections) for the next call."""


_sessions: dict[tuple[int, int], aiohttp.ClientSession] = {}


def kept_session(self: EndpointConfig) -> KeptSession:
    """EndpointConfig.session, made once per endpoint and event loop instead of per call."""
    loop = asyncio.get_running_loop()
    key = (id(self), id(loop))
    session = _sessions.get(key)
    if session is None or session.closed:
        auth = None
        if self.basic_auth:
            auth = aiohttp.BasicAuth(self.basic_auth["username"], self.basic_auth["password"])
        session = aiohttp.ClientSession(
            headers=self.headers,
            auth=auth,
            timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
            connector=aiohttp.TCPConnector(keepalive_timeout=IDLE_SECONDS),
        )
        _sessions[key] = session
    return KeptSession(session)


async def close_sessions() -> None:
    """Close the kept sessions of the running event loop (when the engine stops)."""
    loop = id(asyncio.get_running_loop())
    for key in [k for k in _sessions if k[1] == loop]:
        await _sessions.pop(key).close()


def install() -> None:
    """Make the engine's remote actions use a kept session and the compiled validator."""
    RemoteAction._validate_action_result = validate_action_result  # type: ignore[method-assign]
    EndpointConfig.session = kept_session  # type: ignore[assignment,method-assign]
