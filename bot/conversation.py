"""What happens to a user's message: language, triage, case or engine, and the replies.

Telegram handlers and the console chat both call this, so both behave the same. Triage runs
on every message before anything else can fail: with the engine down, slow or confused, the
safety net still opens a case and the staff alert is queued durably.
"""

from __future__ import annotations

import asyncio
import logging
import re

from bot import discreet
from bot.checkin import OK_WORDS, CheckIns
from bot.core import triage
from bot.core.errors import EngineError, StoreError
from bot.core.facts import FactsStore
from bot.core.jobcheck import flag_lines, looks_like_job_ad, scan_ad
from bot.core.texts import t
from bot.discreet import Janitor, secret_hash, valid_secret
from bot.engine import Engine, EngineResult
from bot.flowrunner import FLOW_BUTTON, FlowRunner
from bot.flows import FlowName
from bot.incoming import Incoming
from bot.intake import CaseIntake
from bot.keyboard import SosKey, keyboard_action
from bot.language import Language, detect, from_telegram
from bot.replies import PayloadBook, Reply, ReplyButton
from bot.store import CaseKind, CaseStore, UserPrefs, UserState

log = logging.getLogger(__name__)

MAX_ENGINE_CHARS = 1000
# Answers to the job check ("회사가 내준대요", "tourist visa") are short statements the engine
# sometimes reads as distress; inside the check it must be sure, and the safety net still runs.
FORM_DISTRESS_THRESHOLD = 0.9
COUNTRY_BUTTONS = ("KH", "TH", "VN", "LA", "MM", "PH", "KR")
TO_ENGLISH = re.compile(r"영어|영문|잉글리시|english|eng\b", re.IGNORECASE)
TO_KOREAN = re.compile(r"한국어|한글|한국말|국어|korean|hangul", re.IGNORECASE)


def _nothing_pending(state: UserState) -> bool:
    """No flow, code phrase, check-in question or case waits for the user's next message."""
    return (
        state.flow is None
        and state.codeword_hash is None
        and not state.awaiting_checkin
        and state.case is None
    )


