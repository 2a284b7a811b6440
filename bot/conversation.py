"""What happens to a user's message: language, triage, case or engine, and the replies.

Telegram handlers and the console chat both call this, so both behave the same. Triage runs
on every message before anything else can fail: with the engine down, slow or confused, the
safety net still opens a case and the staff alert is queued durably.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any, TypeVar

from bot import discreet, phrasehash
from bot.checkin import OK_WORDS, CheckIns
from bot.commands import (
    COUNTRY_BUTTONS,
    UserCommands,
    contacts_reply,
    language_target,
    sos_button,
)
from bot.core import triage
from bot.core.errors import StoreError
from bot.core.facts import FactsStore
from bot.core.jobcheck import looks_like_job_ad
from bot.core.texts import t
from bot.dialogue import FORM_DISTRESS_THRESHOLD, Dialogue, reading
from bot.digressions import candidates, classify
from bot.discreet import Janitor, valid_secret
from bot.engine import Engine, EngineResult
from bot.flowrunner import FLOW_BUTTON, FlowRunner, FlowState
from bot.flows import FLOWS, STOP_WORDS, FlowName
from bot.incoming import Incoming
from bot.intake import CaseIntake
from bot.jobquestions import CHECK_PAYLOAD, JobQuestions
from bot.keyboard import SosKey, keyboard_action
from bot.langid import LanguageId
from bot.language import Language, detect, from_telegram
from bot.replies import Reply
from bot.retention import Retention, RetentionPolicy
from bot.store import CaseKind, CaseStore, UserPrefs, UserState

log = logging.getLogger(__name__)
R = TypeVar("R")


def _nothing_pending(state: UserState) -> bool:
    """No flow, code phrase, check-in question or case waits for the user's next message."""
    return (
        state.flow is None
        and state.codeword_hash is None
        and not state.awaiting_checkin
        and state.case is None
    )


def _reads_content(step: Callable[..., R], *args: Any) -> R | None:
    """``step(*args)``, which reads a staff-edited file; None if it fails in any way.

    Triage and the alert must never depend on content: a bad value that slipped past a
    loader costs the answer that needed it (logged), never the escalation after it.
    """
    try:
        return step(*args)
    except StoreError:
        raise
    except Exception as exc:  # any content failure; the dialogue goes on
        log.error("a content step failed (%s: %s); going on without it", type(exc).__name__, exc)
        return None


async def _content_step(step: Awaitable[R]) -> R | None:
    """Await ``step``, an answer built from content; None (the dialogue goes on) if it fails."""
    try:
        return await step
    except StoreError:
        raise
    except Exception as exc:  # any content failure; triage still decides
        log.error("a content answer failed (%s: %s); going on without it", type(exc).__name__, exc)
        return None


