"""What happens to a user's message: language, triage, case or engine, and the replies.

Telegram handlers and the console chat both call this, so both behave the same. Triage runs
on every message before anything else can fail: with the engine down, slow or confused, the
safety net still opens a case and the staff alert is queued durably.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from bot import triage
from bot.cases import CaseStore
from bot.engine import Engine, EngineResult
from bot.errors import EngineError
from bot.facts import FactsStore
from bot.jobcheck import looks_like_job_ad, scan_ad
from bot.language import Language, detect, from_telegram
from bot.outbox import Outbox
from bot.replies import KeyButton, PayloadBook, Reply, ReplyButton
from bot.staff import StaffDesk, render_alert
from bot.texts import t

log = logging.getLogger(__name__)

MAX_ENGINE_CHARS = 1000
COUNTRY_BUTTONS = ("KH", "TH", "VN", "LA", "MM", "PH", "KR")
TO_ENGLISH = re.compile(r"영어|영문|잉글리시|english|eng\b", re.IGNORECASE)
TO_KOREAN = re.compile(r"한국어|한글|한국말|국어|korean|hangul", re.IGNORECASE)


@dataclass(frozen=True)
class Incoming:
    """A user's message, reduced to what Haven needs from Telegram (or the console)."""

    user_id: int
    chat_id: int
    text: str = ""
    kind: str = "text"
    telegram_language: str | None = None
    message_id: int | None = None
    location: tuple[float, float] | None = None


