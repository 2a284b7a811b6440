"""What happens to a user's message: language, triage, case or engine, and the replies.

Telegram handlers and the console chat both call this, so both behave the same. Triage runs
on every message before anything else can fail: with the engine down, slow or confused, the
safety net still opens a case and the staff alert is queued durably.
"""

from __future__ import annotations

import asyncio
import logging
import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from bot import discreet
from bot.checkin import OK_WORDS, CheckIns
from bot.core import triage
from bot.core.errors import EngineError
from bot.core.facts import FactsStore
from bot.core.jobcheck import flag_lines, looks_like_job_ad, scan_ad
from bot.discreet import Janitor, decoy, secret_hash, valid_secret
from bot.engine import Engine, EngineResult
from bot.flows import (
    FLOWS,
    LATIN_NAME,
    SKIP,
    SKIP_WORDS,
    STOP,
    STOP_WORDS,
    Step,
    describe_interval,
    ft,
    parse_duration,
    prompt,
    rescue_message,
)
from bot.language import Language, detect, from_telegram
from bot.outbox import Outbox
from bot.replies import KeyButton, PayloadBook, Reply, ReplyButton
from bot.staff import StaffDesk, render_alert
from bot.store import Case, CaseKind, CaseStatus, CaseStore, CheckIn, UserPrefs, UserState, iso, now
from bot.texts import t

log = logging.getLogger(__name__)

MAX_ENGINE_CHARS = 1000
# Answers to the job check ("회사가 내준대요", "tourist visa") are short statements the engine
# sometimes reads as distress; inside the check it must be sure, and the safety net still runs.
FORM_DISTRESS_THRESHOLD = 0.9
COUNTRY_BUTTONS = ("KH", "TH", "VN", "LA", "MM", "PH", "KR")
TO_ENGLISH = re.compile(r"영어|영문|잉글리시|english|eng\b", re.IGNORECASE)
TO_KOREAN = re.compile(r"한국어|한글|한국말|국어|korean|hangul", re.IGNORECASE)
DISCREET_RELAY_DELETE_SECONDS = 3.0
LIVE_LOCATION_RELAY_SECONDS = 300.0
MEDIA_STEPS = {"location": ("location",), "photo": ("photo",), "video": ("video", "animation")}

KEYBOARD = {
    "not_safe": {"ko": "🆘 위험해요", "en": "🆘 I am not safe"},
    "share_location": {"ko": "📍 내 위치 보내기", "en": "📍 Share my location"},
    "cant_talk": {"ko": "🤐 말하기 어려워요 (문자만)", "en": "🤐 I can't talk — text only"},
    "call_later": {"ko": "🕘 나중에 연락해 주세요", "en": "🕘 Call me later at …"},
    "rescue": {"ko": "📝 구조 요청 만들기", "en": "📝 Prepare a rescue request"},
}


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


def keyboard_action(text: str) -> str | None:
    """Which persistent-keyboard button a text is, if any (in either language)."""
    for action, titles in KEYBOARD.items():
        if text in titles.values():
            return action
    return None


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


