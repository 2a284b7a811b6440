"""The engine's side of a conversation: asking it, reading it, and where its guided check is.

Every call to the engine goes through here, so an engine that is down, slow or confused is
handled in one place (None: the safety net answers alone), and the state the front end keeps
about the engine's form (who is inside the guided check, and which question it asked) lives
with the code that reads it.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from bot.core import triage
from bot.core.errors import EngineError
from bot.core.replies import PayloadBook, Reply, ReplyButton
from bot.core.texts import t
from bot.engine.client import Engine, EngineResult
from bot.engine.gate import Need

__all__ = ["FORM_DISTRESS_THRESHOLD", "Dialogue", "reading"]

log = logging.getLogger(__name__)

MAX_ENGINE_CHARS = 1000
# Answers to the job check ("회사가 내준대요", "tourist visa") are short statements the engine
# sometimes reads as distress; inside the check it must be sure, and the safety net still runs.
FORM_DISTRESS_THRESHOLD = 0.9


def reading(result: EngineResult | None) -> tuple[str | None, float | None]:
    """The engine's intent and confidence, or (None, None) when it is down."""
    return (result.intent, result.confidence) if result else (None, None)


class Dialogue:
    """Talks to the engine for the conversation and remembers who is inside its check."""

    def __init__(self, engine: Engine | None, net: triage.Screen, threshold: float) -> None:
        """Ask ``engine`` (None: never), screen with ``net`` at ``threshold``."""
        self.engine = engine
        self.net = net
        self.threshold = threshold
        self.payloads = PayloadBook()
        self._in_form: dict[int, str | None] = {}
        """Users inside the engine's guided check, with the slot its question asks for."""

    # The engine ------------------------------------------------------------------------

    async def ask(
        self,
        user_id: int,
        text: str,
        lang: str,
        slots: dict[str, str | None] | None = None,
        urgent: bool = False,
    ) -> EngineResult | None:
        """Run a message through the dialogue; None when the engine cannot answer.

        ``urgent`` (the person has an open case) or a safety-net hit puts the message ahead
        of ordinary questions when the engine is saturated.
        """
        if self.engine is None:
            return None
        try:
            return await self.engine.send(
                str(user_id),
                text[:MAX_ENGINE_CHARS],
                lang,
                slots=slots,
                need=self.need(text, urgent),
            )
        except EngineError as exc:
            log.warning("engine unavailable, safety net only: %s", exc)
            return None

    async def parse(self, user_id: int, text: str, urgent: bool = False) -> EngineResult | None:
        """The engine's understanding of a text, without moving the conversation."""
        if self.engine is None:
            return None
        try:
            return await self.engine.parse(
                str(user_id), text[:MAX_ENGINE_CHARS], need=self.need(text, urgent)
            )
        except EngineError as exc:
            log.warning("engine unavailable for parse: %s", exc)
            return None

    async def forget(self, user_id: int) -> None:
        """Erase the engine's conversation with the user (it also expires on its own)."""
        self._in_form.pop(user_id, None)
        if self.engine is None:
            return
        try:
            await self.engine.forget(user_id)
        except EngineError as exc:
            # Its copy still expires after ENGINE_MEMORY_MINUTES without a message.
            log.warning("the engine could not forget a conversation now: %s", exc)

    def need(self, text: str, urgent: bool = False) -> Need:
        """A person with an open case, or words the safety net flags, go first (the net
        remembers its recent answers, so the verdict's own check costs nothing more)."""
        return Need.URGENT if urgent or self.net.check(text) is not None else Need.ORDINARY

    # Triage ----------------------------------------------------------------------------

    def verdict(
        self, text: str, result: EngineResult | None, threshold: float | None = None
    ) -> triage.Triage:
        """Triage a text on the engine's reading; ``threshold`` raises the engine's bar."""
        intent, confidence = reading(result)
        bar = self.threshold if threshold is None else max(self.threshold, threshold)
        return triage.decide(text, intent, confidence, self.net, bar)

    async def screen(
        self, user_id: int, text: str, threshold: float, urgent: bool = False
    ) -> triage.Triage:
        """Triage a text with the engine's reading (without moving the conversation)."""
        return self.verdict(text, await self.parse(user_id, text, urgent), threshold)

    # The guided check ------------------------------------------------------------------

    def in_check(self, user_id: int) -> bool:
        """Whether the user is inside the engine's guided check."""
        return user_id in self._in_form

    def asked_slot(self, user_id: int) -> str | None:
        """The slot the check's current question asks for, if any."""
        return self._in_form.get(user_id)

    def track(self, user_id: int, result: EngineResult | None) -> None:
        """Note after a turn whether the user is inside the check, and at which question."""
        if result is not None and result.active_loop:
            self._in_form[user_id] = result.requested_slot
        else:
            self._in_form.pop(user_id, None)

    async def stop_check(self, user_id: int, lang: str) -> EngineResult | None:
        """End the guided check (its replies are the caller's to use or drop)."""
        self._in_form.pop(user_id, None)
        return await self.ask(user_id, "/stop", lang)

    async def resume_check(self, user_id: int, lang: str) -> list[Reply]:
        """The check's current question again, saying that the check goes on."""
        again: EngineResult | None = None
        if self.engine is not None:
            try:
                again = await self.engine.repeat(str(user_id), lang)
            except EngineError as exc:
                log.warning("engine unavailable to repeat the question: %s", exc)
        question = self.render(again) if again else []
        if not question:
            return [Reply(t("check.resume", lang))]
        first = question[0]
        return [replace(first, text=f"{t('check.resume', lang)}\n{first.text}"), *question[1:]]

    # Replies ---------------------------------------------------------------------------

    def render(self, result: EngineResult) -> list[Reply]:
        """The engine's answer as replies; its buttons carry payloads back to it."""
        replies = []
        for reply in result.replies:
            buttons = tuple(
                ReplyButton(b.title, self.payloads.data_for(b.payload)) for b in reply.buttons
            )
            if reply.text or buttons:
                replies.append(Reply(reply.text or "…", buttons=buttons))
        return replies

    def data_for(self, payload: str) -> str:
        """Callback data that sends ``payload`` to the engine when pressed."""
        return self.payloads.data_for(payload)

    def payload_for(self, data: str) -> str | None:
        """The engine payload behind callback data, or None when expired or forged."""
        return self.payloads.payload_for(data)