class Conversation:
    """Haven's side of a private chat."""

    def __init__(
        self,
        *,
        store: CaseStore,
        engine: Engine | None,
        facts: FactsStore,
        net: triage.SafetyNet,
        desk: StaffDesk,
        outbox: Outbox,
        staff_language: str,
        distress_threshold: float,
    ) -> None:
        """Wire the pipeline; every collaborator is built by the application factory."""
        self.store = store
        self.engine = engine
        self.facts = facts
        self.net = net
        self.desk = desk
        self.outbox = outbox
        self.payloads = PayloadBook()
        self._staff_language = staff_language
        self._threshold = distress_threshold

    # Entry points ---------------------------------------------------------------------

    async def on_text(self, msg: Incoming) -> list[Reply]:
        """Answer a text message (typed, or sent by a keyboard button)."""
        text = msg.text.strip()
        lang = await self._language(msg, text)
        if not text:
            return [Reply(t("empty", lang))]
        case = await self.store.active_case(msg.user_id)
        if case is not None:
            await self.desk.relay_text(case, text)
            return [Reply(t("case_joined", lang, case=case.id))]
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
            return [Reply(t("button_expired", lang))]
        if data == "sos":
            return await self.escalate(msg, lang, "sos button", triage.HIGH, "[SOS button]")
        payload = self.payloads.payload_for(data)
        if payload is None:
            return [Reply(t("button_expired", lang))]
        case = await self.store.active_case(msg.user_id)
        if case is not None:
            await self.desk.relay_text(case, f"[button] {payload}")
            return [Reply(t("case_joined", lang, case=case.id))]
        result = await self._ask_engine(msg.user_id, payload, lang)
        return await self._decide(msg, payload, lang, result)

    async def on_media(self, msg: Incoming) -> list[Reply]:
        """Answer a photo, voice message, sticker, location or other non-text message."""
        lang = await self._known_language(msg)
        case = await self.store.active_case(msg.user_id)
        if case is not None and msg.message_id is not None:
            note = ""
            if msg.location is not None:
                lat, lon = msg.location
                note = f"https://maps.google.com/?q={lat:.6f},{lon:.6f}"
            await self.desk.relay_media(case, msg.kind, msg.chat_id, msg.message_id, note)
            return [Reply(t("case_joined", lang, case=case.id))]
        if msg.kind == "location":
            return [Reply(t("location_received", lang))]
        return [Reply(t("non_text", lang), buttons=(self._sos_button(lang),))]

    async def on_command(self, msg: Incoming, command: str, args: str = "") -> list[Reply]:
        """Answer one of the user commands."""
        lang = await self._known_language(msg)
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
        if command == "help":
            return [Reply(t("help", lang), buttons=(self._sos_button(lang),))]
        if command == "privacy":
            return [Reply(t("privacy", lang))]
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
            return await self.escalate(msg, lang, "/sos command", triage.HIGH, "/sos")
        if command == "verify":
            return await self.on_button(msg, self._engine_data("/verify_job_offer"))
        if command == "forget":
            return await self._forget(msg, lang)
        return [Reply(t("help", lang))]

    # Decisions ------------------------------------------------------------------------

    async def escalate(
        self, msg: Incoming, lang: str, reason: str, priority: str, text: str
    ) -> list[Reply]:
        """Open (or join) the user's case, queue the staff alert, reassure the user."""
        earlier = await self.store.recent(msg.user_id)
        case, created = await self.store.open_case(
            user_id=msg.user_id,
            chat_id=msg.chat_id,
            language=lang,
            priority=priority,
            reason=reason,
            first_message=text,
            render_alert=lambda case: render_alert(
                case, text, earlier, self.desk.chat_id, self._staff_language
            ),
        )
        if not created:
            await self.desk.relay_notice(case, text)
            return [Reply(t("case_joined", lang, case=case.id))]
        self.outbox.wake()
        log.info("case %s opened (%s, %s)", case.id, priority, reason)
        country, _city = self.facts.current().find_place(text)
        body = t("escalated", lang, case=case.id)
        emergency = self.facts.current().render_emergency(country, lang)
        return [
            Reply(
                f"{body}\n\n{emergency}",
                keyboard=(
                    (KeyButton(t("share_location", lang), location=True),),
                    (KeyButton(t("cant_talk", lang)),),
                ),
                sensitive=True,
            )
        ]

    async def set_language(self, msg: Incoming, target: str, current: str) -> list[Reply]:
        """Fix the user's language (auto-detection stops until they change it again)."""
        if target not in ("ko", "en"):
            return [Reply(t("choose_language", current))]
        await self.store.remember_user(msg.user_id, msg.chat_id, target, fixed=True)
        return [Reply(t("language_set", target))]

    async def _decide(
        self, msg: Incoming, text: str, lang: str, result: EngineResult | None
    ) -> list[Reply]:
        verdict = triage.decide(
            text,
            result.intent if result else None,
            result.confidence if result else None,
            self.net,
            self._threshold,
        )
        if verdict.escalate:
            return await self.escalate(
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
            return await self.escalate(
                msg, lang, verdict.detail, verdict.priority or triage.HIGH, text
            )
        flags = scan_ad(text)
        if flags:
            lines = [t("job_ad_flags", lang)]
            lines += [f"⚠️ {flag.text_ko if lang == 'ko' else flag.text_en}" for flag in flags]
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

    # Helpers --------------------------------------------------------------------------

    async def _ask_engine(self, user_id: int, text: str, lang: str) -> EngineResult | None:
        if self.engine is None:
            return None
        try:
            return await self.engine.send(str(user_id), text[:MAX_ENGINE_CHARS], lang)
        except EngineError as exc:
            log.warning("engine unavailable, safety net only: %s", exc)
            return None

    async def _language(self, msg: Incoming, text: str) -> Language:
        """Decide this message's language and remember it as the user's latest."""
        prefs = await self.store.user(msg.user_id)
        if prefs is not None and prefs.language_fixed:
            return "ko" if prefs.language == "ko" else "en"
        previous: Language | None = None
        if prefs is not None:
            previous = "ko" if prefs.language == "ko" else "en"
        lang = detect(text, previous, msg.telegram_language)
        if prefs is None or prefs.language != lang or prefs.chat_id != msg.chat_id:
            await self.store.remember_user(msg.user_id, msg.chat_id, lang)
        return lang

    async def _known_language(self, msg: Incoming) -> Language:
        """The user's current language, for messages that carry no text to detect."""
        prefs = await self.store.user(msg.user_id)
        if prefs is not None:
            return "ko" if prefs.language == "ko" else "en"
        lang = from_telegram(msg.telegram_language) or "en"
        await self.store.remember_user(msg.user_id, msg.chat_id, lang)
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
        if country is not None:
            return Reply(text, sensitive=True)
        buttons = tuple(
            ReplyButton(facts.country_name(code, lang), f"c:{code}") for code in COUNTRY_BUTTONS
        )
        return Reply(text, buttons=buttons, sensitive=True)

    def _engine_data(self, payload: str) -> str:
        return self.payloads.data_for(payload)

    def _sos_button(self, lang: str) -> ReplyButton:
        return ReplyButton(t("sos_button", lang), "sos")
