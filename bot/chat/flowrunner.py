"""Runs every flow the same way: ask a step, check the answer, move on, finish.

The flows themselves (their steps and finish handlers) are data in ``bot/chat/flows.py``; this
module knows nothing of any one flow. Progress lives in the store after every answer.
"""

from __future__ import annotations

import re
from typing import Any

from bot.chat.flows import (
    FLOWS,
    LATIN_NAME,
    SKIP,
    SKIP_WORDS,
    STOP,
    STOP_WORDS,
    FlowName,
    FlowServices,
    Step,
    describe_answer,
    parse_duration,
    prompt,
)
from bot.chat.phrasehash import normalise
from bot.common.incoming import Incoming
from bot.core.replies import Reply, ReplyButton
from bot.core.texts import t
from bot.store import CaseKind

__all__ = ["FLOW_BUTTON", "FlowRunner", "FlowState"]

FLOW_BUTTON = "f:"
"""Callback data prefix of a flow's buttons."""
MEDIA_STEPS = {"location": ("location",), "photo": ("photo",), "video": ("video", "animation")}
FlowState = tuple[str, int, dict[str, Any]]


class FlowRunner:
    """Starts flows and takes each answer until the flow finishes or the user stops it."""

    def __init__(self, services: FlowServices) -> None:
        """Finish handlers get ``services``."""
        self.services = services

    async def start(self, msg: Incoming, lang: str, name: FlowName) -> list[Reply]:
        """Begin a flow at its first step (after its introduction, if any).

        A flow with a ``case_reason`` opens (or joins) the user's case first: staff are alerted
        at once, not when the last question is answered.
        """
        flow = FLOWS[name]
        await self.services.store.save_flow(msg.user_id, name, 0, {})
        first = self._ask(flow.steps[0], lang)
        intro = [Reply(t(flow.intro, lang))] if flow.intro else []
        if flow.case_reason is not None:
            case = await self.services.intake.active_or_open(
                msg, lang, flow.case_reason, f"[{flow.case_reason} started]"
            )
            if case.kind != CaseKind.DISCREET:  # a watched phone: the case stays unnamed
                intro.append(Reply(t("flow.case_opened", lang, case=case.id)))
        return [*intro, first]

    def ask_again(self, state: FlowState, lang: str) -> Reply:
        """The current step's question again (after a digression was answered)."""
        name, index, _answers = state
        steps = FLOWS[FlowName(name)].steps
        return self._ask(steps[min(index, len(steps) - 1)], lang)

    async def answer(
        self, msg: Incoming, lang: str, state: FlowState, text: str | None
    ) -> list[Reply]:
        """Take the answer to the current step (``text`` None for media) and go on."""
        name, index, _answers = state
        flow = FLOWS[FlowName(name)]
        steps = flow.steps
        step = steps[min(index, len(steps) - 1)]
        word = normalise(text) if text is not None else ""
        if text == STOP or word in STOP_WORDS:
            await self.services.store.end_flow(msg.user_id)
            return [Reply(t("flow.stopped", lang), remove_keyboard=not flow.keeps_keyboard)]
        note: Reply | None = None
        if text == SKIP or (word in SKIP_WORDS and step.optional):
            value: Any = None
        else:
            value, problem = self._value(step, msg, text, lang)
            if problem is not None:
                if flow.case_reason is not None and text:
                    await self._relay_text(msg, text)
                return [Reply(problem), self._ask(step, lang)]
            note = await self._relay_media(msg, step, lang)
        if note is not None:
            return [note, *await self._next(msg, lang, state, step, value)]
        return await self._next(msg, lang, state, step, value)

    async def _next(
        self, msg: Incoming, lang: str, state: FlowState, step: Step, value: Any
    ) -> list[Reply]:
        """Keep the answer, then ask the next step or finish."""
        name, index, answers = state
        flow = FLOWS[FlowName(name)]
        steps = flow.steps
        if value is not None:
            answers[step.key] = value
            if flow.case_reason is not None and step.kind not in MEDIA_STEPS:
                await self._relay_answer(msg, step, value)
        if index + 1 < len(steps):
            await self.services.store.save_flow(msg.user_id, name, index + 1, answers)
            return [self._ask(steps[index + 1], lang)]
        await self.services.store.end_flow(msg.user_id)
        return await flow.finish(self.services, msg, lang, answers)

    def _ask(self, step: Step, lang: str) -> Reply:
        """A step's question with its choices, Skip (if optional) and Stop."""
        buttons = tuple(
            ReplyButton(choice.title(lang), f"{FLOW_BUTTON}{choice.value}")
            for choice in step.choices
        )
        if step.optional:
            buttons += (ReplyButton(t("flow.skip", lang), f"{FLOW_BUTTON}{SKIP}"),)
        buttons += (ReplyButton(t("flow.stop", lang), f"{FLOW_BUTTON}{STOP}"),)
        return Reply(prompt(step, lang), buttons=buttons)

    def _value(
        self, step: Step, msg: Incoming, text: str | None, lang: str
    ) -> tuple[Any, str | None]:
        """The value of an answer, or why it is not one."""
        media = MEDIA_STEPS.get(step.kind)
        if media is not None:
            if msg.kind not in media or msg.message_id is None:
                return None, t(f"flow.need_media_{step.kind}", lang)
            if msg.location is not None:
                return {"lat": msg.location[0], "lon": msg.location[1]}, None
            return {"message_id": msg.message_id, "kind": msg.kind}, None
        if text is None:
            return None, t("flow.need_text", lang)
        choices = {c.value for c in step.choices}
        if step.kind == "choice":
            if text in choices:
                return text, None
            return (
                (text.strip()[:60], None)
                if step.key == "nationality"
                else (None, t("flow.need_text", lang))
            )
        if step.kind == "name":
            return (
                (text.strip().upper(), None)
                if LATIN_NAME.match(text.strip())
                else (None, t("flow.need_name", lang))
            )
        if step.kind == "number":
            digits = re.sub(r"\D", "", text)
            return (digits, None) if digits else (None, t("flow.need_number", lang))
        if step.kind == "duration":
            interval = parse_duration(text)
            return (
                (interval.total_seconds() / 60, None)
                if interval
                else (None, t("flow.need_duration", lang))
            )
        return text.strip()[:200], None

    async def _relay_answer(self, msg: Incoming, step: Step, value: Any) -> None:
        """Pass a typed answer to the case as it comes ("📝 floor: 7")."""
        case = await self.services.store.active_case(msg.user_id)
        if case is not None:
            note = f"📝 {step.key}: {describe_answer(step, value)}"
            await self.services.intake.relays.notice(case, note)

    async def _relay_text(self, msg: Incoming, text: str) -> None:
        """Whatever else is typed into a flow that keeps a case reaches staff too."""
        case = await self.services.store.active_case(msg.user_id)
        if case is not None:
            await self.services.intake.relays.text(case, text)

    async def _relay_media(self, msg: Incoming, step: Step, lang: str) -> Reply | None:
        """Photos and locations given in a flow also reach staff when a case is open.

        The photo leaves the person's chat once staff have the copy, and the question that
        asked for it goes too; the person reads a neutral note instead (None: no case).
        """
        if step.kind not in MEDIA_STEPS or msg.message_id is None:
            return None
        store = self.services.store
        case = await store.active_case(msg.user_id)
        if case is None:
            return None
        await self.services.intake.relay_media(case, msg)
        prompt_id = await store.last_bot_message(msg.chat_id, before=msg.message_id)
        if prompt_id is not None:
            await store.schedule_deletion(msg.chat_id, 0, message_id=prompt_id)
        return self.services.intake.media_received(case, lang)