def sos_keyboard(lang: str) -> tuple[tuple[KeyButton, ...], ...]:
    """The persistent keyboard of a person in danger: few taps, nothing to type."""
    return (
        (KeyButton(KEYBOARD["not_safe"][lang]),),
        (KeyButton(KEYBOARD["share_location"][lang], location=True),),
        (KeyButton(KEYBOARD["cant_talk"][lang]), KeyButton(KEYBOARD["call_later"][lang])),
        (KeyButton(KEYBOARD["rescue"][lang]),),
    )


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
        checkins: CheckIns,
        janitor: Janitor,
        staff_language: str,
        distress_threshold: float,
        checkin_grace_minutes: float,
    ) -> None:
        """Wire the pipeline; every collaborator is built by ``runtime.open_haven``."""
        self.store = store
        self.engine = engine
        self.facts = facts
        self.net = net
        self.desk = desk
        self.outbox = outbox
        self.checkins = checkins
        self.janitor = janitor
        self.payloads = PayloadBook()
        self._staff_language = staff_language
        self._threshold = distress_threshold
        self._grace = checkin_grace_minutes
        self._last_live_relay: dict[int, float] = {}
        self._in_form: set[int] = set()

    # Entry points ---------------------------------------------------------------------

    async def on_text(self, msg: Incoming) -> list[Reply]:
        """Answer a text message (typed, or sent by a keyboard button)."""
        text = msg.text.strip()
        reading = asyncio.ensure_future(self.store.user_state(msg.user_id))
        await asyncio.sleep(0)  # the read is with the database thread now
        self.net.check(text)  # screen meanwhile; the verdicts below reuse the answer
        state = await reading
        lang = self._language(msg, text, state.prefs)
        changed = self._changed_language(msg, lang, state.prefs)
        if text and _nothing_pending(state) and not _answered_here(text):
            # The common case: the engine answers, and the bookkeeping is written meanwhile.
            result, _ = await asyncio.gather(
                self._ask_engine(msg.user_id, text, lang),
                self.store.take_in(msg.user_id, msg.chat_id, msg.message_id, changed, text),
            )
            return await self._decide(msg, text, lang, result)
        await self.store.take_in(msg.user_id, msg.chat_id, msg.message_id, changed)
        if not text:
            return [Reply(t("empty", lang))]
        flow = state.flow
        if flow is not None and not self._is_distress_outside_flow(flow[0], flow[1], text):
            return await self._flow_answer(msg, lang, flow, text=text)
        if flow is not None:
            await self.store.end_flow(msg.user_id)
        if state.codeword_hash and secret_hash(msg.user_id, text) == state.codeword_hash:
            return await self.discreet_case(msg, lang, "code phrase", "codeword", text)
        if state.awaiting_checkin:
            answered = await self.checkins.answered(msg.user_id, text)
            if answered == "duress":
                return await self.discreet_case(msg, lang, "check-in duress word", "ok", text)
            if answered == "ok" and discreet.normalise(text) in OK_WORDS:
                return [Reply(decoy("ok", lang))]
        action = keyboard_action(text)
        if action is not None:
            return await self._keyboard(msg, lang, action, text)
        if state.case is not None:
            return await self._relay(msg, lang, state.case, text)
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
            return await self.escalate(msg, lang, "sos button", triage.HIGH, "[SOS button]")
        if data in ("del", "del:60") and msg.message_id is not None:
            delay = 0.0 if data == "del" else discreet.SENSITIVE_DELETE_SECONDS
            await self.store.log_message(msg.chat_id, msg.message_id, "bot")
            await self.store.schedule_deletion(msg.chat_id, delay, message_id=msg.message_id)
            if delay == 0:
                await self.janitor.purge()
                return []
            return [Reply(discreet.text("delete_scheduled", lang), toast=True)]
        if data == "ci:ok":
            await self.checkins.answered(msg.user_id, "ok")
            return [Reply(decoy("ok", lang), toast=True)]
        if data.startswith("f:"):
            flow = await self.store.flow(msg.user_id)
            if flow is None:
                return [Reply(t("button_expired", lang), toast=True)]
            return await self._flow_answer(msg, lang, flow, text=data.removeprefix("f:"))
        payload = self.payloads.payload_for(data)
        if payload is None:
            return [Reply(t("button_expired", lang), toast=True)]
        case = await self.store.active_case(msg.user_id)
        if case is not None:
            return await self._relay(msg, lang, case, f"[button] {payload}")
        result = await self._ask_engine(msg.user_id, payload, lang)
        return await self._decide(msg, payload, lang, result)

    async def on_media(self, msg: Incoming) -> list[Reply]:
        """Answer a photo, voice message, sticker, location or other non-text message."""
        await self._log_incoming(msg)
        lang = await self._known_language(msg)
        flow = await self.store.flow(msg.user_id)
        if flow is not None and msg.kind != "live_location":
            return await self._flow_answer(msg, lang, flow, text=None)
        case = await self.store.active_case(msg.user_id)
        if case is not None and msg.message_id is not None:
            await self._relay_media(case, msg)
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
            return await self.escalate(msg, lang, "/sos command", triage.HIGH, "/sos")
        if command == "verify":
            return await self.on_button(msg, self._engine_data("/verify_job_offer"))
        if command == "forget":
            return await self._forget(msg, lang)
        if command in ("codeword", "safeword"):
            return await self._set_secret(msg, lang, command, args)
        if command == "weather":
            return await self.discreet_case(msg, lang, "decoy /weather", "weather", "/weather")
        if command == "clear":
            await self.store.schedule_deletion(msg.chat_id, 0)
            await self.janitor.purge()
            return []
        if command == "rescue":
            return await self._start_flow(msg, lang, "rescue", ft("rescue_intro", lang))
        if command == "checkin":
            return await self._checkin_command(msg, lang, args)
        return [Reply(t("help", lang))]

    # Decisions ------------------------------------------------------------------------

    async def escalate(
        self, msg: Incoming, lang: str, reason: str, priority: str, text: str
    ) -> list[Reply]:
        """Open (or join) the user's case, queue the staff alert, reassure the user."""
        case, created = await self._open_case(msg, lang, reason, priority, text, "standard")
        if not created:
            await self.desk.relay_notice(case, text)
            return [Reply(t("case_joined", lang, case=case.id), keyboard=sos_keyboard(lang))]
        country, _city = self.facts.current().find_place(text)
        body = t("escalated", lang, case=case.id)
        emergency = self.facts.current().render_emergency(country, lang)
        return [Reply(f"{body}\n\n{emergency}", keyboard=sos_keyboard(lang))]

    async def discreet_case(
        self, msg: Incoming, lang: str, reason: str, decoy_kind: str, text: str
    ) -> list[Reply]:
        """Open a silent high-priority case and answer with a harmless notice only."""
        case = await self.store.active_case(msg.user_id)
        if case is not None:
            await self.store.set_kind(case.id, "discreet")
            await self.desk.relay_notice(case, f"🤫 {reason}")
        else:
            case, _created = await self._open_case(
                msg, lang, reason, triage.HIGH, f"[{reason}]", "discreet"
            )
        log.info("discreet case %s (%s)", case.id, reason)
        return [Reply(decoy(decoy_kind, lang))]

    async def set_language(self, msg: Incoming, target: str, current: str) -> list[Reply]:
        """Fix the user's language (auto-detection stops until they change it again)."""
        if target not in ("ko", "en"):
            return [Reply(t("choose_language", current))]
        await self.store.remember_user(msg.user_id, msg.chat_id, target, fixed=True)
        return [Reply(t("language_set", target))]

    async def _open_case(
        self, msg: Incoming, lang: str, reason: str, priority: str, text: str, kind: str
    ) -> tuple[Case, bool]:
        earlier = await self.store.recent(msg.user_id)
        case, created = await self.store.open_case(
            user_id=msg.user_id,
            chat_id=msg.chat_id,
            language=lang,
            priority=priority,
            reason=reason,
            first_message=text,
            kind=kind,
            render_alert=lambda case: render_alert(
                case, text, earlier, self.desk.chat_id, self._staff_language
            ),
        )
        self.outbox.wake()
        if created:
            log.info("case %s opened (%s, %s)", case.id, priority, reason)
        return case, created

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

    async def _relay(self, msg: Incoming, lang: str, case: Case, text: str) -> list[Reply]:
        """Pass a message of a user with an open case to staff."""
        await self.desk.relay_text(case, text)
        if case.kind != CaseKind.DISCREET:
            return [Reply(t("case_joined", lang, case=case.id))]
        if case.status == CaseStatus.CLAIMED and msg.message_id is not None:
            await self.store.schedule_deletion(
                msg.chat_id, DISCREET_RELAY_DELETE_SECONDS, message_id=msg.message_id
            )
        return []

    async def _relay_media(self, case: Case, msg: Incoming) -> None:
        note = ""
        if msg.location is not None:
            lat, lon = msg.location
            note = f"https://maps.google.com/?q={lat:.6f},{lon:.6f} ({iso(now())[:16]} UTC)"
            await self.store.set_case_note(case.id, "last_location", note)
            if msg.kind == "live_location":
                moment = now().timestamp()
                if moment - self._last_live_relay.get(case.id, 0.0) < LIVE_LOCATION_RELAY_SECONDS:
                    return
                self._last_live_relay[case.id] = moment
        assert msg.message_id is not None
        await self.desk.relay_media(case, msg.kind, msg.chat_id, msg.message_id, note)
        if case.kind == CaseKind.DISCREET and case.status == CaseStatus.CLAIMED:
            await self.store.schedule_deletion(
                msg.chat_id, DISCREET_RELAY_DELETE_SECONDS, message_id=msg.message_id
            )

    async def _keyboard(self, msg: Incoming, lang: str, action: str, text: str) -> list[Reply]:
        """Act on a persistent-keyboard button."""
        if action == "not_safe":
            return await self.escalate(msg, lang, "not-safe button", triage.HIGH, text)
        if action == "rescue":
            return await self._start_flow(msg, lang, "rescue", ft("rescue_intro", lang))
        if action == "call_later":
            return await self._start_flow(msg, lang, "call_later", "")
        case = await self.store.active_case(msg.user_id)
        if case is None:
            case, _ = await self._open_case(
                msg, lang, "can't talk button", triage.HIGH, text, "standard"
            )
        await self.store.set_case_note(case.id, "contact_note", "text only, do not call")
        await self.desk.relay_notice(case, "🤐 text only, do not call")
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
            return await self.escalate(
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
        usage = "codeword_usage" if command == "codeword" else "safeword_usage"
        if not args:
            return [Reply(discreet.text(usage, lang))]
        if not valid_secret(args):
            return [Reply(discreet.text("secret_length", lang))]
        await self.store.remember_user(msg.user_id, msg.chat_id, lang)
        if command == "codeword":
            await self.store.set_secret(
                msg.user_id, "codeword_hash", secret_hash(msg.user_id, args)
            )
            done = "codeword_set"
        else:
            await self.store.set_secret(msg.user_id, "safety_word", args.strip())
            done = "safeword_set"
        if msg.message_id is not None:
            await self.store.schedule_deletion(
                msg.chat_id, discreet.SENSITIVE_DELETE_SECONDS, message_id=msg.message_id
            )
        return [Reply(discreet.text(done, lang), delete_in=discreet.SENSITIVE_DELETE_SECONDS)]

    # Flows ----------------------------------------------------------------------------

    async def _start_flow(self, msg: Incoming, lang: str, name: str, intro: str) -> list[Reply]:
        await self.store.save_flow(msg.user_id, name, 0, {})
        first = self._ask_step(FLOWS[name][0], lang)
        return [Reply(intro), first] if intro else [first]

    def _ask_step(self, step: Step, lang: str) -> Reply:
        buttons = tuple(
            ReplyButton(choice.ko if lang == "ko" else choice.en, f"f:{choice.value}")
            for choice in step.choices
        )
        if step.optional:
            buttons += (ReplyButton(ft("skip", lang), f"f:{SKIP}"),)
        buttons += (ReplyButton(ft("stop", lang), f"f:{STOP}"),)
        return Reply(prompt(step, lang), buttons=buttons)

    def _is_distress_outside_flow(self, name: str, step: int, text: str) -> bool:
        """A cry for help typed into a flow must not be taken as an answer."""
        return name != "rescue" and self.net.check(text) is not None

    async def _flow_answer(
        self, msg: Incoming, lang: str, flow: tuple[str, int, dict[str, Any]], text: str | None
    ) -> list[Reply]:
        name, index, answers = flow
        steps = FLOWS[name]
        step = steps[min(index, len(steps) - 1)]
        word = discreet.normalise(text) if text is not None else ""
        if text == STOP or word in STOP_WORDS:
            await self.store.end_flow(msg.user_id)
            return [Reply(ft("stopped", lang), remove_keyboard=name != "rescue")]
        if text == SKIP or (word in SKIP_WORDS and step.optional):
            value: Any = None
        else:
            value, problem = self._step_value(step, msg, text, lang)
            if problem is not None:
                return [Reply(problem), self._ask_step(step, lang)]
            await self._flow_media(msg, step)
        if value is not None:
            answers[step.key] = value
        if index + 1 < len(steps):
            await self.store.save_flow(msg.user_id, name, index + 1, answers)
            return [self._ask_step(steps[index + 1], lang)]
        await self.store.end_flow(msg.user_id)
        return await self._finish_flow(msg, lang, name, answers)

    def _step_value(
        self, step: Step, msg: Incoming, text: str | None, lang: str
    ) -> tuple[Any, str | None]:
        """The value of an answer, or why it is not one."""
        media = MEDIA_STEPS.get(step.kind)
        if media is not None:
            if msg.kind not in media or msg.message_id is None:
                kind = {"location": "📍", "photo": "📷", "video": "🎥"}[step.kind]
                return None, ft("need_media", lang, kind=kind)
            if msg.location is not None:
                return {"lat": msg.location[0], "lon": msg.location[1]}, None
            return {"message_id": msg.message_id, "kind": msg.kind}, None
        if text is None:
            return None, ft("need_text", lang)
        choices = {c.value for c in step.choices}
        if step.kind == "choice":
            if text in choices:
                return text, None
            return (
                (text.strip()[:60], None)
                if step.key == "nationality"
                else (None, ft("need_text", lang))
            )
        if step.kind == "name":
            return (
                (text.strip().upper(), None)
                if LATIN_NAME.match(text.strip())
                else (None, ft("need_name", lang))
            )
        if step.kind == "number":
            digits = re.sub(r"\D", "", text)
            return (digits, None) if digits else (None, ft("need_number", lang))
        if step.kind == "duration":
            interval = parse_duration(text)
            return (
                (interval.total_seconds() / 60, None)
                if interval
                else (None, ft("need_duration", lang))
            )
        return text.strip()[:200], None

    async def _flow_media(self, msg: Incoming, step: Step) -> None:
        """Photos and locations given in a flow also reach staff when a case is open."""
        if step.kind in MEDIA_STEPS and msg.message_id is not None:
            case = await self.store.active_case(msg.user_id)
            if case is not None:
                await self._relay_media(case, msg)

    async def _finish_flow(
        self, msg: Incoming, lang: str, name: str, answers: dict[str, Any]
    ) -> list[Reply]:
        if name == "rescue":
            return await self._finish_rescue(msg, lang, answers)
        if name == "checkin":
            return await self._finish_checkin(msg, lang, answers)
        case = await self.store.active_case(msg.user_id)
        if case is None:
            case, _ = await self._open_case(
                msg, lang, "call-later request", triage.HIGH, "[call later]", "standard"
            )
        note = f"safe time: {answers.get('safe_time', '?')}"
        await self.store.set_case_note(case.id, "contact_note", note)
        await self.desk.relay_notice(case, f"🕘 {note}")
        return [Reply(ft("safe_time_saved", lang))]

    async def _finish_rescue(
        self, msg: Incoming, lang: str, answers: dict[str, Any]
    ) -> list[Reply]:
        message = rescue_message(answers, f"{iso(now())[:16]} UTC")
        country = answers.get("country") if isinstance(answers.get("country"), str) else "KH"
        facts = self.facts.current()
        case = await self.store.active_case(msg.user_id)
        if case is None:
            case, _ = await self._open_case(
                msg, lang, "rescue request", triage.HIGH, message, "standard"
            )
        else:
            await self.desk.relay_notice(case, f"📝 rescue request:\n{message}")
        return [
            Reply(ft("rescue_done", lang)),
            Reply(message),
            Reply(f"{ft('send_to', lang)}\n{facts.render_emergency(str(country), lang)}"),
        ]

    async def _finish_checkin(
        self, msg: Incoming, lang: str, answers: dict[str, Any]
    ) -> list[Reply]:
        minutes = float(answers.get("interval") or 24 * 60)
        duress = answers.get("duress")
        await self.store.save_checkin(
            CheckIn(
                user_id=msg.user_id,
                chat_id=msg.chat_id,
                language=lang,
                destination=str(answers.get("destination", "")),
                departure=str(answers.get("departure", "")),
                interval_minutes=minutes,
                grace_minutes=self._grace,
                duress_hash=secret_hash(msg.user_id, duress) if isinstance(duress, str) else None,
                next_prompt_at=iso(now() + timedelta(minutes=minutes)),
                awaiting_since=None,
            )
        )
        interval = describe_interval(timedelta(minutes=minutes), lang)
        return [Reply(ft("checkin_done", lang, interval=interval))]

    async def _checkin_command(self, msg: Incoming, lang: str, args: str) -> list[Reply]:
        if args.strip().lower() in ("stop", "off", "그만", "중단", "취소"):
            stopped = await self.store.stop_checkin(msg.user_id)
            return [Reply(ft("checkin_stopped" if stopped else "checkin_none", lang))]
        return await self._start_flow(msg, lang, "checkin", ft("checkin_intro", lang))

    # Helpers --------------------------------------------------------------------------

    async def _log_incoming(self, msg: Incoming) -> None:
        if msg.message_id is not None:
            await self.store.log_message(msg.chat_id, msg.message_id, "user")

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
        buttons: tuple[ReplyButton, ...] = ()
        if country is None:
            buttons = tuple(
                ReplyButton(facts.country_name(code, lang), f"c:{code}") for code in COUNTRY_BUTTONS
            )
        delete = ReplyButton(discreet.text("delete_button", lang), "del:60")
        return Reply(text, buttons=(*buttons, delete), sensitive=True)

    def _engine_data(self, payload: str) -> str:
        return self.payloads.data_for(payload)

    def _sos_button(self, lang: str) -> ReplyButton:
        return ReplyButton(t("sos_button", lang), "sos")