def _answered_here(text: str) -> bool:
    """A keyboard button or a pasted job ad: answered without the dialogue."""
    return keyboard_action(text) is not None or looks_like_job_ad(text)


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
    ) -> None:
        """Wire the pipeline; every collaborator is built by ``runtime.open_haven``."""
        self.store = store
        self.engine = engine
        self.facts = facts
        self.net = net
        self.intake = intake
        self.flows = flows
        self.checkins = checkins
        self.janitor = janitor
        self.payloads = PayloadBook()
        self._threshold = distress_threshold
        self._in_form: set[int] = set()

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
        if text and _nothing_pending(state) and not _answered_here(text):
            # The common case: the engine answers, and the bookkeeping is written meanwhile.
            result, _ = await asyncio.gather(
                self._ask_engine(msg.user_id, text, lang),
                self._take_in(msg, changed, text),
            )
            return await self._decide(msg, text, lang, result)
        await self._take_in(msg, changed, None)
        if not text:
            return [Reply(t("empty", lang))]
        flow = state.flow
        if flow is not None and not self._is_distress_outside_flow(flow[0], text):
            return await self.flows.answer(msg, lang, flow, text)
        if flow is not None:
            await self.store.end_flow(msg.user_id)
        if state.codeword_hash and secret_hash(msg.user_id, text) == state.codeword_hash:
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
        if looks_like_job_ad(text):
            return await self._job_ad(msg, text, lang)
        result = await self._ask_engine(msg.user_id, text, lang)
        return await self._decide(msg, text, lang, result)

    async def on_button(self, msg: Incoming, data: str) -> list[Reply]:
        """Answer an inline button press; unknown data is treated as expired or forged."""
        lang = await self._known_language(msg)
        if data in ("lang:ko", "lang:en"):
            return await self.set_language(msg, data.removeprefix("lang:"), lang)
        if data.startswith("c:"):
            country = data.removeprefix("c:").upper()
            if country in COUNTRY_BUTTONS:
                return [self._contacts(country, lang)]
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
        payload = self.payloads.payload_for(data)
        if payload is None:
            return [Reply(t("button_expired", lang), toast=True)]
        case = await self.store.active_case(msg.user_id)
        if case is not None:
            return await self.intake.relay_text(msg, lang, case, f"[button] {payload}")
        result = await self._ask_engine(msg.user_id, payload, lang)
        return await self._decide(msg, payload, lang, result)

    async def on_media(self, msg: Incoming) -> list[Reply]:
        """Answer a photo, voice message, sticker, location or other non-text message."""
        await self._log_incoming(msg)
        lang = await self._known_language(msg)
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
            return [Reply(t("location_received", lang), buttons=(self._sos_button(lang),))]
        return [Reply(t("non_text", lang), buttons=(self._sos_button(lang),))]

    async def on_command(self, msg: Incoming, command: str, args: str = "") -> list[Reply]:
        """Answer one of the user commands."""
        await self._log_incoming(msg)
        lang = await self._known_language(msg)
        simple = {"help": "help", "privacy": "privacy"}
        if command == "start":
            return [
                Reply(
                    t("start", lang),
                    buttons=(
                        ReplyButton(
                            t("verify_button", lang), self._engine_data("/verify_job_offer")
                        ),
                        ReplyButton(t("contacts_button", lang), "c:KR"),
                        self._sos_button(lang),
                    ),
                )
            ]
        if command in simple:
            return [Reply(t(simple[command], lang), buttons=(self._sos_button(lang),))]
        if command == "language":
            return [
                Reply(
                    t("choose_language", lang),
                    buttons=(ReplyButton("한국어", "lang:ko"), ReplyButton("English", "lang:en")),
                )
            ]
        if command == "contacts":
            country, _city = self.facts.current().find_place(args) if args else (None, None)
            return [self._contacts(country, lang)]
        if command == "sos":
            return await self.intake.escalate(msg, lang, "/sos command", triage.HIGH, "/sos")
        if command == "verify":
            return await self.on_button(msg, self._engine_data("/verify_job_offer"))
        if command == "forget":
            return await self._forget(msg, lang)
        if command in ("codeword", "safeword"):
            return await self._set_secret(msg, lang, command, args)
        if command == "weather":
            return await self.intake.discreet(msg, lang, "decoy /weather", "weather")
        if command == "clear":
            await self.store.schedule_deletion(msg.chat_id, 0)
            await self.janitor.purge()
            return []
        if command == "rescue":
            return await self.flows.start(msg, lang, FlowName.RESCUE)
        if command == "checkin":
            return await self._checkin_command(msg, lang, args)
        return [Reply(t("help", lang))]

    # Decisions ------------------------------------------------------------------------

    async def set_language(self, msg: Incoming, target: str, current: str) -> list[Reply]:
        """Fix the user's language (auto-detection stops until they change it again)."""
        if target not in ("ko", "en"):
            return [Reply(t("choose_language", current))]
        await self.store.remember_user(msg.user_id, msg.chat_id, target, fixed=True)
        return [Reply(t("language_set", target))]

    async def _decide(
        self, msg: Incoming, text: str, lang: str, result: EngineResult | None
    ) -> list[Reply]:
        in_form = msg.user_id in self._in_form
        verdict = triage.decide(
            text,
            result.intent if result else None,
            result.confidence if result else None,
            self.net,
            max(self._threshold, FORM_DISTRESS_THRESHOLD) if in_form else self._threshold,
        )
        if result is not None and result.active_loop:
            self._in_form.add(msg.user_id)
        else:
            self._in_form.discard(msg.user_id)
        if verdict.escalate:
            return await self.intake.escalate(
                msg, lang, verdict.detail, verdict.priority or triage.HIGH, text
            )
        if result is None:
            return [
                Reply(
                    f"{t('engine_down', lang)}\n\n"
                    f"{self.facts.current().render_emergency(None, lang)}",
                    buttons=(self._sos_button(lang),),
                )
            ]
        if result.intent == "change_language":
            return await self._change_language(msg, text, lang)
        return self._render(result)

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

    async def _job_ad(self, msg: Incoming, text: str, lang: str) -> list[Reply]:
        """Scan a pasted job ad; distress inside it still escalates."""
        result: EngineResult | None = None
        if self.engine is not None:
            try:
                result = await self.engine.parse(str(msg.user_id), text[:MAX_ENGINE_CHARS])
            except EngineError as exc:
                log.warning("engine unavailable for parse: %s", exc)
        verdict = triage.decide(
            text,
            result.intent if result else None,
            result.confidence if result else None,
            self.net,
            self._threshold,
        )
        if verdict.escalate:
            return await self.intake.escalate(
                msg, lang, verdict.detail, verdict.priority or triage.HIGH, text
            )
        flags = scan_ad(text)
        if flags:
            lines = [t("job_ad_flags", lang)]
            lines += flag_lines(flags, lang)
            body = "\n".join(lines)
        else:
            body = t("job_ad_clean", lang)
        return [
            Reply(
                body,
                buttons=(
                    ReplyButton(t("verify_button", lang), self._engine_data("/verify_job_offer")),
                    ReplyButton(t("contacts_button", lang), "c:KR"),
                ),
            )
        ]

    def _is_distress_outside_flow(self, name: str, text: str) -> bool:
        """A cry for help typed into a flow must not be taken as an answer."""
        return name != FlowName.RESCUE and self.net.check(text) is not None

    async def _change_language(self, msg: Incoming, text: str, lang: str) -> list[Reply]:
        if TO_ENGLISH.search(text):
            return await self.set_language(msg, "en", lang)
        if TO_KOREAN.search(text):
            return await self.set_language(msg, "ko", lang)
        return await self.on_command(msg, "language")

    async def _forget(self, msg: Incoming, lang: str) -> list[Reply]:
        case = await self.store.active_case(msg.user_id)
        await self.store.forget(msg.user_id)
        if case is not None:
            return [Reply(t("forgotten_case_kept", lang, case=case.id))]
        return [Reply(t("forgotten", lang))]

    async def _set_secret(self, msg: Incoming, lang: str, command: str, args: str) -> list[Reply]:
        """Save a code phrase or safety word; the setup messages delete themselves."""
        usage = "discreet.codeword_usage" if command == "codeword" else "discreet.safeword_usage"
        if not args:
            return [Reply(t(usage, lang))]
        if not valid_secret(args):
            return [Reply(t("discreet.secret_length", lang))]
        await self.store.remember_user(msg.user_id, msg.chat_id, lang)
        if command == "codeword":
            await self.store.set_secret(
                msg.user_id, "codeword_hash", secret_hash(msg.user_id, args)
            )
            done = "discreet.codeword_set"
        else:
            await self.store.set_secret(msg.user_id, "safety_word", args.strip())
            done = "discreet.safeword_set"
        if msg.message_id is not None:
            await self.store.schedule_deletion(
                msg.chat_id, discreet.SENSITIVE_DELETE_SECONDS, message_id=msg.message_id
            )
        return [Reply(t(done, lang), delete_in=discreet.SENSITIVE_DELETE_SECONDS)]

    async def _checkin_command(self, msg: Incoming, lang: str, args: str) -> list[Reply]:
        if args.strip().lower() in ("stop", "off", "그만", "중단", "취소"):
            stopped = await self.store.stop_checkin(msg.user_id)
            return [Reply(t("flow.checkin_stopped" if stopped else "flow.checkin_none", lang))]
        return await self.flows.start(msg, lang, FlowName.CHECKIN)

    # Helpers --------------------------------------------------------------------------

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

    async def _ask_engine(self, user_id: int, text: str, lang: str) -> EngineResult | None:
        if self.engine is None:
            return None
        try:
            return await self.engine.send(str(user_id), text[:MAX_ENGINE_CHARS], lang)
        except EngineError as exc:
            log.warning("engine unavailable, safety net only: %s", exc)
            return None

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

    def _render(self, result: EngineResult) -> list[Reply]:
        replies = []
        for reply in result.replies:
            buttons = tuple(
                ReplyButton(b.title, self.payloads.data_for(b.payload)) for b in reply.buttons
            )
            if reply.text or buttons:
                replies.append(Reply(reply.text or "…", buttons=buttons))
        return replies

    def _contacts(self, country: str | None, lang: str) -> Reply:
        facts = self.facts.current()
        text = facts.render_contacts(country, lang)
        buttons: tuple[ReplyButton, ...] = ()
        if country is None:
            buttons = tuple(
                ReplyButton(facts.country_name(code, lang), f"c:{code}") for code in COUNTRY_BUTTONS
            )
        delete = ReplyButton(t("discreet.delete_button", lang), "del:60")
        return Reply(text, buttons=(*buttons, delete), sensitive=True)

    def _engine_data(self, payload: str) -> str:
        return self.payloads.data_for(payload)

    def _sos_button(self, lang: str) -> ReplyButton:
        return ReplyButton(t("sos_button", lang), "sos")