class Conversation:
    """Haven's side of a private chat."""

    def __init__(
        self,
        *,
        store: CaseStore,
        engine: Engine | None,
        facts: FactsStore,
        net: triage.Screen,
        intake: CaseIntake,
        flows: FlowRunner,
        checkins: CheckIns,
        janitor: Janitor,
        distress_threshold: float,
        retention: Retention | None = None,
        langid: LanguageId,
    ) -> None:
        """Wire the pipeline; every collaborator is built by ``runtime.open_haven``.

        ``retention`` removes a forgotten user's copies from the staff group at once, and its
        policy holds the figures /privacy states (the defaults when not given).
        """
        self.store = store
        self.facts = facts
        self.net = net
        self.dialogue = Dialogue(engine, net, distress_threshold)
        self.intake = intake
        self.flows = flows
        self.checkins = checkins
        self.janitor = janitor
        self.retention = retention
        self.policy = retention.policy if retention is not None else RetentionPolicy()
        self.langid = langid
        self.commands = UserCommands(self)
        self.jobs = JobQuestions(self)

    # Entry points ---------------------------------------------------------------------

    async def on_text(self, msg: Incoming) -> list[Reply]:
        """Answer a text message (typed, or sent by a keyboard button)."""
        text = msg.text.strip()
        reading = asyncio.ensure_future(self.store.user_state(msg.user_id))
        await asyncio.sleep(0)  # the read is with the database thread now
        self.net.check(text)  # screen meanwhile; the verdicts below reuse the answer
        state = await self._state(reading)
        lang = self._language(msg, text, state.prefs)
        changed = self._changed_language(msg, lang, state.prefs)
        if text and _nothing_pending(state) and not self._answered_here(text):
            early = await self._before_engine(msg, text, lang)
            if early is not None:
                await self._take_in(msg, changed, text)
                return early
            # The common case: the engine answers, and the bookkeeping is written meanwhile.
            result, _ = await asyncio.gather(
                self.dialogue.ask(msg.user_id, text, lang),
                self._take_in(msg, changed, text),
            )
            return await self.decide(msg, text, lang, result)
        await self._take_in(msg, changed, None)
        if not text:
            return [Reply(t("empty", lang))]
        flow = state.flow
        if flow is not None:
            return await self._in_flow(msg, lang, flow, text)
        if state.codeword_hash and await self._is_code_phrase(
            msg.user_id, text, state.codeword_hash
        ):
            return await self.intake.discreet(msg, lang, "code phrase", "codeword")
        if state.awaiting_checkin:
            answered = await self.checkins.answered(msg.user_id, text)
            if answered == "duress":
                return await self.intake.discreet(msg, lang, "check-in duress word", "ok")
            if answered == "ok" and discreet.normalise(text) in OK_WORDS:
                return [Reply(t("decoy.ok", lang))]
        action = keyboard_action(text)
        if action is not None:
            return await self._keyboard(msg, lang, action, text)
        if state.case is not None:
            return await self.intake.relay_text(msg, lang, state.case, text)
        await self.store.add_recent(msg.user_id, text)
        if _reads_content(looks_like_job_ad, text):
            early = await _content_step(self.jobs.job_ad(msg, text, lang))
            if early is not None:
                return early
        early = await self._before_engine(msg, text, lang)
        if early is not None:
            return early
        result = await self.dialogue.ask(msg.user_id, text, lang)
        return await self.decide(msg, text, lang, result)

    async def on_button(self, msg: Incoming, data: str) -> list[Reply]:
        """Answer an inline button press; unknown data is treated as expired or forged."""
        lang = await self._known_language(msg)
        if data in ("lang:ko", "lang:en"):
            return await self.set_language(msg, data.removeprefix("lang:"), lang)
        if data.startswith("c:"):
            country = data.removeprefix("c:").upper()
            if country in COUNTRY_BUTTONS:
                return [contacts_reply(self.facts, country, lang)]
            return [Reply(t("button_expired", lang), toast=True)]
        if data == "sos":
            return await self.intake.escalate(msg, lang, "sos button", triage.HIGH, "[SOS button]")
        if data in ("del", "del:60") and msg.message_id is not None:
            delay = 0.0 if data == "del" else discreet.SENSITIVE_DELETE_SECONDS
            await self.store.log_message(msg.chat_id, msg.message_id, "bot")
            await self.store.schedule_deletion(msg.chat_id, delay, message_id=msg.message_id)
            if delay == 0:
                await self.janitor.purge()
                return []
            return [Reply(t("discreet.delete_scheduled", lang), toast=True)]
        if data == "ci:ok":
            await self.checkins.answered(msg.user_id, "ok")
            return [Reply(t("decoy.ok", lang), toast=True)]
        if data.startswith(FLOW_BUTTON):
            flow = await self.store.flow(msg.user_id)
            if flow is None:
                return [Reply(t("button_expired", lang), toast=True)]
            return await self.flows.answer(msg, lang, flow, data.removeprefix(FLOW_BUTTON))
        payload = self.dialogue.payload_for(data)
        if payload is None:
            return [Reply(t("button_expired", lang), toast=True)]
        if payload.startswith(CHECK_PAYLOAD):
            return await self.jobs.start_check(msg, lang, payload.removeprefix(CHECK_PAYLOAD))
        case = await self.store.active_case(msg.user_id)
        if case is not None:
            return await self.intake.relay_text(msg, lang, case, f"[button] {payload}")
        result = await self.dialogue.ask(msg.user_id, payload, lang)
        return await self.decide(msg, payload, lang, result)

    async def on_media(self, msg: Incoming) -> list[Reply]:
        """Answer a photo, voice message, sticker, location or other non-text message.

        A caption is read like a message: a cry for help in it opens (or joins) the case, and
        the photo, video or document itself goes to staff with it. Outside flows and cases, a
        caption is answered as text would be.
        """
        await self._log_incoming(msg)
        lang = await self._known_language(msg)
        caption = msg.text.strip()
        if caption:
            urgent = await self._caption_distress(msg, lang, caption)
            if urgent is not None:
                return urgent
        flow = await self.store.flow(msg.user_id)
        if flow is not None and msg.kind != "live_location":
            return await self.flows.answer(msg, lang, flow, None)
        case = await self.store.active_case(msg.user_id)
        if case is not None and msg.message_id is not None:
            await self.intake.relay_media(case, msg)
            if msg.kind == "live_location" or case.kind == CaseKind.DISCREET:
                return []
            return [Reply(t("case_joined", lang, case=case.id))]
        if msg.kind in ("location", "live_location"):
            return [Reply(t("location_received", lang), buttons=(sos_button(lang),))]
        if caption:
            return await self.on_text(replace(msg, kind="text", message_id=None))
        return [Reply(t("non_text", lang), buttons=(sos_button(lang),))]

    async def on_command(self, msg: Incoming, command: str, args: str = "") -> list[Reply]:
        """Answer one of the user commands (bot/commands.py)."""
        await self._log_incoming(msg)
        lang = await self._known_language(msg)
        return await self.commands.run(msg, command, args, lang)

    # Decisions ------------------------------------------------------------------------

    async def set_language(self, msg: Incoming, target: str, current: str) -> list[Reply]:
        """Fix the user's language (auto-detection stops until they change it again)."""
        if target not in ("ko", "en"):
            return [Reply(t("choose_language", current))]
        await self.store.remember_user(msg.user_id, msg.chat_id, target, fixed=True)
        return [Reply(t("language_set", target))]

    async def decide(
        self, msg: Incoming, text: str, lang: str, result: EngineResult | None
    ) -> list[Reply]:
        in_form = self.dialogue.in_check(msg.user_id)
        verdict = self.dialogue.verdict(text, result, FORM_DISTRESS_THRESHOLD if in_form else None)
        self.dialogue.track(msg.user_id, result)
        if verdict.escalate:
            return await self.escalate(msg, lang, verdict, text)
        if result is None:
            numbers = _reads_content(self.facts.current().render_emergency, None, lang)
            down = f"{t('engine_down', lang)}\n\n{numbers}" if numbers else t("engine_down", lang)
            return [Reply(down, buttons=(sos_button(lang),))]
        if result.intent == "change_language":
            return await self._change_language(msg, text, lang)
        return self.dialogue.render(result)

    async def _keyboard(self, msg: Incoming, lang: str, action: SosKey, text: str) -> list[Reply]:
        """Act on a persistent-keyboard button."""
        if action is SosKey.NOT_SAFE:
            return await self.intake.escalate(msg, lang, "not-safe button", triage.HIGH, text)
        if action is SosKey.RESCUE:
            return await self.flows.start(msg, lang, FlowName.RESCUE)
        if action is SosKey.CALL_LATER:
            return await self.flows.start(msg, lang, FlowName.CALL_LATER)
        # "Can't talk" (or a typed "share my location" from a client without the button).
        case = await self.intake.active_or_open(msg, lang, "can't talk button", text)
        await self.store.set_case_note(case.id, "contact_note", "text only, do not call")
        await self.intake.desk.relay_notice(case, "🤐 text only, do not call")
        return [Reply(t("cant_talk_ack", lang))]

    async def escalate(
        self, msg: Incoming, lang: str, verdict: triage.Triage, text: str
    ) -> list[Reply]:
        """Open or join the case, naming the language the person wrote in for staff.

        Korean typed in Latin letters is answered in Korean; any other language keeps the
        reply language (English unless Korean) and adds the vetted sentence, if there is one.
        A guided check in progress is stopped: it must not take the next message as an answer.
        """
        hit = self.net.check(text) if text else None
        written = (
            _reads_content(self.langid.identify, text, hit.lang if hit else None) if text else None
        )
        if written is not None and written.code.startswith("ko"):
            lang = "ko"
        if self.dialogue.in_check(msg.user_id):
            await self.dialogue.stop_check(msg.user_id, lang)
        priority = verdict.priority or triage.HIGH
        return await self.intake.escalate(
            msg, lang, verdict.detail, priority, text, written_in=written
        )

    async def _caption_distress(self, msg: Incoming, lang: str, caption: str) -> list[Reply] | None:
        """A caption asking for help: the case opens (or is joined) and the media goes with it."""
        verdict = await self.dialogue.screen(msg.user_id, caption, self.dialogue.threshold)
        if not verdict.escalate:
            return None
        await self.store.end_flow(msg.user_id)
        replies = await self.escalate(msg, lang, verdict, f"[{msg.kind}] {caption}")
        case = await self.store.active_case(msg.user_id)
        if case is not None and msg.message_id is not None:
            await self.intake.relay_media(case, msg)
        return replies

    async def _in_flow(
        self, msg: Incoming, lang: Language, flow: FlowState, text: str
    ) -> list[Reply]:
        """A text typed into a flow: distress first, then a digression, else the answer.

        In a flow that keeps a case (the rescue request) a cry for help joins that case and
        the flow goes on; any other flow ends and the case opens.
        """
        verdict = await self.dialogue.screen(msg.user_id, text, FORM_DISTRESS_THRESHOLD)
        keeps_case = FLOWS[FlowName(flow[0])].case_reason is not None
        if verdict.escalate:
            if not keeps_case:
                await self.store.end_flow(msg.user_id)
                return await self.escalate(msg, lang, verdict, text)
            replies = await self.escalate(msg, lang, verdict, text)
            return [*replies, self.flows.ask_again(flow, lang)]
        if discreet.normalise(text) not in STOP_WORDS:
            kinds = candidates(text)
            if kinds:
                result = await self.dialogue.parse(msg.user_id, text)
                kind = classify(kinds, *reading(result))
                if kind is not None:
                    replies, lang = await self.jobs.digress(msg, text, lang, kind)
                    again = self.flows.ask_again(flow, lang)
                    resumed = replace(again, text=f"{t('flow.resume', lang)}\n{again.text}")
                    return [*replies, resumed]
        return await self.flows.answer(msg, lang, flow, text)

    async def _before_engine(self, msg: Incoming, text: str, lang: Language) -> list[Reply] | None:
        """Answer here what the engine would get wrong: inside the check, a stop word or a
        digression; outside it, a question about an offer that already names red flags."""
        if self.dialogue.in_check(msg.user_id):
            return await _content_step(self.jobs.inside_check(msg, text, lang))
        return await _content_step(self.jobs.offer_question(msg, text, lang))

    @staticmethod
    def _answered_here(text: str) -> bool:
        """A keyboard button or a pasted job ad: answered without the dialogue."""
        return keyboard_action(text) is not None or bool(_reads_content(looks_like_job_ad, text))

    async def _change_language(self, msg: Incoming, text: str, lang: str) -> list[Reply]:
        target = language_target(text)
        if target is not None:
            return await self.set_language(msg, target, lang)
        return await self.on_command(msg, "language")

    # Helpers --------------------------------------------------------------------------

    @staticmethod
    async def _is_code_phrase(user_id: int, text: str, stored: str) -> bool:
        """Check the code phrase only for text that could be one: scrypt costs ~50 ms."""
        return valid_secret(text) and await phrasehash.matches(user_id, text, stored)

    async def _state(self, reading: asyncio.Future[UserState]) -> UserState:
        """The user's state; with the store failing, none: triage must still run."""
        try:
            return await reading
        except StoreError as exc:
            log.error("could not read the user's state (%s); deciding without it", exc)
            return UserState()

    async def _take_in(self, msg: Incoming, changed: str | None, recent: str | None) -> None:
        """Record an incoming message; a failing store must not stop an escalation."""
        try:
            await self.store.take_in(msg.user_id, msg.chat_id, msg.message_id, changed, recent)
        except StoreError as exc:
            log.error("could not record an incoming message: %s", exc)

    async def _log_incoming(self, msg: Incoming) -> None:
        if msg.message_id is not None:
            try:
                await self.store.log_message(msg.chat_id, msg.message_id, "user")
            except StoreError as exc:
                log.error("could not record an incoming message: %s", exc)

    def _language(self, msg: Incoming, text: str, prefs: UserPrefs | None) -> Language:
        """Decide this message's language: the user's choice, or detected."""
        if prefs is not None and prefs.language_fixed:
            return "ko" if prefs.language == "ko" else "en"
        previous: Language | None = None
        if prefs is not None:
            previous = "ko" if prefs.language == "ko" else "en"
        return detect(text, previous, msg.telegram_language)

    def _changed_language(
        self, msg: Incoming, lang: Language, prefs: UserPrefs | None
    ) -> Language | None:
        """The language to remember as the user's latest, if it is news to the store."""
        if prefs is not None and prefs.language_fixed:
            return None
        if prefs is None or prefs.language != lang or prefs.chat_id != msg.chat_id:
            return lang
        return None

    async def _known_language(self, msg: Incoming) -> Language:
        """The user's current language, for messages that carry no text to detect."""
        try:
            prefs = await self.store.user(msg.user_id)
            if prefs is not None:
                return "ko" if prefs.language == "ko" else "en"
        except StoreError as exc:
            log.error("could not read the user's language: %s", exc)
        lang = from_telegram(msg.telegram_language) or "en"
        try:
            await self.store.remember_user(msg.user_id, msg.chat_id, lang)
        except StoreError as exc:
            log.error("could not remember the user's language: %s", exc)
        return lang
